"""Small talk recognised by meaning, from examples."""

from __future__ import annotations

import numpy as np

from understanding.dialogue_acts import Act, DialogueContext, MessageReader
from understanding.small_talk import SmallTalkRecogniser


class WordEncoder:
    """Deterministic: a text's vector says which of a few words it holds."""

    name = "words"
    WORDS = ("cheers", "useful", "run", "later", "ask", "stuff")

    def encode(self, texts):
        rows = np.array([[float(word in text.lower()) for word in self.WORDS] for text in texts])
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def recogniser(tmp_path) -> SmallTalkRecogniser:
    examples = tmp_path / "small_talk.yml"
    examples.write_text(
        "thank: [cheers really useful]\ngoodbye: [gotta run later]\nhelp: [what stuff can i ask]\n"
    )
    return SmallTalkRecogniser(WordEncoder(), examples)


def test_short_messages_close_to_an_example_are_that_kind_of_talk(tmp_path):
    small_talk = recogniser(tmp_path)

    assert small_talk.kind_of("cheers, super useful") == "thank"
    assert small_talk.kind_of("ok i have to run, later") == "goodbye"
    assert small_talk.kind_of("nothing like any example") is None
    # Long messages carry more than small talk.
    assert (
        small_talk.kind_of("cheers that was useful and now tell me how to become a nurse manager please")
        is None
    )


def test_the_reader_uses_it_but_never_for_a_question(tmp_path):
    reader = MessageReader(small_talk=recogniser(tmp_path))

    assert reader.read("what kind of stuff can i ask", DialogueContext()).act is Act.HELP  # by its words
    assert reader.read("cheers mate, useful", DialogueContext()).act is Act.THANK
    assert reader.read("is cheers useful?", DialogueContext()).act is Act.QUESTION
