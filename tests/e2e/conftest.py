from __future__ import annotations

import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, sync_playwright

from retrieval.encoders import SentenceTransformerEncoder
from retrieval.knowledge_index import EMBEDDING_CACHE_FILE
from retrieval.settings import load_settings
from serving import REPO_ROOT
from serving.bot_servers import BotServers, IntranetSite
from serving.processes import ACTIONS_PYTHON, MODEL, free_port, server_env, wait_for
from serving.services import Postgres, Redis
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, BrowsedPage
from tests.e2e.fake_slack import OFFICE_CHANNEL, FakeSlackApi, SlackEvents
from tests.e2e.office_desk import OfficeInbox, WebhookReceiver

SLACK_TOKEN = "xoxb-e2e-test-token"
SLACK_SECRET = "e2e-signing-secret"
# The action server signs printable plan links with it and the intranet site opens them.
PLAN_LINK_SECRET = "e2e-plan-link-secret"


# `make test-e2e` runs this tier on pytest-xdist workers (--dist loadgroup), and each
# worker builds its own session and module fixtures. A test using one of these runs on the
# worker that holds the rest of its group: an outage or a misconfigured start is one event
# that several tests check, and the others are costly to build twice (the bot on PostgreSQL
# and Redis, the cluster, the embedding model, the conversations the report tests read).
ONE_WORKER_FIXTURES = (
    "action_server_outage",
    "action_server_misconfigured",
    "bot_on_postgres",
    "cluster",
    "encoder",
    "rated_conversations",
)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # A fixture a parameter names (taken with request.getfixturevalue) counts as used.
        parameters = item.callspec.params.values() if hasattr(item, "callspec") else ()
        used = [*item.fixturenames, *(value for value in parameters if isinstance(value, str))]
        shared = next((name for name in ONE_WORKER_FIXTURES if name in used), None)
        if shared:
            item.add_marker(pytest.mark.xdist_group(shared))


@pytest.fixture(scope="session")
def knowledge_config(tmp_path_factory) -> Path:
    """Retrieval settings for the test servers: the repo's knowledge, but an index and an
    ingested folder of their own, so tests can ingest and rebuild without touching var/."""
    workdir = tmp_path_factory.mktemp("knowledge")
    settings = yaml.safe_load((REPO_ROOT / "retrieval.yml").read_text())
    settings.update(
        knowledge_dirs=[str(REPO_ROOT / "knowledge"), str(workdir / "ingested")],
        ingested_dir=str(workdir / "ingested"),
        index_dir=str(workdir / "index"),
        human_contact="the Career Development Office, extension 4321",
    )
    config = workdir / "retrieval.yml"
    config.write_text(yaml.safe_dump(settings))
    seed_embedding_cache(workdir / "index")
    retrieval_cli(config, "build")
    return config


@pytest.fixture(scope="session")
def encoder(knowledge_config) -> SentenceTransformerEncoder:
    """The knowledge base's own model, loaded once for the tests that encode in this process."""
    return SentenceTransformerEncoder(load_settings(knowledge_config).embedding_model)


def seed_embedding_cache(index_dir: Path) -> None:
    """`make test` has just built var/index with the real model: its vectors spare a test
    index encoding the knowledge base again, as an installation's own index would (the build
    still runs, and encodes whatever is new)."""
    repo_cache = REPO_ROOT / "var/index" / EMBEDDING_CACHE_FILE
    if repo_cache.exists():
        index_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(repo_cache, index_dir / EMBEDDING_CACHE_FILE)


def retrieval_cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m retrieval ...` against the given settings file; fails the test on error."""
    result = subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "retrieval", *args],
        env=server_env({"ADVISOR_RETRIEVAL_CONFIG": str(config)}), cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def site_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def other_intranet_port() -> int:
    """A second web origin: a hospital's own intranet page carrying the snippet in docs/channels.md."""
    return free_port()


@pytest.fixture(scope="session")
def office_inbox() -> Iterator[OfficeInbox]:
    """The office's mailbox: a real SMTP server on loopback (aiosmtpd)."""
    inbox = OfficeInbox().start()
    yield inbox
    inbox.stop()


@pytest.fixture(scope="session")
def office_webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def bot(
    tmp_path_factory,
    knowledge_config,
    fake_slack,
    site_port,
    other_intranet_port,
    office_inbox,
    office_webhook,
) -> Iterator[BotServers]:
    """The Rasa and action servers, with Slack on (talking to the fake Slack API), printable
    plan links to the test site, CORS open to the two test web origins on loopback only, and
    requests for a person going to the office (its Slack channel, inbox and webhook)."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it for you)")
    workdir = tmp_path_factory.mktemp("servers")
    slack = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": fake_slack.url}
    handoff = {
        "HANDOFF_STORE_URL": f"sqlite:///{workdir / 'handoff.db'}",
        "HANDOFF_SLACK_CHANNEL": OFFICE_CHANNEL,
        "HANDOFF_EMAIL_TO": "careers@hospital.example",
        "HANDOFF_EMAIL_FROM": "career-advisor@hospital.example",
        "HANDOFF_SMTP_HOST": "127.0.0.1",
        "HANDOFF_SMTP_PORT": str(office_inbox.port),
        "HANDOFF_WEBHOOK_URL": office_webhook.url,
        "HANDOFF_OFFICE_HOURS": "Mon-Fri 09:00-17:00",
    }
    servers = BotServers(
        workdir,
        action_env={
            "ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config),
            "ADVISOR_SITE_URL": f"http://127.0.0.1:{site_port}",
            "ADVISOR_PLAN_LINK_SECRET": PLAN_LINK_SECRET,
            **slack,
            **handoff,
        },
        rasa_env={"SLACK_SIGNING_SECRET": SLACK_SECRET, **slack, **handoff},
        cors_origins=[f"http://127.0.0.1:{port}" for port in (site_port, other_intranet_port)],
    )
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def action_server_outage(bot, office_webhook) -> dict:
    """One outage of the shared bot's action server (SIGKILL, as a crash or the kernel's OOM
    killer would), lived through by four people: `mid` was answered just before it, `new`
    arrives during it, `private` says something personal during it, and `waiting` asked for
    a person just before it, while the office's webhook was down, so the request was still
    undelivered when the server died (the webhook is back before the server is). Their
    replies before, during and after, and what Rasa logged during it. One outage instead of
    one per test: each restart costs the action server's model load."""
    stamp = uuid.uuid4().hex[:8]
    senders = {who: f"outage-{who}-{stamp}" for who in ("mid", "new", "private", "waiting")}
    said = {
        "mid": ["what skills does a healthcare manager need?", "which certifications should I get?", "hi"],
        "new": ["what skills does a healthcare manager need?", "hi"],
        "private": ["my manager Dana Whitfield is leaving in March"],
    }
    replies = {"mid before": bot.say(said["mid"][0], senders["mid"])}
    refused_before = office_webhook.refused
    office_webhook.down.set()
    try:
        asked = bot.say(
            "I'd like a careers advisor to call me about moving from billing into revenue cycle management",
            senders["waiting"],
        )
        consented = bot.say(button_payload(asked, "Yes, send it"), senders["waiting"])
        replies["waiting before"] = bot.say(button_payload(consented, "Skip"), senders["waiting"])
        wait_for(lambda: office_webhook.refused >= refused_before + 2, "refused webhook calls")
        log = bot.workdir / "rasa.log"
        logged_before = len(log.read_text())
        bot.kill_actions()
    finally:
        office_webhook.down.clear()
    try:
        replies["mid during"] = bot.say(said["mid"][1], senders["mid"])
        replies["mid small talk"] = bot.say(said["mid"][2], senders["mid"])
        replies["new during"] = bot.say(said["new"][0], senders["new"])
        replies["new small talk"] = bot.say(said["new"][1], senders["new"])
        replies["private during"] = bot.say(said["private"][0], senders["private"])
    finally:
        bot.start_actions()
    logged = log.read_text()[logged_before:]
    replies["mid after"] = bot.say(said["mid"][1], senders["mid"])
    replies["new after"] = bot.say(said["new"][0], senders["new"])
    return {"senders": senders, "said": said, "replies": replies, "logged": logged}


def button_payload(replies: list[dict], title: str) -> str:
    """The payload of the button titled `title` on the bot's last message."""
    return next(button["payload"] for button in replies[-1].get("buttons", []) if button["title"] == title)


@pytest.fixture(scope="session")
def action_server_misconfigured(bot, knowledge_config, tmp_path_factory) -> dict:
    """The shared bot's action server started once with two settings changed, as a botched
    deployment might leave it: its index folder missing and LOG_LEVEL=DEBUG. Two people ask
    a question meanwhile; `private`'s holds a name, an e-mail address and a phone number.
    Then it is started again as it was. Their replies, and what the action server logged
    during that start. (One restart serves the missing-index and the debug-logging tests.)"""
    workdir = tmp_path_factory.mktemp("misconfigured")
    broken = workdir / "retrieval.yml"
    broken.write_text(
        knowledge_config.read_text().replace(
            str(knowledge_config.parent / "index"), str(workdir / "no-index")
        )
    )
    stamp = uuid.uuid4().hex[:8]
    senders = {"asks": f"no-index-{stamp}", "private": f"debug-{stamp}"}
    private = f"I am Jane Roe {stamp} jane.roe@example.org 555-0142, what certifications should I get?"
    question = "what certifications should a healthcare manager get?"
    action_log = bot.workdir / "actions.log"
    logged_before = len(action_log.read_text())
    bot.stop_actions()
    try:
        bot.start_actions({**bot.action_env, "ADVISOR_RETRIEVAL_CONFIG": str(broken), "LOG_LEVEL": "DEBUG"})
        replies = {"asks during": bot.say(question, senders["asks"])}
        bot.say(private, senders["private"])
        time.sleep(0.5)  # the action server's last log lines
    finally:
        bot.stop_actions()
        bot.start_actions()
    logged = action_log.read_text()[logged_before:]
    replies["asks after"] = bot.say(question, senders["asks"])
    return {"senders": senders, "private": private, "replies": replies, "logged": logged}


@pytest.fixture(scope="session")
def site(tmp_path_factory, bot, knowledge_config, site_port) -> Iterator[IntranetSite]:
    """The intranet site, searching the test index and pointing its widget at the test Rasa server."""
    intranet = IntranetSite(
        tmp_path_factory.mktemp("site"),
        socket_url=bot.rasa_url,
        env={"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config), "ADVISOR_PLAN_LINK_SECRET": PLAN_LINK_SECRET},
        port=site_port,
    )
    try:
        intranet.start()
        yield intranet
    finally:
        intranet.stop()


@pytest.fixture(scope="session")
def slack(bot) -> SlackEvents:
    return SlackEvents(f"{bot.rasa_url}/webhooks/slack/webhook", SLACK_SECRET)


@pytest.fixture
def sender() -> str:
    """A fresh conversation for each test."""
    return f"e2e-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def is_bot_response() -> Callable[[str], bool]:
    """Tells whether a text is the bot's own: a domain response with any {slot} filled in,
    or an answer from the knowledge base, which always ends with its source."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    patterns = [
        re.compile(".+".join(map(re.escape, re.split(r"\{\w+\}", variant["text"]))), re.DOTALL)
        for variants in domain["responses"].values()
        for variant in variants
    ]
    knowledge_answer = re.compile(r".+\n\n_Source: .+ — .+_", re.DOTALL)
    return lambda text: (
        bool(knowledge_answer.fullmatch(text or ""))
        or any(pattern.fullmatch(text or "") for pattern in patterns)
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run `make setup` (installs Debian's chromium) or set CHROMIUM_PATH"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browsed(browser, request) -> Iterator[BrowsedPage]:
    """A fresh browser profile (empty local storage) per test; its last screen goes to results/screenshots."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = BrowsedPage(context.new_page(), request.node.name)
    page.watch()
    try:
        yield page
    finally:
        page.screenshot("last")
        context.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A real PostgreSQL server on loopback (Debian's package), its data in a temporary folder."""
    server = Postgres().start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    server = Redis().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bot_on_postgres(tmp_path_factory, knowledge_config, postgres, redis) -> Iterator[BotServers]:
    """A second bot, as a hospital running several servers sets it up: conversations in
    PostgreSQL, locks in Redis. Shared by the fault, persistence and report tests."""
    servers = BotServers(
        tmp_path_factory.mktemp("postgres-bot"),
        action_env={"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)},
        rasa_env={"TRACKER_STORE_URL": postgres.url, "LOCK_STORE_URL": redis.url},
    )
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()
