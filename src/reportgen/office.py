"""Running LibreOffice (``soffice --headless``) to convert a document, safely.

Used to make PDFs from our docx, to read old office files (.doc, .wps, .rtf, .odt) as docx,
and by the tests to open workbooks. Every conversion:

* runs with a private, throwaway profile in a temporary directory (concurrent conversions do
  not collide, nothing is left behind), seeded with settings that refuse macros, never update
  links, block links from untrusted documents and send any web request to a dead proxy;
* runs, where the system allows it, in a network namespace of its own with no network at all
  (``unshare --net``), so a linked picture or template in a document cannot be fetched even if
  the document got past ``package.sanitized_package``;
* is stopped, with everything it started, after a time limit.

Without LibreOffice the error names the package to install.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from .errors import ReportgenError

INSTALL_HINT = ("需要 LibreOffice。Debian/Ubuntu 上安装：sudo apt-get install --no-install-recommends "
                "libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai（表格另需 libreoffice-calc-nogui）")
TIMEOUT = 240

_SETTINGS = {
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel"): ("int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution"): ("boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks"): ("boolean", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link"): ("int", "2"),     # never update links
    ("/org.openoffice.Office.Calc/Content/Update", "Link"): ("int", "2"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType"): ("int", "1"),         # a proxy that answers nothing
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName"): ("string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort"): ("int", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName"): ("string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort"): ("int", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy"): ("string", ""),
    ("/org.openoffice.Office.Common/Misc", "FirstRun"): ("boolean", "false"),
}


class OfficeError(ReportgenError):
    """LibreOffice is missing, failed, or took too long."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile(directory: Path) -> str:
    user = directory / "user"
    user.mkdir(parents=True)
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for (path, name), (_, value) in _SETTINGS.items())
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{items}</oor:items>\n", "utf-8")
    return directory.as_uri()


@lru_cache(maxsize=1)
def _isolation() -> tuple[str, ...]:
    """The command prefix that gives a process no network, where the system allows one."""
    exe = shutil.which("unshare")
    if exe is None:
        return ()
    for prefix in ((exe, "--net"), (exe, "--map-root-user", "--net")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            continue
    return ()


def convert(data: bytes, suffix: str, target: str, timeout: int = TIMEOUT, fonts: Path | None = None) -> bytes:
    """``data`` (a document whose type ``suffix`` names, e.g. ``.docx``) converted by LibreOffice
    to ``target`` (``pdf``, ``docx``, ``csv`` …; a filter may follow, ``csv:Text - txt - csv``,
    and a PDF its export options, ``pdf:writer_pdf_Export:{…}``)."""
    return convert_many([data], suffix, target, timeout, fonts)[0]


def convert_many(documents: list[bytes], suffix: str, target: str, timeout: int = TIMEOUT,
                 fonts: Path | None = None) -> list[bytes]:
    """Each of ``documents`` converted as ``convert`` does, by one LibreOffice process (its start,
    a few seconds, paid once: for benchmarks and tests that convert many reports); the time
    limit is for the whole batch."""
    exe = soffice()
    if exe is None:
        raise OfficeError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="reportgen-office-") as tmp:
        work = Path(tmp)
        sources = []
        for k, data in enumerate(documents):
            sources.append(work / f"input{k:05d}{suffix}")
            sources[-1].write_bytes(data)
        out = work / "out"
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "USER")}
        env["HOME"] = tmp
        if fonts is not None:
            env["FONTCONFIG_FILE"] = str(fonts)
        cmd = [*_isolation(), exe, f"-env:UserInstallation={_profile(work / 'profile')}", "--headless", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(out),
               *map(str, sources)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp,
                                    start_new_session=True)
        except OSError as e:
            raise OfficeError(f"无法运行 LibreOffice（{e.strerror}）。{INSTALL_HINT}") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise OfficeError(f"LibreOffice 转换超时（{timeout} 秒），已停止") from None
        except BaseException:
            _kill(proc)
            raise
        produced = {p.stem: p for p in out.iterdir()} if out.is_dir() else {}
        missing = [src for src in sources if src.stem not in produced]
        if proc.returncode != 0 or missing:
            detail = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
            which = "该文件" if len(sources) == 1 else f"其中 {len(missing)} 个文件"
            raise OfficeError(f"LibreOffice 未能转换{which}" + (f"：{detail[-1][:200]}" if detail else "（文件可能已损坏或格式不受支持）"))
        return [produced[src.stem].read_bytes() for src in sources]


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()
    proc.wait()
