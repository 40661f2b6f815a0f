"""Citations of documents: CSL-JSON, BibTeX, RIS and an APA-style reference, from a hit or document record.

Pure functions over the JSON shape of a search hit (or of ``get_document``), with
``author`` where it is known. The CSL-JSON item is the one description of a
citation; BibTeX, RIS and the formatted reference are written from it, so the
formats cannot disagree. Where no person is named the author is the publishing
organisation (``publisher``), as reference managers and APA expect.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

# A document type of indexer.vocabulary as each format calls it.
CSL_TYPES = {"report": "report", "profile": "webpage", "blog": "post-weblog", "essay": "article"}
BIBTEX_TYPES = {"report": "techreport", "profile": "misc", "blog": "online", "essay": "misc"}
RIS_TYPES = {"report": "RPRT", "profile": "ELEC", "blog": "BLOG", "essay": "GEN"}
APA_DESCRIPTIONS = {"blog": "Blog post", "profile": "Good Idea profile"}
_PERSON = re.compile(r"^[A-ZÀ-Ý][\w'’.-]+(?: [A-ZÀ-Ý][\w'’.-]+){1,2}$")
_ORGANISATION_WORDS = {"city", "cities", "council", "foundation", "institute", "office", "ministry", "migration"}
_BIBTEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_BIBTEX_SPECIAL["\\"] = r"\textbackslash{}"


def _people(author: str | None, publisher: str) -> list[dict]:
    """CSL names: each named person as family/given, anything else (an organisation) as a literal."""
    names = []
    for part in (part.strip() for part in (author or "").split(";")):
        # "Jane Doe and John Roe" is two people; "Office of Research and Policy" is one organisation.
        pieces = [piece.strip() for piece in re.split(r"\band\b|&", part)]
        names += pieces if len(pieces) > 1 and all(map(_is_person, pieces)) else [part] if part else []
    people = []
    for name in names:
        words = name.split()
        people.append({"family": words[-1], "given": " ".join(words[:-1])} if _is_person(name) else {"literal": name})
    return people or [{"literal": publisher}]


def _is_person(name: str) -> bool:
    return bool(_PERSON.match(name)) and not _ORGANISATION_WORDS & {w.casefold() for w in name.split()}


def _doc_type(record: dict) -> str:
    """The record's type; without one, a PDF is read as a report and anything else as a web page (profile)."""
    if record.get("doc_type"):
        return record["doc_type"]
    path = (record.get("relpath") or record.get("path") or "").lower()
    return "report" if path.endswith(".pdf") else "profile"


def csl_item(record: dict, url: str, publisher: str, file_url: str | None = None) -> dict:
    """The CSL-JSON item of a document: type, title, author, issued, language, URL, pages, places, themes."""
    keywords = [*(record.get("city") or []), *(record.get("country") or []), *(record.get("theme") or [])]
    item = {
        "id": record["id"],
        "type": CSL_TYPES.get(_doc_type(record), "document"),
        "title": record.get("title") or "(untitled)",
        "author": _people(record.get("author"), publisher),
        "publisher": publisher,
        "language": record.get("lang"),
        "URL": url,
        "number-of-pages": record.get("pages_total"),
        "keyword": ", ".join(keywords) or None,
        "genre": _doc_type(record),
    }
    if record.get("year"):
        item["issued"] = {"date-parts": [[int(record["year"])]]}
    if record.get("city"):
        item["event-place"] = ", ".join(record["city"])  # the place the practice is about
    if file_url:
        item["file-url"] = file_url  # not CSL: a convenience for readers of the JSON
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def _name_text(name: dict, bibtex: bool = False) -> str:
    if "literal" in name:
        return "{" + _bibtex_text(name["literal"]) + "}" if bibtex else name["literal"]
    if bibtex:
        return f"{_bibtex_text(name['family'])}, {_bibtex_text(name['given'])}"
    return f"{name['family']}, {name['given']}"


def _bibtex_text(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(str(text).split()))


def _year(item: dict) -> int | None:
    parts = item.get("issued", {}).get("date-parts") or [[None]]
    return parts[0][0]


def bibtex_key(item: dict) -> str:
    """A citation key: first author's first word, year, first title word (``citiesofmigration2012anti``)."""
    first = item["author"][0]
    who = first.get("family") or first.get("literal") or "anon"
    title_word = next((w for w in re.findall(r"\w+", item.get("title", "")) if len(w) > 3), "doc")
    raw = f"{who}{_year(item) or ''}{title_word}"
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]", "", ascii_only).lower() + "-" + item["id"][:4]


def to_bibtex(items: Iterable[dict]) -> str:
    """BibTeX entries (with biblatex's ``langid`` and ``pagetotal``, which BibTeX lacks)."""
    entries = []
    for item in items:
        genre = item.get("genre") or ""
        entry_type = BIBTEX_TYPES.get(genre, "misc")
        fields = [
            ("title", "{" + _bibtex_text(item["title"]) + "}"),
            ("author", " and ".join(_name_text(name, bibtex=True) for name in item["author"])),
            ("year", str(_year(item) or "")),
            ("institution" if entry_type == "techreport" else "publisher", _bibtex_text(item["publisher"])),
            ("type", _bibtex_text(APA_DESCRIPTIONS.get(genre, genre.capitalize())) if genre else ""),
            ("langid", _bibtex_text(item.get("language") or "")),
            ("keywords", _bibtex_text(item.get("keyword") or "")),
            ("pagetotal", str(item.get("number-of-pages") or "")),
            ("url", item["URL"]),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@{entry_type}{{{bibtex_key(item)},\n{body}\n}}\n")
    return "\n".join(entries)


def to_ris(items: Iterable[dict], notes: dict[str, list[str]] | None = None) -> str:
    """RIS records (``TY`` … ``ER``) with authors (``AU``), year, language, keywords, URL and page count."""
    lines: list[str] = []

    def tag(name: str, value: object) -> None:
        if value not in (None, ""):
            lines.append(f"{name}  - {' '.join(str(value).split())}")

    for item in items:
        tag("TY", RIS_TYPES.get(item.get("genre") or "", "GEN"))
        tag("ID", item["id"])
        tag("TI", item["title"])
        for name in item["author"]:
            tag("AU", _name_text(name))
        tag("PY", _year(item))
        tag("PB", item["publisher"])
        tag("LA", item.get("language"))
        for keyword in (item.get("keyword") or "").split(", "):
            tag("KW", keyword)
        tag("UR", item["URL"])
        tag("L1", item.get("file-url"))
        if item.get("number-of-pages"):
            tag("N1", f"{item['number-of-pages']} pages")
        for note in (notes or {}).get(item["id"], []):
            tag("N1", note)
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)


def _apa_authors(names: list[dict]) -> str:
    def one(name: dict) -> str:
        if "literal" in name:
            return name["literal"]
        initials = " ".join(part[0] + "." for part in name["given"].split())
        return f"{name['family']}, {initials}"

    shown = [one(name) for name in names]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + ", & " + shown[-1]


def apa(item: dict) -> dict[str, str]:
    """An APA-style reference (7th edition pattern) as plain ``text`` and as escaped ``html`` (title in <em>)."""
    authors = _apa_authors(item["author"])
    year = _year(item) or "n.d."
    description = APA_DESCRIPTIONS.get(item.get("genre") or "")
    described = f" [{description}]" if description else ""
    # APA leaves the publisher out when it is the author.
    publisher = "" if item["publisher"] == authors else f" {item['publisher']}."
    end = "" if authors.endswith(".") else "."
    text = f"{authors}{end} ({year}). {item['title']}{described}.{publisher} {item['URL']}"
    markup = (
        f"{html.escape(authors)}{end} ({year}). <em>{html.escape(item['title'])}</em>{html.escape(described)}."
        f"{html.escape(publisher)} {html.escape(item['URL'])}"
    )
    return {"text": text, "html": markup}
