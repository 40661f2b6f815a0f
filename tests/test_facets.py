"""Facets at indexing time: year and type rules, librarian metadata, filters and counts, explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, search_json
from tests.pdfs import PROSE, wrap, write_pdf


def profile(path: Path, lang: str, first_line: str, extra: str = "") -> Path:
    """A one-page profile whose first lines carry a title and a printed date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_pdf(path, [[first_line, *wrap(f"{PROSE[lang]} {extra}")]], title=first_line)


@pytest.fixture
def library(tmp_path) -> Path:
    root = tmp_path / "library"
    profile(root / "good-ideas" / "housing-en.pdf", "en", "Housing first · Copyright 2011")
    profile(root / "good-ideas" / "wohnen-de.pdf", "de", "Wohnen zuerst · © 2013")
    profile(root / "good-ideas" / "vivienda-es.pdf", "es", "Vivienda primero · Publicado en 2012")
    body = wrap(" ".join([PROSE["fr"]] * 3))
    (root / "reports").mkdir()
    write_pdf(root / "reports" / "rapport-fr.pdf", [["Rapport annuel", "Publié en 2014", *body]] + [body] * 9)
    (root / "metadata.csv").write_text(
        "path,title,year,city,country,theme,doc_type\n"
        "good-ideas/housing-en.pdf,,,Toronto,CA,Live;Work,\n"
        "good-ideas/wohnen-de.pdf,,,Munich,DE,Live,\n"
        "good-ideas/vivienda-es.pdf,,,Barcelona,ES,Live,\n",
        encoding="utf-8",
    )
    return root


def index(root: Path, index_dir: Path) -> tuple[int, dict]:
    result = run_cli("index", root, "--index", index_dir, "--json")
    return result.exit_code, json.loads(result.output)


def by_file(result: dict) -> dict[str, dict]:
    return {Path(hit["path"]).name: hit for hit in result["hits"]}


def test_printed_years_and_types_from_folder_and_length(library, tmp_path):
    code, _ = index(library, tmp_path / "ix")
    assert code == 0
    hits = by_file(search_json(tmp_path / "ix", "", "--limit", "50"))
    assert {name: hit["year"] for name, hit in hits.items()} == {
        "housing-en.pdf": 2011,
        "wohnen-de.pdf": 2013,
        "vivienda-es.pdf": 2012,
        "rapport-fr.pdf": 2014,
    }
    assert hits["housing-en.pdf"]["doc_type"] == "profile" and hits["rapport-fr.pdf"]["doc_type"] == "report"


def test_librarian_metadata_overrides_and_a_metadata_only_change_needs_no_extraction(library, tmp_path):
    index(library, tmp_path / "ix")
    hits = by_file(search_json(tmp_path / "ix", "", "--limit", "50"))
    assert hits["housing-en.pdf"]["city"] == ["Toronto"] and hits["housing-en.pdf"]["theme"] == ["Live", "Work"]

    csv = (library / "metadata.csv").read_text(encoding="utf-8")
    (library / "metadata.csv").write_text(
        csv.replace("good-ideas/housing-en.pdf,,,Toronto", "good-ideas/housing-en.pdf,Housing First,2010,Toronto"),
        encoding="utf-8",
    )
    code, report = index(library, tmp_path / "ix")
    assert code == 0
    assert (report["added"], report["updated"], report["metadata_updated"]) == (0, 0, 1)
    hits = by_file(search_json(tmp_path / "ix", "", "--limit", "50"))
    assert hits["housing-en.pdf"]["year"] == 2010 and hits["housing-en.pdf"]["title"] == "Housing First"
    # Its pages are still there, untouched.
    assert by_file(search_json(tmp_path / "ix", "newcomers"))["housing-en.pdf"]["pages"][0]["page"] == 1

    (library / "metadata.csv").write_text("path,year\n", encoding="utf-8")
    code, report = index(library, tmp_path / "ix")
    assert report["metadata_updated"] == 3
    hits = by_file(search_json(tmp_path / "ix", "", "--limit", "50"))
    assert hits["housing-en.pdf"]["year"] == 2011, "without its row, the document has its extracted year again"
    assert hits["housing-en.pdf"]["title"] == "Housing first · Copyright 2011"


def test_a_malformed_row_is_reported_by_file_and_line_and_the_document_keeps_its_facets(library, tmp_path):
    (library / "metadata.csv").write_text(
        "path,year,theme\n"
        "good-ideas/housing-en.pdf,20x1,Live\n"
        "good-ideas/missing.pdf,2012,Live\n"
        "good-ideas/wohnen-de.pdf,2012,Gardening\n"
        "good-ideas/vivienda-es.pdf,2010,Work\n",
        encoding="utf-8",
    )
    result = run_cli("index", library, "--index", tmp_path / "ix")
    assert result.exit_code == 1
    metadata_csv = library / "metadata.csv"
    assert f"METADATA {metadata_csv} line 2: year '20x1'" in result.output
    assert f"METADATA {metadata_csv} line 3: no file 'good-ideas/missing.pdf'" in result.output
    assert f"METADATA {metadata_csv} line 4: unknown theme 'Gardening'" in result.output
    hits = by_file(search_json(tmp_path / "ix", "", "--limit", "50"))
    assert len(hits) == 4
    assert hits["housing-en.pdf"]["year"] == 2011 and hits["wohnen-de.pdf"]["year"] == 2013
    assert hits["vivienda-es.pdf"]["year"] == 2010 and hits["vivienda-es.pdf"]["theme"] == ["Work"]
    status = json.loads(run_cli("status", "--index", tmp_path / "ix", "--json").output)
    assert [error["line"] for error in status["metadata_errors"]] == [2, 3, 4]


def test_filters_are_or_within_a_facet_and_and_across_with_counts(library, tmp_path):
    index(library, tmp_path / "ix")
    both = search_json(tmp_path / "ix", "", "--city", "Toronto", "--city", "Munich")
    assert {h["city"][0] for h in both["hits"]} == {"Toronto", "Munich"} and both["total"] == 2
    narrowed = search_json(tmp_path / "ix", "", "--city", "Toronto", "--city", "Munich", "--theme", "Work")
    assert [h["city"] for h in narrowed["hits"]] == [["Toronto"]]
    counts = {f["value"]: f["count"] for f in narrowed["facets"]["city"]}
    # A facet's counts leave out its own filter: they say what ticking another city would give.
    assert counts == {"Toronto": 1}
    themes = {f["value"]: f["count"] for f in both["facets"]["theme"]}
    assert themes["Live"] == 2 and themes["Work"] == 1
    years = search_json(tmp_path / "ix", "", "--year", "2012-2014")
    assert sorted(h["year"] for h in years["hits"]) == [2012, 2013, 2014]
    assert [f["value"] for f in years["facets"]["year"]] == [2011, 2012, 2013, 2014]


def test_bad_filter_values_get_a_message_and_exit_2(library, tmp_path):
    index(library, tmp_path / "ix")
    for args, message in (
        (["--year", "abc"], "year must be a year or a range"),
        (["--theme", "Gardening"], "unknown theme 'Gardening'"),
        (["--sort", "random"], "unknown sort"),
    ):
        result = run_cli("search", "", "--index", tmp_path / "ix", *args)
        assert result.exit_code == 2 and message in result.output


def test_explain_gives_the_evidence_for_each_value(library, tmp_path):
    index(library, tmp_path / "ix")
    hits = by_file(search_json(tmp_path / "ix", "", "--limit", "50"))
    result = run_cli("explain", hits["housing-en.pdf"]["id"], "--index", tmp_path / "ix")
    assert result.exit_code == 0
    assert "year: 2011" in result.output and "copyright or publication line" in result.output
    assert "city: Toronto" in result.output and "set by the librarian (metadata.csv line 2)" in result.output
    assert "doc_type: profile" in result.output and "folder 'good-ideas'" in result.output
    by_path = run_cli("explain", library / "reports" / "rapport-fr.pdf", "--index", tmp_path / "ix", "--json")
    assert json.loads(by_path.output)["facets"]["year"][0]["value"] == 2014
    missing = run_cli("explain", "0000", "--index", tmp_path / "ix")
    assert missing.exit_code == 2 and "no indexed document" in missing.output
