from __future__ import annotations

import pytest

from retrieval.hybrid_search import HybridSearcher, fuse
from retrieval.knowledge_entries import load_entries
from retrieval.knowledge_index import build_index, load_index
from retrieval.settings import Fusion

FUSION = Fusion(dense_weight=1.0, lexical_weight=0.5, lexical_saturation=4.0)


@pytest.fixture
def searcher(tmp_path, knowledge_dir, encoder) -> HybridSearcher:
    build_index(load_entries([knowledge_dir]), encoder, tmp_path / "index")
    return HybridSearcher(load_index(tmp_path / "index", encoder.name), encoder, FUSION)


def test_fusion_adds_a_saturated_bm25_score_to_the_cosine():
    assert fuse(0.6, 4.0, FUSION) == pytest.approx(0.6 + 0.5 * 0.5)
    assert fuse(0.6, 0.0, FUSION) == pytest.approx(0.6)
    assert fuse(0.6, 4.0, FUSION, mode="dense") == pytest.approx(0.6)
    assert fuse(0.6, 4.0, FUSION, mode="bm25") == pytest.approx(0.5)
    # However large BM25 gets, its share stays below lexical_weight: the scale is fixed.
    assert fuse(0.0, 1e9, FUSION) < 0.5 + 1e-6


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_ranks_the_matching_passage_first(searcher, mode):
    hits = searcher.search("who should mentor me", k=3, mode=mode)

    assert hits[0].passage_id == "mentors"
    assert hits[0].score > (hits[1].score if len(hits) > 1 else 0)


def test_hybrid_scores_combine_both_signals_and_are_ordered(searcher):
    hits = searcher.search("how do I get budget experience", k=3)

    assert hits[0].entry_id == "budgets"
    assert hits[0].dense > 0.9 and hits[0].lexical > 0
    assert hits[0].score == pytest.approx(fuse(hits[0].dense, hits[0].lexical, FUSION))
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_a_question_with_no_known_words_scores_nothing_lexically(searcher):
    hits = searcher.search("zzz qqq", k=3, mode="bm25")

    assert hits == []
