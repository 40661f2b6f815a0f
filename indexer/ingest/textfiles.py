"""Extract the text of HTML, Markdown and plain-text files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from indexer.errors import ExtractionError
from indexer.ingest.extracted import TextFile
from indexer.ingest.office import extract_docx, extract_odt
from indexer.ingest.titles import BOILERPLATE
from indexer.vocabulary import FORMATS

_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg"}
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}


def read_text(path: Path) -> str:
    """Read a text file as UTF-8 (falling back to Latin-1), with clear errors."""
    try:
        raw = path.read_bytes()
    except PermissionError as exc:
        raise ExtractionError("cannot read the file: permission denied") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise ExtractionError("empty file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.heading: list[str] = []  # the first <h1>, the title when <title> is missing or boilerplate
        self._in_h1 = False
        self.date: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1" and not self.heading:
            self._in_h1 = True
        elif tag == "time" and self.date is None:
            self.date = dict(attrs).get("datetime")
        elif tag == "meta" and self.date is None:
            attributes = dict(attrs)
            if attributes.get("property") in ("article:published_time", "og:published_time"):
                self.date = attributes.get("content")
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)
            if self._in_h1:
                self.heading.append(data)


def extract_html(path: Path) -> TextFile:
    """Visible text of an HTML page, with its <title> and first <time datetime>."""
    parser = _HtmlText()
    parser.feed(read_text(path))
    parser.close()
    title = " ".join("".join(parser.title).split()) or None
    if not title or BOILERPLATE.match(title):
        title = " ".join("".join(parser.heading).split()) or None
    return TextFile(text="".join(parser.parts), title=title, date=parser.date)


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(^#{1,6}\s*|^\s*[-*+]\s+|^>\s?|\*\*|__|`+|^\s*\d+\.\s+)", re.M)


def extract_markdown(path: Path) -> TextFile:
    """Text of a Markdown file without its markup; title and date from front matter or first heading."""
    source = read_text(path)
    fields: dict[str, str] = {}
    match = _FRONT_MATTER.match(source)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip().strip("\"'")
        source = source[match.end() :]
    title = fields.get("title")
    if not title:
        heading = re.search(r"^#\s+(.+)$", source, re.M)
        title = heading.group(1).strip() if heading else None
    text = _MD_MARKUP.sub("", _MD_LINK.sub(r"\1", source))
    return TextFile(text=text, title=title, date=fields.get("date"))


def extract_plain(path: Path) -> TextFile:
    """Text of a plain-text file; its first line serves as title."""
    text = read_text(path)
    first = next((line.strip() for line in text.splitlines() if line.strip() and not BOILERPLATE.match(line)), None)
    return TextFile(text=text, title=first[:200] if first else None)


def _extractors() -> dict:
    """Extractor of every format of ``FORMATS`` but PDF (which is read page by page by ``ingest.pdf``)."""
    by_format = {"html": extract_html, "markdown": extract_markdown, "text": extract_plain}
    by_format |= {"docx": extract_docx, "odt": extract_odt}
    return {suffix: by_format[fmt.name] for suffix, fmt in FORMATS.items() if fmt.name != "pdf"}


EXTRACTORS = _extractors()
