"""Errors users see, and the one place that turns any exception into a Vietnamese message.

A leaf module: it imports nothing from the package except settings. Every error raised for a user
subclasses `AssistantError` where it arises (loaders, the model client, the index, …) and carries
its Vietnamese message (naming the file or setting) and, when there is one, the fix.
"""
from __future__ import annotations

import errno

from .config import get_settings


class AssistantError(Exception):
    """An error a user can act on. `message` is Vietnamese; `fix` says what to do (optional)."""

    def __init__(self, message: str, fix: str | None = None, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.code = code

    def __str__(self) -> str:
        if self.fix and self.fix not in self.message:
            return f"{self.message} {self.fix}"
        return self.message


class UsageError(AssistantError):
    """A command or request used the wrong way (exit code 2 on the command line)."""


class ModelError(AssistantError):
    """A local model is missing or damaged."""


class LLMUnavailable(AssistantError):
    """The model endpoint cannot answer."""


class EmbeddingError(AssistantError):
    """Embedding failed."""


class IndexUnavailable(AssistantError):
    """The index cannot be used as configured."""


class IngestBusy(IndexUnavailable):
    """Another ingest holds the writer lock."""


class LoadError(AssistantError):
    """A file that cannot be turned into text. `code` is stable (loaders.CODES)."""

    def __init__(self, code: str, message: str, fix: str | None = None):
        super().__init__(message, fix, code=code)


def user_message(exc: BaseException) -> str:
    """A clear Vietnamese message for any exception (no traceback)."""
    if isinstance(exc, AssistantError):
        return str(exc)
    import httpx
    import openai

    if isinstance(exc, openai.APIError):
        return model_error_message(exc)
    if isinstance(exc, httpx.TransportError):
        return _transport_message(exc)
    if isinstance(exc, FileNotFoundError):
        return f"Không tìm thấy tệp '{exc.filename}'. Kiểm tra lại đường dẫn."
    if isinstance(exc, PermissionError):
        return f"Không có quyền đọc/ghi '{exc.filename}'. Kiểm tra quyền của thư mục (ASSISTANT_DATA_DIR)."
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "Ổ đĩa đã đầy: không ghi được chỉ mục. Giải phóng dung lượng rồi chạy lại; dữ liệu đã nạp không bị mất."
    return f"Lỗi không mong đợi ({exc.__class__.__name__}: {exc}). Chạy lại với --debug để xem chi tiết."


def model_error_message(exc: BaseException, settings=None) -> str:
    """What went wrong with the chat model endpoint, and what to do."""
    import openai

    settings = settings or get_settings()
    where = settings.model_where
    if isinstance(exc, AssistantError):
        return str(exc)
    if isinstance(exc, openai.APITimeoutError):
        return (f"Mô hình ({where}) không trả lời trong {settings.llm_timeout:.0f} giây. "
                "Thử lại, rút ngắn yêu cầu, hoặc tăng ASSISTANT_LLM_TIMEOUT.")
    if isinstance(exc, openai.APIConnectionError):
        return (f"Không kết nối được tới mô hình tại {where}. Kiểm tra máy chủ đang chạy và OPENAI_BASE_URL, "
                "hoặc bỏ OPENAI_BASE_URL để dùng mô hình cục bộ.")
    if isinstance(exc, openai.AuthenticationError):
        return f"Máy chủ mô hình {where} từ chối khóa truy cập. Kiểm tra OPENAI_API_KEY."
    if isinstance(exc, openai.NotFoundError):
        return f"Máy chủ {where} không có mô hình '{settings.model}'. Kiểm tra ASSISTANT_MODEL."
    if isinstance(exc, openai.APIStatusError):
        return f"Máy chủ mô hình {where} báo lỗi {exc.status_code}. Thử lại sau ít phút."
    return f"Lỗi khi gọi mô hình ({exc.__class__.__name__}). Thử lại; nếu lặp lại, xem nhật ký với --debug."


def _transport_message(exc: BaseException) -> str:
    """Chroma's HttpClient lets httpx errors through when the server goes away after the index was
    opened (a long-running app, a server restarted mid-session): name the server and the fix."""
    settings = get_settings()
    url = settings.chroma_url
    if settings.embedded_vectors:
        return (f"Lỗi kết nối mạng ({exc.__class__.__name__}). Kiểm tra các máy chủ đã cấu hình "
                "(OPENAI_BASE_URL, ASSISTANT_EMBEDDINGS_URL) rồi thử lại.")
    return (f"Mất kết nối tới máy chủ Chroma tại {url} ({exc.__class__.__name__}). Kiểm tra máy chủ Chroma "
            "đang chạy (`chroma run --host … --path …`) và ASSISTANT_CHROMA_URL, rồi thử lại; dữ liệu đã nạp "
            "nằm trên máy chủ Chroma và không bị mất.")
