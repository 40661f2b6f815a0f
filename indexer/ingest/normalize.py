"""Clean extracted page text: Unicode forms, line-end hyphens, running headers and footers.

Two passes over a document: ``Vocabulary.add_page`` learns the document's
words and the lines that open and close its pages; ``normalize_page`` then
uses what was learnt to clean each page.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHEN_BREAK = re.compile(r"([^\W\d_]+)-[ \t]*\n[ \t]*([^\W\d_]+)")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER_LINE = re.compile(
    r"^\W*(?:(?:page|seite|página|pagina|pág\.?|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|von|de|sur)\s*\d{1,4})?\W*$",
    re.I,
)
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running heads


def nfkc(text: str) -> str:
    """Unicode NFKC (ligatures such as ``ﬁ`` become ``fi``), without soft hyphens."""
    return unicodedata.normalize("NFKC", text).replace("\u00ad", "")


def line_signature(line: str) -> str:
    """A line with digits and spacing normalised, so ``Report 2012 · 7`` matches ``Report 2012 · 8``."""
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def _edge_lines(lines: list[str]) -> list[str]:
    if len(lines) <= 2 * EDGE_LINES:
        return lines
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


@dataclass
class Vocabulary:
    """What a document's pages have in common: its words and its repeated edge lines."""

    words: Counter = field(default_factory=Counter)
    edge_lines: Counter = field(default_factory=Counter)
    pages: int = 0

    def add_page(self, text: str) -> None:
        """Learn one raw page (call for every page before normalising any)."""
        text = nfkc(text)
        self.pages += 1
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        self.edge_lines.update({line_signature(line) for line in _edge_lines(lines)})
        # Words broken at a line end are not evidence of how the document spells them.
        self.words.update(w.lower() for w in _WORD.findall(_HYPHEN_BREAK.sub(" ", text)))

    def is_running_line(self, line: str) -> bool:
        """True for a header or footer line: repeated on most pages once digits are normalised."""
        if _PAGE_NUMBER_LINE.match(line.strip()):
            return True
        if self.pages < 2:
            return False
        return self.edge_lines[line_signature(line)] >= max(2, 0.5 * self.pages)

    def join_hyphenated(self, first: str, second: str) -> str:
        """Decide how ``first-`` at a line end and ``second`` on the next line are joined."""
        hyphenated, joined = f"{first}-{second}".lower(), f"{first}{second}".lower()
        if self.words[hyphenated] > 0 and self.words[hyphenated] >= self.words[joined]:
            return f"{first}-{second}"
        if self.words[joined] > 0 or second[:1].islower():
            return f"{first}{second}"
        return f"{first}-{second}"


def strip_running_lines(text: str, vocabulary: Vocabulary) -> str:
    """Remove running headers, footers and page numbers from the edges of a page."""
    lines = [line for line in text.splitlines() if line.strip()]
    top = 0
    while top < min(EDGE_LINES, len(lines)) and vocabulary.is_running_line(lines[top]):
        top += 1
    bottom = len(lines)
    while bottom > top and len(lines) - bottom < EDGE_LINES and vocabulary.is_running_line(lines[bottom - 1]):
        bottom -= 1
    return "\n".join(lines[top:bottom])


def normalize_page(text: str, vocabulary: Vocabulary) -> str:
    """NFKC, running lines removed, line-end hyphens joined where supported, whitespace collapsed."""
    text = strip_running_lines(nfkc(text), vocabulary)
    text = _HYPHEN_BREAK.sub(lambda m: vocabulary.join_hyphenated(m.group(1), m.group(2)), text)
    return " ".join(text.split())
