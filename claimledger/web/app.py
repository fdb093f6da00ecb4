"""The web UI and JSON API: one context per route, rendered as a page or, at ``.json``, as data.

Read-only, offline (vendored Leaflet and Natural Earth borders), every value escaped, every
query parameterised, a strict Content-Security-Policy. ``create_app(db)`` builds the app;
``claimledger serve`` runs it on 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import base64
import inspect
import json
import re
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from claimledger.errors import ClaimledgerError
from claimledger.web.queries import STATUSES, Filters, Store

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SIDE_LABELS = {"RU": "Russian side", "UA": "Ukrainian side", "THIRD": "Third parties", "UNKNOWN": "Unknown side"}
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")


def doc_key(doc_id: str) -> str:
    """The path segment of a document: its id when that is safe in a URL path (no '/', '?',
    '#', '%', '..', no '.json' ending), else '~' and the id in URL-safe base64."""
    if _PLAIN_ID.fullmatch(doc_id) and ".." not in doc_id and not doc_id.endswith(".json"):
        return doc_id
    return "~" + base64.urlsafe_b64encode(doc_id.encode("utf-8")).decode("ascii").rstrip("=")


def doc_id_of(key: str) -> str | None:
    """The document id a path segment names (the inverse of ``doc_key``); None for a bad key."""
    if not key.startswith("~"):
        return key
    try:
        doc_id = base64.urlsafe_b64decode(key[1:] + "=" * (-len(key[1:]) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return doc_id if doc_key(doc_id) == key else None


def doc_url(doc_id: str) -> str:
    return f"/documents/{doc_key(doc_id)}"


class ErrorDetail(BaseModel):
    code: str = Field(description="The catalogue code: E040 an unknown filter value, E404 no such item.")
    message: str = Field(description="What went wrong and what to do.")


class ErrorBody(BaseModel):
    """The body of every 400 and 404 response at a .json path (an HTML page at other paths)."""
    error: ErrorDetail


BAD_FILTER = {400: {"model": ErrorBody, "description": "A filter value is not one of those allowed (E040)."}}
NO_SUCH = {404: {"model": ErrorBody, "description": "No such item in this ledger (E404)."}}
# the pages answer the same errors as an HTML page
PAGE_BAD_FILTER = {400: {"description": "A filter value is not one of those allowed (E040): an error page.",
                         "content": {"text/html": {"schema": {"type": "string"}}}}}
PAGE_NO_SUCH = {404: {"description": "No such item in this ledger (E404): an error page.",
                      "content": {"text/html": {"schema": {"type": "string"}}}}}


class NotFound(Exception):
    def __init__(self, what: str, key: str):
        self.what, self.key = what, key


def _json_block(value) -> Markup:
    """JSON for a <script type="application/json"> block: '<' escaped so no tag can close it."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _marked(snippet: str) -> Markup:
    """An FTS snippet with \\x02…\\x03 around matches: escaped, then the markers become <mark>."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["json_block"] = _json_block
    env.filters["marked"] = _marked
    env.filters["doc_url"] = doc_url
    env.globals.update(SIDE_LABELS=SIDE_LABELS, STATUSES=STATUSES, LANGUAGE_NAMES=LANGUAGE_NAMES)
    return env


def create_app(db: str) -> FastAPI:
    store = Store(db)
    env = _env()
    app = FastAPI(title="claimledger", description="A source-attributed ledger of claims from conflict news. "
                  "Every page is also available as JSON at the same path with `.json`.",
                  version="0.1.0", docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def render(request: Request, template: str, ctx: dict, as_json: bool, status: int = 200) -> Response:
        if as_json:
            return JSONResponse(ctx, status_code=status)
        html = env.get_template(template).render(request_path=request.url.path, query=dict(request.query_params), **ctx)
        return HTMLResponse(html, status_code=status)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        try:
            response = await call_next(request)
        except Exception:  # pragma: no cover - an unexpected failure still gets a safe page
            response = HTMLResponse("<h1>Internal error</h1>", status_code=500)
        path = request.url.path
        response.headers["Content-Security-Policy"] = CSP_DOCS if path == "/docs" else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(ClaimledgerError)
    async def coded_error(request: Request, exc: ClaimledgerError):
        return render(request, "error.html", {"error": {"code": exc.code, "message": exc.message}},
                      request.url.path.endswith(".json"), 400)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        msg = f"No {exc.what} '{exc.key}' in this ledger."
        return render(request, "error.html", {"error": {"code": "E404", "message": msg}},
                      request.url.path.endswith(".json"), 404)

    def filters(type_, status, side, place, since, until, sort="date", page=1, per_page=50) -> Filters:
        return Filters(type_ or None, status or None, side or None, place or None, since or None, until or None,
                       sort or "date", page, per_page)

    # --- overview ------------------------------------------------------------------
    def overview(request: Request, as_json: bool, type_, side, since, until):
        f = filters(type_, None, side, None, since, until)
        ctx = {"filters": f.as_query(), **store.overview(f)}
        return render(request, "index.html", ctx, as_json)

    @app.get("/", response_class=HTMLResponse, summary="Overview: counts, timeline, most contested events", responses=PAGE_BAD_FILTER)
    def index(request: Request, type: Optional[str] = None, side: Optional[str] = None,
              since: Optional[str] = None, until: Optional[str] = None):
        return overview(request, False, type, side, since, until)

    @app.get("/index.json", summary="Overview as JSON", responses=BAD_FILTER)
    def index_json(request: Request, type: Optional[str] = None, side: Optional[str] = None,
                   since: Optional[str] = None, until: Optional[str] = None):
        return overview(request, True, type, side, since, until)

    # --- map -------------------------------------------------------------------------
    def map_page(request, as_json, type_, status, side, since, until):
        f = filters(type_, status, side, None, since, until)
        return render(request, "map.html", {"filters": f.as_query(), "markers": store.map_markers(f)}, as_json)

    @app.get("/map", response_class=HTMLResponse, summary="Map of events", responses=PAGE_BAD_FILTER)
    def map_html(request: Request, type: Optional[str] = None, status: Optional[str] = None,
                 side: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None):
        return map_page(request, False, type, status, side, since, until)

    @app.get("/map.json", summary="Map markers as JSON", responses=BAD_FILTER)
    def map_json(request: Request, type: Optional[str] = None, status: Optional[str] = None,
                 side: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None):
        return map_page(request, True, type, status, side, since, until)

    # --- events ------------------------------------------------------------------------
    def events_page(request, as_json, type_, status, side, place, since, until, sort, page, per_page):
        f = filters(type_, status, side, place, since, until, sort, page, per_page)
        return render(request, "events.html", {"filters": f.as_query(), "sort": f.sort, **store.events(f)}, as_json)

    @app.get("/events", response_class=HTMLResponse, summary="Events with filters and sorting", responses=PAGE_BAD_FILTER)
    def events_html(request: Request, type: Optional[str] = None, status: Optional[str] = None,
                    side: Optional[str] = None, place: Optional[str] = None, since: Optional[str] = None,
                    until: Optional[str] = None, sort: str = "date", page: int = Query(1, ge=1),
                    per_page: int = Query(50, ge=1, le=500)):
        return events_page(request, False, type, status, side, place, since, until, sort, page, per_page)

    @app.get("/events.json", summary="Events as JSON", responses=BAD_FILTER)
    def events_json(request: Request, type: Optional[str] = None, status: Optional[str] = None,
                    side: Optional[str] = None, place: Optional[str] = None, since: Optional[str] = None,
                    until: Optional[str] = None, sort: str = "date", page: int = Query(1, ge=1),
                    per_page: int = Query(50, ge=1, le=500)):
        return events_page(request, True, type, status, side, place, since, until, sort, page, per_page)

    def detail(kind: str, path: str, id_name: str, load, template: str, summary: str) -> None:
        """/{path}/{id} as a page and /{path}/{id}.json as data (the .json route first: it is the more specific)."""
        def handler(as_json: bool):
            def route(request: Request, **params):
                key = params[id_name]
                ctx = load(key)
                if ctx is None:
                    raise NotFound(kind, key)
                return render(request, template, ctx, as_json)
            route.__signature__ = inspect.Signature([  # so OpenAPI names the id as the export does
                inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
                inspect.Parameter(id_name, inspect.Parameter.KEYWORD_ONLY, annotation=str)])
            return route

        app.add_api_route(f"/{path}/{{{id_name}}}.json", handler(True), methods=["GET"],
                          summary=f"{summary} as JSON", name=f"{kind}_json", responses=NO_SUCH)
        app.add_api_route(f"/{path}/{{{id_name}}}", handler(False), methods=["GET"], response_class=HTMLResponse,
                          summary=summary, name=f"{kind}_page", responses=PAGE_NO_SUCH)

    detail("event", "events", "event_id", store.event, "event.html", "One event: its claims side by side")
    detail("claim", "claims", "claim_id", store.claim, "claim.html", "One claim in its article")
    def document_at(key: str) -> dict | None:
        doc_id = doc_id_of(key)
        return store.document(doc_id) if doc_id is not None else None

    detail("document", "documents", "doc_id", document_at, "document.html", "One document with its claims (an id unsafe in a path is '~' + its URL-safe base64)")

    @app.get("/search", response_class=HTMLResponse, summary="Full-text search over claims and documents")
    def search_html(request: Request, q: str = ""):
        return render(request, "search.html", store.search(q), False)

    @app.get("/search.json", summary="Search results as JSON")
    def search_json(request: Request, q: str = ""):
        return render(request, "search.html", store.search(q), True)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        return render(request, "docs.html", {}, False)

    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, sock=None) -> None:  # pragma: no cover - a server
    """Serve until Ctrl+C, on ``sock`` when the caller has bound it already."""
    import uvicorn
    server = uvicorn.Server(uvicorn.Config(create_app(db), host=host, port=port, log_level="warning"))
    server.run(sockets=[sock] if sock is not None else None)
