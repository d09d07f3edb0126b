"""Unanswered questions are grouped by meaning, not by a shared word (labelled set of our own)."""

from __future__ import annotations

import itertools

import yaml
from sklearn.metrics import adjusted_rand_score

from learning_from_use.question_clusters import cluster_questions
from tests import REPO_ROOT

GROUPS = yaml.safe_load((REPO_ROOT / "tests/unanswered_groups.yml").read_text())
# Pairs that share a word and mean different things: never one group.
APART = [
    ("can you help me dispute a charge on my hospital bill?", "is the CPC exam hard to pass"),
    ("how do i get a parking pass", "is the CPC exam hard to pass"),
    ("who covers my shifts while i'm on maternity leave", "does the hospital pay for my MHA"),
    ("how much does a part-time MBA cost", "why did my own ER visit cost so much"),
]


def test_the_grouping_follows_meaning(encoder):
    questions = [q for group in GROUPS.values() for q in group]
    truth = {q: name for name, group in GROUPS.items() for q in group}

    clusters = cluster_questions(questions, encoder)

    found = {q: number for number, cluster in enumerate(clusters) for q in cluster.questions}
    score = adjusted_rand_score([truth[q] for q in questions], [found[q] for q in questions])
    assert score >= 0.4, [c.questions for c in clusters]
    for first, second in APART:
        assert found[first] != found[second], (first, second)
    # A group is not merely the word its members share.
    assert all(len(set(c.questions)) == len(c.questions) for c in clusters)
    assert len(list(itertools.chain.from_iterable(c.questions for c in clusters))) == len(questions)
