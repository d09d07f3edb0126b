"""Reading a message in the context of the conversation: the plan form's answer first."""

from __future__ import annotations

import pytest
import yaml

from tests import REPO_ROOT
from understanding.dialogue_acts import Act, DialogueContext, MessageReader

READER = MessageReader()
FREE = DialogueContext()


def in_form(slot: str, **filled) -> DialogueContext:
    return DialogueContext(active_form="career_plan_form", requested_slot=slot, filled=filled)


@pytest.mark.parametrize(
    ("slot", "text", "value"),
    [("current_role", "registered nurse", "clinical"), ("current_role", "I work in patient registration", "back_office"),
     ("current_role", "charge nurse in the ICU", "clinical"), ("current_role", "pharmacy technician", "clinical"),
     ("current_role", "medical coder", "back_office"), ("current_role", "doula", "other"),
     ("education", "GED", "high_school"), ("education", "bachelors?", "bachelor"),
     ("years_experience", "a couple of years", 2.0), ("target_role", "CNO", "chief_nursing_officer"),
     ("study_hours", "10ish", 10.0)],
)  # fmt: skip
def test_while_the_form_asks_the_text_is_read_as_the_answer_first(slot, text, value):
    reading = READER.read(text, in_form(slot))
    assert reading.act is Act.ANSWER and reading.slots[slot] == value


@pytest.mark.parametrize(
    ("text", "act"),
    [("wait, what is CPHQ?", Act.QUESTION), ("is a GED enough?", Act.QUESTION),
     ("i'd like to know more about cphq first", Act.QUESTION), ("stop", Act.STOP),
     ("actually stop, i need to go", Act.STOP), ("hold up i have a call, stop", Act.STOP), ("bye", Act.STOP),
     ("why do you need that?", Act.WHY), ("what?", Act.WHY), ("skip", Act.SKIP), ("rather not say", Act.SKIP),
     ("start over", Act.RESTART), ("hi", Act.GREET), ("are you a bot?", Act.BOT_CHALLENGE),
     ("ok", Act.CONTINUE), ("asdf", Act.UNREADABLE)],
)  # fmt: skip
def test_only_text_that_is_not_an_answer_is_something_else(text, act):
    slot = "education" if act is Act.UNREADABLE else "current_role"
    assert READER.read(text, in_form(slot)).act is act


def test_an_impossible_answer_is_refused_with_its_reason():
    reading = READER.read("-3", in_form("years_experience"))
    assert reading.act is Act.REFUSED and "negative" in reading.problem


def test_a_change_to_an_earlier_answer_is_a_correction():
    reading = READER.read("actually I have an MBA", in_form("years_experience", education="bachelor"))
    assert reading.act is Act.CORRECTION and reading.slots == {"education": "master:MBA"}
    reading = READER.read("sorry I meant billing, not coding", in_form("education", current_role="clinical"))
    assert reading.act is Act.CORRECTION and reading.slots["department"] == "revenue_cycle"


@pytest.mark.parametrize(
    "text",
    ["plan please", "make me a career plan", "I'd like a plan to reach the executive level",
     "ok lets do the plan again", "can you map out a path for me", "help me plan my next move",
     "security guard here, high school only, want to be a supervisor. plan?"],
)  # fmt: skip
def test_every_reasonable_way_of_asking_for_a_plan_starts_one(text):
    assert READER.read(text, FREE).act is Act.PLAN_REQUEST


def test_a_plan_request_carries_what_it_says():
    reading = READER.read("I'm an RT with 10 yrs, can you plan out how I'd get to department manager", FREE)
    assert reading.slots["current_role"] == "clinical" and reading.slots["years_experience"] == 10.0


def test_after_stop_continue_resumes_and_yes_accepts_a_plan_offer():
    paused = DialogueContext(filled={"current_role": "back_office"})
    assert READER.read("can we continue", paused).act is Act.PLAN_REQUEST
    assert READER.read("yes please", DialogueContext(plan_offered=True)).act is Act.PLAN_REQUEST
    assert READER.read("yes please", FREE).act is Act.AFFIRM


@pytest.mark.parametrize(
    "text",
    ["can someone just give me the actual steps, like 1 2 3, to get from patient registration to a manager job?",
     "just list the steps pls", "where do i even start if i want to be a manager",
     "i work in plant ops and want to move up, can u help"],
)  # fmt: skip
def test_a_question_asking_for_the_general_steps_is_a_steps_question_not_a_plan(text):
    assert READER.read(text, FREE).act is Act.STEPS_QUESTION


@pytest.mark.parametrize(
    "text",
    ["what does a unit coordinator actually do?", "how much do hospital managers make?", "registered nurse",
     "thanks, what about FACHE?", "what are the upsides of moving into management", "tell me more",
     "I'm a cook in the hospital kitchen, been here 6 years and want to move up. Is my experience worth anything?"],
)  # fmt: skip
def test_questions_reach_the_knowledge_base_whatever_they_resemble(text):
    assert READER.read(text, FREE).act is Act.QUESTION


@pytest.mark.parametrize(
    ("text", "act"),
    [("hi", Act.GREET), ("thanks!", Act.THANK), ("ok thanks so much", Act.THANK), ("bye", Act.GOODBYE),
     ("are you a real person", Act.BOT_CHALLENGE), ("what can you do?", Act.HELP), ("nope", Act.DENY)],
)  # fmt: skip
def test_small_talk_only_when_the_message_is_just_that(text, act):
    assert READER.read(text, FREE).act is act


def test_words_rate_the_last_answer_only_when_there_is_one():
    answered = DialogueContext(answer_in_play=True)
    assert READER.read("that helped, thanks", answered).act is Act.RATE_HELPFUL
    assert READER.read("that's not what i asked", answered).act is Act.RATE_NOT_HELPFUL
    assert READER.read("that helped, thanks", FREE).act is not Act.RATE_HELPFUL
    assert READER.read("registered nurse", answered).act is Act.QUESTION


def test_plan_commands():
    with_plan = DialogueContext(has_plan=True)
    assert READER.read("explain step 3", with_plan).step == 3
    assert READER.read("show my plan", FREE).act is Act.SHOW_PLAN
    reading = READER.read("actually I have an MBA now", with_plan)
    assert reading.act is Act.UPDATE_PLAN and reading.slots["education"] == "master:MBA"


@pytest.mark.parametrize(
    "text",
    ["how long will this take?", "so how many years total?", "how long is the whole plan", "when can i apply?",
     "82 years?? is that right", "whats the timeline"],
)  # fmt: skip
def test_how_long_once_there_is_a_plan_asks_for_the_plans_own_estimate(text):
    assert READER.read(text, DialogueContext(has_plan=True)).act is Act.PLAN_TIMELINE
    assert READER.read(text, FREE).act is not Act.PLAN_TIMELINE


def test_the_reply_to_what_were_you_looking_for_is_a_comment():
    commenting = DialogueContext(active_form="rating_comment_form", requested_slot="rating_comment")
    assert READER.read("how much managers earn", commenting).act is Act.COMMENT
    assert READER.read("no", commenting).act is Act.SKIP


@pytest.mark.parametrize(
    ("text", "offered"),
    [("been pushing stretchers for 5 yrs and i feel like im going nowhere", True),
     ("hi im an RN and i want to become a nurse manager someday, can you help?", True),
     ("Is there a way for someone like me to end up running an ED?", True),
     ("do I really need a master's to become a manager?", False),
     ("how can i get leadership experience from a billing job", False)],
)  # fmt: skip
def test_talk_of_ones_own_next_move_is_answered_with_a_plan_offered(text, offered):
    reading = READER.read(text, FREE)
    assert reading.act is Act.QUESTION and reading.offer_plan is offered


def test_what_a_question_says_of_the_person_is_kept_but_a_question_says_nothing():
    said = READER.read("im at the front desk, high school diploma, 2 yrs. what jobs are even above me?", FREE)
    assert said.slots["department"] == "patient_access" and said.slots["education"] == "high_school"
    assert said.slots["years_experience"] == 2.0
    assert READER.read("do i need a bachelors to be a manager?", FREE).slots == {}


@pytest.mark.parametrize(
    "text",
    ["can I talk to someone?", "I want a human", "can a careers advisor call me?", "human please",
     "is there anyone i can ask about this", "could someone from the careers office email me",
     "I'd like a person from the careers office to look at my options"],
)  # fmt: skip
def test_asking_for_a_person_is_recognised_in_any_wording(text):
    assert READER.read(text, FREE).act is Act.ASK_PERSON


@pytest.mark.parametrize(
    "text",
    ["are you a human?", "are you a real person", "i need to talk to my manager about a raise",
     "what does an office manager do", "how do I get a job in the HR team"],
)  # fmt: skip
def test_questions_about_the_bot_or_about_people_at_work_are_not_requests_for_a_person(text):
    assert READER.read(text, FREE).act is not Act.ASK_PERSON


def in_handoff(slot: str) -> DialogueContext:
    return DialogueContext(active_form="handoff_form", requested_slot=slot)


@pytest.mark.parametrize(
    ("slot", "text", "act"),
    [("handoff_consent", "yes please", Act.AFFIRM), ("handoff_consent", "ok send it", Act.AFFIRM),
     ("handoff_consent", "no", Act.DENY), ("handoff_consent", "no, don't", Act.DENY),
     ("handoff_consent", "no i DO want it sent", Act.DENY),
     ("handoff_consent", "i'd rather not send it with her name in it, no", Act.DENY), ("handoff_consent", "hmm what would they see?", Act.WHY),
     ("handoff_consent", "and if there is an opening soon", Act.UNREADABLE),
     ("handoff_question", "does the hospital pay for the CPHQ exam?", Act.ANSWER),
     ("handoff_question", "never mind", Act.STOP),
     ("handoff_contact", "ext 4471 after 3pm", Act.ANSWER), ("handoff_contact", "no thanks", Act.SKIP),
     ("handoff_contact", "skip", Act.SKIP), ("handoff_contact", "jo@example.org", Act.ANSWER)],
)  # fmt: skip
def test_replies_in_the_handoff_form_are_read_for_its_question(slot, text, act):
    assert READER.read(text, in_handoff(slot)).act is act


def share_read_as_a_request(messages: list[str]) -> float:
    return sum(READER.read(text, FREE).act is Act.ASK_PERSON for text in messages) / len(messages)


@pytest.mark.parametrize(
    ("messages", "at_least", "at_most"),
    # dev: the patterns were written against it; held-out: never tuned on (30/40 and 2/30
    # the first time it was read; 25/40 and 0/30 once a bare "people", "team", "career" or
    # "mentor" no longer counted as a person and questions about who sees a request, found
    # in a chat test, were told apart).
    [("ask_person_dev.yml", 0.95, 0.0), ("ask_person_held_out.yml", 0.6, 0.05)],
)
def test_requests_for_a_person_written_as_staff_write_them(messages, at_least, at_most):
    written = yaml.safe_load((REPO_ROOT / "tests/messages" / messages).read_text())

    assert share_read_as_a_request(written["asks_for_a_person"]) >= at_least
    assert share_read_as_a_request(written["not_a_request"]) <= at_most


def test_no_message_of_the_other_sets_is_taken_for_a_request_for_a_person():
    """1,739 questions, form answers, small talk and follow-ups: "I'd like a career plan" or
    "i want to manage people" must never be hijacked into a hand-off."""

    def texts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from [value] if key == "text" and isinstance(value, str) else texts(value)
        elif isinstance(node, list):
            for value in node:
                yield from [value] if isinstance(value, str) else texts(value)

    for name in ("held_out.yml", "dev.yml", "calibration.yml"):
        messages = list(texts(yaml.safe_load((REPO_ROOT / "tests/messages" / name).read_text())))
        assert len(messages) > 500
        assert [text for text in messages if READER.read(text, FREE).act is Act.ASK_PERSON] == []


@pytest.mark.parametrize(
    "text",
    [
        "did my question go through?",
        "any answer yet from the office?",
        "is my request still pending",
        "whats the status of my request",
        "so was it sent or not",
    ],
)
def test_asking_about_a_request_is_read_as_such_only_once_there_is_one(text):
    assert READER.read(text, DialogueContext(has_request=True)).act is Act.REQUEST_STATUS
    assert READER.read(text, FREE).act is not Act.REQUEST_STATUS
