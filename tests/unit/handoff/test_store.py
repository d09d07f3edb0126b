from handoff.store import DeliveryStatus, MessageKind

TRANSCRIPT = [{"from": "person", "text": "hi, I'm [name]"}, {"from": "bot", "text": "Hello!"}]


def test_a_second_question_joins_the_conversations_first_request(store):
    first = store.file_question(
        "conv-1", "rest", {}, "Is tuition paid?", TRANSCRIPT, None, ["webhook"], now=100.0
    )
    second = store.file_question(
        "conv-1", "rest", {}, "And for part-time staff?", TRANSCRIPT * 2, "ext 4471", ["webhook"], now=200.0
    )
    other = store.file_question(
        "conv-2", "rest", {}, "Who runs the office?", [], None, ["webhook"], now=300.0
    )

    assert not first.joined and second.joined and not other.joined
    assert second.request.id == first.request.id != other.request.id
    assert [m.text for m in store.messages(first.request.id)] == [
        "Is tuition paid?",
        "And for part-time staff?",
    ]
    assert second.request.contact == "ext 4471" and len(second.request.transcript) == 4
    assert [d.status for d in store.deliveries()] == [DeliveryStatus.PENDING] * 3


def test_replies_wait_until_delivered_and_are_counted_with_their_time_to_answer(store):
    answered = store.file_question("conv-1", "rest", {}, "q1", [], None, [], now=0.0).request
    store.file_question("conv-2", "rest", {}, "q2", [], None, [], now=0.0)
    store.set_office_thread(answered.id, "1700000000.000100")

    reply = store.add_reply(answered.id, "Yes, up to $5,000 a year.", "U0OFFICER", now=2 * 3600.0)
    store.add_reply(answered.id, "See HR for the form.", "U0OFFICER", now=3 * 3600.0)

    assert store.request_by_office_thread("1700000000.000100").id == answered.id
    assert [r.text for r in store.undelivered_replies("conv-1")] == [
        "Yes, up to $5,000 a year.",
        "See HR for the form.",
    ]
    store.reply_delivered(reply.id)
    assert [r.kind for r in store.undelivered_replies("conv-1")] == [MessageKind.REPLY]
    counts = store.counts()
    assert (counts.requests, counts.answered, counts.hours_to_answer) == (2, 1, [2.0])
    assert store.counts(since=1.0).requests == 0


def test_the_office_thread_is_set_once(store):
    request = store.file_question("conv-1", "slack", {"channel": "D1"}, "q", [], None, ["slack"]).request

    store.set_office_thread(request.id, "1.0")
    store.set_office_thread(request.id, "2.0")

    assert store.request(request.id).office_thread == "1.0"


def test_counting_a_missing_sqlite_file_finds_nothing_and_creates_nothing(tmp_path):
    from handoff.store import counts_in

    missing = tmp_path / "var/data/handoff.db"

    assert counts_in(f"sqlite:///{missing}").requests == 0
    assert not missing.exists() and not missing.parent.exists()
