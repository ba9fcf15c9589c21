"""Document → PDF, by converting the docx with LibreOffice (``soffice --headless``).

The docx keeps the official font names (仿宋_GB2312, 方正小标宋简体 …); for the conversion a
fontconfig file (``templates/fontconfig/fonts.conf``) maps them to the free CJK fonts a
Linux machine has (Noto Serif/Sans CJK SC, AR PL UKai). LibreOffice runs with a private
profile in a temporary directory, so concurrent conversions do not collide and nothing is
left behind. Without LibreOffice the error says how to install it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import OutputError

INSTALL_HINT = ("生成 PDF 需要 LibreOffice 和中文字体。Debian/Ubuntu 上安装："
                "sudo apt-get install --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai")
TIMEOUT = 240


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_file() -> Path:
    from ..resources import templates_dir

    return templates_dir() / "fontconfig" / "fonts.conf"


def docx_to_pdf(docx_bytes: bytes) -> bytes:
    """The PDF LibreOffice makes of ``docx_bytes``."""
    exe = soffice()
    if exe is None:
        raise OutputError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as tmp:
        work = Path(tmp)
        src = work / "report.docx"
        src.write_bytes(docx_bytes)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file()), "HOME": tmp}
        cmd = [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"LibreOffice 转换 PDF 超时（{TIMEOUT} 秒）") from None
        except OSError as e:
            raise OutputError(f"无法运行 LibreOffice（{e.strerror}）。{INSTALL_HINT}") from None
        pdf = work / "report.pdf"
        if run.returncode != 0 or not pdf.is_file():
            detail = (run.stderr or run.stdout).decode("utf-8", "replace").strip().splitlines()
            raise OutputError("LibreOffice 未能生成 PDF" + (f"：{detail[-1]}" if detail else ""))
        return pdf.read_bytes()


def write_pdf(doc: Document, reference_doc: str | None = None, notices: list[str] | None = None, **_options) -> bytes:
    from .docx import write_docx

    return docx_to_pdf(write_docx(doc, reference_doc, notices))
