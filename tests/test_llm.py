"""The embedded llama.cpp server answers through the plain `openai` client (0.5B, temperature 0)."""
import pytest

from assistant import llm
from assistant.config import get_settings

pytestmark = pytest.mark.llm


def test_local_server_answers_through_openai_client():
    ep = llm.endpoint()
    assert ep.local and ep.base_url.startswith("http://127.0.0.1:")
    client = llm.client()
    resp = client.chat.completions.create(model=ep.model, temperature=0, max_tokens=8,
                                          messages=[{"role": "user", "content": "Trả lời đúng một từ: xin chào"}])
    assert resp.choices[0].message.content.strip()


def test_streaming_yields_pieces():
    pieces = list(llm.stream_chat([{"role": "user", "content": "Đếm từ 1 đến 3."}], max_tokens=12, temperature=0))
    assert len(pieces) > 1 and "".join(pieces).strip()


def test_langchain_chat_model_on_same_endpoint():
    model = llm.chat_model(temperature=0, max_tokens=8)
    out = model.invoke("Nói 'có'.")
    assert out.content.strip()


def test_endpoint_down_gives_vietnamese_message(monkeypatch):
    from assistant.config import reset_settings

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    monkeypatch.setenv("ASSISTANT_LLM_RETRIES", "0")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "5")
    reset_settings()
    try:
        with pytest.raises(llm.LLMUnavailable, match="Không kết nối được"):
            llm.complete([{"role": "user", "content": "?"}])
    finally:
        monkeypatch.undo()  # all three settings, not only the endpoint: a 5 s timeout must not outlive this test
        reset_settings()
    assert get_settings().openai_base_url is None and get_settings().llm_timeout != 5


def test_warmed_prompts_are_read_once_and_reused():
    """After warm_prompts, a request pays only for its own part (llama.cpp reports what it read)."""
    import httpx

    from assistant import prompts

    assert llm.warm_prompts(("ask",)) == 1
    ep = llm.endpoint()
    msgs = prompts.messages("ask", sources="<<<NGUỒN 1>>>\nKhai sinh 236 việc.\n<<<HẾT NGUỒN 1>>>",
                            question="Khai sinh bao nhiêu việc?")
    r = httpx.post(ep.base_url + "/chat/completions", json={"model": ep.model, "messages": msgs, "max_tokens": 1},
                   timeout=300).json()
    timings = r.get("timings") or {}
    assert timings.get("cache_n", 0) > 0
    assert timings["prompt_n"] < r["usage"]["prompt_tokens"] / 2
