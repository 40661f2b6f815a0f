"""A small collection for the web tests: facets set by the librarian (metadata.csv), one hostile document.

Facet extraction from text may or may not find these values; the librarian's
metadata.csv sets them, so the facet UI can be tested on known values.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdfs import PROSE, wrap, write_pdf

HOSTILE_TITLE = 'Hostile <script>alert(1)</script> "><img src=x onerror=alert(2)>'
HOSTILE_TEXT = 'Zanzibar marker <script>alert("page")</script> and "><img src=x onerror=alert(3)> inside the page.'
CITIES = ["Toronto", "Berlin", "Madrid", "Lyon", "Vienna", "Lisbon", "Dublin", "Oslo", "Zurich", "Ghent", "Turin"]

# name, language, pages, title, metadata row (year, city, country, theme, doc_type)
DOCUMENTS = [
    ("toronto-housing-en.pdf", "en", 3, "Affordable Housing in Toronto", ("2011", "Toronto", "CA", "Live", "profile")),
    ("berlin-wohnen-de.pdf", "de", 2, "Wohnen in Berlin", ("2014", "Berlin", "DE", "Live;Learn", "report")),
    ("madrid-empleo-es.pdf", "es", 2, "Empleo en Madrid", ("2012", "Madrid", "ES", "Work", "report")),
    ("lyon-accueil-fr.pdf", "fr", 1, "Accueil à Lyon", ("2016", "Lyon", "FR", "Connect", "profile")),
    ("many-cities-en.pdf", "en", 2, "Networks of Many Cities", ("2012", ";".join(CITIES), "AT", "Plan", "essay")),
]


def build_web_collection(root: Path) -> Path:
    """Write the documents, a Markdown post, an HTML page and metadata.csv under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    rows = ["path,title,year,city,country,theme,doc_type"]
    for name, lang, pages, title, (year, city, country, theme, doc_type) in DOCUMENTS:
        body = wrap(" ".join([PROSE[lang]] * 3))
        write_pdf(root / name, [body] * pages, title=title)
        rows.append(f"{name},{title},{year},{city},{country},{theme},{doc_type}")
    hostile = [wrap(PROSE["en"]), wrap(PROSE["en"] + " " + HOSTILE_TEXT)]
    write_pdf(root / "hostile.pdf", hostile, title=HOSTILE_TITLE)
    # Every document's facets are set here, so extraction from the text cannot change the counts the tests expect.
    rows += [
        "hostile.pdf,,2009,Dublin,IE,Plan,blog",
        "notes.md,,2009,Dublin,IE,Plan,blog",
        "page.html,,2009,Dublin,IE,Plan,blog",
    ]
    (root / "notes.md").write_text(f"# Notes on welcome centres\n\n{PROSE['en']}\n", encoding="utf-8")
    (root / "page.html").write_text(
        f"<html lang='en'><head><title>Welcome page</title></head><body><p>{PROSE['en']}</p>"
        "<script>document.title='owned'</script></body></html>",
        encoding="utf-8",
    )
    (root / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root
