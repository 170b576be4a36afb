"""The local HTTP service (Litestar): routes, security guards, error mapping."""
