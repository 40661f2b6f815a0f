"""Shared fixtures: a small four-language collection and one session-wide index for read-only tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from tests.pdfs import PROSE, wrap, write_pdf, write_prose_pdf


def run_cli(*args: str):
    """Run the citymig CLI in-process and return click's Result."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_citymig(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run the citymig CLI in a real child process."""
    return subprocess.run(
        [sys.executable, "-m", "indexer", *map(str, args)], capture_output=True, text=True, timeout=300, **kwargs
    )


def build_collection(root: Path) -> Path:
    """Four reports, one per language, a bilingual report, a web page and a Markdown post."""
    root.mkdir(parents=True, exist_ok=True)
    for lang in PROSE:
        write_prose_pdf(root / f"report-{lang}.pdf", lang, pages=3, title=f"Integration report {lang}")
    mixed = [wrap(" ".join([PROSE["en"]] * 3))] * 3 + [wrap(" ".join([PROSE["de"]] * 3))]
    write_pdf(root / "mixed-en-de.pdf", mixed, title="Roadshow report", header="Roadshow")
    (root / "web").mkdir(exist_ok=True)
    (root / "web" / "post.html").write_text(
        "<html lang='es'><head><title>Vivienda en Madrid | Blog</title></head><body><nav>Inicio</nav>"
        f"<article><h1>Vivienda</h1><time datetime='2013-02-12'>12 feb</time><p>{PROSE['es']}</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    (root / "web" / "news.md").write_text(
        f"---\ntitle: Nouvelles de Montréal\ndate: 2014-05-01\n---\n\n# Nouvelles\n\n{PROSE['fr']}\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="session")
def collection(tmp_path_factory) -> Path:
    """A read-only collection shared by the session."""
    return build_collection(tmp_path_factory.mktemp("collection"))


@pytest.fixture(scope="session")
def session_index(collection, tmp_path_factory) -> Path:
    """An index of ``collection``, built once with the real CLI."""
    index_dir = tmp_path_factory.mktemp("index")
    result = run_cli("index", collection, "--index", index_dir, "--json")
    assert result.exit_code == 0, result.output
    return index_dir


def search_json(index_dir: Path, *args: str) -> dict:
    """Run ``citymig search --json`` and parse its output."""
    result = run_cli("search", *args, "--index", index_dir, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of the bundled collection (corpus/), built once with the real CLI: the documents users meet."""
    index_dir = tmp_path_factory.mktemp("corpus-index")
    result = run_cli("index", CORPUS, "--index", index_dir, "--json")
    assert result.exit_code == 0, result.output
    return index_dir
