"""A document's title from the document itself, when its metadata has none worth keeping.

For a PDF: the line(s) set in the largest type on the first page (pypdf's text
visitor gives each piece of text with its font size and position), with a
subtitle set just below in the next size when it is still display type
(``Practice to Policy`` + ``Lessons from Local Leadership on Immigrant
Integration``). A size whose text does not read like a title is passed over:
a brand in capitals (``MAYTREE``), a page number, a running header, an
address, web boilerplate (``You are now in the main content area``, ``Skip to
main content``). The file name is the last resort (the caller's).

Everything a title is made of is NFC-normalised and pieces the PDF draws apart
are joined: ``M`` + ``ā`` + ``ori`` is ``Māori``, not ``M ā ori``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from indexer.text import normalize

MIN_WORDS, MAX_WORDS = 2, 30
SUBTITLE_SHARE = 0.6  # a subtitle is set in at least this share of the title's size ...
DISPLAY_SHARE = 1.2  # ... and bigger than the body text by this factor
SUBTITLE_GAP = 3.0  # ... at most this many of its own sizes below the title

BOILERPLATE = re.compile(
    r"^\s*(?:(?:you are now in the main content area|skip (?:to|navigation)|jump to (?:main )?(?:content|navigation)|"
    r"zum inhalt springen|direkt zum inhalt|aller au contenu|passer au contenu|saltar al contenido|"
    r"ir al contenido|accept(?:er)? (?:all )?cookies|this website uses cookies)\b|"
    r"(?:main content|menu|men[uú] principal|home|startseite|accueil|inicio)\s*$)",
    re.I,
)  # a web page's accessibility and navigation boilerplate, never its title
_NOT_A_TITLE = re.compile(r"(https?://|www\.|\w\.(org|com|net|ca|de|es|fr)\b|^(copyright|©|page|seite)\b|@)", re.I)
_SPACED_MARK = re.compile(r"\s+(?=[\u0300-\u036f])")
# A lone letter outside Latin-1 between two word pieces is part of the word ("M ā ori"); "à" is a word.
_LONE_LETTER = re.compile(r"(?<=[^\W\d_]) ((?![\x00-\xff])[^\W\d_]) (?=[^\W\d_])")


def clean_title(title: str | None) -> str | None:
    """A title NFC-normalised, whitespace collapsed, letters drawn apart joined (``M ā ori`` → ``Māori``)."""
    if not title:
        return None
    text = unicodedata.normalize("NFC", _SPACED_MARK.sub("", normalize(title)))
    text = _LONE_LETTER.sub(r"\1", " ".join(text.split()))
    return text or None


def reads_like_title(line: str) -> bool:
    """True for a line that could be a title: a few words, some in lower case, no address, no boilerplate."""
    words = line.split()
    return (
        MIN_WORDS <= len(words) <= MAX_WORDS
        and any(c.islower() for c in line)
        and not _NOT_A_TITLE.search(line)
        and not BOILERPLATE.match(line)
    )


def _lines(page) -> list[tuple[float, float, str]]:
    """(size, baseline, text) of each line of a page, in reading order."""
    lines: list[list] = []

    def collect(text, cm, tm, font, font_size):
        size = round(font_size * (abs(tm[3] * cm[3]) or 1), 1)
        y = round(tm[5] * cm[3] + cm[5], 1)
        for n, piece in enumerate(text.split("\n")):
            if n or not lines or lines[-1][0] != size or abs(lines[-1][1] - y) > size / 2 or lines[-1][3]:
                lines.append([size, y, "", False])
            lines[-1][2] += piece
        if text.endswith("\n"):
            lines[-1][3] = True  # the line is complete

    page.extract_text(visitor_text=collect)
    return [(size, y, " ".join(text.split())) for size, y, text, _ in lines if text.strip()]


def title_from_lines(lines: list[tuple[float, float, str]]) -> str | None:
    """The largest-type line(s) that read like a title, with a subtitle in display type right below."""
    if not lines:
        return None
    body = Counter(size for size, _, text in lines for _ in text.split()).most_common(1)[0][0]
    for size in sorted({size for size, _, _ in lines}, reverse=True):
        block = [i for i, line in enumerate(lines) if line[0] == size and not BOILERPLATE.match(line[2])]
        if not block:
            continue
        # The first run of consecutive lines in this size.
        run = [block[0]]
        for i in block[1:]:
            if i == run[-1] + 1 and lines[run[-1]][1] - lines[i][1] <= SUBTITLE_GAP * size:
                run.append(i)
            else:
                break
        title = " ".join(lines[i][2] for i in run)
        if not reads_like_title(title) or len(title.split()) > MAX_WORDS:
            continue
        subtitle = []
        for i in range(run[-1] + 1, len(lines)):
            sub_size, y, text = lines[i]
            previous_y = lines[i - 1][1]
            if not (SUBTITLE_SHARE * size <= sub_size < size and sub_size >= DISPLAY_SHARE * body):
                break
            if previous_y - y > SUBTITLE_GAP * sub_size or (subtitle and sub_size != lines[i - 1][0]):
                break
            subtitle.append(text)
        if subtitle and reads_like_title(" ".join(subtitle)):
            joiner = " " if title.endswith((":", "—", "–", "-")) else ": "
            title = f"{title}{joiner}{' '.join(subtitle)}"
        return clean_title(title)
    return None


def pdf_title(path: Path) -> str | None:
    """The title printed on a PDF's first page in the largest type, or None (unreadable files too)."""
    from pypdf import PdfReader  # the write side only: pypdf stays out of the read side
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return title_from_lines(_lines(reader.pages[0])) if len(reader.pages) else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, ZeroDivisionError):
        return None  # a title is a bonus: the caller falls back to the text and the file name (a timeout still stops)
