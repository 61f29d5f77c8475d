"""Summaries: figures copied exactly from the report, with section and page; the model only writes prose."""
import pytest

from assistant import llm, summarising

from conftest import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "corpus" / "mau" / "bao-cao-tu-phap-6-thang-2025-xa-mau.md"


def test_structure_and_exact_figures_with_a_scripted_model(monkeypatch):
    monkeypatch.setattr(llm, "complete", lambda *a, **k: "Trong kỳ, xã chứng thực 3.214 bản sao và 9.999 việc khác.")
    answer = summarising.summarize(str(SAMPLE))
    s = answer.summary
    assert s["number"] == "45/BC-UBND" and s["date"] == "2025-12-10"
    text = SAMPLE.read_text(encoding="utf-8")
    figures = [f["text"] for f in s["key_figures"]]
    assert any("3.214 bản" in f for f in figures)
    assert all(f in text for f in figures), "every figure is copied verbatim from the report"
    assert all(f["page"] == 1 and f["section"] for f in s["key_figures"])
    assert len(s["difficulties"]) == 3 and len(s["recommendations"]) == 3
    assert any("biên chế" in r["text"] for r in s["recommendations"])
    # the invented figure in the model's prose is flagged and visibly marked
    assert any(f["text"] == "9.999" for f in answer.findings)
    assert "9.999 (chưa xác minh)" in answer.text
    for f in answer.findings:
        assert answer.text[f["start"]:f["end"]] == f["text"]


def test_model_down_still_gives_the_extracted_summary(monkeypatch):
    def down(*a, **k):
        raise llm.LLMUnavailable("Không kết nối được tới mô hình.")

    monkeypatch.setattr(llm, "complete", down)
    answer = summarising.summarize(str(SAMPLE))
    assert answer.error and answer.summary["key_figures"]


@pytest.mark.llm
def test_summary_with_the_local_model():
    answer = summarising.summarize(str(SAMPLE))
    assert answer.summary["overview"].strip() and not answer.error
