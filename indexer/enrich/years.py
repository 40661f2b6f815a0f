"""Year of publication, from the strongest evidence a document offers.

Order of trust (the librarian's metadata, applied later, beats them all):

1. a date printed on the first pages: a copyright or publication line
   (``Copyright 2012``, ``© 2012``, ``Herausgegeben 2012``, ``Publicado en 2013``),
   then a full date (``February 12, 2013``, ``12. Februar 2013``, ``4-6 juin 2014``),
   then a line that is only a year, or ends a byline (``Good Ideas · 2012``),
   each looked for near the top of the first pages;
2. the date of a web page or Markdown post (``<time datetime>``, front matter);
3. the PDF's own creation date, unless it looks like a build date: a
   creator that names a word processor on a file-name title, or a year more
   than three years after every year the text mentions;
4. a year in the file name.

Years outside 1990 to next year are rejected at every step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FIRST_PAGES = 3  # where a publication date is printed
TOP_LINES = 25  # how far down a page a cover date or byline sits
MIN_YEAR = 1990
BUILD_DATE_MARGIN = 3  # years a PDF's date may follow the latest year its text mentions

_YEAR = r"(19[9]\d|20\d\d)"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
)
_COPYRIGHT = re.compile(
    r"(?:copyright|©|\(c\)|published|publication|herausgegeben|veröffentlicht|erschienen|stand:?|publicado|"
    r"publicación|edición|publié|publication|édition|dépôt légal)\D{0,40}?" + _YEAR + r"\b",
    re.I,
)
_FULL_DATE = re.compile(
    r"\b(?:\d{1,2}(?:\s*[-–]\s*\d{1,2})?\.?\s*(?:de\s+)?(?:"
    + _MONTHS
    + r")\.?,?\s*(?:de\s+)?"
    + _YEAR
    + r"|(?:"
    + _MONTHS
    + r")\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:st|nd|rd|th)?,?\s+"
    + _YEAR
    + r"|(?:"
    + _MONTHS
    + r")\s+"
    + _YEAR
    + r")\b",
    re.I,
)
_YEAR_LINE = re.compile(r"^\W*(?:[^\d\n]{0,60}[·|•–—-]\s*)?" + _YEAR + r"\W*$")
_ISO_DATE = re.compile(r"^\s*" + _YEAR + r"(?:-\d\d(?:-\d\d)?)?")
_ANY_YEAR = re.compile(r"\b" + _YEAR + r"\b")
_NAME_YEAR = re.compile(r"(?<!\d)" + _YEAR + r"(?!\d)")
_WORD_PROCESSOR = re.compile(r"word|writer|pages|indesign|quark", re.I)


@dataclass(frozen=True)
class YearFinding:
    """A year and the evidence for it, in a librarian's words."""

    year: int
    evidence: str


def valid_year(year: int, today: date | None = None) -> bool:
    """True for years from 1990 to next year."""
    return MIN_YEAR <= year <= (today or date.today()).year + 1


def _first_valid(matches, today: date | None) -> int | None:
    for match in matches:
        year = int(next(group for group in reversed(match.groups()) if group))
        if valid_year(year, today):
            return year
    return None


def printed_year(pages: list[str], today: date | None = None) -> YearFinding | None:
    """A publication year printed on the first pages, or None."""
    pages = pages[:FIRST_PAGES]
    for number, text in enumerate(pages, start=1):
        year = _first_valid(_COPYRIGHT.finditer(text), today)
        if year:
            return YearFinding(year, f"page {number}: copyright or publication line with {year}")
    for pattern, what in ((_FULL_DATE, "date"), (_YEAR_LINE, "year printed on its own line")):
        for number, text in enumerate(pages, start=1):
            top = text.splitlines()[:TOP_LINES]
            if what == "date":
                matches = list(pattern.finditer("\n".join(top)))
            else:
                matches = [m for m in map(pattern.match, (line.strip() for line in top)) if m]
            year = _first_valid(matches, today)
            if year:
                shown = next(m.group(0).strip() for m in matches if str(year) in m.group(0))
                return YearFinding(year, f"page {number}: {what} {shown!r}")
    return None


def metadata_year(
    iso_date: str | None,
    source: str,
    title: str | None,
    creator: str | None,
    text_years: list[int],
    today: date | None = None,
) -> YearFinding | None:
    """The year of a file's own date, unless it looks like a build date rather than a publication date."""
    match = _ISO_DATE.match(iso_date or "")
    if not match:
        return None
    year = int(match.group(1))
    if not valid_year(year, today):
        return None
    if source == "pdf":
        if creator and _WORD_PROCESSOR.search(creator) and title and re.search(r"\.\w{2,4}$", title):
            return None  # a word processor's export stamped with a file name: the date is when it was built
        if text_years and year > max(text_years) + BUILD_DATE_MARGIN:
            return None  # later than anything the text speaks of: a build date
        return YearFinding(year, f"PDF creation date {iso_date[:10]}")
    return YearFinding(year, f"date of the {source} {iso_date[:10]}")


def filename_year(relpath: str, today: date | None = None) -> YearFinding | None:
    """A year in the file name (``report-2012.pdf``), or None."""
    name = relpath.rsplit("/", 1)[-1]
    year = _first_valid(_NAME_YEAR.finditer(name), today)
    return YearFinding(year, f"file name {name!r}") if year else None


def mentioned_years(text: str, today: date | None = None) -> list[int]:
    """Every plausible year the text mentions."""
    return [int(y) for y in _ANY_YEAR.findall(text) if valid_year(int(y), today)]
