"""The load `make bench-load` puts on the REST channel: hospital staff asking questions.

Messages are 70% FAQ questions (the retrieval dev set's held-out phrasings), 20% plan-form
turns (each simulated user walks through the whole form, one answer per turn, in a
conversation of its own) and 10% small talk. Each user thinks 1-3 s between messages.
A turn fails if the HTTP call fails or the bot says nothing.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import yaml
from locust import HttpUser, between, task

DEV_SET = Path(__file__).resolve().parent.parent / "tests/retrieval_dev_set.yml"
FAQ_QUESTIONS = [item["q"] for item in yaml.safe_load(DEV_SET.read_text())["in_domain"]]
PLAN_TURNS = [
    "make me a career plan",
    "billing",
    "bachelor's degree",
    "3 years",
    "department director",
    "5 hours",
]
SMALL_TALK = ["hi", "thanks!", "what can you do?", "are you a bot?", "bye"]


class StaffMember(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.sender = f"load-{uuid.uuid4().hex[:12]}"
        self.plan_turn = 0

    def say(self, sender: str, message: str, kind: str) -> None:
        with self.client.post(
            "/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            name=kind,
            catch_response=True,
        ) as response:
            if response.ok and not response.json():
                response.failure("the bot did not answer")

    @task(7)
    def faq(self) -> None:
        self.say(self.sender, random.choice(FAQ_QUESTIONS), "faq")

    @task(2)
    def plan_form(self) -> None:
        if self.plan_turn == 0:
            self.plan_sender = f"load-plan-{uuid.uuid4().hex[:12]}"
        self.say(self.plan_sender, PLAN_TURNS[self.plan_turn], "plan form")
        self.plan_turn = (self.plan_turn + 1) % len(PLAN_TURNS)

    @task(1)
    def small_talk(self) -> None:
        self.say(self.sender, random.choice(SMALL_TALK), "small talk")
