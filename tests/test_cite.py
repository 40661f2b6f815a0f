"""Citations in the core (indexer.report.cite) and the diversified similar list (indexer.query.similar)."""

from __future__ import annotations

import bibtexparser

from indexer.query.similar import diversify, overlap
from indexer.report.cite import apa, csl_item, to_bibtex, to_ris

RECORD = {
    "id": "0123456789abcdef",
    "title": "Anti-rumour agents in Barcelona: 100% {volunteers} & co_op",
    "lang": "en",
    "year": 2012,
    "doc_type": "profile",
    "city": ["Barcelona"],
    "country": ["ES"],
    "theme": ["Connect"],
    "pages_total": 2,
}
URL = "http://127.0.0.1:8000/doc/0123456789abcdef"


def test_a_named_person_is_a_family_and_given_name_and_anything_else_a_literal():
    people = csl_item(RECORD | {"author": "Jane Doe; Ayuntamiento de Barcelona"}, URL, "Cities of Migration")
    assert people["author"] == [{"family": "Doe", "given": "Jane"}, {"literal": "Ayuntamiento de Barcelona"}]
    office = csl_item(RECORD | {"author": "Office of Research and Policy"}, URL, "Cities of Migration")
    assert office["author"] == [{"literal": "Office of Research and Policy"}]
    nobody = csl_item(RECORD, URL, "Cities of Migration")
    assert nobody["author"] == [{"literal": "Cities of Migration"}]
    assert nobody["type"] == "webpage" and nobody["issued"] == {"date-parts": [[2012]]}
    assert nobody["keyword"] == "Barcelona, ES, Connect" and nobody["number-of-pages"] == 2


def test_bibtex_escapes_special_characters_and_parses_back_to_the_same_fields():
    item = csl_item(RECORD | {"author": "Jane Doe and John Roe"}, URL, "Cities of Migration")
    library = bibtexparser.parse_string(to_bibtex([item, csl_item(RECORD | {"id": "fedcba9876543210"}, URL, "X")]))
    assert not library.failed_blocks and len(library.entries) == 2
    entry = library.entries[0]
    assert entry["title"] == r"{Anti-rumour agents in Barcelona: 100\% \{volunteers\} \& co\_op}"
    assert entry["author"] == "Doe, Jane and Roe, John" and entry["year"] == "2012"
    assert library.entries[0].key != library.entries[1].key


def test_ris_has_one_author_line_per_author_and_ends_every_record():
    item = csl_item(RECORD | {"author": "Jane Doe; John Roe"}, URL, "Cities of Migration")
    lines = to_ris([item, item]).split("\r\n")
    assert lines[0] == "TY  - ELEC" and lines.count("ER  - ") == 2
    assert "AU  - Doe, Jane" in lines and "AU  - Roe, John" in lines and "PY  - 2012" in lines


def test_apa_names_the_organisation_once_and_escapes_the_title_in_html():
    reference = apa(csl_item(RECORD, URL, "Cities of Migration"))
    assert reference["text"].startswith("Cities of Migration. (2012). Anti-rumour agents in Barcelona")
    assert reference["text"].count("Cities of Migration") == 1 and reference["text"].endswith(URL)
    assert "[Good Idea profile]" in reference["text"] and "&amp; co_op</em>" in reference["html"]
    person = apa(csl_item(RECORD | {"author": "Jane Mary Doe", "year": None}, URL, "Cities of Migration"))
    assert person["text"].startswith("Doe, J. M. (n.d.).") and "Cities of Migration." in person["text"]


def test_mmr_keeps_one_of_several_documents_about_no_city_when_the_others_are_nearly_as_alike():
    pool = [("report-a", []), ("report-b", []), ("toronto", []), ("lyon", [])]
    scores = {"report-a": 10.0, "report-b": 9.5, "toronto": 7.0, "lyon": 6.0}
    places = {
        "report-a": frozenset(),
        "report-b": frozenset(),
        "toronto": frozenset({"Toronto"}),
        "lyon": frozenset({"Lyon"}),
    }
    assert [doc for doc, _ in diversify(pool, scores, places, 3)] == ["report-a", "toronto", "lyon"]
    assert [doc for doc, _ in diversify(pool, scores, places, 4)][-1] == "report-b"  # still there, last
    assert overlap(frozenset(), frozenset()) == 1.0 and overlap(frozenset({"A", "B"}), frozenset({"B"})) == 0.5
