"""Notices by e-mail, when the office names an SMTP server (``serve --smtp smtp://user:password@host:587
--mail-from 年报@example.gov.cn``; kept in the environment so every worker process has it). Without
one nothing is mailed and the notices still show on the units' pages.

``smtp://`` speaks STARTTLS when the server offers it, ``smtps://`` TLS from the start; a message
is plain text in UTF-8. Sending happens after the notice is kept, on a worker thread, and each
unit's outcome (the address, or why not) is written beside the notice for the dashboard."""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import unquote, urlsplit

SMTP_ENV, FROM_ENV = "REPORTGEN_SMTP", "REPORTGEN_MAIL_FROM"
TIMEOUT = 15  # seconds for one server conversation


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    tls: bool = False  # smtps: TLS from the first byte

    @classmethod
    def parse(cls, url: str, sender: str) -> "Mailer":
        """The mailer of an ``smtp://`` or ``smtps://`` URL; ``ValueError`` in Chinese when it is not one."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"邮件服务器地址应为 smtp://主机:端口 或 smtps://主机:端口，而不是“{url}”")
        if "@" not in sender:
            raise ValueError(f"发件地址“{sender}”不是电子邮件地址")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise ValueError(f"邮件服务器地址中的端口无效：“{url}”") from None
        return cls(parts.hostname, port, sender, unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None, parts.scheme == "smtps")

    def send(self, to: list[tuple[str, str]], subject: str, body: str) -> dict[str, str]:
        """One message to each (name, address): each address's outcome in the office's words."""
        outcomes: dict[str, str] = {}
        try:
            if self.tls:
                server = smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT, context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
            with server:
                server.ehlo()
                if not self.tls and server.has_extn("starttls"):
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
                if self.user:
                    server.login(self.user, self.password or "")
                for name, address in to:
                    message = EmailMessage()
                    message["From"], message["To"], message["Subject"] = self.sender, formataddr((name, address)), subject
                    message.set_content(body)
                    try:
                        server.send_message(message)
                        outcomes[address] = f"已发送至 {address}"
                    except smtplib.SMTPException as e:
                        outcomes[address] = f"发送至 {address} 失败：{e}"
        except (OSError, smtplib.SMTPException) as e:
            for _, address in to:
                outcomes.setdefault(address, f"发送至 {address} 失败：无法连接邮件服务器（{e}）")
        return outcomes


def configured() -> Mailer | None:
    """The office's mailer as ``serve`` was started with, or None (no mail)."""
    url, sender = os.environ.get(SMTP_ENV), os.environ.get(FROM_ENV)
    if not url:
        return None
    try:
        return Mailer.parse(url, sender or "reportgen@localhost")
    except ValueError:
        return None  # serve checked it at start: a worker's copy cannot be wrong


__all__ = ["FROM_ENV", "SMTP_ENV", "Mailer", "configured"]
