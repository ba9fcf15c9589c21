"""Who comes in: the login page, logging out, one's own password, and the office's reset of a
clerk's password."""
from __future__ import annotations

import os

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .. import auth, store
from ..db import units, users
from .base import PROXIES_ENV, Views, expired, office_post, page


class AccessViews(Views):
    """Login, logout, account, password reset."""

    # --- login ---------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return page("login.html", error=None)
        form = await self._form(request) or {}
        trusted = frozenset(filter(None, os.environ.get(PROXIES_ENV, "").split(",")))
        address = auth.client_address(request.client.host if request.client else None,
                                      request.headers.get("x-forwarded-for"), trusted)

        def attempt():
            with self.engine.begin() as conn:
                return auth.login(conn, form.get("username", ""), form.get("password", ""), address)

        result = await run_in_threadpool(attempt)  # Argon2 takes its time: the other requests do not wait for it
        if isinstance(result, str):
            return page("login.html", 429 if "过多" in result else 401, error=result)
        token, user = result
        response = RedirectResponse("/account" if user.get("must_change") else "/", status_code=303)
        response.set_cookie(auth.COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            max_age=auth.SESSION_HOURS * 3600)
        return response

    async def logout(self, request: Request) -> Response:
        session = self._session(request, first_password=True)
        form = await self._form(request) or {}
        if not auth.csrf_ok(session, form.get("csrf")):
            return expired()
        with self.engine.begin() as conn:
            auth.logout(conn, request.cookies.get(auth.COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(auth.COOKIE)
        return response

    async def account(self, request: Request) -> Response:
        """Change one's own password: the old one, the new one twice; every session then ends.
        A one-time password is changed here before anything else is shown."""
        session = self._session(request, first_password=True)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        def answer(status: int = 200, problem: str | None = None) -> Response:
            return page("account.html", status, session=session, minimum=auth.MIN_PASSWORD, problem=problem)

        if request.method == "GET":
            return answer()
        form = await self._form(request) or {}
        if not auth.csrf_ok(session, form.get("csrf")):
            return expired()
        new, again = form.get("new", ""), form.get("again", "")
        problem = auth.password_problem(new, again) or ("新密码不能与原密码相同" if new == form.get("old") else None)
        if problem:  # the new password first: a typo there costs no guess of the old one
            return answer(400, problem)
        key = f"{session['username']}@password"
        with self.engine.begin() as conn:
            throttled = auth.throttled(conn, key)
            stored = conn.execute(select(users.c.password_hash).where(users.c.id == session["user_id"])).scalar_one()
        if throttled:
            return answer(429, "尝试次数过多，请 10 分钟后再试")
        if not await run_in_threadpool(auth.check_password, stored, form.get("old", "")):
            with self.engine.begin() as conn:
                auth.record_failure(conn, key)
            return answer(400, "原密码不正确")
        hashed = await run_in_threadpool(auth.hash_password, new)
        with self.engine.begin() as conn:
            store.change_password(conn, session["user_id"], hashed)
        response = page("message.html", title="密码已修改", message="密码已修改，请用新密码重新登录。")
        response.delete_cookie(auth.COOKIE)
        return response

    @office_post
    async def reset_password(self, request: Request, session: dict, form: dict) -> Response:
        """The office gives a unit's clerk a new one-time password (a lost one, a new person),
        once it has confirmed: the old password and the clerk's sessions end at once."""
        unit_id = request.path_params["unit_id"]
        with self.engine.begin() as conn:
            unit = conn.execute(select(units.c.name).where(units.c.id == unit_id)).scalar()
        if unit is None:
            return self._refused()
        if form.get("confirm") != "yes":
            return page("confirm.html", session=session, title="确认重置密码", action=f"/units/{unit_id}/reset",
                        message=f"确定要重置“{unit}”的填报账号密码吗？原密码和已登录的会话将立即失效，新密码只显示一次。",
                        button="确认重置", back="/")
        with self.engine.begin() as conn:
            done = store.reset_clerk(conn, unit_id, session["user_id"])
        if done is None:
            return page("message.html", 404, title="无法重置", message=f"“{unit}”没有填报账号（汇总报告由政务公开办填写）")
        username, password = done
        return page("message.html", title="已重置密码",
                    message=f"填报账号：{username}，新的初始密码：{password}（只显示这一次，请转交该单位；原密码和已登录的会话均已失效）")
