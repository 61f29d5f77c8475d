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
    if isinstance(exc, FileNotFoundError):
        return f"Không tìm thấy tệp '{exc.filename}'. Kiểm tra lại đường dẫn."
    if isinstance(exc, PermissionError):
        return f"Không có quyền đọc/ghi '{exc.filename}'. Kiểm tra quyền của thư mục (ASSISTANT_DATA_DIR)."
    if isinstance(exc, OSError) and exc.errno == 28:
        return "Ổ đĩa đã đầy: không ghi được chỉ mục. Giải phóng dung lượng rồi chạy lại; dữ liệu đã nạp không bị mất."
    return f"Lỗi không mong đợi ({exc.__class__.__name__}: {exc}). Chạy lại với --debug để xem chi tiết."
