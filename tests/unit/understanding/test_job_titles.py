"""Any job title is a role, with its role family and department."""

from __future__ import annotations

import pytest

from planning.career_plan import RoleFamily
from understanding.job_titles import Department, RoleReader, own_words

B, C, OT = RoleFamily.BACK_OFFICE, RoleFamily.CLINICAL, RoleFamily.OTHER
D = Department

TITLES = [
    ("registered nurse", C, D.NURSING), ("rn", C, D.NURSING), ("charge nurse in the ICU", C, D.NURSING),
    ("LPN on med surg", C, D.NURSING), ("CNA", C, D.NURSING), ("patient care tech", C, D.NURSING),
    ("nurse practitioner", C, D.NURSING), ("pharmacy technician", C, D.PHARMACY), ("pharmacist", C, D.PHARMACY),
    ("phlebotomist", C, D.LABORATORY), ("lab assistant", C, D.LABORATORY), ("MLS in the core lab", C, D.LABORATORY),
    ("rad tech", C, D.IMAGING), ("sonographer", C, D.IMAGING), ("cath lab tech", C, D.IMAGING),
    ("respiratory therapist", C, D.THERAPY), ("PTA", C, D.THERAPY), ("speech language pathologist", C, D.THERAPY),
    ("paramedic", C, D.EMERGENCY), ("ED tech", C, D.EMERGENCY), ("hospitalist", C, D.PHYSICIAN_SERVICES),
    ("medical assistant at the clinic", C, D.PHYSICIAN_SERVICES), ("case manager", C, D.SOCIAL_WORK),
    ("social worker", C, D.SOCIAL_WORK), ("surgical tech", C, D.OTHER), ("sterile processing tech", C, D.OTHER),
    ("I work in patient registration", B, D.PATIENT_ACCESS), ("front desk", B, D.PATIENT_ACCESS),
    ("scheduler", B, D.PATIENT_ACCESS), ("ED registration clerk", B, D.PATIENT_ACCESS),
    ("medical coder", B, D.REVENUE_CYCLE), ("billing", B, D.REVENUE_CYCLE), ("PFS rep", B, D.REVENUE_CYCLE),
    ("prior-auth specialist", B, D.REVENUE_CYCLE), ("medical records", B, D.HEALTH_INFORMATION),
    ("release of information specialist", B, D.HEALTH_INFORMATION), ("im a unit sec on 4 west", B, D.ADMINISTRATION),
    ("admin assistant", B, D.ADMINISTRATION), ("payroll clerk", B, D.FINANCE), ("HR coordinator", B, D.HUMAN_RESOURCES),
    ("buyer in purchasing", B, D.SUPPLY_CHAIN), ("quality analyst", B, D.QUALITY),
    ("IT help desk", OT, D.INFORMATION_TECHNOLOGY), ("it support", OT, D.INFORMATION_TECHNOLOGY),
    ("EVS", OT, D.FACILITIES), ("patient transport", OT, D.FACILITIES), ("security officer", OT, D.FACILITIES),
    ("dietary aide", OT, D.FACILITIES), ("biomed tech", OT, D.FACILITIES), ("interpreter", OT, D.OTHER),
]  # fmt: skip


@pytest.mark.parametrize(("text", "family", "department"), TITLES)
def test_job_titles_give_family_and_department(text, family, department):
    role = RoleReader().read(text)
    assert (role.family, role.department) == (family, department)


def test_the_lexicon_covers_at_least_forty_jobs():
    assert len({text for text, _, _ in TITLES}) >= 40


def test_the_most_specific_title_wins():
    # "technician" alone is a clinical role of no department; with "pharmacy" it is pharmacy.
    assert RoleReader().read("pharmacy technician").department is D.PHARMACY
    assert RoleReader().read("technician").department is D.OTHER


class TinyEncoder:
    """Deterministic: a text's vector is which of a few department words it holds."""

    name = "tiny"
    WORDS = ("billing", "nurse", "phones", "computers")

    def encode(self, texts):
        import numpy as np

        rows = np.array([[float(word in text.lower()) for word in self.WORDS] for text in texts])
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def test_an_unknown_title_is_placed_by_meaning_when_an_encoder_is_given():
    reader = RoleReader(TinyEncoder())
    # "phones" is in the patient access description, and no title in the lexicon.
    assert reader.read("the one who picks up the phones").department is D.PATIENT_ACCESS
    assert reader.read("doula").department is D.OTHER  # like nothing: still a role, in "other"
    assert RoleReader().read("doula").family is OT


def test_a_role_keeps_the_persons_own_words():
    assert own_words("I'm a unit secretary on 4 west.") == "unit secretary on 4 west"
    assert RoleReader().read("um I work as a scheduler").words == "scheduler"
    assert RoleReader().read("...") is None


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("coder in the HIM dept", "health_information"),  # coders are usually revenue cycle
        ("unit secretary on a surgical floor", "administration"),  # a floor is clinical: the title wins
        ("scheduler in radiology", "patient_access"),
    ],
)
def test_a_department_named_after_the_title_wins_when_it_is_of_the_same_family(text, department):
    assert RoleReader().read(text).department.value == department
