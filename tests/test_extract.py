"""Extraction from PDFs: glued words repaired, pages numbered, bad files reported by reason."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from indexer.ingest.discover import find_files
from indexer.ingest.pdf import is_glued, iter_pdf_pages
from indexer.ingest.pipeline import ExtractedDoc, Failed, process_file
from tests.pdfs import PROSE, encrypt_pdf, wrap, write_pdf, write_prose_pdf, write_scanned_pdf, write_tex_like_pdf

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def overlap_with_pdftotext(path: Path, text: str) -> float:
    """Share of pdftotext's words that our extraction also finds (multiset overlap)."""
    reference = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    ours, theirs = words(text), words(reference)
    return sum((ours & theirs).values()) / sum(theirs.values())


def extract(path: Path, tmp_path: Path, timeout: float = 60):
    source = next(found for found in find_files([path.parent]) if found.path.name == path.name)
    return process_file(source, None, str(tmp_path), timeout)


def pages_of(doc: ExtractedDoc) -> list[dict]:
    pages = list(doc.iter_pages())
    doc.discard()
    return pages


@needs_pdftotext
def test_tex_like_pdf_glues_in_plain_pypdf_and_is_repaired(tmp_path):
    text = " ".join([PROSE["en"], PROSE["fr"]] * 3)
    path = write_tex_like_pdf(tmp_path / "tex.pdf", text)
    plain = PdfReader(path).pages[0].extract_text()
    assert is_glued(plain), "the fixture must reproduce pypdf's lost word spaces"
    (_, repaired), *_ = list(iter_pdf_pages(path))
    assert not is_glued(repaired)
    assert "Immigrants who arrived last year" in " ".join(repaired.split())
    assert overlap_with_pdftotext(path, repaired) >= 0.95


@needs_pdftotext
@pytest.mark.parametrize("lang", sorted(PROSE))
def test_word_overlap_with_pdftotext_in_each_language(tmp_path, lang):
    path = write_prose_pdf(tmp_path / f"{lang}.pdf", lang, pages=2)
    text = "\n".join(text for _, text in iter_pdf_pages(path))
    assert overlap_with_pdftotext(path, text) >= 0.95


def test_pages_are_numbered_from_one_and_running_heads_removed(tmp_path):
    path = write_prose_pdf(tmp_path / "report.pdf", "en", pages=4)
    pages = pages_of(extract(path, tmp_path))
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    for page in pages:
        assert "Cities report" not in page["text"]
        assert "Page " not in page["text"]
        assert page["text"].startswith("The city council opened")


def test_ligatures_hyphens_and_two_columns(tmp_path):
    body = [
        "The ﬁnancial ﬂows of the city reach every neighbour-",
        "hood, and the Debian-",
        "Edu project runs real-time services; real-",
        "time data helps the Integrations-",
        "politik of the council.",
    ]
    left = wrap(PROSE["en"], font="Vera", width=200)
    right = wrap(PROSE["de"], font="Vera", width=200)
    path = write_pdf(tmp_path / "layout.pdf", [body, wrap(PROSE["en"])], font="Vera", columns=[left, right])
    pages = pages_of(extract(path, tmp_path))
    first = pages[0]["text"]
    assert "financial flows" in first
    assert "neighbourhood" in first
    assert "Debian-Edu" in first
    assert first.count("real-time") == 2
    assert "Integrationspolitik" in first
    columns = pages[2]["text"]
    assert "Immigrants who arrived last year" in columns
    assert "Zugewanderte, die im letzten Jahr" in columns


def test_empty_user_password_opens_and_is_indexed(tmp_path):
    plain = write_prose_pdf(tmp_path / "plain.pdf", "de", pages=1)
    path = encrypt_pdf(plain, tmp_path / "open.pdf", user_password="")
    doc = extract(path, tmp_path)
    assert isinstance(doc, ExtractedDoc), doc
    assert "Willkommenszentrum" in pages_of(doc)[0]["text"]


def _truncated(tmp_path: Path) -> Path:
    data = write_prose_pdf(tmp_path / "whole.pdf", "en", pages=3).read_bytes()
    target = tmp_path / "truncated.pdf"
    target.write_bytes(data[: len(data) // 2])
    return target


def _not_a_pdf(tmp_path: Path) -> Path:
    target = tmp_path / "notes.pdf"
    target.write_text("These are meeting notes saved with the wrong extension.\n")
    return target


def _empty(tmp_path: Path) -> Path:
    target = tmp_path / "empty.pdf"
    target.write_bytes(b"")
    return target


def _password(tmp_path: Path) -> Path:
    return encrypt_pdf(write_prose_pdf(tmp_path / "p.pdf", "fr", pages=1), tmp_path / "locked.pdf", "secret")


def _scanned(tmp_path: Path) -> Path:
    return write_scanned_pdf(tmp_path / "scan.pdf")


def _unreadable(tmp_path: Path) -> Path:
    target = tmp_path / "loop.pdf"
    if os.geteuid() != 0:  # permissions stop everyone but root
        write_prose_pdf(target, "en", pages=1).chmod(0)
    else:  # root reads anything, but not a link that points at itself
        target.symlink_to(target)
    return target


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_truncated, "truncated PDF"),
        (_not_a_pdf, "not a PDF file"),
        (_empty, "empty file"),
        (_password, "password required"),
        (_scanned, "no text layer: needs OCR"),
        (_unreadable, "cannot read the file"),
    ],
    ids=["truncated", "not-a-pdf", "empty", "password", "scanned", "unreadable"],
)
def test_bad_files_fail_with_a_reason(tmp_path, make, reason):
    result = extract(make(tmp_path), tmp_path)
    assert isinstance(result, Failed)
    assert reason in result.reason
    assert not list(tmp_path.glob("*.jsonl")), "a failed file leaves no spool behind"


def test_slow_file_hits_the_per_file_timeout(tmp_path):
    path = write_prose_pdf(tmp_path / "long.pdf", "en", pages=150)
    result = extract(path, tmp_path, timeout=0.05)
    assert isinstance(result, Failed)
    assert "per-file timeout" in result.reason


def test_html_and_markdown_give_title_date_and_text(collection, tmp_path):
    html = extract(collection / "web" / "post.html", tmp_path)
    assert html.title == "Vivienda en Madrid"
    assert html.date == "2013-02-12"
    assert "Inicio" not in pages_of(html)[0]["text"], "navigation is not content"
    md = extract(collection / "web" / "news.md", tmp_path)
    assert md.title == "Nouvelles de Montréal"
    assert md.date == "2014-05-01"
    assert pages_of(md)[0]["text"].startswith("Nouvelles La municipalité")


@pytest.mark.parametrize(
    "data",
    [
        b"<0041004200430044> Tj",
        b"<00 41\n00\t42\r\x0c00\x0043> Tj",  # whitespace between digits
        b"<4142434> Tj",  # odd number of digits: the last one is followed by 0
        b"<> Tj",
        b"<feFF00e9> Tj",  # a UTF-16 byte order mark, mixed case
        b"<" + b"41" * 2000 + b"> Tj",  # longer than the read-ahead
        b"<41zz42> Tj",  # invalid character
        b"<414243",  # the stream ends inside the string
    ],
)
def test_hex_strings_read_as_pypdf_reads_them(data):
    from io import BytesIO

    from pypdf.generic._utils import read_hex_string_from_stream

    from indexer.ingest.pdf import _read_hex_string

    def read(reader):
        stream = BytesIO(data)
        try:
            value = reader(stream, None)
        except Exception as exc:  # noqa: BLE001 - the same error is what is compared
            return type(exc), str(exc), stream.tell()
        return type(value), bytes(value.original_bytes), stream.tell()

    assert read(_read_hex_string) == read(read_hex_string_from_stream)
