from __future__ import annotations

import pytest

from assistant.fusion import rrf


def test_rrf_scores_and_order():
    out = rrf([["a", "b", "c"], ["b", "a", "d"]], k=60)
    scores = dict(out)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["a"] == pytest.approx(scores["b"])
    assert [d for d, _ in out][:2] == ["a", "b"]  # tie: first met first
    assert [d for d, _ in out][2:] == ["c", "d"]


def test_rrf_document_in_both_lists_beats_single_list_leader():
    out = rrf([["x", "a"], ["y", "a"]], k=1)
    assert out[0][0] == "a"


def test_rrf_weights():
    out = rrf([["a", "b"], ["b", "a"]], weights=[2.0, 1.0], k=60)
    assert out[0][0] == "a"
    out = rrf([["a"], ["b"]], weights=[1.0, 0.0])
    assert out == [("a", pytest.approx(1 / 61))]  # zero-weight list ignored entirely


def test_rrf_edge_cases():
    assert rrf([]) == []
    assert rrf([[], []]) == []
    assert dict(rrf([["a", "a", "b"]]))["b"] == pytest.approx(1 / 62)  # duplicates count once
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[-1.0])


def test_score_fusion_normalises_each_list():
    from assistant.fusion import score_fusion

    # BM25-sized and cosine-sized scores: each list is scaled to [0, 1] before weighting
    bm25 = [("a", 30.0), ("b", 10.0), ("c", 9.0)]
    dense = [("b", 0.90), ("c", 0.89), ("a", 0.70)]
    out = dict(score_fusion([bm25, dense], [0.5, 0.5]))
    assert out["a"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)
    assert out["b"] == pytest.approx(0.5 * 1 / 21 + 0.5 * 1.0)
    assert [d for d, _ in score_fusion([bm25, dense], [0.5, 0.5])][0] == "b"
    # a clear lexical winner keeps first place where RRF would tie it with a shared runner-up
    assert score_fusion([[("a", 30.0), ("b", 5.0), ("z", 4.0)], [("b", 0.9), ("x", 0.88), ("a", 0.87)]],
                        [0.6, 0.4])[0][0] == "a"


def test_score_fusion_edge_cases():
    from assistant.fusion import score_fusion

    assert score_fusion([]) == [] and score_fusion([[], []]) == []
    assert score_fusion([[("a", 2.0)]]) == [("a", 1.0)]                      # one id, equal scores: 1
    assert score_fusion([[("a", 1.0), ("b", 1.0)]]) == [("a", 1.0), ("b", 1.0)]  # ties: first met first
    assert score_fusion([[("a", 3.0), ("a", 9.0), ("b", 1.0)]])[0] == ("a", 1.0)  # first occurrence counts
    assert score_fusion([[("a", 1.0)], [("b", 1.0)]], [1.0, 0.0]) == [("a", 1.0)]  # weight 0 ignored
    with pytest.raises(ValueError):
        score_fusion([[("a", 1.0)]], [1.0, 2.0])
    with pytest.raises(ValueError):
        score_fusion([[("a", 1.0)]], [-1.0])
