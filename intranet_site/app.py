"""The intranet site: the demo intranet page, the FAQ pages, the search endpoint and the widget bundle."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from intranet_site.faq_catalog import FaqCatalog, plain_text, render_markdown
from planning.plan_links import LinkExpired, LinkInvalid, PlanLinks
from retrieval.advisor import MAX_QUESTION_CHARS, KnowledgeAdvisor
from retrieval.answers import Band
from retrieval.knowledge_entries import KnowledgeError
from retrieval.knowledge_index import IndexUnavailable
from retrieval.settings import SettingsError
from serving import REPO_ROOT

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
WEBCHAT_BUNDLE = REPO_ROOT / "web/node_modules/rasa-webchat/lib/index.js"
# rasa-webchat's CSS imports its font from Google: an intranet without internet cannot
# reach it and should not try, so the bundle is served without it (site.css names
# system fonts instead).
GOOGLE_FONTS_IMPORT = b"@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);"
SEARCH_LIMIT = 5
SNIPPET_WORDS = 40
NextHandler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class WidgetConfig:
    """Where the browser finds the Rasa server's socket.io channel, and the widget's bundle on disk."""

    socket_url: str = "http://localhost:5005"
    bundle: Path = WEBCHAT_BUNDLE

    def offline_bundle(self) -> bytes:
        return self.bundle.read_bytes().replace(GOOGLE_FONTS_IMPORT, b"")

    def content_security_policy(self) -> str:
        # The widget injects its CSS as <style> tags, hence 'unsafe-inline' for styles only.
        # Scripts come from this site alone, so a message can never bring its own.
        origin = urlsplit(self.socket_url)
        ws = origin._replace(scheme="wss" if origin.scheme == "https" else "ws").geturl()
        return (
            f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {self.socket_url} {ws}; "
            f"frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
        )


def snippet(markdown: str, words: int = SNIPPET_WORDS) -> str:
    parts = plain_text(markdown).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def create_app(
    catalog: FaqCatalog, advisor: KnowledgeAdvisor, widget: WidgetConfig, plan_links: PlanLinks | None = None
) -> FastAPI:
    """The site; `plan_links` opens printable plan links (from the environment when None)."""
    links = plan_links or PlanLinks.from_environment()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Loads the model and index in the background so the first search is quick,
        # while the pages (which need neither) are served at once.
        threading.Thread(target=advisor.warm_up, name="advisor-warm-up", daemon=True).start()
        yield

    app = FastAPI(
        title="Hospital career advisor: intranet site", docs_url=None, redoc_url=None, lifespan=lifespan
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    # A cited page shown by its site ("bls.gov"), never under the guide's title.
    templates.env.filters["site_name"] = lambda url: urlsplit(url).netloc.removeprefix("www.")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    csp = widget.content_security_policy()
    bundle = functools.cache(widget.offline_bundle)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: NextHandler) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    def page(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            template,
            {"socket_url": widget.socket_url, "max_chars": MAX_QUESTION_CHARS, **context},
            status_code=status_code,
        )

    def refused(status: int, query: str, message: str) -> tuple[int, dict]:
        return status, {"query": query, "results": [], "message": message}

    def search(question: str) -> tuple[int, dict]:
        """The HTTP status and the results as the page and the API show them, or why there are none."""
        question = " ".join(question.split())
        if not question:
            return refused(400, "", "Type a question or a few words to search the FAQ.")
        if len(question) > MAX_QUESTION_CHARS:
            return refused(
                400,
                question[:80] + "…",
                f"That is too long to search: please use at most {MAX_QUESTION_CHARS} characters.",
            )
        try:
            matches = advisor.matches(question, limit=SEARCH_LIMIT)
        except (IndexUnavailable, SettingsError, KnowledgeError) as error:
            logger.error("FAQ search unavailable: %s", error)
            return refused(503, question, "Search is unavailable right now; the FAQ can still be browsed.")
        entries = catalog.current()[1]
        results = []
        for match in matches:
            entry = entries.get(match.passage.entry_id)
            results.append(
                {
                    "id": match.passage.entry_id,
                    "title": entry.title if entry else match.passage.title,
                    "topic": match.passage.topic,
                    "url": entry.path if entry else None,
                    "snippet": snippet(match.passage.text),
                    "score": round(match.score, 3),
                    "band": match.band.value,
                }
            )
        if not results:
            message = (
                f"Nothing in the FAQ fits that question. Try other words, ask the advisor, "
                f"or contact {advisor.settings.human_contact}."
            )
        elif results[0]["band"] != Band.CONFIDENT.value:
            # The same bands as the bot: where it would say "did you mean", the page says so first.
            message = (
                "The FAQ has no answer to exactly that. These entries come closest; "
                f"for anything else, contact {advisor.settings.human_contact}."
            )
        else:
            message = None
        return 200, {"query": question, "results": results, "message": message}

    @app.get("/", response_class=HTMLResponse)
    def intranet_home(request: Request) -> HTMLResponse:
        return page(request, "home.html")

    @app.get("/faq", response_class=HTMLResponse)
    def faq(request: Request, q: str | None = None) -> HTMLResponse:
        status, found = search(q) if q is not None else (200, None)
        sections, entries = catalog.current()
        return page(request, "faq.html", status, sections=sections, entry_count=len(entries), found=found)

    @app.get("/faq/{entry_id}", response_class=HTMLResponse)
    def faq_entry(request: Request, entry_id: str) -> HTMLResponse:
        sections, entries = catalog.current()
        entry = entries.get(entry_id)
        if entry is None:
            return page(request, "not_found.html", status_code=404, entry_id=entry_id)
        section = next(section for section in sections if section.id == entry.topic)
        related = [other for other in section.entries if other.id != entry.id]
        return page(request, "faq_entry.html", entry=entry, section=section, related=related)

    @app.get("/plans/{token}", response_class=HTMLResponse)
    def printable_plan(request: Request, token: str) -> HTMLResponse:
        try:
            shared = links.open(token)
        except (LinkExpired, LinkInvalid) as error:
            expired = isinstance(error, LinkExpired)
            response = page(
                request,
                "plan_gone.html",
                410 if expired else 404,
                expired=expired,
                days=f"{links.max_age_days:g}",
            )
        else:
            # The plan's own title becomes the page's heading.
            plan_html = render_markdown(shared.markdown.replace("## ", "# ", 1), keep_line_breaks=True)
            expires = time.strftime("%d %B %Y", time.gmtime(shared.expires_at))
            response = page(request, "plan.html", plan_html=plan_html, expires=expires)
        # The token is the key to the plan: kept out of caches, search engines and referrers.
        response.headers.update(
            {"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
        )
        return response

    @app.get("/api/search")
    def api_search(
        q: Annotated[str, Query(description="the question or words to search for")],
    ) -> JSONResponse:
        status, found = search(q)
        return JSONResponse(found, status_code=status)

    @app.get("/vendor/rasa-webchat.js")
    def webchat_bundle() -> Response:
        if not widget.bundle.exists():
            return PlainTextResponse(
                f"// the chat widget is not installed ({widget.bundle} is missing): run `make setup`",
                status_code=503,
                media_type="application/javascript",
            )
        return Response(
            bundle(), media_type="application/javascript", headers={"Cache-Control": "max-age=3600"}
        )

    @app.get("/healthz")
    def health() -> dict:
        return {"status": "ok", "entries": len(catalog)}

    return app
