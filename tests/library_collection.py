"""A collection with one file for every problem the librarian's desk lists, indexed twice (a file damaged between)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import run_cli
from tests.library_files import write_docx, write_mixed_pdf
from tests.pdfs import PROSE, wrap, write_pdf, write_prose_pdf, write_tex_like_pdf

SECRET = "xylophonequartz"  # the one word of the file outside the collection


def build_desk_collection(base: Path) -> tuple[Path, Path]:
    """Files for each problem group under ``base/collection``, and an index of them; returns (root, index)."""
    root, outside, index_dir = base / "collection", base / "outside", base / "index"
    for folder in (root / "reports", root / "web", root / "scans", outside):
        folder.mkdir(parents=True, exist_ok=True)
    (outside / "passwd").write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    good = write_prose_pdf(root / "reports" / "toronto-2012.pdf", "en", pages=3, title="Welcome centres in Toronto")
    pages = [wrap(f"Survey of newcomers in Lisbon, marimbaphone edition. {PROSE['en']}"), wrap(PROSE["en"] * 2)]
    write_pdf(root / "reports" / "survey.pdf", pages, title="Lisbon survey 2015")
    shutil.copyfile(good, root / "reports" / "toronto-copy.pdf")  # duplicate
    os.symlink(outside / "passwd", root / "web" / "passwd.txt")  # link out of the collection
    (root / "reports" / "budget.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")  # unsupported
    (root / "reports" / "broken.pdf").write_bytes(good.read_bytes()[:900])  # failed from the start
    write_mixed_pdf(root / "scans" / "mixed.pdf", PROSE["en"] * 2, "A scanned page about the library of Lyon")
    write_tex_like_pdf(root / "reports" / "tex.pdf", " ".join([PROSE["en"], PROSE["fr"]] * 3))  # glued, repaired
    mixed = [wrap(" ".join([PROSE["en"]] * 3))] * 2 + [wrap(" ".join([PROSE["de"]] * 3))] * 2
    write_pdf(root / "reports" / "roadshow.pdf", mixed, title="Roadshow report")  # two languages
    (root / "web" / "hola.txt").write_text("Hola amigos.\n", encoding="utf-8")  # too short to tell its language
    one_line = " ".join(PROSE["en"].split()[:40])
    (root / "web" / "untitled.md").write_text(one_line + "\n", encoding="utf-8")  # no title: file name
    write_docx(root / "web" / "note.docx", "Mentoring note", [("Mentoring", PROSE["en"])])
    (root / "metadata.csv").write_text(
        "path,city,year\nweb/note.docx,Rotterdam,2016\nweb/missing.md,Paris,2010\n", encoding="utf-8"
    )
    first = run_cli("index", root, "--index", index_dir, "--jobs", "1")
    assert first.exit_code == 1, first.output  # broken.pdf and the metadata row
    survey = root / "reports" / "survey.pdf"
    data = survey.read_bytes()
    survey.write_bytes(data[: len(data) // 3])  # damaged after indexing
    second = run_cli("index", root, "--index", index_dir, "--jobs", "1")
    assert second.exit_code == 1, second.output
    return root, index_dir
