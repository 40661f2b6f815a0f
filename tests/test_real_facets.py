"""Facets that hold on real documents: each error class of issue 12 with a real or realistic text.

People, references and publishers, brands and software, German common nouns, a report comparing many
cities, an untitled PDF whose title is in large type, a web page whose first line is boilerplate, an
off-topic manual, metadata.csv values, and a TeX PDF whose fonts need fontTools. The real documents
are rendered from ``tests/data/real`` by ``tests/realdocs.py``; the Debian manuals are installed by
``.ci/run`` (a test that needs one skips, saying so, where it is not installed).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from indexer.enrich.places import Gazetteer, document_places, mentions_in
from indexer.enrich.themes import ThemeLexicon, ThemeVote
from indexer.ingest.pdf import PdfInfo, iter_pdf_pages
from indexer.ingest.titles import clean_title, pdf_title
from tests.conftest import run_cli, search_json
from tests.pdfs import PROSE, wrap, write_pdf
from tests.realdocs import build_real_documents, gold, trap_sources


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def cities(gazetteer: Gazetteer, text: str, lang: str = "en") -> list[str]:
    return [m.city.name for m in mentions_in(gazetteer, text, lang) if m.city]


# -- people, references, publishers ---------------------------------------------------------------------------


def test_editors_names_are_people_not_towns_and_the_country_follows_the_city(gazetteer):
    # "Kim" is a town in India and "Bradley" one in Illinois; the report is about Berlin.
    pages = [
        (1, "Integration in Berlin. Edited by Kim Turner and Jennifer Bradley. Foreword by Roland Roth."),
        (2, "Berlin opened welcome centres in every district. In Berlin, newcomers meet mentors."),
        (3, "The Berlin senate funds language courses; Berlin also counts on its volunteers."),
    ]
    places = document_places(gazetteer, "Integration in Berlin", pages, "en")
    assert places.cities == ["Berlin"] and places.countries == ["DE"]
    assert "Kim" not in places.page_cities.get(1, []) and "Bradley" not in places.page_cities.get(1, [])
    assert "a given name before the surname 'Turner'" in places.rejected["Kim"][0]
    assert "surname after the given name 'Jennifer'" in places.rejected["Bradley"][0]


def test_authors_home_cities_in_brackets_are_affiliations(gazetteer):
    text = "Audrey Singer (Washington) maps settlement; Jan Niessen (Brussels) compares national policies."
    assert cities(gazetteer, text) == []


@pytest.mark.parametrize(
    "reference",
    [
        "Katz, B. and J. Bradley. (2013). The Metropolitan Revolution. Washington, DC: The Brookings Institution.",
        "Florida, Richard. (2005). *Cities and the Creative Class*. New York: Routledge.",
        "Sudjic, D. (1993). *The 100 Mile City*. Orlando: Harcourt Brace & Company. p.292.",
        "Young, I. M. (1990). *Justice and the Politics of Difference*. Princeton: Princeton University Press.",
    ],
)
def test_a_publishers_place_in_a_reference_is_not_a_city_the_text_names(gazetteer, reference):
    assert cities(gazetteer, reference) == []


@pytest.mark.parametrize(
    "text",
    [
        "Who stays away? Barcelona: A Park for the Neighbourhood Barcelona has experienced rapid immigration.",
        "A strategy outlasts a mayor. Montreal: A Charter for Urban Citizens Montreal has adopted a charter.",
    ],
)
def test_a_section_heading_city_colon_title_is_the_city_not_a_publishers_place(gazetteer, text):
    # A heading run into its text looks like "City: Publisher" after a sentence, but lowercase words follow.
    named = cities(gazetteer, text)
    assert len(named) == 2 and len(set(named)) == 1


def test_a_word_for_city_at_the_end_of_the_previous_sentence_vouches_for_nothing(gazetteer):
    # Spanish "Para" (for) is Belém's alternate name Pará; "… de la ciudad. Para los …" is not "ciudad de Para".
    text = "Ningún barrio es una zona de sacrificio, sino parte de la ciudad. Para los responsables, esto importa."
    assert cities(gazetteer, text, "es") == []
    assert cities(gazetteer, "La ciudad de Valongo abrió su biblioteca.", "es") == ["Valongo"]


def test_a_city_discussed_in_the_text_still_counts_next_to_its_references(gazetteer):
    text = (
        "Washington has a new office for immigrant affairs, and in Washington the council funds it. "
        "Katz, B. (2013). The Metropolitan Revolution. Washington, DC: The Brookings Institution."
    )
    assert cities(gazetteer, text) == ["Washington", "Washington"]


# -- brands, organisations, software --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Search the archive with Google or ask on the mailing list.",  # an alternate name of Topeka
        "Samba shares files with Windows machines; restart Samba after changing smb.conf.",  # a town in Angola
        "This product includes software developed by the University of California, Berkeley and its contributors.",
        "Redistribution is permitted under the Berkeley Software Distribution licence.",
        "Programming Perl. Reading: Addison-Wesley, 1994.",
        "Roland Roth teaches at Magdeburg-Stendal University of Applied Sciences.",
        "The Brookings Institution and the Carnegie Corporation funded the study.",
    ],
)
def test_brands_organisations_and_software_are_not_cities(gazetteer, text):
    assert cities(gazetteer, text) == []


# -- German common nouns --------------------------------------------------------------------------------------


def test_german_nouns_and_pronouns_are_not_cities_though_capitalised(gazetteer):
    text = (
        "Geben Sie Ihren Namen und Ihre E-Mail-Adresse ein. Im Namen des Teams danken wir Ihnen. "
        "Senden Sie Ihren Schlüssel an den Server, bevor Sie in Ihren Paketen etwas ändern."
    )
    assert cities(gazetteer, text, "de") == []


def test_a_real_german_city_with_a_word_for_city_still_counts(gazetteer):
    assert cities(gazetteer, "Die Stadt Namur und die Stadt Essen tauschen Erfahrungen aus.", "de") == [
        "Namur",
        "Essen",
    ]


# -- real documents: many-city report, titles, boilerplate ----------------------------------------------------


@pytest.fixture(scope="module")
def real_index(tmp_path_factory) -> tuple[Path, Path]:
    root = build_real_documents(tmp_path_factory.mktemp("real"))
    index_dir = tmp_path_factory.mktemp("real-index")
    result = run_cli("index", root, "--index", index_dir, "--json")
    assert result.exit_code == 0, result.output
    return root, index_dir


def _hits(index_dir: Path, *args: str) -> dict[str, dict]:
    return {Path(hit["path"]).name: hit for hit in search_json(index_dir, "", "--limit", "50", *args)["hits"]}


def test_a_report_comparing_many_cities_gets_the_cities_it_discusses(real_index):
    _, index_dir = real_index
    report = _hits(index_dir)["practice-to-policy.pdf"]
    labels = next(e for e in gold()["documents"] if e["path"] == "practice-to-policy.pdf")
    assert set(report["city"]) == set(labels["city"]) and report["city"][0] == "Toronto"
    assert set(report["country"]) == set(labels["country"])
    assert "practice-to-policy.pdf" in _hits(index_dir, "--city", "Barcelona"), "--city Barcelona finds the report"


def test_every_real_document_gets_its_printed_title_and_no_city_it_only_mentions(real_index):
    _, index_dir = real_index
    hits = _hits(index_dir)
    for labels in gold()["documents"]:
        hit = hits[labels["path"]]
        assert hit["title"].replace("’", "'") == labels["title"], labels["path"]
        assert sorted(hit["city"]) == sorted(labels["city"]), labels["path"]


def test_explain_shows_kept_and_rejected_candidates_with_reasons(real_index):
    root, index_dir = real_index
    result = run_cli("explain", root / "practice-to-policy.pdf", "--index", index_dir, "--json")
    info = json.loads(result.output)
    kept = {found["value"]: found["evidence"] for found in info["facets"]["city"]}
    assert any(re.search(r"named \d+ times in 19 pages", reason) for reason in kept["Toronto"])
    rejected = {found["value"]: found["evidence"] for found in info["rejected"]["city"]}
    assert any("named 2 times; a subject needs 3" in reason for reason in rejected["San Francisco"])
    assert any("publisher" in reason or "reference" in reason for reasons in rejected.values() for reason in reasons)
    text = run_cli("explain", root / "practice-to-policy.pdf", "--index", index_dir).output
    assert "city not kept: San Francisco" in text


def test_an_untitled_pdf_takes_its_title_from_the_largest_type(tmp_path):
    path = tmp_path / "untitled.pdf"
    write_pdf(path, [["Integration report", *wrap(PROSE["en"])]], title=None, metadata=False)
    # tests.pdfs sets every line in one size: draw a cover in large type instead.
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 8)
    c.drawString(72, 806, "CITIES OF MIGRATION")
    c.setFont("Helvetica-Bold", 26)
    c.drawString(72, 700, "Welcoming Newcomers")
    c.setFont("Helvetica", 17)
    c.drawString(72, 670, "How Cities Share What Works")
    c.setFont("Times-Roman", 11)
    for n, line in enumerate(wrap(PROSE["en"])):
        c.drawString(72, 620 - 15 * n, line)
    c.showPage()
    c.save()
    assert pdf_title(path) == "Welcoming Newcomers: How Cities Share What Works"


def test_combining_marks_are_joined_in_titles():
    assert clean_title("Wellington: Bringing Newcomers and M ā ori Together") == (
        "Wellington: Bringing Newcomers and Māori Together"
    )
    assert clean_title("Mu\u0308nchen") == "München" and clean_title("Bienvenue à Paris") == "Bienvenue à Paris"


def test_a_saved_web_page_and_a_text_file_skip_boilerplate_for_their_title(tmp_path):
    root = tmp_path / "web"
    root.mkdir()
    (root / "page.html").write_text(
        "<html><body><p><a href='#main'>You are now in the main content area</a></p>"
        f"<main><h1>A tribute to Cities of Migration</h1><p>{PROSE['en']}</p></main></body></html>",
        encoding="utf-8",
    )
    (root / "notes.txt").write_text(f"Skip to main content\nNewcomers in Halifax\n\n{PROSE['en']}\n", encoding="utf-8")
    index_dir = tmp_path / "ix"
    assert run_cli("index", root, "--index", index_dir, "--json").exit_code == 0
    titles = {name: hit["title"] for name, hit in _hits(index_dir).items()}
    assert titles == {"page.html": "A tribute to Cities of Migration", "notes.txt": "Newcomers in Halifax"}


# -- themes only with evidence --------------------------------------------------------------------------------

# A page of a software manual, as the Debian guides read: "license" and "policy" come up, as they do.
MANUAL = (
    "To build the package, change to the source directory and run dpkg-buildpackage with the options "
    "for a binary-only build. The command unpacks the original tarball, applies the patches listed in "
    "debian/patches/series and calls the targets of debian/rules in order: clean, build, binary. When "
    "the build succeeds, the parent directory holds the .deb files, the .changes file and the build log. "
    "Read the log from the top: the first error is the one to fix, and later ones usually follow from it. "
    "Before the upload, run lintian on the .changes file. It checks the files against the Debian Policy "
    "and reports errors, warnings and informational tags; each tag has a short explanation, and "
    "lintian-info shows the long one. The copyright file must name the license of every file in the "
    "source tree, with its holders and years, in the machine-readable format. Then sign the .changes "
    "file with your GnuPG key, check the signature with gpg --verify, and upload it with dput to the "
    "queue of the archive. The archive software answers by mail within a few minutes: the package is "
    "accepted, or rejected with the reason. Keep the source directory: the next version starts from it."
)


def test_an_off_topic_manual_gets_no_theme_and_explain_says_why():
    vote, lexicon = ThemeVote(), ThemeLexicon.load()
    for number in range(1, 21):
        vote.add_page(number, MANUAL, "en", lexicon)
    assert vote.themes() == []
    assert any("off topic" in reason for reason in vote.rejected().values())


def test_an_on_topic_profile_keeps_its_theme():
    vote = ThemeVote()
    vote.add_page(1, PROSE["en"] + " Employers hire skilled immigrants; mentoring helps newcomers find a job.", "en",
                  ThemeLexicon.load())  # fmt: skip
    assert vote.themes() and vote.on_topic()


# -- metadata.csv ---------------------------------------------------------------------------------------------


def test_metadata_csv_checks_countries_and_cities_and_reports_the_closest_names(tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    for name in ("a", "b", "c", "d"):
        write_pdf(root / f"{name}.pdf", [wrap(PROSE["en"])], title=f"Profile {name}")
    (root / "metadata.csv").write_text(
        "path,city,country,year\n"
        "a.pdf,Turin,XX,2012\n"
        "b.pdf,Barcelna,ES,2013\n"
        "c.pdf,!Nou Barris Nord;Múnich,,2014\n"
        "d.pdf,Atlantis Springs,,2015\n",
        encoding="utf-8",
    )
    result = run_cli("index", root, "--index", tmp_path / "ix")
    csv = root / "metadata.csv"
    assert result.exit_code == 1
    assert f"METADATA {csv} line 2: country 'XX' is not an ISO 3166 code" in result.output
    assert f"METADATA {csv} line 3: unknown city 'Barcelna' (not in the gazetteer); closest: Barcelona" in result.output
    assert "write !Barcelna to use it as written" in result.output
    assert f"METADATA {csv} line 5: unknown city 'Atlantis Springs'" in result.output
    assert "line 4" not in result.output, "a city marked with ! is applied as written, without a report"
    hits = _hits(tmp_path / "ix")
    assert hits["a.pdf"]["country"] == [] and hits["a.pdf"]["year"] != 2012, "a row with a bad country is not used"
    assert hits["b.pdf"]["city"] == [] and hits["b.pdf"]["country"] == ["ES"] and hits["b.pdf"]["year"] == 2013
    assert hits["c.pdf"]["city"] == ["Nou Barris Nord", "Munich"]
    assert hits["d.pdf"]["city"] == [] and hits["d.pdf"]["year"] == 2015


# -- real manuals: traps and fontTools ------------------------------------------------------------------------


def _installed_trap(path: str) -> tuple[dict, Path]:
    entry, source = next((e, s) for e, s in trap_sources() if e["path"] == path)
    if not source.exists():
        pytest.skip(f"{source} not installed (bash .ci/run installs Debian package {entry['package']})")
    return entry, source


def _unpacked(source: Path, tmp_path: Path) -> Path:
    if source.suffix != ".gz":
        return source
    target = tmp_path / source.stem
    target.write_bytes(gzip.decompress(source.read_bytes()))
    return target


def test_fonttools_reads_the_cff_fonts_of_a_tex_pdf(tmp_path):
    import fontTools  # noqa: F401 - a dependency (setup.cfg): without it pypdf guesses CFF encodings

    _, source = _installed_trap("debian-faq.en.pdf")
    info = PdfInfo(pages=0)
    text = "".join(text for _, text in iter_pdf_pages(_unpacked(source, tmp_path), info))
    assert not [w for w in info.warnings if "fontTools" in w], info.warnings
    assert "Debian" in text


@pytest.mark.slow
@pytest.mark.parametrize("path", [entry["path"] for entry in gold()["traps"]])
def test_a_debian_manual_gets_no_city_no_country_and_no_theme(tmp_path, path):
    entry, source = _installed_trap(path)
    root = tmp_path / "manual"
    root.mkdir()
    (root / entry["path"]).write_bytes(_unpacked(source, tmp_path).read_bytes())
    assert run_cli("index", root, "--index", tmp_path / "ix", "--json").exit_code == 0
    (hit,) = _hits(tmp_path / "ix").values()
    assert (hit["city"], hit["country"], hit["theme"]) == ([], [], [])
    assert hit["title"].replace("’", "'") == entry["title"]


# -- many-city reports in the bundled collection: filters find them, questions still rank the place's own pages --


def test_a_survey_report_is_found_under_each_city_it_discusses_but_a_question_ranks_that_citys_profile_first(
    corpus_index,
):
    by_city = {Path(h["path"]).name for h in search_json(corpus_index, "", "--city", "Turin", "--limit", "50")["hits"]}
    assert "municipal-leadership-en.pdf" in by_city, "Turin has a section of its own in the report"
    result = search_json(corpus_index, "Porta Palazzo")
    first = result["hits"][0]
    assert Path(first["path"]).name.startswith("turin-porta-palazzo") and first["about_query_place"]
    report = next(h for h in result["hits"] if Path(h["path"]).name == "municipal-leadership-en.pdf")
    assert "Turin" in report["city"] and not report["about_query_place"], "one of 23 cities: not mainly about Turin"
    barcelona = search_json(corpus_index, "qué funcionó en Barcelona", "--limit", "50")["hits"]
    catalan = next(h for h in barcelona if Path(h["path"]).name == "buenas-ideas-ciudades-es.pdf")
    assert catalan["about_query_place"], "the Spanish report's first chapters are Barcelona's"
