"""The network / No Surprises Act check, in parts: rules, money, wording (see ``network.py``)."""
