"""Make examples/custom/reference.docx: the default reference docx as an agency would change it
in Word — narrower margins (30/28/26/26 mm), body text in 宋体 instead of 仿宋_GB2312, title in
黑体 — to show that page setup and fonts come from the agency's own file.

    python tools/build_custom_reference.py
"""
import io
from pathlib import Path

import docx
from docx.shared import Mm

from reportgen.resources import reference_docx
from reportgen.formats.docx import W

ROOT = Path(__file__).resolve().parents[1]
doc = docx.Document(str(reference_docx()))
section = doc.sections[0]
section.top_margin, section.bottom_margin = Mm(30), Mm(28)
section.left_margin, section.right_margin = Mm(26), Mm(26)
fonts = {"Normal": "宋体", "Title": "黑体"}
for st in doc.styles.element.iter(W + "style"):
    font = fonts.get(st.get(W + "styleId"))
    if font:
        for rfonts in st.iter(W + "rFonts"):
            rfonts.set(W + "eastAsia", font)
buf = io.BytesIO()
doc.core_properties.title = "云溪市市场监督管理局 公文样式"
doc.save(buf)
target = ROOT / "examples" / "custom" / "reference.docx"
target.write_bytes(buf.getvalue())
print(f"wrote {target}")
