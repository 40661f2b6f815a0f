"""Real-world PDFs: Debian's XeLaTeX-made FAQ, whose fonts have no space glyph.

``.ci/run`` installs the packages (debian-faq, -de, -fr); elsewhere the test is skipped.
"""

import gzip
from pathlib import Path

import pytest

from indexer.ingest.pdf import iter_pdf_pages
from tests.test_extract import needs_pdftotext, overlap_with_pdftotext

FAQ = Path("/usr/share/doc/debian/FAQ")


@pytest.mark.slow
@needs_pdftotext
@pytest.mark.parametrize("lang", ["en", "de", "fr"])
def test_debian_faq_reaches_pdftotext_word_overlap(tmp_path, lang):
    packed = FAQ / f"debian-faq.{lang}.pdf.gz"
    if not packed.exists():
        pytest.skip(f"{packed} not installed (apt-get install debian-faq debian-faq-de debian-faq-fr)")
    path = tmp_path / f"faq-{lang}.pdf"
    path.write_bytes(gzip.decompress(packed.read_bytes()))
    text = "\n".join(text for _, text in iter_pdf_pages(path))
    assert overlap_with_pdftotext(path, text) >= 0.95
