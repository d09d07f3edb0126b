"""Serves the intranet site: `python -m intranet_site --port 8080` (what `make run` does)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
import uvicorn

from actions.career_topics import TOPICS
from intranet_site.app import WidgetConfig, create_app
from intranet_site.faq_catalog import FaqCatalog
from retrieval.advisor import KnowledgeAdvisor
from retrieval.settings import SettingsError, load_settings


def main(
    host: Annotated[str, typer.Option(envvar="ADVISOR_SITE_HOST", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="ADVISOR_SITE_PORT", help="port to listen on")] = 8080,
    socket_url: Annotated[
        str, typer.Option(envvar="ADVISOR_SOCKET_URL", help="the Rasa server as the browser reaches it")
    ] = "http://localhost:5005",
    access_log: Annotated[
        bool, typer.Option(help="log each request; off by default because search URLs carry questions")
    ] = False,
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as error:
        raise typer.BadParameter(str(error), param_hint="retrieval settings") from error
    catalog = FaqCatalog(settings.knowledge_dirs, {topic.id: topic.title for topic in TOPICS})
    app = create_app(catalog, KnowledgeAdvisor(settings), WidgetConfig(socket_url=socket_url))
    uvicorn.run(app, host=host, port=port, access_log=access_log, log_level="info")


if __name__ == "__main__":
    typer.run(main)
