"""The local web app of `ctsearch serve`: search, read in context, cite, chart.

Only the `serve` command imports this package (Starlette, uvicorn and Jinja2 stay off the
path of a one-shot `ctsearch search`). `create_app(index_dir, corpus)` gives the ASGI app;
`server.serve(...)` runs it.
"""

from __future__ import annotations

from ctsearch.web.app import create_app

__all__ = ["create_app"]
