"""The jobs as LangChain runnables: same answers as the product functions, streaming and batch."""
import pytest

from assistant import answering, chains, drafting, llm, prompts
from assistant.documents import Hit

HITS = [Hit(doc_id="b", source="bc.md", title="Báo cáo", number="45/BC-UBND", page=1, section="I > 1", score=1.0,
            text="Tổng số việc hộ tịch đã đăng ký là 412 việc.", meta={"bm25": 2.0, "dense": 0.93})]


@pytest.fixture
def scripted(monkeypatch, data_dir):
    monkeypatch.setattr(answering, "retrieve", lambda *a, **k: HITS)
    monkeypatch.setattr(drafting, "retrieve", lambda *a, **k: HITS)
    monkeypatch.setattr(llm, "stream_chat", lambda *a, **k: iter(["- Xã đã đăng ký ", "412 việc hộ tịch [1]."]))


def test_ask_runnable_invokes_streams_and_batches(scripted):
    job = chains.ask_runnable()
    out = job.invoke("Xã đã đăng ký bao nhiêu việc hộ tịch?")
    assert out["text"] == "- Xã đã đăng ký 412 việc hộ tịch [1]." and out["sources"][0]["number"] == "45/BC-UBND"
    events = list(job.stream({"question": "Xã đã đăng ký bao nhiêu việc hộ tịch?"}))
    assert [e["event"] for e in events][0] == "sources" and events[-1]["event"] == "done"
    assert events[-1]["text"] == out["text"] and "findings" in events[-1]
    assert [o["text"] for o in job.batch(["Hộ tịch?", "Hộ tịch năm nay?"])] == [out["text"]] * 2


def test_draft_runnable_takes_the_report_context(scripted):
    out = chains.draft_runnable().invoke({"request": "Soạn mục công tác hộ tịch", "unit": "UBND xã An Hòa",
                                          "report_date": "2025-12-10"})
    assert "412 việc hộ tịch [1]" in out["text"] and out["sources"]


@pytest.mark.parametrize("name", ["ask", "draft", "draft_repair", "summarize"])
def test_prompt_templates_build_the_same_messages(name):
    values = {"sources": "<<<NGUỒN 1>>>\n{x}\n<<<HẾT NGUỒN 1>>>", "question": "?", "request": "Soạn mục 1.3",
              "context": "", "draft": "d", "problems": "- p", "documents": "{{VB 1}}", "report": "r"}
    template = chains.prompt_template(name)
    got = [m.content for m in template.format_messages(**{k: v for k, v in values.items()
                                                          if k in template.input_variables})]
    assert got == [m["content"] for m in prompts.messages(name, **values)]
