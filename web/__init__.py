"""The explorer's web door (``graphmodel serve``): a thin ASGI app over :mod:`graphmodel.explore`.

:func:`~graphmodel.web.app.create_app` builds the FastAPI app (JSON API and
page); :mod:`graphmodel.web.guard` keeps it to its token and its host;
:func:`~graphmodel.web.server.serve` runs it on uvicorn.
"""
