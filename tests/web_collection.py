"""Small collections for the web tests.

The web collection has facets set by the librarian (metadata.csv) and one
hostile document: facet extraction from text may or may not find these
values; metadata.csv sets them, so the facet UI can be tested on known
values. The question collection is practices in several cities, one of
them in three languages, for what the result page says about a question.
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


# The anti-rumour profile exists in three languages (one folder, names differing by a language suffix).
QUESTION_DOCUMENTS = {
    "barcelona-antirumour-en.pdf": (
        "Anti-rumour agents in Barcelona",
        "Barcelona, Spain. In Barcelona the city council trained volunteers as anti-rumour agents who answer "
        "prejudice against immigrants in markets and on the street. Barcelona shared the method with other cities.",
    ),
    "barcelona-antirumour-es.pdf": (
        "Agentes antirrumores en Barcelona",
        "Barcelona, España. En Barcelona el ayuntamiento formó a voluntarios como agentes antirrumores que "
        "responden a los prejuicios contra los inmigrantes en los mercados. Barcelona compartió el método.",
    ),
    "barcelona-antirumour-fr.pdf": (
        "Agents anti-rumeurs à Barcelone",
        "Barcelone, Espagne. À Barcelone la municipalité a formé des bénévoles comme agents anti-rumeurs qui "
        "répondent aux préjugés contre les immigrés sur les marchés. Barcelone a partagé la méthode.",
    ),
    "wien-geruechte-de.pdf": (
        "Freiwillige gegen Gerüchte in Wien",
        "Wien, Österreich. In Wien treten Freiwillige Vorurteilen gegen Zugewanderte entgegen: sie widerlegen "
        "Gerüchte auf Märkten und in Gesprächen auf der Straße. Wien hat die Methode von anderen Städten gelernt.",
    ),
    "sevilla-refugiados-es.pdf": (
        "Vivienda para refugiados en Sevilla",
        "Sevilla, España. La ciudad de Sevilla ofrece vivienda a refugiados y acompaña su integración en el barrio. "
        "En Sevilla la integración empieza por una vivienda digna para las familias refugiadas.",
    ),
    "toronto-mentoring-en.pdf": (
        "Mentoring skilled immigrants in Toronto",
        "Toronto, Canada. Employers in Toronto pair skilled immigrants with mentors in their profession, and the "
        "mentoring leads to employment. Toronto employers found that mentoring pays off for both sides.",
    ),
}


def build_question_collection(root: Path) -> Path:
    """Write the practices of QUESTION_DOCUMENTS under ``root`` (places, years and themes as extracted)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, (title, text) in QUESTION_DOCUMENTS.items():
        write_pdf(root / name, [[title, *wrap(" ".join([text] * 3))]], title=title)
    return root
