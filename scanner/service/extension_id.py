"""The browser extension's id, which the service accepts as an ``Origin``.

An unpacked extension's id is normally derived from the folder it was loaded from, so it would
change with every checkout. ``extension/manifest.json`` carries a fixed public ``key`` instead,
and Chromium derives the id from that key: the first 16 bytes of SHA-256 over the DER public key,
written with the letters a-p for the hex digits. The service allows exactly
``chrome-extension://<EXTENSION_ID>`` (plus the token), so requests from any other extension or
web page are refused. Only the public key is in the repository; no private key is needed to load
the unpacked extension. ``tests/browser/test_extension_static.py`` recomputes the id from the
manifest so the two cannot drift apart.
"""

from __future__ import annotations

EXTENSION_ID = "lcoeippdiknelbnnknnkjachiakandnd"

#: The ``Origin`` header the extension's service worker sends.
EXTENSION_ORIGIN = f"chrome-extension://{EXTENSION_ID}"
