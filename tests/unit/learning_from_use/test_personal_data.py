from __future__ import annotations

import pytest

from learning_from_use.personal_data import mask_personal_data


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("write to maria.lopez@stmarys-hospital.org please", "write to [email] please"),
        ("my email is J.Doe+jobs@mail.example.co.uk", "my email is [email]"),
        ("call me on (617) 555-0199 after 5", "call me on [phone] after 5"),
        ("my cell is 617.555.0123", "my cell is [phone]"),
        ("ring +44 20 7946 0958 tomorrow", "ring [phone] tomorrow"),
        ("the desk is on 555-0142 or ext. 4471", "the desk is on [phone] or [phone]"),
        ("Hi, my name is Maria Lopez and I work in billing", "Hi, my name is [name] and I work in billing"),
        ("my name is maria lopez, what do managers earn?", "my name is [name], what do managers earn?"),
        ("I'm Xochitl, a unit clerk. What is CPHQ?", "I'm [name], a unit clerk. What is CPHQ?"),
        ("Sarah Johnson here: how do I become a manager?", "[name] here: how do I become a manager?"),
        ("Can Sarah from HR help me get into management?", "Can [name] from HR help me get into management?"),
        (
            "Ask Dr. Patel or Mr Okafor about night shift roles",
            "Ask Dr. [name] or Mr [name] about night shift roles",
        ),
        ("my manager Mark said I should ask you", "my manager [name] said I should ask you"),
    ],
)
def test_names_emails_and_phone_numbers_are_masked(typed, kept):
    assert mask_personal_data(typed) == kept


@pytest.mark.parametrize(
    "question",
    [
        "Will I need an MBA to become a Director of Nursing?",
        "May I ask about the CPHQ exam?",
        "I am a nurse with 12 years in the ICU, is an MHA worth it in 2026?",
        "I'm looking for a first management role in Health Information Management",
        "What does a Health Services Manager earn in Texas?",
        "how do I get FACHE certification from ACHE",
    ],
)
def test_career_questions_keep_their_words(question):
    assert mask_personal_data(question) == question


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "fyi my supervisor janet okafor said she would be my mentor",
            "fyi my supervisor [name] said she would be my mentor",
        ),
        ("not a list of titles. - maria g", "not a list of titles. - [name]"),
        ("my manager said I should do a masters", "my manager said I should do a masters"),
        ("a manager job eventually, see Step 1", "a manager job eventually, see Step 1"),
        ("can she ring me at 07700 900123 after 2019-2023", "can she ring me at [phone] after 2019-2023"),
    ],
)
def test_a_name_after_a_role_or_a_signing_dash_is_masked_in_lower_case(text, masked):
    assert mask_personal_data(text) == masked
