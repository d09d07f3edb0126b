"""What a message is, read in the context of the conversation: `read_message(text, context)`.

The plan form's question comes first: while the form waits for a slot, the text is read
as an answer to it, and only text that is not an answer is something else: a question
(answered, then the form asks again), stop, why, skip, start over, or a change to an
earlier answer. Outside the form, small talk, ratings and plan commands are recognised
only when the message is just that ("thanks!", "that helped", "show my plan"); a plan
is asked for with words of planning; anything else is a question for the knowledge
base, which declines what it cannot answer. So a question can never land in small talk
or a plan action because a classifier guessed wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from understanding.form_answers import SKIPPED, FormAnswerReader
from understanding.job_titles import title_in
from understanding.question_focus import candidate_queries
from understanding.small_talk import SmallTalkRecogniser

PLAN_FORM = "career_plan_form"
RATING_COMMENT_FORM = "rating_comment_form"
HANDOFF_FORM = "handoff_form"


class Act(str, Enum):
    # Replies to the plan form's question
    ANSWER = "answer"  # fills the slot asked (and maybe others)
    REFUSED = "refused"  # an answer that cannot be right ("-3 years"): `problem` says why
    UNREADABLE = "unreadable"  # neither an answer nor anything else
    CORRECTION = "correction"  # changes an earlier answer ("actually I have an MBA")
    CONTINUE = "continue"  # nothing to do but ask again ("yes, let's go on")
    SKIP = "skip"
    STOP = "stop"
    WHY = "why"
    RESTART = "restart"  # start the plan over, dropping the kept answers
    # Knowledge
    QUESTION = "question"
    STEPS_QUESTION = "steps_question"  # asks for the general path: the steps, and a plan offered
    # Plans
    PLAN_REQUEST = "plan_request"
    SHOW_PLAN = "show_plan"
    PLAN_TIMELINE = "plan_timeline"  # "how long will this take?" once there is a plan
    EXPLAIN_STEP = "explain_step"
    UPDATE_PLAN = "update_plan"
    # Small talk
    GREET = "greet"
    GOODBYE = "goodbye"
    THANK = "thank"
    BOT_CHALLENGE = "bot_challenge"
    HELP = "help"
    AFFIRM = "affirm"
    DENY = "deny"
    # About the last answer
    RATE_HELPFUL = "rate_helpful"
    RATE_NOT_HELPFUL = "rate_not_helpful"
    COMMENT = "comment"  # what the person was looking for, after a 👎
    # A person at the career development office
    ASK_PERSON = "ask_person"
    REQUEST_STATUS = "request_status"  # "did my question go through?", once a request was sent


@dataclass(frozen=True)
class DialogueContext:
    """What the conversation says about how to read the next message."""

    active_form: str | None = None
    requested_slot: str | None = None
    filled: Mapping[str, Any] = field(default_factory=dict)  # the plan form's kept answers
    has_plan: bool = False
    answer_in_play: bool = False  # the bot's last turn was a knowledge answer
    plan_offered: bool = False  # the bot's last turn offered to make a personal plan
    has_request: bool = False  # a request went to the career office in this conversation


@dataclass(frozen=True)
class Reading:
    act: Act
    slots: dict[str, Any] = field(default_factory=dict)  # slot values the message gives
    problem: str | None = None  # why an answer was refused
    step: int | None = None  # the plan step asked about
    offer_plan: bool = False  # about the person's own next step: answered, then a plan offered

    def as_dict(self) -> dict[str, Any]:
        return {
            "act": self.act.value,
            "slots": self.slots,
            "problem": self.problem,
            "step": self.step,
            "offer_plan": self.offer_plan,
        }

    @classmethod
    def from_dict(cls, value: Any) -> Reading | None:
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                Act(value["act"]),
                dict(value.get("slots") or {}),
                value.get("problem"),
                value.get("step"),
                bool(value.get("offer_plan")),
            )
        except (KeyError, ValueError):
            return None


# Words people put around what they mean ("ok so", "um", "please", "lol").
_FILLER = (
    r"(?:ok(?:ay)?|so|um+|uh+|hmm+|oh|ah|well|yeah|actually|sorry|wait|hey|hi|please|pls|plz|just|lol|haha|"
    r"btw|and|but|also|then|right|cool|great|thanks|thx|no|yes|alright)"
)
_LEAD = rf"^(?:{_FILLER}\W+)*"
_QUESTION_START = re.compile(
    rf"{_LEAD}(?:what|whats|what's|wat|wut|how|hows|how's|why|when|where|who|whom|which|is|isn'?t|are|aren'?t|"
    r"am|do|does|did|don'?t|can|cant|can'?t|could|should|would|will|may|might|has|have|any|tell me|explain|"
    r"i wonder|wondering|quick question|question|curious)\b",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\b(?:i (?:want|wanna|would like|'d like|need) to (?:know|learn|understand|hear)|can you tell me|"
    r"do you know|info(?:rmation)? (?:on|about)|tell me (?:about|more)|more (?:about|on|info)|explain)\b",
    re.IGNORECASE,
)
_CLARIFY = re.compile(
    r"^\W*(?:what|huh|sorry|pardon|come again|what do you mean|meaning|what\?+|\?+)\W*$", re.IGNORECASE
)


# Asking for a person rather than the bot: "can I talk to someone?", "I want a human",
# "can a careers advisor call me?", "connect me w/ HR", "operator". A person named (the
# career office, HR, an advisor, someone, a human) with a verb of reaching them or of
# being reached; or the person alone ("agent pls"). "Are you a human?" is small talk about
# the bot, and "should I talk to my manager?" a career question.
_CAREER = r"(?:car+e+r+s?|career development|career dev\w*|careers? services?)"
# Someone to hand over to; an office, a team or people only when it is the careers one or HR.
_PERSON = (
    r"(?:some(?:one|body)|any(?:one|body)|(?:a |an |the |my |our )?(?:real |actual |live |real live )?"
    r"(?:human(?: being)?|person|staff member|representative|rep|agent|operator|"
    rf"(?:{_CAREER} )?(?:advisor|adviser|counsel+or|coach)|hr|human resources|"
    rf"(?:{_CAREER}|hr|human resources|office) (?:office|center|centre|team|person|people|department|dept|staff|"
    r"lady|guy|woman|man)))"
)
_REACH_ME = (
    r"(?:call|ring|phone|e-?mail|message|text|contact|tell|advise|help|reach(?: out)?(?: to)?|get back to|follow(?:ing)? up with|"
    r"get in touch with|get ahold of) me\b|\bcall ?backs?\b|\bcall me back\b"
)
_TO_A_PERSON = (
    r"\b(?:talk|speak|chat|discuss|go over|talk (?:this|it) (?:thr(?:ough|u)|over))(?:ing)?(?: (?:this|it))? "
    r"(?:to|with)\b|\bconnect(?: me)?(?: w/| with| to)?\b|\bput me (?:through|in touch)\b|\btransfer(?: me)?\b|"
    r"\bhand (?:me |this |it )?(?:off|over)\b|\bpass (?:this |me |it |my question )?(?:on |over )?to\b|"
    r"\bescalate\b|\bsend (?:this|it|my question)(?: on)? to\b|\b(?:set up|book|schedule|arrange|make)\b"
    r".{0,25}\b(?:appointment|meeting|call|chat|1 ?(?:on|-|:) ?1|one on one|session)\b|\bcallback\b"
)
# "I want a human", "get me a real advisor": the person right after the wish.
_WANT_A_PERSON = (
    r"\b(?:want|need|like|prefer|rather|get)(?: me)?(?: to (?:talk|speak|chat|ask)(?: to| with)?)? "
    rf"(?:a |an |the |some |my )?(?:real |actual |live )?{_PERSON}\b"
    r"(?! (?:job|role|position|post|posting|manager|director|generalist|assistant|degree|course|cert\w*|experience))"
)
# "send my tuition question to a real person", "pass one more thing to the career office"
_SEND_TO_A_PERSON = rf"\b(?:send|pass|forward|refer|bring|take|give)(?:s|ing)?\b.{{0,80}}?\b(?:to|with) (?:{_PERSON}|the office)\b"
_ASK_PERSON = re.compile(
    rf"\b{_PERSON}\b.{{0,70}}?\b(?:{_REACH_ME})|(?:{_TO_A_PERSON}).{{0,45}}?\b{_PERSON}\b|{_WANT_A_PERSON}|"
    rf"{_SEND_TO_A_PERSON}|"
    rf"\b(?:can|could|would|will) {_PERSON} (?:\w+ )?(?:look (?:at|into|over)|check|review|answer)\b|"
    r"^\W*(?:(?:a |an )?(?:real |live |actual )?(?:human|person|agent|operator|representative|rep|advisor|someone)"
    r"(?: now| please| pls| plz| asap)*)\W*$|\b(?:human|agent|operator|representative|real person) "
    r"(?:now|please|pls|plz|asap)\b|\bask a person\b|"
    rf"\b(?:is there|are there|have you got|do you have) {_PERSON}\b.{{0,50}}\b(?:speak|talk|chat|call|contact|ask)\b",
    re.IGNORECASE,
)
# Asking whether or how to talk to someone is a career question, not a request for a person.
_ADVICE_ABOUT_TALKING = re.compile(
    r"\b(?:should|shall|do i need to|is it (?:ok|okay|worth)|how (?:do|can|should|would) (?:i|you)|do you|does (?:it|this|the bot))"
    r"\b.{0,20}\b(?:talk|speak|reach out|contact|call|e-?mail|ask|approach|network|meet|send|submit|apply|give|tell|"
    r"bring|take|pass|forward)\b",
    re.IGNORECASE,
)
# "does my manager see this?", "who reads what I send?": a question about where a request goes.
_WHO_SEES = re.compile(
    r"\b(?:who|what)\b.{0,30}\b(?:see|sees|read|reads|get|gets|know|knows|find out|access)\b|"
    r"\b(?:does|do|will|would|can|could|is|are)\b.{0,30}\b(?:manager|supervisor|boss|hr|anyone|someone|they|it)\b"
    r".{0,20}\b(?:see|read|know|find out|told|notified|shared|access|confidential|private)\b|"
    r"\b(?:confidential|private|anonymous|privacy)\b",
    re.IGNORECASE,
)


# Words a bare request for a person is made of, once the request itself is taken out.
_REQUEST_WORDS = frozenset(
    [
        "i",
        "im",
        "i'm",
        "me",
        "my",
        "u",
        "you",
        "can",
        "could",
        "would",
        "will",
        "please",
        "pls",
        "plz",
        "again",
        "now",
        "just",
        "ok",
        "okay",
        "so",
        "then",
        "a",
        "an",
        "the",
        "to",
        "want",
        "wanna",
        "need",
        "like",
        "do",
        "it",
        "this",
        "that",
        "and",
        "or",
        "but",
        "hi",
        "hey",
        "thanks",
        "thx",
        "yes",
        "no",
        "really",
        "actually",
        "want",
    ]
)


def question_beside_request(text: str) -> str | None:
    """The message itself when, besides asking for a person, it asks something ("can someone
    call me about whether my LPN counts?"); None for a bare request ("a person again pls")."""
    rest = _ASK_PERSON.sub(" ", text)
    content = [w for w in re.findall(r"[^\W\d_][\w'+-]*", rest) if w.lower() not in _REQUEST_WORDS]
    if len(content) >= 5 or (len(content) >= 3 and looks_like_question(rest)):
        return text
    return None


_REQUEST_STATUS = re.compile(
    r"\b(?:my|the|our|that) (?:request|question|message|ticket|query)\b.{0,40}\b(?:go|gone|get|got|went|sent|"
    r"through|thru|pending|status|answer\w*|repl\w*|back|received|arrive\w*|seen|read)\b|"
    r"\b(?:any|an) (?:answer|reply|response|news|word|update)s? (?:yet|back|from)\b|"
    r"\b(?:did|has|have) (?:the office|they|anyone|someone|somebody|the careers? office|hr) "
    r"(?:answer\w*|repl\w*|respond\w*|got|get|seen|read|look\w*)\b|"
    r"\bwhen will (?:someone|somebody|they|the office|i hear|i get)\b|\bhear(?:d)? back\b|"
    r"\b(?:did|has) (?:it|that|my \w+) (?:go|gone|get|got) (?:thr(?:ough|u)|sent|there)\b|\bstill (?:pending|waiting)\b|"
    r"\b(?:was|is|has) (?:it|that|my \w+) (?:been )?(?:sent|received|with (?:the office|them)|there)\b|"
    r"\bstatus of (?:my|the|that) (?:request|question|message)\b|\brequest status\b|"
    r"\b(?:did|has) (?:that|this) one (?:go|gone|get|got)\b|"
    r"\bany (?:update|news|word|answer|reply|response)s? (?:on|about|for) (?:my|the|that)\b|"
    r"\b(?:has|did|have) (?:anyone|someone|somebody|they) (?:picked|pick) (?:it|that|my \w+) up\b",
    re.IGNORECASE,
)


def asks_about_a_request(text: str) -> bool:
    """ "did my question go through?", "any answer yet?": about a request already sent."""
    return bool(_REQUEST_STATUS.search(text))


def asks_who_sees_a_request(text: str) -> bool:
    return bool(_WHO_SEES.search(text))


def asks_for_a_person(text: str) -> bool:
    """Whether a sentence of the message asks for a person (a long story may end with one)."""
    return small_talk_act(text) is not Act.BOT_CHALLENGE and any(
        _ASK_PERSON.search(sentence)
        and not _ADVICE_ABOUT_TALKING.search(sentence)
        and not _WHO_SEES.search(sentence)
        for sentence in re.split(r"(?<=[.!?;])\s+|\s+-\s+|\n+", text)
    )


def _command(words: str) -> re.Pattern:
    return re.compile(
        rf"{_LEAD}(?:(?:can|could) (?:we|you|i)\W+|let'?s\W+|i (?:want|wanna|need|would like|'d like) to\W+)?"
        rf"(?:{words})",
        re.IGNORECASE,
    )


_STOP_AT_END = re.compile(r"\b(?:stop|cancel|quit|pause)\W*(?:please|pls|for now|now)?\W*$", re.IGNORECASE)
_STOP = _command(
    r"stop\b|cancel\b|quit\b|exit\b|end (?:this|it|the plan)\b|abort\b|never ?mind\b|nvm\b|forget (?:it|this)\b|"
    r"not now\b|later\b|do (?:this|it) later\b|finish (?:this|it) later\b|come back (?:to (?:this|it) )?later\b|"
    r"(?:i )?(?:need|have|got|gotta) (?:to )?go\b|gotta go\b|leave (?:it|this)\b|pause\b|take a break\b"
)
_SKIP = _command(
    r"skip\b|pass\b|next(?: question)?\W*$|rather not\b|prefer not\b|no comment\b|move on\b|"
    r"(?:i )?don'?t want to (?:say|answer)\b|none of your business\b"
)
_WHY = _command(
    r"why\W*$|why (?:do|does|would|are) (?:you|that|this|it)\b|why (?:is )?that\b|how come\b|"
    r"what(?:'s| is| does) (?:this|that|it) (?:for|matter)\b|what does (?:that|it) have to do\b|why ask\b"
)
_RESTART = _command(
    r"start (?:over|again|fresh|from scratch)\b|restart\b|begin again\b|reset\b|redo (?:it|the plan)\b"
)

_SMALL_TALK: list[tuple[Act, re.Pattern]] = [
    (Act.BOT_CHALLENGE, re.compile(
        r"\b(?:are|r) (?:you|u|ya) (?:a |an )?(?:actual |real |live )?(?:real|bot|robot|human|person|ai|machine|"
        r"computer|chat ?bot)\b|"
        r"\bam i (?:talking|chatting|speaking) (?:to|with) (?:a |an )?(?:actual |real |live )?(?:bot|human|person|"
        r"real|machine|ai|computer)|"
        r"\bis this (?:a |an )?(?:bot|real person|human|ai|automated)\b|\bwho am i (?:talking|speaking) to\b",
        re.IGNORECASE)),
    (Act.GREET, re.compile(
        r"^\W*(?:hi+|hello+|hey+|hiya|howdy|heya|yo|sup|greetings|good (?:morning|afternoon|evening|day)|"
        r"hi there|hello there|hey there|what'?s up|morning)(?:\W+(?:there|all|bot|advisor|team|everyone|again|"
        r"friend))?\W*$", re.IGNORECASE)),
    (Act.GOODBYE, re.compile(
        r"^\W*(?:(?:ok(?:ay)?|thanks|thank you|alright)\W+)?(?:bye+|goodbye|good bye|see (?:you|ya)(?: later)?|cya|"
        r"take care|have a (?:good|nice|great) (?:day|one|night|evening)|good ?night|ttyl|talk (?:to you )?later|"
        r"i'?m off|that'?s all(?: for now)?|(?:i )?(?:gotta|got to|have to|need to) (?:go|run)|later)"
        r"(?:\W+(?:for now|later|bye|thanks|thank you))*\W*$", re.IGNORECASE)),
    (Act.THANK, re.compile(
        r"^\W*(?:(?:ok(?:ay)?|great|awesome|cool|perfect|nice|wonderful|super|brilliant|got it)\W+)*"
        r"(?:thanks+|thank (?:you|u)|thx|ty|tysm|cheers|much appreciated|appreciate (?:it|that|you|this)|"
        r"many thanks)(?:\W+(?:so much|a lot|a ton|a bunch|again|very much|for (?:the|your) (?:help|info|answer)|"
        r"(?:really |very |super )?(?:helpful|useful)|that helps|you'?re (?:great|the best)))*\W*$",
        re.IGNORECASE)),
    (Act.HELP, re.compile(
        r"^\W*(?:help|menu|options|topics|what can (?:you|u) (?:do|help (?:me )?with)(?: for me)?|"
        r"what do you (?:do|know|cover)|"
        r"what can i ask(?: you)?|what (?:kind of |sort of )?(?:stuff|things|questions) (?:can|do|should) i ask(?: you)?|"
        r"how does this work|what are (?:my |the |your )?options|start|get started|"
        r"what (?:topics|things) (?:do you|can you) (?:cover|help with))\W*$", re.IGNORECASE)),
    (Act.AFFIRM, re.compile(
        r"^\W*(?:yes+|yeah|yep|yup|ya|yea|sure|ok(?:ay)?|k|sounds good|yes please|let'?s do (?:it|this)|go ahead|"
        r"definitely|absolutely|of course|why not|alright|sure thing|please do|i'?d like that|that would be great)"
        r"\W*(?:please|thanks)?\W*$", re.IGNORECASE)),
    (Act.DENY, re.compile(
        r"^\W*(?:no+|nope|nah|no thanks|no thank you|not really|maybe later|not right now|i'?m good|i'?m ok)\W*$",
        re.IGNORECASE)),
]  # fmt: skip

_RATE_HELPFUL = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|thanks|thank you|great|awesome|perfect|cool|nice)\W+)*"
    r"(?:(?:that|this|it)(?:'s| is| was)? (?:really |very |super |so )?(?:helpful|useful|great|perfect|good)|"
    r"(?:that|this|it) help(?:s|ed)(?: a lot)?|(?:very |super |really )?helpful|useful|great answer|good answer|"
    r"exactly what i (?:needed|was looking for))\W*(?:thanks|thank you|thx)?\W*$",
    re.IGNORECASE,
)
_RATE_NOT_HELPFUL = re.compile(
    r"^\W*(?:(?:hmm|um|no|nah|well)\W+)*(?:(?:that|this|it)(?:'s| is| was)? (?:not|wasn'?t|isn'?t) (?:very |really )?"
    r"(?:helpful|useful|what i (?:asked|meant|was looking for|wanted))|(?:that|this|it) (?:didn'?t|doesn'?t|did not|"
    r"does not) (?:help|answer (?:my|the) question)|not (?:helpful|useful|what i (?:asked|meant|was looking for))|"
    r"unhelpful|useless|wrong answer|that'?s wrong|irrelevant|not relevant)\W*$",
    re.IGNORECASE,
)
_SHOW_PLAN = re.compile(
    r"\b(?:show|see|view|print|display|send|give|copy|export|download|where'?s|what'?s|pull up|bring up)\b.{0,20}"
    r"\b(?:my|the) (?:career )?plan\b|\bplan (?:as|in) markdown\b|\bmarkdown\b|^\W*my plan\W*$",
    re.IGNORECASE,
)
_STEP_NUMBER = re.compile(r"\bstep\s*(?:#|no\.?|number)?\s*(\d+)\b", re.IGNORECASE)
_EXPLAIN = re.compile(
    r"\b(?:explain|what|mean|more|tell|why|how|elaborate|detail|about|clarify)\b|^\W*step", re.I
)
_PLAN_WORDS = r"(?:career )?(?:plans?|roadmaps?|road maps?|game ?plan|action plan)"
_PLAN_REQUEST = re.compile(
    rf"^\W*{_PLAN_WORDS}\W*(?:please|pls|plz)?\W*$|"
    rf"\b(?:make|build|create|give|get|want|need|like|do|start|draft|put together|write|help|set up|work out|"
    rf"figure out|come up with|map out|plan out|lay out|continue|resume|finish|redo|back to|pick up|"
    rf"personal(?:ised|ized)?|custom|my own|again|please|pls|plz|lets|let'?s)\b.{{0,40}}\b{_PLAN_WORDS}\b|"
    rf"\b{_PLAN_WORDS}\b.{{0,30}}\b(?:for me|please|pls|plz|again|to (?:reach|become|get|be|move))\b|"
    r"\b(?:map|lay|plan|sketch) out (?:a |my |the )?(?:own )?(?:path|route|career|next steps|steps|how)\b|"
    r"\bplan\W*$|"
    r"\b(?:personal(?:ised|ized)?|custom) (?:path|steps|advice|route)\b|\bhelp me plan\b",
    re.IGNORECASE,
)
_RESUME = re.compile(
    r"\b(?:continue|resume|carry on|keep going|go on|pick (?:it |this |the plan |my plan )?(?:back )?up|"
    r"where (?:we|i) left off|where were we|back to (?:it|the plan|my plan|the questions))\b",
    re.IGNORECASE,
)
# Asking for the way into management in general ("the steps", "career advice", "how do I move up").
_STEPS_OUTRIGHT = re.compile(
    r"\b(?:(?:a|an|the) (?:actual |real )?(?:path|route|way) from (?:where i am|here|my (?:job|role|position))|steps|step by step|step-by-step|1,? ?2,? ?3|one two three|roadmap|road map|career advice|"
    r"first,? second,? third|sequence|the usual order|overview|big picture|general path|usual path|typical path|"
    r"how (?:do )?(?:people|ppl|folks|staff) (?:usually |normally |typically )?(?:go|get|move|make it))\b|"
    r"\b(?:help|advice|how|where|what do i do)\b.{0,50}\b(?:move|moving|get|getting|go|going|transition\w*|"
    r"break\w*|step) (?:up|into|in to) (?:management|leadership|admin\w*|a (?:manager|management|leadership|"
    r"supervisor)\w*)\b|\b(?:move|moving) up\b.{0,40}\b(?:help|advice|how|where|start)\b",
    re.IGNORECASE,
)
_STEPS_QUESTION = re.compile(
    r"\b(?:steps?|step by step|1,? ?2,? ?3|one two three|roadmap|road map|path(?:way)?|route|ladder|"
    r"where (?:do|should|would|can) i (?:even )?start|how (?:do|can|would|should|did) (?:i|you|someone|people|one) "
    r"(?:get|go|move|make it|climb|transition|work (?:my|their|your) way|break)(?: up)? (?:from|into|to|in)|"
    r"what (?:do|would|should) i (?:need to |have to )?do to (?:become|get|be|move)|"
    r"how (?:do i|to|can i|does one|do you) (?:become|get into|break into|move into|move up|get promoted))",
    re.IGNORECASE,
)
# Someone talking about their own next step, not asking about the field in general.
_ABOUT_ONES_OWN_MOVE = re.compile(
    r"\b(?:i|i'?m|im|me|my)\b.{0,80}\b(?:move up|moving up|next step|going nowhere|stuck|dead[- ]end|"
    r"promot\w*|advance (?:my|in my) career|career (?:move|change|path)|step up|get ahead|climb\w*|"
    r"end up (?:as|running|in)|where (?:do|should|can) i go from here|what(?:'s| is) next for me)\b|"
    r"\bsomeone like me\b|\b(?:move up|next step|going nowhere|stuck|dead[- ]end|get promoted)\b.{0,80}"
    r"\b(?:i|i'?m|im|me|my)\b|"
    # "i want to become a nurse manager", "i'd like to move into leadership": an aim of one's own
    r"\b(?:i|i'?d|i'?m|im)\b.{0,30}\b(?:want|wanna|would like|like|hope|hoping|trying|aim\w*|plan\w*|dream)\w*"
    r"\s+to\s+(?:be|become|get into|move into|move up|go into|step into|grow into|work my way)\b.{0,40}"
    r"\b(?:manag\w*|supervis\w*|director|leader\w*|lead\b|admin\w*|executive|c[- ]suite|in charge)",
    re.IGNORECASE,
)
_MANAGEMENT = re.compile(
    r"\b(?:manag\w*|lead\w*|supervis\w*|director|admin\w*|executive|exec|boss|up|promot\w*|c[- ]suite|ceo|coo)\b",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"\b(?:actually|i meant|meant to say|correction|sorry|oops|my bad|not\b.+\b(?:but|it'?s|i'?m)|"
    r"i (?:now|just|finally) (?:have|got|finished|completed|earned)|i got my|change (?:my|the)|update (?:my|the)|"
    r"instead)\b",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def looks_like_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.search(text)) or bool(_ASKING.search(text))


class MessageReader:
    """Reads messages; the form answers come from `answers` (the role encoder is injected there)."""

    def __init__(
        self, answers: FormAnswerReader | None = None, small_talk: SmallTalkRecogniser | None = None
    ) -> None:
        self.answers = answers or FormAnswerReader()
        self._small_talk = small_talk

    def small_talk_act(self, text: str) -> Act | None:
        """Small talk by its words, else (with an encoder) by its meaning."""
        act = small_talk_act(text)
        if act is None and self._small_talk is not None and not looks_like_question(text.replace("?", "")):
            kind = self._small_talk.kind_of(text)
            act = Act(kind) if kind else None
        return act

    def read(self, text: str, context: DialogueContext) -> Reading:
        text = _clean(text)
        if context.active_form == RATING_COMMENT_FORM:
            return Reading(
                Act.SKIP if _SKIP.search(text) or small_talk_act(text) is Act.DENY else Act.COMMENT
            )
        if context.active_form == HANDOFF_FORM:
            return Reading(handoff_reply_act(text, context.requested_slot))
        if context.active_form == PLAN_FORM and context.requested_slot:
            return self._read_form_reply(text, context)
        return self._read_free_message(text, context)

    def _read_form_reply(self, text: str, context: DialogueContext) -> Reading:
        slot = context.requested_slot
        for act, pattern in ((Act.STOP, _STOP), (Act.SKIP, _SKIP), (Act.RESTART, _RESTART), (Act.WHY, _WHY)):
            if pattern.search(text) and len(text.split()) <= 10:
                return Reading(act)
        if _STOP_AT_END.search(text) and len(text.split()) <= 10:
            return Reading(Act.STOP)
        if _CLARIFY.search(text):
            return Reading(Act.WHY)
        small_talk = self.small_talk_act(text)
        if small_talk in (Act.BOT_CHALLENGE, Act.HELP):
            return Reading(small_talk)
        answer = self.answers.read_answer(slot, text)
        question = looks_like_question(text)
        # "bachelor's?" or "i do 3 12s so maybe 6-8?" is an unsure answer; "is a GED enough?" is a
        # question. For the role, only a job title the lexicon knows makes a question an answer.
        readable = answer.readable and (slot != "current_role" or title_in(text) is not None)
        tentative = question and readable and not _QUESTION_START.search(text)
        if question and not tentative:
            return Reading(Act.STEPS_QUESTION if self._asks_for_steps(text) else Act.QUESTION)
        if small_talk is Act.GOODBYE:
            return Reading(Act.STOP)
        if small_talk in (Act.GREET, Act.THANK):
            return Reading(small_talk)
        if small_talk is Act.AFFIRM or _PLAN_REQUEST.search(text) or _RESUME.search(text):
            return Reading(Act.CONTINUE)
        if _CORRECTION.search(text) and not (answer.value is not None and slot != "current_role"):
            changed = _changes(self.answers.stated_facts(_without_negated(text)), slot, context.filled)
            if changed:
                return Reading(Act.CORRECTION, changed)
        if answer.problem is not None:
            return Reading(Act.REFUSED, {}, answer.problem)
        if answer.value is not None:
            if slot == "current_role" and not _could_be_a_role(text):
                return Reading(Act.UNREADABLE)
            return Reading(Act.ANSWER, {slot: answer.value, **answer.extra})
        if _ASKING.search(text):
            return Reading(Act.QUESTION)
        return Reading(Act.UNREADABLE)

    def _read_free_message(self, text: str, context: DialogueContext) -> Reading:
        if not re.search(r"[^\W_]", text):
            return Reading(Act.QUESTION)  # no words: the knowledge action asks to rephrase
        if context.answer_in_play:
            if _RATE_NOT_HELPFUL.search(text):
                return Reading(Act.RATE_NOT_HELPFUL)
            if _RATE_HELPFUL.search(text):
                return Reading(Act.RATE_HELPFUL)
        if context.has_request and asks_about_a_request(text):
            return Reading(Act.REQUEST_STATUS)
        if asks_for_a_person(text):
            return Reading(Act.ASK_PERSON)
        small_talk = self.small_talk_act(text)
        if small_talk is Act.AFFIRM and (context.plan_offered or _paused(context)):
            return Reading(Act.PLAN_REQUEST)
        if small_talk is not None:
            return Reading(small_talk)
        step = _STEP_NUMBER.search(text)
        if step and (_EXPLAIN.search(text) or len(text.split()) <= 3):
            return Reading(Act.EXPLAIN_STEP, step=int(step.group(1)))
        if _SHOW_PLAN.search(text):
            return Reading(Act.SHOW_PLAN)
        if context.has_plan and _HOW_LONG.search(text):
            return Reading(Act.PLAN_TIMELINE)
        if context.has_plan and _CORRECTION.search(text) and not looks_like_question(text):
            facts = self.answers.stated_facts(_without_negated(text))
            if facts:
                return Reading(Act.UPDATE_PLAN, facts)
        if _RESTART.search(text) and re.search(r"\bplan\b", text, re.I):
            return Reading(Act.RESTART, self.answers.stated_facts(text))
        asks_about_own_plan = not context.has_plan and re.search(
            r"\bmy (?:own )?(?:career )?plan\b", text, re.I
        )
        if _PLAN_REQUEST.search(text) or asks_about_own_plan or (_RESUME.search(text) and _paused(context)):
            return Reading(Act.PLAN_REQUEST, self.answers.stated_facts(text))
        if self._asks_for_steps(text):
            return Reading(Act.STEPS_QUESTION, self.answers.stated_facts(text))
        if not context.has_plan and _ABOUT_ONES_OWN_MOVE.search(text):
            # "been pushing stretchers for 5 yrs and i feel like im going nowhere": answered,
            # and a plan of one's own offered, with what the message said kept for it.
            return Reading(Act.QUESTION, self.answers.stated_facts(text), offer_plan=True)
        return Reading(Act.QUESTION, self.answers.said_of_oneself(text))

    @staticmethod
    def _asks_for_steps(text: str) -> bool:
        """Whether what the message asks (its question sentences, when it has some) is the general path."""
        asked = [c.text for c in candidate_queries(text) if c.is_question and not c.is_whole] or [text]
        return any(
            _STEPS_OUTRIGHT.search(part) or (_STEPS_QUESTION.search(part) and _MANAGEMENT.search(part))
            for part in asked
        )


_SEND_IT = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|ok|okay|please)\b|\bsend it\b|\bwant (?:it|this|that) sent\b",
    re.IGNORECASE,
)
# Any of these anywhere in the reply makes it a no: consent is never read from a message that
# also refuses ("i'd rather not send it with her name in it, no").
_DONT_SEND = re.compile(
    r"\b(?:no+|nope|nah|don'?t|dont|do not|not|never ?mind|cancel|forget it|rather not|hold on|wait|stop)\b",
    re.IGNORECASE,
)


def handoff_reply_act(text: str, slot: str | None) -> Act:
    """A reply to "shall I send it?" (AFFIRM, DENY, WHY: who would see it, or UNREADABLE:
    anything else, such as more about the question), "what would you like to
    ask the office?" (ANSWER or STOP) or "how can they reach you?" (ANSWER, SKIP or STOP)."""
    text = _clean(text)
    small_talk = small_talk_act(text)
    stop = bool(_STOP.search(text)) and len(text.split()) <= 10
    if slot == "handoff_consent":
        if asks_who_sees_a_request(text):
            return Act.WHY
        if small_talk is Act.DENY or stop or _DONT_SEND.search(text):
            return Act.DENY
        return Act.AFFIRM if small_talk is Act.AFFIRM or _SEND_IT.search(text) else Act.UNREADABLE
    if stop:
        return Act.STOP
    if slot == "handoff_contact" and (
        small_talk is Act.DENY or _SKIP.search(text) or re.search(r"^\W*(?:no|none|n/?a)\b", text, re.I)
    ):
        return Act.SKIP
    return Act.ANSWER


# How long something takes, asked once a plan exists: the plan's own estimate answers it.
_HOW_LONG = re.compile(
    r"\bhow (?:long|many (?:more )?(?:years?|yrs?|months?))\b|\bhow soon\b|\btime ?line\b|"
    r"\b(?:years?|yrs?|months?) (?:total|in all|altogether)\b|\bwhen (?:can|could|will|would|do) i\b.*"
    r"\b(?:be|become|get|apply|finish|make it)\b|\b\d+ (?:years?|yrs?)\s*\?",
    re.IGNORECASE,
)


def small_talk_act(text: str) -> Act | None:
    """The small-talk act a message is, when it is nothing more ("thanks!", "are you a bot?")."""
    for act, pattern in _SMALL_TALK:
        if pattern.search(text):
            return act
    return None


# The words kept beside a slot change with it.
_DETAILS = {"current_role": ("role_words", "department"), "target_role": ("target_words",)}


def _changes(facts: dict[str, Any], asked: str, filled: Mapping[str, Any]) -> dict[str, Any]:
    """Facts that change an earlier answer (not the one being asked), with their details."""
    changed: dict[str, Any] = {}
    for slot in filled:
        if slot == asked or slot not in facts or filled.get(slot) is None:
            continue
        details = {key: facts[key] for key in _DETAILS.get(slot, ()) if key in facts}
        if facts[slot] != filled[slot] or details:
            changed.update({slot: facts[slot], **details})
    return changed


def _paused(context: DialogueContext) -> bool:
    """A plan form was left with answers kept and no plan built yet."""
    return not context.has_plan and any(value not in (None, SKIPPED) for value in context.filled.values())


def _without_negated(text: str) -> str:
    """ "billing, not coding" -> "billing": the part after "not" is what the person takes back."""
    return re.sub(
        r",?\s*\bnot\s+(?:a |an |the )?[\w' -]+?(?=[,.;!?]|$|\s+but\b)", " ", text, flags=re.IGNORECASE
    )


def _could_be_a_role(text: str) -> bool:
    """A reply to "what is your role?" that names one: not a stray "ok" or "yes"."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return bool(words) and not re.fullmatch(
        r"\W*(?:ok(?:ay)?|yes|no|sure|idk|dunno|nothing|none|n/?a|hmm+|um+|test|asdf\w*)\W*",
        text,
        re.IGNORECASE,
    )
