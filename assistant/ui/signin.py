"""The app's own sign-in, in front of Gradio: a Vietnamese page at /login, sign-out at /logout, and
the session cookie Gradio reads to know the user (its `auth_dependency`).

Routes are handed to Gradio's FastAPI app (`app_kwargs`), so they come before Gradio's own /login
and /logout. A browser (it asks for HTML) gets pages and redirects; a script such as gradio_client
(`Client(url, auth=(name, password))` posts the same form) gets JSON. Without a session, the page
sends the browser to /login and every API route answers 401 with a Vietnamese message.
"""
from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..auth import SESSION_COOKIE, Sessions, SignInLimiter, sign_in
from .app import APP_TITLE

NOT_SIGNED_IN = "Chưa đăng nhập hoặc phiên đăng nhập đã hết hạn. Tải lại trang để đăng nhập."
SIGNED_OUT = "Đã đăng xuất."
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập — {title}</title>
<style>
body {{margin: 0; font-family: ui-sans-serif, system-ui, "Segoe UI", Roboto, Arial, sans-serif;
  background: #f8fafc; color: #0f172a}}
main {{max-width: 420px; margin: 8vh auto; padding: 0 16px}}
h1 {{margin: 0 0 2px; font-size: 1.6em}}
.sub {{margin: 0 0 24px; color: #64748b}}
form {{background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 24px;
  box-shadow: 0 1px 3px rgba(15,23,42,.08)}}
label {{display: block; font-weight: 600; margin: 0 0 6px}}
input {{width: 100%; box-sizing: border-box; padding: 10px 12px; margin: 0 0 16px; font-size: 1em;
  border: 1px solid #cbd5e1; border-radius: 6px}}
input:focus {{outline: 2px solid #fca5a5; border-color: #ef4444}}
button {{width: 100%; padding: 11px; font-size: 1em; font-weight: 600; color: #fff; background: #ef4444;
  border: 0; border-radius: 6px; cursor: pointer}}
button:hover {{background: #dc2626}}
.msg {{margin: 0 0 16px; padding: 10px 12px; border-radius: 6px}}
.err {{color: #b91c1c; background: #fef2f2; border: 1px solid #fecaca}}
.ok {{color: #166534; background: #f0fdf4; border: 1px solid #bbf7d0}}
.note {{margin-top: 16px; color: #64748b; font-size: .9em}}
</style></head>
<body><main>
<h1>{title}</h1>
<p class="sub">Văn phòng HĐND và UBND xã — đăng nhập để tiếp tục công việc đã lưu.</p>
<form method="post" action="login" id="signin-form">
{message}
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" autocomplete="username" autofocus required value="{username}">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="signin-submit">Đăng nhập</button>
<p class="note">Phiên đăng nhập hết hạn sau {hours} giờ. Quên mật khẩu: nhờ người quản trị đặt lại bằng
lệnh <code>assistant user-add</code>.</p>
</form>
</main></body></html>
"""


def wants_page(request: Request) -> bool:
    """A browser navigating (asks for HTML), not a script calling the API."""
    return "text/html" in request.headers.get("accept", "")


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


class SignInGate:
    """The sign-in page, sign-out and the session check of one running app."""

    def __init__(self, sessions: Sessions | None = None, limiter: SignInLimiter | None = None):
        self.sessions = sessions or Sessions()
        self.limiter = limiter or SignInLimiter()

    # ---- what Gradio is given ----------------------------------------------------------------
    def user(self, request: Request) -> str | None:
        """Gradio's `auth_dependency`: the signed-in user of a request, or None (Gradio answers 401)."""
        return self.sessions.user(request.cookies.get(SESSION_COOKIE))

    def app_kwargs(self) -> dict:
        return {"routes": [Route("/login", self.page, methods=["GET"]),
                           Route("/login", self.submit, methods=["POST"]),
                           Route("/logout", self.logout, methods=["GET", "POST"])],
                "exception_handlers": {401: self.unauthorised}}

    # ---- routes --------------------------------------------------------------------------------
    def render(self, message: str = "", *, ok: bool = False, username: str = "", status: int = 200,
               headers: dict | None = None) -> HTMLResponse:
        box = f'<p class="msg {"ok" if ok else "err"}" role="alert" id="signin-message">{html.escape(message)}</p>' \
            if message else ""
        hours = round(self.sessions.seconds / 3600, 1)
        body = PAGE.format(title=html.escape(APP_TITLE), message=box, username=html.escape(username, quote=True),
                           hours=f"{hours:g}")
        return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})

    async def page(self, request: Request) -> Response:
        if self.user(request):
            return RedirectResponse("./", status_code=303)
        return self.render(SIGNED_OUT if request.query_params.get("da_dang_xuat") else "",
                           ok=bool(request.query_params.get("da_dang_xuat")))

    async def submit(self, request: Request) -> Response:
        form = await request.form()
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        result = sign_in(username, password, client_address(request), self.sessions, self.limiter)
        page = wants_page(request)
        if result.cookie is None:
            status = 429 if result.retry_after else 401
            headers = {"Retry-After": str(result.retry_after)} if result.retry_after else {}
            if page:
                return self.render(result.message, username=username.strip(), status=status, headers=headers)
            return JSONResponse({"detail": result.message}, status_code=status, headers=headers)
        response: Response = RedirectResponse("./", status_code=303) if page else JSONResponse({"success": True})
        response.set_cookie(SESSION_COOKIE, result.cookie, max_age=self.sessions.seconds, path="/", httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")
        return response

    async def logout(self, request: Request) -> Response:
        self.sessions.end(request.cookies.get(SESSION_COOKIE))
        response: Response = RedirectResponse("login?da_dang_xuat=1", status_code=303) if wants_page(request) \
            else JSONResponse({"success": True})
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def unauthorised(self, request: Request, exc: Exception) -> Response:
        """Gradio's 401: a page visit goes to the sign-in page, an API call gets a Vietnamese message."""
        if request.method in ("GET", "HEAD") and wants_page(request):
            root = str(request.scope.get("root_path") or "").rstrip("/")
            return RedirectResponse(f"{root}/login", status_code=303)
        return JSONResponse({"detail": NOT_SIGNED_IN}, status_code=401)
