"""Hospital job titles and departments: "charge nurse in the ICU" -> nursing, clinical.

Any job title counts as a role. A title in the lexicon below gives its department
(the most specific title named wins: "pharmacy technician" is pharmacy, not a generic
technician). A title it does not know is compared, by meaning, with the departments'
descriptions when an encoder is given; failing that it is still a role, in the
department "other". The lexicon is ours, from common US hospital job titles; the guides
name only a few roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

import numpy as np

from planning.career_plan import RoleFamily
from retrieval.encoders import Encoder


class Department(str, Enum):
    REVENUE_CYCLE = "revenue_cycle"
    HEALTH_INFORMATION = "health_information"
    PATIENT_ACCESS = "patient_access"
    NURSING = "nursing"
    PHARMACY = "pharmacy"
    LABORATORY = "laboratory"
    IMAGING = "imaging"
    THERAPY = "therapy"
    EMERGENCY = "emergency"
    PHYSICIAN_SERVICES = "physician_services"
    FINANCE = "finance"
    HUMAN_RESOURCES = "human_resources"
    INFORMATION_TECHNOLOGY = "information_technology"
    FACILITIES = "facilities"
    SUPPLY_CHAIN = "supply_chain"
    QUALITY = "quality"
    ADMINISTRATION = "administration"
    SOCIAL_WORK = "social_work"
    OTHER = "other"


B, C, OTHER = RoleFamily.BACK_OFFICE, RoleFamily.CLINICAL, RoleFamily.OTHER
FAMILY = {
    Department.REVENUE_CYCLE: B, Department.HEALTH_INFORMATION: B, Department.PATIENT_ACCESS: B,
    Department.FINANCE: B, Department.HUMAN_RESOURCES: B, Department.SUPPLY_CHAIN: B,
    Department.ADMINISTRATION: B, Department.QUALITY: B,
    Department.NURSING: C, Department.PHARMACY: C, Department.LABORATORY: C, Department.IMAGING: C,
    Department.THERAPY: C, Department.EMERGENCY: C, Department.PHYSICIAN_SERVICES: C,
    Department.SOCIAL_WORK: C,
    Department.INFORMATION_TECHNOLOGY: OTHER, Department.FACILITIES: OTHER, Department.OTHER: OTHER,
}  # fmt: skip

# What each department does, for matching a title the lexicon does not know by meaning.
DESCRIPTIONS = {
    Department.REVENUE_CYCLE: "medical billing, coding, insurance claims, denials, patient accounts, collections",
    Department.HEALTH_INFORMATION: "medical records, health information management, release of information, charts",
    Department.PATIENT_ACCESS: "patient registration, admitting, front desk reception, answering phones, scheduling",
    Department.NURSING: "nurse caring for patients on a hospital unit, nursing assistant at the bedside",
    Department.PHARMACY: "pharmacy, dispensing medications, pharmacist",
    Department.LABORATORY: "clinical laboratory, blood samples, specimens, pathology testing",
    Department.IMAGING: "radiology, x-ray, CT, MRI, ultrasound imaging",
    Department.THERAPY: "physical, occupational, speech and respiratory therapy, rehabilitation",
    Department.EMERGENCY: "emergency department, ambulance, paramedic, emergency medical services",
    Department.PHYSICIAN_SERVICES: "physician, doctor, resident, physician assistant, clinic medicine",
    Department.FINANCE: "hospital finance, accounting, budgets, payroll",
    Department.HUMAN_RESOURCES: "human resources, recruiting, hiring, benefits, staffing",
    Department.INFORMATION_TECHNOLOGY: "information technology, computers, help desk, software, electronic records systems",
    Department.FACILITIES: "facilities, maintenance, housekeeping, security, food service, patient transport",
    Department.SUPPLY_CHAIN: "supply chain, purchasing, procurement, inventory, materials",
    Department.QUALITY: "quality improvement, patient safety, risk management, compliance",
    Department.ADMINISTRATION: "administrative assistant, secretary, office clerk, unit clerk",
    Department.SOCIAL_WORK: "social work, case management, discharge planning, patient advocacy",
}
# Below this cosine similarity a title is matched to no department ("other").
MIN_DESCRIPTION_SIMILARITY = 0.3

D = Department
# (title pattern, department, family when it differs from the department's)
_TITLES: list[tuple[str, Department, RoleFamily | None]] = [
    # Revenue cycle
    (r"(medical )?bill(ing|er)s?|claims?( specialist| processor| rep)?|denials?( specialist)?|collections?|"
     r"collector|patient (financial|accounts?)( services)?|(?-i:PFS)|revenue cycle|charge (entry|capture|poster)|"
     r"(cash|payment) post(er|ing)|accounts? receivable|(?-i:AR) (specialist|rep|clerk)|insurance "
     r"(verification|verifier|follow[- ]?up|specialist|clerk)|prior[- ]?auth(orization)?s?( specialist)?|"
     r"pre[- ]?auth(orization)?|authorizations? (specialist|coordinator|rep)|financial counsell?or|"
     r"reimbursement|chargemaster|business office|self[- ]pay|revenue integrity|cashier|underpayment|"
     r"eligibility( specialist)?|benefits? verification|pre[- ]?registration|precert(ification)?|"
     r"coding auditor|billing (specialist|rep|clerk|coordinator)", D.REVENUE_CYCLE, None),
    (r"(medical )?cod(er|ing)|(?-i:CPC)|coding specialist", D.REVENUE_CYCLE, None),
    # Health information
    (r"medical records?|health records?|(?-i:HIM)|health information( management| tech(nician)?)?|(?-i:RHIT|RHIA)|"
     r"release of information|(?-i:ROI)( specialist| clerk)?|records? (clerk|tech|specialist)|document "
     r"(imaging|scanning)|scanning|clinical documentation|(?-i:CDI)|transcription(ist)?|"
     r"(tumou?r|cancer|trauma) registr(ar|y)|abstract(or|ion)|chart(ing)? (prep|analyst)", D.HEALTH_INFORMATION, None),
    # Patient access
    (r"registration|registrar|admitting|admissions?|front (desk|office)|reception(ist)?|check[- ]?in|"
     r"schedul(er|ing)|patient access|switchboard|(phone |telephone )?operator|call (center|centre)|"
     r"patient service (rep|representative|specialist)|(?-i:PSR)|concierge|greeter|answer(ing)? (the )?phones?|"
     r"bed (board|placement|management)|patient placement|transfer cent(er|re)|appointment (desk|clerk)",
     D.PATIENT_ACCESS, None),
    # Administration
    (r"unit (secretary|clerk|sec)|ward (clerk|secretary)|health unit coordinator|(?-i:HUC)|(medical )?secretary|"
     r"admin(istrative)? (assistant|asst|support|coordinator|specialist|staff)|executive assistant|"
     r"office (assistant|clerk|coordinator|manager)|clerical|clerk|medical staff (office|coordinator)|"
     r"credentialing|department assistant|(?-i:AA)", D.ADMINISTRATION, None),
    # Finance, HR, supply chain
    (r"financ(e|ial) (analyst|department|office)?|accounting|accountant|accounts payable|payroll|budget analyst|"
     r"controller|auditor|bookkeep(er|ing)|cost accountant", D.FINANCE, None),
    (r"(?-i:HR)|human resources|recruit(er|ing|ment)|talent acquisition|benefits (specialist|coordinator)|"
     r"staffing (coordinator|office|specialist)|onboarding|employee health", D.HUMAN_RESOURCES, None),
    (r"supply chain|purchasing|procurement|buyer|materials? (management|handler|coordinator)|inventory|"
     r"warehouse|central supply|supply (tech|clerk|coordinator)|distribution", D.SUPPLY_CHAIN, None),
    # Quality
    (r"quality( improvement| analyst| coordinator| specialist| department| assurance)?|patient safety|"
     r"quality (data )?abstract(or|ion)|core measures( abstractor)?|"
     r"risk management|compliance|accreditation|performance improvement|regulatory", D.QUALITY, None),
    (r"infection (control|prevention(ist)?)|infection preventionist", D.QUALITY, C),
    # Nursing
    (r"nurs(e|es|ing)( assistant| aide| tech| practitioner| educator)?|(rn|lpn|lvn|cna|pct|pca|np|anm|crna)s?|"
     r"patient care (tech|technician|assistant|associate)|charge nurse|midwife|midwifery|"
     r"(?-i:ICU|NICU|PICU|CCU|PACU|OR|L&D|L and D)|med[- ]?surg|telemetry|tele unit|labou?r and delivery|"
     r"home health aide|sitter|bedside|floor nurse|school nurse|travel(ing)? nurse|psych (tech|nurse)|"
     r"mental health (tech|worker)|behavioral health tech|house supervisor|nursing supervisor|unit manager|"
     r"clinical nurse (specialist|educator)|nurse navigator|wound care|lactation consultant|"
     r"(med|medication) aide|(?-i:STNA|CMA-?A)|care partner|clinical (tech|technician|assistant)", D.NURSING, None),
    # Pharmacy
    (r"pharmac(y|ist|ists)|pharm ?tech|(?-i:CPhT)|pharmacy (tech|technician|assistant)", D.PHARMACY, None),
    # Laboratory
    (r"lab(oratory)?( tech| technician| assistant| scientist| aide)?|phlebotom(ist|y)|"
     r"(medical|clinical) (lab(oratory)? )?(technologist|scientist)|(?-i:MLS|MLT|CLS)|histo(tech|technologist|logy)|"
     r"cytotech|patholog(y|ist)|blood bank|microbiolog(y|ist)|specimen (processor|processing)|accessioner|"
     r"histotechnician|lab (courier|processor)", D.LABORATORY, None),
    # Imaging
    (r"radiolog(y|ic|ist)|rad tech|x[- ]?ray|(?-i:MRI|CT)( tech(nologist)?)?|sonograph(er|y)|ultrasound|"
     r"mammo( tech)?|mammograph(er|y)|radiation therap(ist|y)|dosimetrist|(?-i:PACS)( admin(istrator)?)?|nuclear medicine|nuc med|imaging|echo (tech|cardiographer)|vascular tech|cath lab( tech)?",
     D.IMAGING, None),
    # Therapy
    (r"physical therap(ist|y)|physio(therapist)?|(?-i:PTA?|OTA?|COTA|SLP|RT|RRT|CRT)|(pta|cota|slp|rrt)|occupational therap(ist|y)|"
     r"speech( language)?( patholog(ist|y)| therap(ist|y))|respiratory( therap(ist|y))?|rehab(ilitation)?|"
     r"therapist|massage|audiolog(ist|y)|recreational therap(ist|y)|child life( specialist)?|"
     r"(?-i:CNA) in rehab|rehab aide|(?-i:PT|OT) aide", D.THERAPY, None),
    (r"dietitian|nutritionist|clinical dietitian", D.OTHER, C),
    # Emergency
    (r"paramedic|(?-i:EMT)s?|(?-i:ED|ER) (tech|technician|clerk)|emergency (department|room|medical)|ambulance|"
     r"(?-i:EMS)|dispatcher|first responder", D.EMERGENCY, None),
    # Physicians and their clinics
    (r"physician( assistant)?|doctor|(?-i:MD|DO|PA|PA-C)|resident|hospitalist|surgeon|anesthesiologist|"
     r"intern(ist)?|medical assistant|(?-i:CMA|MA)|fellow in|clinic (assistant|staff)|ortho(pedic)? tech|"
     r"dental (assistant|hygienist)|optometr\w*|optician|scribe|medical scribe|nurse anesthetist|"
     r"(?-i:APP|APRN)|advanced practice", D.PHYSICIAN_SERVICES, None),
    # Social work and case management
    (r"social work(er)?|(?-i:LCSW|LMSW|MSW)|lcsw|lmsw|case manag(er|ement)|care (coordinator|manager|management|navigator)|"
     r"discharge plann(er|ing)|utilization review|patient (advocate|relations|navigator)|chaplain",
     D.SOCIAL_WORK, None),
    # IT
    (r"(?-i:IT)|it (support|department|dept|guy|tech|staff|specialist|analyst)|information technology|help ?desk|service desk|desktop support|tech support|network "
     r"(admin|engineer)|sys ?admin|system(s)? (admin|analyst|administrator)|developer|programmer|software|"
     r"informatics|(?-i:EHR|EMR) (analyst|specialist|trainer|support)|epic (analyst|trainer|support)|"
     r"data analyst|database|cyber ?security|computer", D.INFORMATION_TECHNOLOGY, None),
    # Facilities and support services
    (r"facilities|maintenance|plant (operations|engineer)|engineering|(?-i:EVS)|environmental services|"
     r"housekeep(ing|er)|custodian|janitor(ial)?|security( officer| guard)?|guard|transport(er|ation)?|"
     r"patient transport|porter|food (service|services)|dietary( aide| worker)?|cafeteria|kitchen|cook|"
     r"linen|laundry|groundskeep(er|ing)|parking|valet|biomed(ical)?( tech| engineer(ing)?)?|"
     r"clinical engineering|mail ?room|courier|driver|electrician|plumber|hvac|carpenter|painter|"
     r"boiler|stationary engineer|grounds|valet|chef|barista|line cook|nutrition (aide|assistant|services)|"
     r"room service|tray (line|passer)|materials handler|porter|escort", D.FACILITIES, None),
    # Clinical roles without a department of their own above
    (r"sterile processing|(?-i:SPD)|surgical tech(nologist)?|scrub tech|perfusionist|(?-i:OR) tech|"
     r"anesthesia tech|monitor tech|(?-i:EKG|ECG) tech|dialysis tech|tech(nician)?", D.OTHER, C),
    (r"interpreter|translator|volunteer|student|intern|gift shop|chaplain( resident)?|spiritual care",
     D.OTHER, OTHER),
]  # fmt: skip


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern, so that each is matched on its own and the
    longest title wins (a regex alternation stops at the first alternative that matches)."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(pattern):
        if char == "(" and pattern[position - 1 : position] != "\\":
            depth += 1
        elif char == ")" and pattern[position - 1 : position] != "\\":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
    return [*parts, pattern[start:]]


_COMPILED = [
    (re.compile(rf"(?<![\w'])(?:{alternative})(?![\w'])", re.IGNORECASE), department, family)
    for pattern, department, family in _TITLES
    for alternative in _alternatives(pattern)
]


@dataclass(frozen=True)
class Role:
    """A job in the person's own words, with its role family and department."""

    words: str
    family: RoleFamily
    department: Department


def title_in(text: str) -> tuple[Department, RoleFamily, re.Match] | None:
    """The most specific title the lexicon finds in the text (the longest match), if any."""
    best: tuple[Department, RoleFamily, re.Match] | None = None
    for pattern, department, family in _COMPILED:
        for found in pattern.finditer(text):
            if best is None or len(found.group()) > len(best[2].group()):
                best = (department, family or FAMILY[department], found)
    return best


_WHERE = re.compile(r"\b(?:in|on|at|for|with)\s+(?:the\s+|a\s+|an\s+)?(.+)$", re.IGNORECASE)


def department_named(text: str, family: RoleFamily) -> Department | None:
    """The department a role says it works in ("coder in the HIM dept" is health information,
    not the revenue cycle coders usually belong to), when it is of the same family as the
    title; "unit secretary on a surgical floor" stays back office."""
    where = _WHERE.search(text)
    found = title_in(where.group(1)) if where else None
    if found is None or found[1] is not family:
        return None
    return found[0]


_LEAD_IN = re.compile(
    r"^\s*(?:(?:well|um+|uh+|so|ok(?:ay)?|yeah|hi|hey)[,.!]?\s+)*(?:i'?m|i am|im|i work(?:ed)?|i'?ve been|currently|"
    r"right now|my (?:job|role|title|position) is|i do|work(?:ing)?)?\s*(?:as|in|at|on|for|with)?\s*(?:an?|the)?\s+",
    re.IGNORECASE,
)


def own_words(text: str, limit: int = 60) -> str:
    """The role as the person wrote it, without "I'm a" and trailing punctuation, for the plan's title."""
    words = _LEAD_IN.sub("", " " + text.strip()).strip(" .!,;:-")
    return words[:limit].rstrip() if words else text.strip()[:limit]


class RoleReader:
    """Reads a role from an answer; `encoder` (optional) places titles the lexicon does not know."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        self._encoder = encoder
        self._descriptions: np.ndarray | None = None

    def read(self, text: str) -> Role | None:
        """The role a short answer names; None when the text has no letters to name one."""
        if not re.search(r"[A-Za-z]{2,}", text):
            return None
        found = title_in(text)
        if found is not None:
            department, family, _ = found
            return Role(own_words(text), family, department_named(text, family) or department)
        department = self._nearest_department(text)
        return Role(own_words(text), FAMILY[department], department)

    def find(self, text: str) -> Role | None:
        """A role named inside a longer message ("I've been in billing 5 years, ..."), lexicon only."""
        found = title_in(text)
        if found is None:
            return None
        department, family, match = found
        return Role(match.group().strip(), family, department)

    def _nearest_department(self, text: str) -> Department:
        if self._encoder is None:
            return Department.OTHER
        if self._descriptions is None:
            self._descriptions = self._encoder.encode(list(DESCRIPTIONS.values()))
        similarities = self._descriptions @ self._encoder.encode([text])[0]
        best = int(np.argmax(similarities))
        if similarities[best] < MIN_DESCRIPTION_SIMILARITY:
            return Department.OTHER
        return list(DESCRIPTIONS)[best]
