"""Document type — profile, report, essay or blog post — from folder, format and length.

The librarian's metadata beats everything here. Then a folder named for a
type (``good-ideas/``, ``profiles/``, ``reports/``, ``blog/``, ``news/``,
``essays/``…) says it; then the format and length: a web page or Markdown
post is a blog post, a PDF of one or two pages a profile, of eight pages or
more a report, and anything between an essay.
"""

from __future__ import annotations

from indexer.vocabulary import FORMATS

PROFILE_MAX_PAGES = 2
REPORT_MIN_PAGES = 8
FOLDER_TYPES = {
    "profile": {
        "good-ideas",
        "good_ideas",
        "goodideas",
        "profiles",
        "profile",
        "practices",
        "gute-ideen",
        "buenas-ideas",
    },
    "report": {"reports", "report", "country-reports", "berichte", "informes", "rapports"},
    "essay": {"essays", "essay", "building-inclusive-cities", "ensayos", "essais"},
    "blog": {"blog", "blogs", "news", "posts", "noticias", "nachrichten", "actualites", "actualités"},
}
WEB_FORMATS = {suffix for suffix, fmt in FORMATS.items() if fmt.web}


def document_type(relpath: str, pages: int) -> tuple[str, str]:
    """(type, evidence) for a document at ``relpath`` (relative to its collection) with ``pages`` pages."""
    folders = [part.lower() for part in relpath.split("/")[:-1]]
    for folder in reversed(folders):
        for doc_type, names in FOLDER_TYPES.items():
            if folder in names:
                return doc_type, f"folder {folder!r}"
    suffix = "." + relpath.rsplit(".", 1)[-1].lower() if "." in relpath else ""
    if suffix in WEB_FORMATS:
        return "blog", f"a {suffix} page"
    if pages <= PROFILE_MAX_PAGES:
        return "profile", f"{pages} page{'s' if pages != 1 else ''}"
    if pages >= REPORT_MIN_PAGES:
        return "report", f"{pages} pages"
    return "essay", f"{pages} pages"
