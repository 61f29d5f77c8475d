"""The chat model, always reached through an OpenAI-compatible endpoint.

With no `OPENAI_BASE_URL`, an embedded llama.cpp server (xllamacpp, in-process, loopback only)
is started once per process on a packaged GGUF model; otherwise the remote endpoint is used
with the very same client code.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import openai
from langchain_openai import ChatOpenAI

from . import prompts
from .config import Settings, get_settings
from .errors import LLMUnavailable, model_error_message
from .models import resolve_gguf

log = logging.getLogger(__name__)


PROMPT_CACHE_MIB = 512


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """llama.cpp's OpenAI-compatible server running inside this process on 127.0.0.1."""

    def __init__(self, settings: Settings):
        import xllamacpp

        self.model_path = resolve_gguf(settings)
        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.n_parallel = 2
        params.n_ctx = settings.context_tokens * params.n_parallel
        params.hostnames = ["127.0.0.1"]
        params.port = _free_port()
        params.use_jinja = True
        params.verbosity = 1 if settings.log_level.upper() != "DEBUG" else 3
        # Prompt states kept in RAM for reuse (the fixed prompt parts, recent requests): ~28 KB per token
        # for the 1.5B model (28 layers × K and V × 256 × f16, by its shape), so 512 MiB holds a dozen
        # full prompts, not the server's default 8 GiB.
        params.cache_ram_mib = PROMPT_CACHE_MIB
        params.cpuparams.n_threads = settings.cpu_threads
        params.cpuparams_batch.n_threads = settings.cpu_threads
        params.model_alias = "local"
        started = time.perf_counter()
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:  # llama.cpp reports load failures as plain exceptions
            raise LLMUnavailable(
                f"Không khởi động được mô hình cục bộ '{self.model_path.name}': {exc}. "
                "Kiểm tra tệp mô hình (ASSISTANT_GGUF) hoặc đặt OPENAI_BASE_URL tới một máy chủ khác."
            ) from exc
        self.base_url = f"http://127.0.0.1:{params.port}/v1"
        log.info("Mô hình cục bộ %s sẵn sàng sau %.1f s tại %s", self.model_path.name,
                 time.perf_counter() - started, self.base_url)


_server: LocalServer | None = None
_server_lock = threading.Lock()


def local_server(settings: Settings | None = None) -> LocalServer:
    global _server
    with _server_lock:
        if _server is None:
            _server = LocalServer(settings or get_settings())
        return _server


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    api_key: str
    model: str
    local: bool


def endpoint(settings: Settings | None = None) -> Endpoint:
    """Where chat requests go; starts the embedded server on first use when no URL is set."""
    settings = settings or get_settings()
    if not settings.embedded_model:
        return Endpoint(settings.openai_base_url.rstrip("/"), settings.openai_api_key, settings.model, False)
    server = local_server(settings)
    return Endpoint(server.base_url, "local", "local", True)


def client(settings: Settings | None = None) -> openai.OpenAI:
    settings = settings or get_settings()
    ep = endpoint(settings)
    return openai.OpenAI(base_url=ep.base_url, api_key=ep.api_key, timeout=settings.llm_timeout,
                         max_retries=settings.llm_retries)


def chat_model(settings: Settings | None = None, *, max_tokens: int | None = None, stop: list[str] | None = None,
               temperature: float | None = None) -> ChatOpenAI:
    """The chat model every job uses: LangChain's `ChatOpenAI` on the configured endpoint (the embedded
    llama.cpp server or OPENAI_BASE_URL). A repeat penalty other than 1.0 (off, the measured best: a
    penalty also discourages copying the sources' words and figures) goes to the embedded model
    (ASSISTANT_REPEAT_PENALTY); a remote server keeps its own defaults."""
    settings = settings or get_settings()
    ep = endpoint(settings)
    extra = {"repeat_penalty": settings.repeat_penalty} if ep.local and settings.repeat_penalty != 1.0 else None
    return ChatOpenAI(base_url=ep.base_url, api_key=ep.api_key, model=ep.model,
                      temperature=settings.temperature if temperature is None else temperature,
                      timeout=settings.llm_timeout, max_retries=settings.llm_retries, streaming=True,
                      max_tokens=max_tokens, stop=stop or None, extra_body=extra)


class MalformedReply(ValueError):
    """The endpoint answered, but not with OpenAI-compatible chat events."""


def _malformed_message(settings: Settings) -> str:
    where = settings.model_where
    return (f"Máy chủ mô hình {where} trả về dữ liệu không đúng định dạng OpenAI (chat completions). "
            "Kiểm tra OPENAI_BASE_URL trỏ tới đúng máy chủ (thường kết thúc bằng /v1) rồi thử lại.")


def _cut_message(settings: Settings) -> str:
    where = settings.model_where
    return (f"Kết nối tới mô hình ({where}) bị ngắt giữa chừng khi đang trả lời. "
            "Thử lại; nếu lặp lại, kiểm tra máy chủ mô hình.")


def stream_chat(prompt, *, settings: Settings | None = None, max_tokens: int | None = None,
                temperature: float | None = None, stop: list[str] | None = None) -> Iterator[str]:
    """Stream the model's reply to `prompt` (chat messages as dicts, or a LangChain prompt value) as
    text pieces; every failure becomes `LLMUnavailable` with a Vietnamese message. Closing the
    iterator early (a reply cut because it loops) closes the HTTP stream, which stops the server."""
    settings = settings or get_settings()
    received = False
    stream = None
    try:
        stream = chat_model(settings, max_tokens=max_tokens, temperature=temperature, stop=stop).stream(prompt)
        chunks = 0
        for chunk in stream:
            chunks += 1
            content = chunk.content
            if content is not None and not isinstance(content, (str, list)):
                raise MalformedReply("content is not text")
            if isinstance(content, list):
                content = "".join(c if isinstance(c, str) else str(c.get("text", "")) for c in content)
            if content:
                received = True
                yield content
        if chunks == 0:  # a 200 answer that is not an event stream (a proxy page, another API)
            raise MalformedReply("no events")
    except (openai.APIError, LLMUnavailable) as exc:
        if received and isinstance(exc, openai.APIConnectionError) and not isinstance(exc, openai.APITimeoutError):
            raise LLMUnavailable(_cut_message(settings)) from exc
        raise LLMUnavailable(model_error_message(exc, settings)) from exc
    except httpx.TimeoutException as exc:
        raise LLMUnavailable(model_error_message(openai.APITimeoutError(request=exc.request), settings)) from exc
    except httpx.TransportError as exc:  # raised while reading the stream, not wrapped by the client
        raise LLMUnavailable(_cut_message(settings)) from exc
    except (MalformedReply, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # non-JSON event data, events of the wrong shape: not an OpenAI-compatible reply
        log.debug("malformed model reply: %r", exc)
        raise LLMUnavailable(_malformed_message(settings)) from exc
    finally:
        if stream is not None:
            stream.close()  # a reader that stops early (a loop cut short) stops the server generating


def complete(messages: list[dict], **kwargs) -> str:
    return "".join(stream_chat(messages, **kwargs))


def warm_prompts(names: tuple[str, ...] | None = None, settings: Settings | None = None) -> int:
    """Have the embedded server read each prompt's fixed part (instructions and worked example) once.

    llama.cpp keeps what it has read in its prompt cache (per slot and in RAM), so later requests
    starting with the same messages read only their own sources and request: on two cores this is
    the difference between ~11 s and ~6 s before the first word (bench/draft_latency.py). A remote
    endpoint is left alone. Returns the number of prompts warmed; failures are only logged.
    """
    settings = settings or get_settings()
    if not settings.embedded_model:
        return 0
    if names is None:  # every prompt the jobs use ("ask" first: the chat opens in "Hỏi đáp" mode)
        names = tuple(p.stem for p in sorted(prompts.prompts_dir().glob("*.md")))
    warmed = 0
    for name in names:
        try:
            ep = endpoint(settings)
            # The request itself is empty: the cached prefix ends where every real request's differs.
            client(settings).chat.completions.create(
                model=ep.model, messages=prompts.fixed_part(name) + [{"role": "user", "content": ""}],
                max_tokens=1, temperature=0)
            warmed += 1
        except Exception as exc:  # noqa: BLE001
            log.info("Không đọc trước được mẫu lời nhắc %s: %s", name, exc)
    return warmed
