"""The routes of ``reportgen serve``: server-rendered Chinese pages (Jinja2, autoescaped), a few
lines of JavaScript for totals and live checks, nothing from a CDN.

The pages: login and one's password; the office's dashboard (units, year and deadline, status
and lateness, password resets, the audit log, the roll-up and the downloads); a report's form
with its history, findings (``reportgen check``), preview, downloads, uploads and start from last
year. Every route but the login page needs a session; every form post needs the session's CSRF
token; every report route checks that the user is the office's administrator or a clerk of the
report's unit — a unit can neither read nor write another unit's report, and a clerk cannot
change a submitted one. Reports are validated with the same loader as the CLI, and the messages
are shown next to their fields and cells.

A save made from a version someone has saved over since is merged three ways (``merge``):
what only one side changed is taken and the page says so; what both changed differently is
shown side by side on the merge page, and the clerk's choice, field by field and cell by cell,
is what is saved. A report is submitted only when ``submission`` finds nothing left of a
blank form, the reasons listed at the top of the form, each a link to its place. A version
that no longer loads is a page naming it, with the earlier versions to restore.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .views.access import AccessViews
from .views.base import FirstPassword, first_password
from .views.form import FormViews
from .views.office import OfficeViews
from .views.saving import SavingViews


class Server(AccessViews, OfficeViews, FormViews, SavingViews):
    """The app around one database: every view, each route in one list."""

    def __init__(self, engine: Engine):
        self.engine = engine
        routes = [
            Route("/login", self.login, methods=["GET", "POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            Route("/", self.home),
            Route("/print", self.home),  # the dashboard to print: the same page, printing itself
            Route("/dashboard.png", self.dashboard_picture),
            Route("/units", self.add_unit, methods=["POST"]),
            Route("/settings", self.settings, methods=["POST"]),
            Route("/reports/{report_id:int}", self.report_page, methods=["GET", "POST"]),
            Route("/reports/{report_id:int}/check", self.check, methods=["POST"]),
            Route("/reports/{report_id:int}/autosave", self.autosave, methods=["POST"]),
            Route("/reports/{report_id:int}/preview", self.preview),
            Route("/reports/{report_id:int}/print", self.preview),
            Route("/reports/{report_id:int}/download/{fmt}", self.download),
            Route("/reports/{report_id:int}/merge", self.merge, methods=["GET", "POST"]),
            Route("/reports/{report_id:int}/submit", self.submit, methods=["POST"]),
            Route("/reports/{report_id:int}/return", self.give_back, methods=["POST"]),
            Route("/reports/{report_id:int}/approve", self.approve, methods=["POST"]),
            Route("/reports/{report_id:int}/history", self.history),
            Route("/reports/{report_id:int}/restore/{number:int}", self.restore, methods=["POST"]),
            Route("/reports/{report_id:int}/upload", self.upload, methods=["POST"]),
            Route("/reports/{report_id:int}/from-last-year", self.from_last_year, methods=["POST"]),
            Route("/reports/{report_id:int}/findings", self.findings),
            Route("/audit", self.audit_log),
            Route("/account", self.account, methods=["GET", "POST"]),
            Route("/units/{unit_id:int}/reset", self.reset_password, methods=["POST"]),
            Route("/units/emails", self.unit_emails, methods=["POST"]),
            Route("/notices", self.post_notice, methods=["POST"]),
            Route("/notices/{notice_id:int}/read", self.read_notice, methods=["POST"]),
            Route("/aggregate", self.aggregate, methods=["POST"]),
            Route("/export/reports.zip", self.export_reports),
            Route("/export/dataset.{fmt}", self.export_dataset),
            Mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static"),
        ]
        self.app = SecurityHeaders(Starlette(routes=routes, exception_handlers={FirstPassword: first_password}))


# every page's own: scripts and styles from /static only (no inline script to inject into), never
# framed (clickjacking), no type sniffing, no address leaked to other sites; a route may set its
# own policy (the preview of a report, whose HTML carries its style inline)
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """The ASGI app answering with ``HEADERS`` on every response (those a route set kept)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, sending)


def create_app(engine: Engine) -> SecurityHeaders:
    return Server(engine).app


DATABASE_ENV = "REPORTGEN_SERVE_DATABASE"


def app_from_environment() -> SecurityHeaders:
    """The app of the database named in the environment: what each of ``serve --workers``'
    processes builds (uvicorn starts them by import path)."""
    import os

    from .db import make_engine

    return create_app(make_engine(os.environ[DATABASE_ENV]))


__all__ = ["DATABASE_ENV", "Server", "app_from_environment", "create_app"]
