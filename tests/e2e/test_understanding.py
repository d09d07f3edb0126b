"""People as they actually write, end to end over REST: a dozen realistic conversations.

Each test is one conversation with the real Rasa and action servers; what the bot did is
read from its replies and from the conversation Rasa keeps (slots, answer records).
"""

from __future__ import annotations

import pytest

ROLE_Q = "What is your current role or department?"
EDUCATION_Q = "What is your highest education so far?"
YEARS_Q = "How many years have you worked in healthcare?"
TARGET_Q = "Which role are you aiming for?"
HOURS_Q = "How many hours a week can you give to study?"
PATHS = {"bo-key-takeaways", "hsm-six-step-path", "hm-from-clinical-roles"}


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons", [])]


def slots(bot, sender: str) -> dict:
    return bot.tracker(sender)["slots"]


def records(bot, sender: str, slot: str = "answer_record") -> list[dict]:
    """Every value the slot took, in order (the answer or rating records of the conversation)."""
    events = bot.tracker(sender)["events"]
    return [
        e["value"] for e in events if e.get("event") == "slot" and e.get("name") == slot and e.get("value")
    ]


def test_a_nurse_answers_the_form_in_her_own_words_and_asks_a_question_on_the_way(bot, sender):
    bot.say("can you make me a plan", sender)
    education = bot.say("registered nurse", sender)  # once read as a 👍 rating
    assert EDUCATION_Q in texts(education)
    assert slots(bot, sender)["current_role"] == "clinical" and slots(bot, sender)["department"] == "nursing"

    detour = bot.say("wait, what is CPHQ?", sender)  # answered once, then the form asks again
    assert records(bot, sender)[-1]["entry_id"] == "bo-cphq-quality-certification"
    assert texts(detour).rstrip().endswith(EDUCATION_Q) and slots(bot, sender)["education"] is None

    bot.say("BSN", sender)
    refused = bot.say("-3", sender)
    assert "negative" in texts(refused) and YEARS_Q in texts(refused)
    bot.say("since 2019", sender)
    bot.say("CNO", sender)
    plan = texts(bot.say("an hour a day", sender))

    kept = slots(bot, sender)
    assert (kept["education"], kept["years_experience"], kept["target_role"], kept["study_hours"]) == (
        "bachelor",
        7,
        "chief_nursing_officer",
        7.0,
    )
    assert "## Your plan: from registered nurse to chief nursing officer" in plan
    # What the hospital learns from use: one question asked, no form answer taken for a
    # question or a rating.
    assert [record["entry_id"] for record in records(bot, sender)] == ["bo-cphq-quality-certification"]
    assert records(bot, sender, "answer_rating") == []


def test_a_registration_clerk_is_not_greeted_and_a_pharmacy_tech_keeps_the_form(bot, sender):
    bot.say("make me a career plan", sender)
    assert EDUCATION_Q in texts(bot.say("I work in patient registration", sender))
    assert slots(bot, sender)["department"] == "patient_access"

    other = f"{sender}-2"
    bot.say("plan please", other)
    assert EDUCATION_Q in texts(bot.say("pharmacy technician", other))
    assert bot.tracker(other)["active_loop"]["name"] == "career_plan_form"


def test_the_form_never_loops_two_unreadable_answers_offer_skip(bot, sender):
    bot.say("make me a career plan", sender)
    bot.say("billing", sender)
    bot.say("bachelor's", sender)
    first = bot.say("quite a while", sender)
    second = bot.say("hard to say really", sender)

    assert "/skip_question" not in payloads(first) and "/skip_question" in payloads(second)
    assert TARGET_Q in texts(bot.say("skip", sender))


def test_after_stop_asking_again_resumes_with_the_kept_answers_and_offers_to_start_over(bot, sender):
    bot.say("I'd like a plan to reach the executive level", sender)
    assert slots(bot, sender)["target_role"] == "c_suite"
    bot.say("medical coder", sender)
    bot.say("associate's in HIT", sender)
    assert "stopped" in texts(bot.say("actually stop, i need to go", sender))

    resumed = texts(bot.say("ok lets do the plan again", sender))
    assert "kept your answers" in resumed and "medical coder" in resumed and "start over" in resumed
    assert YEARS_Q in resumed and ROLE_Q not in resumed

    again = texts(bot.say("start over", sender))
    assert ROLE_Q in again and slots(bot, sender)["current_role"] is None


def test_a_question_for_the_general_steps_gets_the_steps_and_an_offer_not_the_form(bot, sender):
    message = (
        "can someone just give me the actual steps, like 1 2 3, to get from patient registration "
        "to a manager job?"
    )
    replies = bot.say(message, sender)

    assert records(bot, sender)[-1]["entry_id"] in PATHS
    assert "/request_plan" in payloads(replies)
    assert bot.tracker(sender)["active_loop"].get("name") is None

    accepted = texts(bot.say("yes please", sender))  # the form asks only what the question did not say
    assert ROLE_Q not in accepted and EDUCATION_Q in accepted
    assert slots(bot, sender)["department"] == "patient_access"


def test_follow_ups_are_answered_about_the_entry_in_play(bot, sender):
    bot.say("what is FACHE?", sender)
    bot.say("how do I get it?", sender)
    bot.say("tell me more", sender)

    first, follow_up, more = (record["entry_id"] for record in records(bot, sender)[-3:])
    assert first == "hsm-fache"
    assert follow_up in {"hsm-fache", "hsm-certifications"}
    assert more != first and more is not None


def test_what_a_unit_coordinator_does_after_first_roles_is_answered_not_a_plan_action(bot, sender):
    bot.say("what management jobs should i go for first?", sender)
    replies = texts(bot.say("what does a unit coordinator actually do?", sender))

    assert "don't have a plan yet" not in replies
    assert records(bot, sender)[-1]["entry_id"] in {"bo-entry-level-role-duties", "bo-faq-first-roles"}


def test_pay_is_answered_honestly_with_where_to_look(bot, sender):
    replies = texts(bot.say("how much do hospital managers make?", sender))

    assert records(bot, sender)[-1]["entry_id"] == "hm-pay"
    assert "Bureau of Labor Statistics" in replies or "BLS" in replies
    assert "$" not in replies


@pytest.mark.parametrize(
    ("question", "referral"),
    [("what's the deadline to apply for the MHA at state u?", "ref-programme-details"),
     ("how much do healthcare managers make in Houston?", "ref-local-pay"),
     ("would the RHIA help me?", "ref-other-credentials")],
)  # fmt: skip
def test_what_the_guides_leave_open_is_said_and_pointed_elsewhere(bot, sender, question, referral):
    replies = texts(bot.say(question, sender))

    record = records(bot, sender)[-1]
    assert (record["outcome"], record["entry_id"]) == ("referred", referral)
    assert "_Source:" not in replies


def test_a_long_message_is_answered_about_its_question_not_a_side_remark(bot, sender):
    message = (
        "I do patient transport at a big hospital and see so much that's broken, and honestly I think I'd be "
        "good at networking with the managers. Is there an actual path from where I am to being one of the "
        "people who fixes it?"
    )
    bot.say(message, sender)

    entry = records(bot, sender)[-1]["entry_id"]
    assert entry not in {"bo-faq-networking", "bo-step-05-professional-network", "hsm-networking-ache"}


def test_only_real_ratings_count_and_small_talk_still_works(bot, sender):
    assert "Hello" in texts(bot.say("hi there", sender))
    bot.say("do i need a masters to be a manager", sender)
    bot.say("that helped, thanks", sender)
    bot.say("registered nurse", sender)  # a stray job title is a question, never a rating

    [rating] = records(bot, sender, "answer_rating")
    assert rating["rating"] == "helpful" and rating["answer_id"] == records(bot, sender)[0]["id"]
