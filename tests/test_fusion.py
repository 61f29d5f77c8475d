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
