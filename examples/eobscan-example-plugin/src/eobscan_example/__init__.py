"""An example EOB Scanner plugin package, kept in the scanner's repository as a model to copy.

Two plugins in one distribution, each its own entry point of group ``eobscan``:

- :mod:`eobscan_example.ground_ambulance`: a check for California's ground ambulance
  balance-billing law (rule ``CGA001``), which protects patients where the federal No Surprises
  Act does not reach.
- :mod:`eobscan_example.larkspur_csv`: a parser for the CSV claims export of Larkspur Mutual, an
  invented insurer.
"""
