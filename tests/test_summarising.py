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


def test_a_long_report_is_summarised_part_by_part_then_once_more(monkeypatch):
    """Map: one overview per part; reduce: one overview of those, checked against the report."""
    seed = PROJECT_ROOT / "corpus" / "bao-cao-so-ket-binh-thanh-2026.txt"
    calls = []

    def scripted(prompt, **k):
        messages = [{"content": m.content} for m in prompt.to_messages()]
        calls.append(messages)
        if "<<<TÓM TẮT>>>" in messages[-1]["content"]:
            return "Văn phòng có tổng số: 08 người; xã chứng thực 1.707 việc và 4.321 việc khác."
        return f"Phần {len(calls)}: Văn phòng có tổng số: 08 người."

    monkeypatch.setattr(llm, "complete", scripted)
    answer = summarising.summarize(str(seed))
    maps = [m for m in calls if "<<<BÁO CÁO>>>" in m[-1]["content"]]
    reduces = [m for m in calls if "<<<TÓM TẮT>>>" in m[-1]["content"]]
    assert len(maps) > 1 and len(reduces) == 1
    assert "Phần 1:" in reduces[0][-1]["content"] and "Phần 2:" in reduces[0][-1]["content"]
    overview = answer.summary["overview"]
    assert overview.startswith("Văn phòng có tổng số: 08 người; xã chứng thực 1.707 việc")
    assert "4.321 (chưa xác minh)" in overview, "the reduce step's prose is verified against the report"


def test_the_parts_are_joined_when_the_reduce_step_fails(monkeypatch):
    def scripted(prompt, **k):
        if "<<<TÓM TẮT>>>" in prompt.to_messages()[-1].content:
            raise llm.LLMUnavailable("Không kết nối được tới mô hình.")
        return "Văn phòng có tổng số: 08 người."

    monkeypatch.setattr(llm, "complete", scripted)
    assert summarising.reduce_overviews(["Một.", "Hai."]) == "Một. Hai."


def test_a_number_cut_by_the_token_limit_is_not_a_sentence_end():
    text = "Xã tổ chức 9 hội nghị. Cấp phát tờ gấp với khoảng 1."
    assert summarising._whole_sentences(text) == "Xã tổ chức 9 hội nghị."
    assert summarising._whole_sentences("Đạt 82,6%.") == "Đạt 82,6%."
    assert summarising._whole_sentences("Xã phát triển. Kết quả năm 2020.") == "Xã phát triển. Kết quả năm 2020."
