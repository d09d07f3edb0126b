from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answer_question import ActionAnswerQuestion
from actions.career_topics import TOPICS, topic_for_intent
from learning_from_use.answer_records import ANSWER_RECORD_SLOT, AnswerRecord, Outcome, Via
from retrieval.answers import Band, Reply, Suggestion
from retrieval.chunking import Passage
from retrieval.knowledge_entries import Source
from retrieval.knowledge_index import StaleIndexError

PASSAGE = Passage(
    id="bo-faq-networking",
    entry_id="bo-faq-networking",
    title="Why networking matters",
    topic="networking",
    text="Networking is essential.",
    questions=("why network?",),
    sources=(Source(guide="Guide", section="FAQ"),),
)


class FakeAdvisor:
    """Stands in for KnowledgeAdvisor: records what it was asked, returns a set reply."""

    def __init__(self, reply: Reply | None = None, error: Exception | None = None) -> None:
        self.reply, self.error, self.asked = reply, error, []
        self.settings = type("Settings", (), {"human_contact": "the career office"})()

    def answer(self, question: str, previous=None) -> Reply:
        self.asked.append(question)
        if self.error:
            raise self.error
        return self.reply

    def answer_passage(self, passage_id: str) -> Reply | None:
        self.asked.append(("passage", passage_id))
        return self.reply


CONFIDENT = Reply(
    Band.CONFIDENT,
    0.9,
    "Networking is essential.\n\n_Source: Guide — FAQ_",
    PASSAGE,
    [Suggestion("hsm-networking-ache", "What is ACHE?")],
)
UNSURE = Reply(
    Band.UNSURE, 0.58, suggestions=[Suggestion("a", "Question A?"), Suggestion("b", "Question B?")]
)
NO_MATCH = Reply(Band.NO_MATCH, 0.2)


def run(advisor, dispatcher, tracker, domain):
    return ActionAnswerQuestion(advisor).run(dispatcher, tracker, domain)


def split_record(events: list) -> tuple[list, AnswerRecord]:
    """The events besides the answer record, and the record (every answer leaves one)."""
    [record] = [e for e in events if e.get("name") == ANSWER_RECORD_SLOT]
    return [e for e in events if e is not record], AnswerRecord.from_slot(record["value"])


def test_a_confident_answer_carries_its_text_source_and_follow_up_buttons(dispatcher, tracker_for, domain):
    advisor = FakeAdvisor(CONFIDENT)

    events = run(advisor, dispatcher, tracker_for("ask_networking", "why should I network?"), domain)

    [message] = dispatcher.messages
    assert advisor.asked == ["why should I network?"]
    assert message["text"].endswith("_Source: Guide — FAQ_")
    follow_up, *rating = message["buttons"]
    ache = '/ask_question{"entry_id": "hsm-networking-ache"}'
    assert follow_up == {"title": "What is ACHE?", "payload": ache}
    events, record = split_record(events)
    assert events == [SlotSet("last_topic", "networking")]
    assert (record.question, record.outcome, record.via, record.score) == (
        "why should I network?", Outcome.CONFIDENT, Via.TYPED, 0.9,
    )  # fmt: skip
    assert (record.entry_id, record.passage_id, record.topic) == ("bo-faq-networking",) * 2 + ("networking",)
    assert [(b["title"], b["payload"]) for b in rating] == [
        ("👍 Helpful", f'/rate_helpful{{"answer_id": "{record.id}"}}'),
        ("👎 Not helpful", f'/rate_not_helpful{{"answer_id": "{record.id}"}}'),
    ]


def test_when_unsure_it_offers_the_candidates_and_none_of_these(dispatcher, tracker_for, domain):
    events = run(FakeAdvisor(UNSURE), dispatcher, tracker_for("nlu_fallback", "certs?"), domain)

    [message] = dispatcher.messages
    assert message["response"] == "utter_did_you_mean"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("Question A?", '/ask_question{"entry_id": "a"}'),
        ("Question B?", '/ask_question{"entry_id": "b"}'),
        ("None of these", "/none_of_these"),
    ]
    events, record = split_record(events)
    assert events == [SlotSet("last_topic", None)]
    assert (record.question, record.outcome, record.suggestions) == ("certs?", Outcome.UNSURE, ["a", "b"])


@pytest.mark.parametrize("intent", ["nlu_fallback", "none_of_these"])
def test_no_match_or_none_of_these_declines_with_the_contact_and_the_menu(
    dispatcher, tracker_for, domain, intent
):
    events = run(FakeAdvisor(NO_MATCH), dispatcher, tracker_for(intent, "how do I bake bread"), domain)

    assert [(m["response"], m.get("contact")) for m in dispatcher.messages] == [
        ("utter_no_answer", "the career office"),
        ("utter_help", None),
    ]
    events, record = split_record(events)
    assert events == [SlotSet("last_topic", None)]
    assert (record.question, record.outcome) == ("how do I bake bread", Outcome.DECLINED)


def test_a_declined_question_is_recorded_with_names_emails_and_phone_numbers_masked(
    dispatcher, tracker_for, domain
):
    typed = "I'm Maria Lopez (maria@example.org, 617-555-0199): can you get me a parking permit?"

    events = run(FakeAdvisor(NO_MATCH), dispatcher, tracker_for("out_of_scope", typed), domain)

    _, record = split_record(events)
    assert record.question == "I'm [name] ([email], [phone]): can you get me a parking permit?"


def test_none_of_these_records_the_question_first_typed_as_declined(dispatcher, tracker_for, domain):
    unsure = AnswerRecord("cphq worth it?", Outcome.UNSURE, Via.TYPED, 0.58, suggestions=["a", "b"])
    tracker = tracker_for("none_of_these", "/none_of_these", slots={ANSWER_RECORD_SLOT: unsure.as_slot()})

    _, record = split_record(run(FakeAdvisor(), dispatcher, tracker, domain))

    assert (record.question, record.outcome, record.via, record.score) == (
        "cphq worth it?", Outcome.DECLINED, Via.NONE_OF_THESE, 0.58,
    )  # fmt: skip


def test_picking_a_did_you_mean_suggestion_records_the_typed_words_against_the_entry(
    dispatcher, tracker_for, domain
):
    unsure = AnswerRecord(
        "networking worth it?", Outcome.UNSURE, Via.TYPED, 0.58, suggestions=["bo-faq-networking"]
    )
    tracker = tracker_for("ask_question", "/ask_question", slots={ANSWER_RECORD_SLOT: unsure.as_slot()})
    tracker.latest_message["entities"] = [{"entity": "entry_id", "value": "bo-faq-networking"}]

    _, record = split_record(run(FakeAdvisor(CONFIDENT), dispatcher, tracker, domain))

    assert (record.question, record.via, record.entry_id, record.score) == (
        "networking worth it?", Via.SUGGESTION, "bo-faq-networking", 0.58,
    )  # fmt: skip


def test_inside_the_plan_form_an_answer_comes_without_the_rating_question(dispatcher, tracker_for, domain):
    tracker = tracker_for("ask_networking", "why network?")
    tracker.active_loop = {"name": "career_plan_form"}

    run(FakeAdvisor(CONFIDENT), dispatcher, tracker, domain)

    [message] = dispatcher.messages
    assert [b["payload"] for b in message["buttons"]] == ['/ask_question{"entry_id": "hsm-networking-ache"}']


def test_a_button_with_an_entry_id_answers_that_passage(dispatcher, tracker_for, domain):
    advisor = FakeAdvisor(CONFIDENT)
    tracker = tracker_for("ask_question", '/ask_question{"entry_id": "bo-faq-networking"}')
    tracker.latest_message["entities"] = [{"entity": "entry_id", "value": "bo-faq-networking"}]

    run(advisor, dispatcher, tracker, domain)

    assert advisor.asked == [("passage", "bo-faq-networking")]
    assert dispatcher.messages[0]["text"].startswith("Networking is essential.")


def test_a_button_for_an_entry_no_longer_indexed_says_so(dispatcher, tracker_for, domain):
    tracker = tracker_for("ask_question", "/ask_question")
    tracker.latest_message["entities"] = [{"entity": "entry_id", "value": "gone"}]

    run(FakeAdvisor(None), dispatcher, tracker, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_entry_gone", "utter_help"]


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.id)
def test_a_menu_button_asks_the_knowledge_base_the_topics_question(topic, dispatcher, tracker_for, domain):
    advisor = FakeAdvisor(CONFIDENT)

    run(advisor, dispatcher, tracker_for(topic.intent, f"/{topic.intent}"), domain)

    assert advisor.asked == [topic.question]


def test_an_unavailable_index_is_explained_not_hidden(dispatcher, tracker_for, domain):
    error = StaleIndexError("the knowledge index is out of date; run `make index` to rebuild it")

    events = run(FakeAdvisor(error=error), dispatcher, tracker_for("ask_skills", "skills?"), domain)

    [message] = dispatcher.messages
    assert message["response"] == "utter_knowledge_unavailable"
    assert "run `make index`" in message["reason"]
    assert events == [SlotSet("last_topic", None)]


@pytest.mark.parametrize("text", ["", "   ", "😀🎉", "?!"])
def test_a_message_without_words_gets_the_rephrase_prompt(text, dispatcher, tracker_for, domain):
    advisor = FakeAdvisor(CONFIDENT)

    events = run(advisor, dispatcher, tracker_for("nlu_fallback", text), domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_please_rephrase"]
    assert advisor.asked == []
    # An event even here: the Rasa side reads "no events" as an unreachable action server.
    assert events == [SlotSet("last_topic", None)]


def test_every_response_the_action_uses_is_in_the_domain(domain):
    used = {
        "utter_did_you_mean",
        "utter_no_answer",
        "utter_help",
        "utter_knowledge_unavailable",
        "utter_entry_gone",
        "utter_please_rephrase",
    }

    assert used <= domain["responses"].keys()
    assert ActionAnswerQuestion(FakeAdvisor()).name() in domain["actions"]
    assert "entry_id" in domain["entities"] and "none_of_these" in domain["intents"]


def test_every_topic_intent_is_in_the_domain_and_menu_topics_in_the_help_menu(domain):
    menu_payloads = [button["payload"] for button in domain["responses"]["utter_help"][0]["buttons"]]

    assert [f"/{topic.intent}" for topic in TOPICS if topic.in_menu] == menu_payloads
    assert {topic.intent for topic in TOPICS} <= set(domain["intents"])


def test_topic_lookup_knows_only_topic_intents():
    assert topic_for_intent("ask_networking").id == "networking"
    assert topic_for_intent("greet") is None
    assert topic_for_intent(None) is None
