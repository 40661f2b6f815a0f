"""The librarian's ingestion guarantees, on real files: links, duplicates, damage, Word/ODF files, scans, the lock."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from indexer.ingest import ocr
from indexer.ingest.librarian import clear_lock_holder, write_lock_holder
from indexer.storage.index import LOCK_FILE
from tests.conftest import run_citymig, run_cli, search_json
from tests.library_files import write_docx, write_mixed_pdf, write_odt, write_scan_pdf
from tests.pdfs import PROSE, wrap, write_pdf, write_prose_pdf

needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr is not installed (.ci/run installs it)")


def _index(root: Path, index_dir: Path, *extra: str):
    return run_cli("index", root, "--index", index_dir, "--jobs", "1", "--json", *extra)


def _status(index_dir: Path) -> dict:
    result = run_cli("status", "--index", index_dir, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _group(status: dict, key: str) -> list[dict]:
    return next(group["files"] for group in status["library"]["problems"] if group["key"] == key)


def _hits(index_dir: Path, query: str) -> list[dict]:
    return search_json(index_dir, query)["hits"]


def test_no_byte_of_a_file_outside_the_collection_is_searchable(tmp_path):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("root:x:0:0 xylophonequartz " + PROSE["en"], encoding="utf-8")
    (outside / "folder" / "notes.md").write_text("# Notes\n\nzebrafinchsecret " + PROSE["en"], encoding="utf-8")
    root = tmp_path / "collection"
    (root / "sub").mkdir(parents=True)
    write_prose_pdf(root / "report.pdf", "en", pages=2)
    os.symlink(outside / "secret.txt", root / "sub" / "passwd.txt")
    os.symlink(outside / "folder", root / "linked")
    os.symlink(root, root / "sub" / "loop")  # a link inside, back up the tree: followed once, no loop
    index_dir = tmp_path / "index"

    result = _index(root, index_dir)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["added"] == 1, "the link into the collection adds nothing twice"
    for word in ("xylophonequartz", "zebrafinchsecret", "root"):
        assert _hits(index_dir, word) == []
    for stored in index_dir.rglob("*"):
        if stored.is_file():
            data = stored.read_bytes()
            assert b"xylophonequartz" not in data and b"zebrafinchsecret" not in data, stored
    skipped = {Path(s["path"]).name: s for s in _group(_status(index_dir), "skipped")}
    assert skipped["passwd.txt"]["kind"] == "link_outside"
    assert skipped["passwd.txt"]["target"] == str((outside / "secret.txt").resolve())
    assert skipped["linked"]["target"] == str((outside / "folder").resolve())


def test_a_byte_identical_copy_is_one_document_and_removing_a_path_keeps_it(tmp_path):
    root = tmp_path / "collection"
    (root / "copies").mkdir(parents=True)
    original = write_prose_pdf(root / "report.pdf", "en", pages=2, title="Welcome centres")
    shutil.copyfile(original, root / "copies" / "report-copy.pdf")
    os.symlink(root / "report.pdf", root / "copies" / "alias.pdf")  # a link inside: one more path
    index_dir = tmp_path / "index"
    assert _index(root, index_dir).exit_code == 0

    hits = _hits(index_dir, "newcomers")
    assert len(hits) == 1, "one document, however many paths"
    assert hits[0]["relpath"] == "report.pdf", "a file before a link, the shallower path first, whatever the order"
    doc_id = hits[0]["id"]
    copies = {Path(e["path"]).name for e in _group(_status(index_dir), "skipped") if e["kind"] == "duplicate"}
    assert copies == {"report-copy.pdf", "alias.pdf"}

    assert _index(root, index_dir).exit_code == 0  # a rerun knows the copies without re-extracting
    assert len(_hits(index_dir, "newcomers")) == 1

    (root / "copies" / "alias.pdf").unlink()
    original.unlink()
    (root / "copies" / "late.pdf").write_bytes((root / "copies" / "report-copy.pdf").read_bytes())  # one more
    assert _index(root, index_dir, "--jobs", "2").exit_code == 0
    hits = _hits(index_dir, "newcomers")
    assert [hit["id"] for hit in hits] == [doc_id], "the copy keeps the document and its id"
    assert hits[0]["relpath"] == "copies/report-copy.pdf"
    copies = [e["relpath"] for e in _group(_status(index_dir), "skipped") if e["kind"] == "duplicate"]
    assert copies == ["copies/late.pdf"]


def test_a_file_damaged_after_indexing_keeps_its_last_text_and_is_flagged(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    pages = [wrap("The quarterly marimbaphone survey of newcomers in Lisbon. " + PROSE["en"])]
    pages += [wrap(PROSE["en"] + " " + PROSE["en"]), wrap(PROSE["en"])]
    path = write_pdf(root / "survey.pdf", pages, title="Survey")
    index_dir = tmp_path / "index"
    assert _index(root, index_dir).exit_code == 0
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])  # overwritten with a third of itself

    result = _index(root, index_dir)
    assert result.exit_code == 1
    assert [hit["relpath"] for hit in _hits(index_dir, "marimbaphone")] == ["survey.pdf"]
    status = _status(index_dir)
    damaged = _group(status, "damaged")
    assert damaged[0]["state"] == "unreadable" and "truncated PDF" in damaged[0]["reason"]
    since = damaged[0]["since"]
    assert not _group(status, "failed"), "listed once, as damaged, not as a plain failure"
    assert _index(root, index_dir).exit_code == 1
    assert _group(_status(index_dir), "damaged")[0]["since"] == since, "since the first run that saw it"
    explained = run_cli("explain", path, "--index", index_dir)
    assert "the file on disk failed in the last run: truncated PDF" in explained.output

    path.write_bytes(data)  # the good copy back
    assert _index(root, index_dir).exit_code == 0
    assert not [e for e in _group(_status(index_dir), "damaged") if e["state"] == "unreadable"]


def test_word_and_opendocument_files_are_read_a_page_per_heading(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    write_docx(
        root / "report.docx",
        "Mentoring newcomers in Rotterdam",
        [("Background", PROSE["en"] + " quokkamentor"), ("Results", PROSE["en"])],
        table=[["Year", "Mentors"], ["2014", "tabledwombat"]],
    )
    write_odt(root / "informe.odt", "Acogida en Madrid", [("Contexto", PROSE["es"] + " capibaraguia")])
    (root / "budget.xlsx").write_bytes(b"PK\x03\x04 not read")
    index_dir = tmp_path / "index"
    assert _index(root, index_dir).exit_code == 0

    docx_hits = _hits(index_dir, "quokkamentor")
    assert len(docx_hits) == 1 and docx_hits[0]["title"] == "Mentoring newcomers in Rotterdam"
    assert docx_hits[0]["pages_total"] == 3, "title, then one page per Heading 1 (the table on the last)"
    assert docx_hits[0]["pages"][0]["page"] == 2
    assert _hits(index_dir, "tabledwombat"), "table cells are read"
    odt_hits = _hits(index_dir, "capibaraguia")
    assert len(odt_hits) == 1 and odt_hits[0]["lang"] == "es"
    skipped = _group(_status(index_dir), "skipped")
    assert [(Path(s["path"]).name, s["kind"]) for s in skipped] == [("budget.xlsx", "unsupported")]


def test_a_damaged_word_file_fails_with_a_reason_and_explain_says_why(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    good = write_docx(root / "good.docx", "Good", [("One", PROSE["en"])])
    (root / "broken.docx").write_bytes(good.read_bytes()[:300])
    index_dir = tmp_path / "index"
    assert _index(root, index_dir).exit_code == 1
    failed = _group(_status(index_dir), "failed")
    assert [Path(f["path"]).name for f in failed] == ["broken.docx"]
    assert "damaged or not a Word file" in failed[0]["reason"] and failed[0]["advice"]
    explained = run_cli("explain", root / "broken.docx", "--index", index_dir)
    assert explained.exit_code == 0
    assert "failed in the last run" in explained.output and "damaged or not a Word file" in explained.output


@needs_tesseract
def test_a_scan_is_read_by_ocr_and_its_pages_are_marked(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    write_scan_pdf(root / "scan.pdf", ["The welcome centre offers newcomers advice on housing. Zanzibarquokka"])
    write_mixed_pdf(root / "mixed.pdf", PROSE["en"] * 2, "Page two was scanned: the library of Lyon, pangolinword")
    index_dir = tmp_path / "index"
    result = _index(root, index_dir)
    assert result.exit_code == 0, result.output

    assert [hit["relpath"] for hit in _hits(index_dir, "zanzibarquokka")] == ["scan.pdf"]
    hit = _hits(index_dir, "pangolinword")[0]
    assert hit["relpath"] == "mixed.pdf" and [page["page"] for page in hit["pages"]] == [2]
    scans = {e["relpath"]: e for e in _group(_status(index_dir), "scans")}
    assert scans["mixed.pdf"]["pages"] == [2] and scans["mixed.pdf"]["ocr_pages"] == [2]
    assert scans["scan.pdf"]["ocr_pages"] == [1] and not scans["scan.pdf"]["ocr_unavailable"]


def test_without_tesseract_a_scan_is_reported_as_needing_it(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    write_scan_pdf(root / "scan.pdf", ["A page of words that only OCR can read"])
    write_mixed_pdf(root / "mixed.pdf", PROSE["en"] * 2, "Only OCR reads this page")
    index_dir = tmp_path / "index"
    env = {**os.environ, "PATH": "/nonexistent"}  # no tesseract on the PATH (the interpreter is named in full)
    result = run_citymig("index", root, "--index", index_dir, "--jobs", "1", env=env)
    assert result.returncode == 1, result.stderr
    assert "scan.pdf: no text layer: needs OCR: install tesseract-ocr" in result.stderr
    scans = {e["relpath"]: e for e in _group(_status(index_dir), "scans")}
    assert scans["mixed.pdf"]["ocr_unavailable"] and scans["mixed.pdf"]["pages"] == [2]
    assert "needs OCR: install tesseract-ocr" in scans["mixed.pdf"]["detail"]
    assert _hits(index_dir, "newcomers"), "the text pages are indexed all the same"


def test_a_second_run_says_whom_it_waits_for(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    write_prose_pdf(root / "a.pdf", "en", pages=1)
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    lock = FileLock(str(index_dir / LOCK_FILE))
    with lock:
        write_lock_holder(index_dir, "the web app's reindex")
        try:
            result = run_citymig("index", root, "--index", index_dir, "--wait", "0.5")
        finally:
            clear_lock_holder(index_dir)
    assert result.returncode == 3
    assert f"waiting for the web app's reindex (process {os.getpid()}" in result.stderr
    assert "the index is being updated by the web app's reindex" in result.stderr


def test_a_blank_page_is_not_a_scan(tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    c = canvas.Canvas(str(root / "with-blank.pdf"), pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 11)
    for y, line in zip(range(780, 0, -14), wrap(PROSE["en"] * 2), strict=False):
        c.drawString(72, y, line)
    c.showPage()
    c.showPage()  # an intentionally blank page
    c.save()
    c = canvas.Canvas(str(root / "all-blank.pdf"), pagesize=A4, invariant=1)
    c.showPage()
    c.save()
    index_dir = tmp_path / "index"
    assert _index(root, index_dir).exit_code == 1
    status = _status(index_dir)
    assert _group(status, "scans") == []
    assert [(Path(f["path"]).name, f["reason"]) for f in _group(status, "failed")] == [
        ("all-blank.pdf", "no text: every page is blank")
    ]
    assert _hits(index_dir, "newcomers")[0]["pages_total"] == 2
