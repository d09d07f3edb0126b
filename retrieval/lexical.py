"""Tokenising for BM25: lower case, English stop words out, Snowball stems."""

from __future__ import annotations

import re
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_TOKEN = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(STOPWORDS_EN)


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def lexical_tokens(text: str) -> list[str]:
    words = [word for word in _TOKEN.findall(text.lower()) if word not in _STOPWORDS]
    return _stemmer().stemWords(words)
