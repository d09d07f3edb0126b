"""The career plan form and its plan, over REST with the real servers."""

from __future__ import annotations

import re

import requests

EDUCATION_Q = "What is your highest education so far?"
ROLE_Q = "What is your current role or department?"
YEARS_Q = "How many years have you worked in healthcare?"
TARGET_Q = "Which role are you aiming for?"
HOURS_Q = "How many hours a week can you give to study?"


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def button(replies: list[dict], title: str) -> str:
    return next(b["payload"] for reply in replies for b in reply.get("buttons", []) if b["title"] == title)


def test_the_happy_path_asks_one_thing_at_a_time_and_builds_a_grounded_plan(bot, sender):
    opening = bot.say("make me a career plan", sender)
    assert ROLE_Q in texts(opening)

    education = bot.say("billing", sender)
    assert texts(education).startswith(EDUCATION_Q)
    years = bot.say(button(education, "Bachelor's"), sender)
    assert YEARS_Q in texts(years)
    target = bot.say("3", sender)
    assert TARGET_Q in texts(target)
    hours = bot.say(button(target, "Department director"), sender)
    assert HOURS_Q in texts(hours)
    plan = bot.say(button(hours, "4 to 9 hours"), sender)

    text = texts(plan)
    assert "## Your plan: from billing to department director" in text
    assert re.search(
        r"\*\*About [\d.]+ years?, studying about 9 hours a week while in a degree and 6 otherwise\*\*", text
    )
    assert "\n### Now\n" in text
    assert "FACHE" in text and "HFMA" in text and "_(see: " in text and "   _Why: " in text
    assert "Complete a bachelor's" not in text


def test_what_the_opening_message_says_is_not_asked_again(bot, sender):
    # Where to start is a question: the steps come first, with an offer of a plan of one's own.
    steps = bot.say("I work in billing and want to become a manager, where do I start?", sender)
    assert "_Source: " in texts(steps) and ROLE_Q not in texts(steps)
    first = bot.say(button(steps, "Make my own plan"), sender)
    assert EDUCATION_Q in texts(first) and ROLE_Q not in texts(first)

    second = bot.say("high school", sender)
    third = bot.say("2", sender)
    plan = bot.say("about 3 hours", sender)

    assert YEARS_Q in texts(second)
    assert HOURS_Q in texts(third) and TARGET_Q not in texts(third)
    assert "to department manager" in texts(plan)
    assert "Complete a bachelor's" in texts(plan) and "at 3 hours a week" in texts(plan)


def test_a_garbled_answer_is_reprompted_and_skip_is_offered_after_two(bot, sender):
    bot.say("I'm a nurse with a BSN and want to become a director, make me a plan", sender)

    first = bot.say("quite a while", sender)
    second = bot.say("forever", sender)

    assert "Please give the years as a number, for example 3" in texts(first)
    assert YEARS_Q in texts(first)
    skip = button(second, "Skip this question")
    after_skip = bot.say(skip, sender)
    assert HOURS_Q in texts(after_skip)


def test_a_question_mid_form_is_answered_and_the_form_resumes(bot, sender):
    bot.say("make me a career plan", sender)
    bot.say("nursing", sender)

    replies = bot.say("which certifications should a healthcare manager get?", sender)

    assert "_Source: " in replies[0]["text"] and "Certified Medical Manager" in replies[0]["text"]
    assert replies[-1]["text"].startswith(EDUCATION_Q)


def test_why_is_explained_and_the_question_asked_again(bot, sender):
    bot.say("make me a career plan", sender)
    bot.say("lab technician", sender)

    replies = bot.say("why do you ask?", sender)

    assert "Most management posts ask for a bachelor's" in replies[0]["text"]
    assert replies[-1]["text"].startswith(EDUCATION_Q)


def test_stop_leaves_the_form_cleanly(bot, sender):
    bot.say("make me a career plan", sender)

    stopped = bot.say("stop", sender)
    greeting = bot.say("hello", sender)

    assert "I've stopped the plan" in texts(stopped)
    assert "hospital career advisor" in texts(greeting)


def test_after_the_plan_a_revision_a_step_explanation_and_markdown(bot, sender):
    opening = (
        "I'm a nurse with a BSN, 8 years in, and I want to be a director. "
        "I can do 10 hours a week. Make me a plan"
    )
    before = bot.say(opening, sender)  # every answer is in it: the plan comes at once
    assert "## Your plan: from" in texts(before) and "Earn a master's" in texts(before)

    revised = bot.say("actually I have an MBA", sender)
    step = bot.say("explain step 2", sender)
    markdown = bot.say("show my plan as markdown", sender)
    tracker = requests.get(
        f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token}, timeout=10
    ).json()

    assert "I've updated your plan" in texts(revised) and "Earn a master's" not in texts(revised)
    assert texts(step).startswith("**Step 2: ") and "_Source: " in texts(step)
    assert "_Why it is in your plan: " in texts(step)
    assert texts(markdown).startswith("```markdown\n## Your plan")
    assert tracker["slots"]["education"] == "master:MBA"
    assert tracker["slots"]["career_plan"]["markdown"] in texts(markdown)


def test_how_long_is_answered_from_the_plan_and_a_stopped_new_form_keeps_the_old_plan(bot, sender):
    plan = texts(
        bot.say(
            "I'm a medical biller, high school, 3 years. I want to be a billing supervisor. "
            "Make me a plan, I can do 2 hours a week",
            sender,
        )
    )
    horizon = re.search(r"\*\*About (.+?)\*\*", plan).group(1)

    how_long = texts(bot.say("ok but how long will this take??", sender))
    bot.say("make me a new plan", sender)
    bot.say("stop", sender)
    shown = texts(bot.say("show my plan", sender))

    assert "## Your plan: from medical biller to billing supervisor" in plan
    assert f"about {horizon}" in how_long and "rough estimates" in how_long
    assert "## Your plan: from medical biller to billing supervisor" in shown
