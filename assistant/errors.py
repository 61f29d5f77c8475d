"""One place that turns any exception into a clear Vietnamese message for users."""
from __future__ import annotations


def user_message(exc: BaseException) -> str:
    from .embeddings import EmbeddingError
    from .index import IndexError_
    from .llm import LLMUnavailable, unavailable_message
    from .models import ModelError

    if isinstance(exc, (LLMUnavailable, ModelError, IndexError_, EmbeddingError)):
        return str(exc)
    try:
        from .loaders import LoadError

        if isinstance(exc, LoadError):
            return exc.message
    except ImportError:
        pass
    import openai

    if isinstance(exc, openai.APIError):
        return unavailable_message(exc)
    message = _vector_store_message(exc)
    if message:
        return message
    if isinstance(exc, FileNotFoundError):
        return f"Không tìm thấy tệp '{exc.filename}'. Kiểm tra lại đường dẫn."
    if isinstance(exc, PermissionError):
        return f"Không có quyền đọc/ghi '{exc.filename}'. Kiểm tra quyền của thư mục (ASSISTANT_DATA_DIR)."
    if isinstance(exc, OSError) and exc.errno == 28:
        return "Ổ đĩa đã đầy: không ghi được chỉ mục. Giải phóng dung lượng rồi chạy lại; dữ liệu đã nạp không bị mất."
    return f"Lỗi không mong đợi ({exc.__class__.__name__}: {exc}). Chạy lại với --debug để xem chi tiết."


def _vector_store_message(exc: BaseException) -> str | None:
    """Chroma's HttpClient lets httpx errors through when the server goes away after the index was
    opened (a long-running app, a server restarted mid-session): name the server and the fix."""
    import httpx

    if not isinstance(exc, httpx.TransportError):
        return None
    from .config import get_settings

    url = get_settings().chroma_url
    if not url:
        return (f"Lỗi kết nối mạng ({exc.__class__.__name__}). Kiểm tra các máy chủ đã cấu hình "
                "(OPENAI_BASE_URL, ASSISTANT_EMBEDDINGS_URL) rồi thử lại.")
    return (f"Mất kết nối tới máy chủ Chroma tại {url} ({exc.__class__.__name__}). Kiểm tra máy chủ Chroma "
            "đang chạy (`chroma run --host … --path …`) và ASSISTANT_CHROMA_URL, rồi thử lại; dữ liệu đã nạp "
            "nằm trên máy chủ Chroma và không bị mất.")
