"""What every tab's handlers share: whose work it is, reading form fields, and turning any exception
into a Vietnamese message (never a traceback) that is also logged for the administrator."""
from __future__ import annotations

import logging
from datetime import date, datetime

from ..conversations import LOCAL_PROFILE
from ..errors import UsageError, user_message
from .render import status_html

log = logging.getLogger(__name__)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


def owner_of(request) -> str:
    """Whose saved work a request reads and writes: the signed-in user (Gradio passes the name the
    sign-in gate gave), or the one local profile of an app without users."""
    return getattr(request, "username", None) or LOCAL_PROFILE


def parse_date(value) -> date | None:
    """'05/01/2026', '5/1/2026', '2026-01-05' or a date → date; empty → None; else UsageError."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, (int, float)):  # gr.DateTime gives a timestamp
        return datetime.fromtimestamp(value).date()
    s = str(value).strip()
    if not s:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise UsageError(f"Ngày '{s}' không đúng dạng ngày/tháng/năm (ví dụ 05/01/2026).")


def optional(value) -> str | None:
    """A text field's value, stripped; None when left empty."""
    return (value or "").strip() or None


def user_error(exc: BaseException) -> str:
    """A Vietnamese message for the exception; logged (with the traceback at DEBUG level)."""
    if isinstance(exc, ImportError):  # a third-party module missing from this installation
        return (f"Chức năng này chưa sẵn sàng trong bản cài đặt này (thiếu mô-đun: {exc.name or exc}). "
                "Cập nhật phần mềm rồi khởi động lại ứng dụng.")
    log.warning("Lỗi trong ứng dụng: %s", exc, exc_info=log.isEnabledFor(logging.DEBUG))
    try:
        return user_message(exc)
    except Exception:  # never let the error path itself fail  # noqa: BLE001
        return f"Lỗi không mong đợi ({exc.__class__.__name__}). Xem nhật ký máy chủ để biết chi tiết."


def error_status(exc: BaseException) -> str:
    """The exception as a red status line."""
    return status_html(user_error(exc), ok=False)
