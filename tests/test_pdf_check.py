"""The PDF edition's text check (scripts/build_pdf.py): what it expects from the HTML, how it reads PDF text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("build_pdf_under_test", ROOT / "scripts" / "build_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HTML = """<figure><figcaption><p><span class="caption-number">Fig. 3.1 </span><span class="caption-text">x</span>
<span class="caption-number">Fig. 12 </span></p></figcaption></figure>
<p>t = <span class="pasted-text">1.46e-04</span>, verdict <span class="pasted-text">holds &amp; fails</span>
<span class="pasted-text"> </span></p>"""


def test_expected_reads_figure_numbers_and_glued_text_from_the_html():
    want = _script().expected(HTML)
    assert want["figures"] == ["Fig. 12", "Fig. 3.1"]
    assert want["glued"] == ["1.46e-04", "holds & fails"]


def test_norm_joins_lines_and_hyphenated_breaks():
    norm = _script()._norm
    assert norm("II.rg.momentum-\nshell  holds\n\nand") == "II.rg.momentum-shell holds and"
    assert norm("e\ufb01t") == "efit"
