"""The upload page at ``/``: plain HTML, CSS and JavaScript served by the service itself.

The page and its two assets need no token (they hold no data); every call the page makes goes to
``/v1`` with the token it was opened with (``/?token=...`` as ``eobscan serve`` prints it, or
``#token=...``). The page keeps the token in session storage and removes it from the address bar.

The headers lock the page down: scripts and styles from this origin only, no inline script, no
framing, no referrer (the first URL carries the token), nothing cached.
"""

from __future__ import annotations

from importlib import resources

from litestar import Response, get

STATIC = resources.files("scanner.service").joinpath("static")

#: The files the page is made of: URL path -> (file name, media type). Nothing else is served.
FILES: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html"),
    "/static/upload.js": ("upload.js", "text/javascript"),
    "/static/upload.css": ("upload.css", "text/css"),
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _serve(path: str) -> Response[bytes]:
    name, media_type = FILES[path]
    return Response(content=STATIC.joinpath(name).read_bytes(), media_type=media_type, headers=HEADERS)


@get("/", include_in_schema=False, sync_to_thread=False)
def upload_page() -> Response[bytes]:
    return _serve("/")


@get("/static/upload.js", include_in_schema=False, sync_to_thread=False)
def upload_script() -> Response[bytes]:
    return _serve("/static/upload.js")


@get("/static/upload.css", include_in_schema=False, sync_to_thread=False)
def upload_style() -> Response[bytes]:
    return _serve("/static/upload.css")


ui_handlers = [upload_page, upload_script, upload_style]
