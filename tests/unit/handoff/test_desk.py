"""Filing and delivering requests: Slack's and the webhook's HTTP through httpx's mock
transport, e-mail through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import json
import threading
import time
from email import message_from_bytes

import httpx
import pytest
from aiosmtpd.controller import Controller
from tenacity import wait_none

from handoff.desk import OfficeDesk
from handoff.destinations import EmailDestination, SlackDestination, WebhookDestination
from handoff.settings import EmailSettings, SlackSettings
from handoff.store import DeliveryStatus
from serving.processes import free_port

TRANSCRIPT = [
    {"from": "person", "text": "my name is [name], is tuition paid?"},
    {"from": "bot", "text": "Sorry..."},
]


class Receiver:
    """Answers HTTP with the statuses queued (then 200), keeping each JSON body."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.bodies: list[dict] = []
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            status = self.statuses.pop(0) if self.statuses else 200
            if status == 200:
                self.bodies.append(json.loads(request.content))
        if request.url.path.endswith("chat.postMessage"):
            ok = status == 200
            return httpx.Response(
                200,
                json={"ok": ok, "ts": f"17000000{len(self.bodies)}.0001"}
                if ok
                else {"ok": False, "error": "ratelimited"},
            )
        return httpx.Response(status)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle))


def wait_until(condition, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def submit(desk: OfficeDesk, conversation: str = "conv-1", question: str = "Is tuition paid?", contact=None):
    return desk.submit(conversation, "rest", {}, question, TRANSCRIPT, contact)


def test_the_webhook_gets_the_documented_body(settings, store):
    hook = Receiver()
    desk = OfficeDesk(settings, store, [WebhookDestination("http://desk/hook", hook.client())])

    submission = submit(desk, contact="ext 4471")

    assert submission.delivered and not submission.filed.joined
    (body,) = hook.bodies
    assert body["type"] == "handoff.requested" and body["request_id"] == submission.filed.request.id
    assert (body["conversation_id"], body["channel"], body["question"], body["contact"]) == (
        "conv-1", "rest", "Is tuition paid?", "ext 4471",
    )  # fmt: skip
    assert body["transcript"] == TRANSCRIPT and body["office"] == "Career Development Office"
    assert [d.status for d in store.deliveries()] == [DeliveryStatus.SENT]


def test_a_destination_that_is_down_is_retried_until_it_is_back(settings, store):
    hook = Receiver(503, 503, 503, 502)  # both first tries, then two background ones fail
    desk = OfficeDesk(
        settings, store, [WebhookDestination("http://desk/hook", hook.client())], backoff=wait_none()
    )

    submission = submit(desk)

    assert not submission.delivered
    wait_until(lambda: store.deliveries(DeliveryStatus.SENT))
    (delivery,) = store.deliveries()
    assert delivery.attempts == 5 and delivery.last_error is None
    assert [body["question"] for body in hook.bodies] == ["Is tuition paid?"]


def test_deliveries_left_pending_by_a_stopped_server_are_resumed(settings, store):
    # Stored, then the server stopped before delivering: the row is all that is left.
    filed = store.file_question("conv-1", "rest", {}, "Is tuition paid?", TRANSCRIPT, None, ["webhook"])
    up = Receiver()
    restarted = OfficeDesk(settings, store, [WebhookDestination("http://desk/hook", up.client())])

    assert restarted.resume() == 1
    wait_until(lambda: store.deliveries(DeliveryStatus.SENT))
    assert [body["request_id"] for body in up.bodies] == [filed.request.id]
    assert restarted.resume() == 0


def test_slack_gets_one_message_per_request_and_later_questions_in_its_thread(settings, store):
    slack = Receiver()
    destination = SlackDestination(
        SlackSettings("C0OFFICE", "xoxb-test", "http://slack/api/"), slack.client()
    )
    desk = OfficeDesk(settings, store, [destination])

    first = submit(desk)
    second = submit(desk, question="And for part-time staff?")

    assert first.delivered and second.delivered and second.filed.joined
    top, threaded = slack.bodies
    assert top["channel"] == "C0OFFICE" and "thread_ts" not in top
    assert "Is tuition paid?" in top["text"] and "my name is [name]" in top["text"]
    assert "Reply in this thread" in top["text"]
    assert threaded["thread_ts"] == store.request(first.filed.request.id).office_thread
    assert "And for part-time staff?" in threaded["text"]


def test_a_joined_question_waits_for_its_requests_slack_message(settings, store):
    slack = Receiver(200)
    destination = SlackDestination(
        SlackSettings("C0OFFICE", "xoxb-test", "http://slack/api/"), slack.client()
    )
    request = store.file_question("conv-1", "rest", {}, "q1", [], None, [], now=1.0).request
    store.file_question("conv-1", "rest", {}, "q2", [], None, ["slack"], now=2.0)
    desk = OfficeDesk(settings, store, [destination], backoff=wait_none(), give_up_after_s=0.2)

    assert desk.resume() == 1
    wait_until(lambda: store.deliveries(DeliveryStatus.FAILED))
    assert "not in the channel yet" in store.deliveries()[0].last_error and not slack.bodies
    assert store.request(request.id).office_thread is None


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_email_goes_through_a_real_smtp_server(settings, store, smtp_server):
    controller, inbox = smtp_server
    email = EmailDestination(
        EmailSettings("careers@hospital.example", "advisor@hospital.example", "127.0.0.1", controller.port)
    )
    desk = OfficeDesk(settings, store, [email])

    submission = submit(desk, contact="jo@example.org")

    assert submission.delivered
    (raw,) = inbox.messages
    mail = message_from_bytes(raw)
    assert mail["To"] == "careers@hospital.example"
    assert submission.filed.request.id in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "Question: Is tuition paid?" in body and "jo@example.org" in body and "my name is [name]" in body


def test_an_smtp_server_that_is_down_leaves_the_request_pending(settings, store):
    email = EmailDestination(EmailSettings("careers@hospital.example", "advisor@x", "127.0.0.1", 9))
    desk = OfficeDesk(settings, store, [email], backoff=wait_none(), give_up_after_s=0)

    submission = submit(desk)

    assert not submission.delivered
    wait_until(lambda: store.deliveries(DeliveryStatus.FAILED))
    assert "SMTP 127.0.0.1:9" in store.deliveries()[0].last_error
