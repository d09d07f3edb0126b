"""The plain-Python services the actions share, created once in the Sanic worker that runs
them (rasa-sdk pickles actions into it) and warmed up there by rasa_sdk_plugins."""

from __future__ import annotations

import logging
from functools import cache

from handoff.desk import OfficeDesk
from handoff.settings import HandoffSettings, HandoffSettingsError
from learning_from_use.personal_data import mask_personal_data
from planning.plan_links import PlanLinks
from retrieval.advisor import KnowledgeAdvisor
from retrieval.settings import SettingsError
from understanding.dialogue_acts import PLAN_FORM, DialogueContext, MessageReader
from understanding.form_answers import FormAnswerReader
from understanding.job_titles import RoleReader
from understanding.small_talk import SmallTalkRecogniser


@cache
def shared_advisor() -> KnowledgeAdvisor:
    return KnowledgeAdvisor()


@cache
def message_reader() -> MessageReader:
    # Job titles the lexicon does not know, and small talk in other words, are recognised
    # with the knowledge base's own model.
    encoder = shared_advisor().encoder
    return MessageReader(FormAnswerReader(RoleReader(encoder)), SmallTalkRecogniser(encoder))


@cache
def plan_links() -> PlanLinks | None:
    """Printable plan links; None (and a warning) when their settings are wrong."""
    try:
        return PlanLinks.from_environment()
    except (ValueError, OSError) as error:
        logging.getLogger(__name__).warning("plans get no printable link: %s", error)
        return None


@cache
def office_desk() -> OfficeDesk | None:
    """Where requests for a person go; None (and an error) when its settings are wrong."""
    try:
        return OfficeDesk(HandoffSettings.from_environment())
    except HandoffSettingsError as error:
        logging.getLogger(__name__).error("no requests to the office can be sent: %s", error)
        return None


def human_contact() -> str:
    """How to reach the office without the bot (retrieval.yml's human_contact)."""
    try:
        return shared_advisor().settings.human_contact
    except SettingsError:
        return "your hospital's HR department"


def warm_up() -> None:
    """Loads the model, the index and the name dictionary the masking uses, before the first question."""
    shared_advisor().warm_up()
    # A job title the lexicon does not know: loads the departments' vectors.
    message_reader().read("warm up", DialogueContext(active_form=PLAN_FORM, requested_slot="current_role"))
    mask_personal_data("warm up")
    desk = office_desk()
    if desk is not None and desk.settings.on:
        # What was waiting to be delivered when the server last stopped goes out again.
        resumed = desk.resume()
        if resumed:
            logging.getLogger(__name__).info("retrying %d deliveries to the office left from before", resumed)
