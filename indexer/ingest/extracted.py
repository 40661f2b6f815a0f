"""What a non-PDF extractor returns: the text (pages separated by form feeds) and the file's own title and date."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TextFile:
    """Text and the few metadata a web page, Markdown, Word or OpenDocument file carries."""

    text: str
    title: str | None = None
    date: str | None = None
