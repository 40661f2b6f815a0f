"""Text variations of the scaled collection: a source's body cut, shuffled or repeated, and its places swapped.

Kept apart from ``bench.scaled`` (which plans and writes the collection) because these are the rules of how one
document differs from its source: chapters are found from the Markdown headings, paragraphs shuffled only within
their sections, footnotes kept with their chapter, and a city replaced in every language form the source uses.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_NOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:")
_NOTE_REF = re.compile(r"\[\^[^\]]+\]")
_LANG_COMMENT = re.compile(r"^<!--\s*lang:\s*([a-z]{2})\s*-->\s*$")
ROMAN = ["", "", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _split_notes(body: str) -> tuple[list[str], list[str]]:
    """Body lines and footnote definition lines (with their indented continuations)."""
    main, notes, in_note = [], [], False
    for line in body.split("\n"):
        if _NOTE_DEF.match(line):
            in_note = True
            notes.append(line)
        elif in_note and line.startswith(("  ", "\t")) and line.strip():
            notes.append(line)
        else:
            in_note = False
            main.append(line)
    return main, notes


def _chunks(lines: list[str]) -> list[list[str]]:
    """Blank-line separated chunks; a heading is always a chunk of its own."""
    chunks, current = [], []
    for line in lines:
        if not line.strip():
            if current:
                chunks.append(current)
            current = []
        elif line.startswith("#") or _LANG_COMMENT.match(line.strip()):
            if current:
                chunks.append(current)
            chunks.append([line])
            current = []
        else:
            current.append(line)
    if current:
        chunks.append(current)
    return chunks


@dataclass
class _Chapter:
    lang: str
    heading: str | None  # "## …" (None: the text before the first chapter)
    sections: list[tuple[str | None, list[list[str]]]]  # (### subheading, paragraph chunks)

    def size(self) -> int:
        return sum(len(" ".join(c)) for _, chunks in self.sections for c in chunks)


def _chapters(body: str, lang: str) -> tuple[list[_Chapter], list[str]]:
    main, notes = _split_notes(body)
    chapters = [_Chapter(lang, None, [(None, [])])]
    cur_lang = lang
    for chunk in _chunks(main):
        first = chunk[0].strip()
        match = _LANG_COMMENT.match(first)
        if match:
            cur_lang = match.group(1)
        elif first.startswith("<!--"):
            continue
        elif re.match(r"^#{1,2}\s", first):
            chapters.append(_Chapter(cur_lang, first, [(None, [])]))
        elif first.startswith("#"):
            chapters[-1].sections.append((first, []))
        else:
            chapters[-1].sections[-1][1].append(chunk)
    if chapters[0].size() == 0 and len(chapters) > 1 and all(sub is None for sub, _ in chapters[0].sections):
        chapters.pop(0)
    return chapters, notes


def _render(chapter: _Chapter, rng: random.Random, repeat: int, bilingual: bool) -> str:
    out = []
    if bilingual:
        out.append(f"<!-- lang: {chapter.lang} -->")
    if chapter.heading:
        suffix = f" ({ROMAN[repeat] if repeat < len(ROMAN) else repeat})" if repeat > 1 else ""
        out.append(chapter.heading + suffix)
    for sub, chunks in chapter.sections:
        if sub:
            out.append(sub)
        chunks = list(chunks)
        rng.shuffle(chunks)
        for chunk in chunks:
            text = "\n".join(chunk)
            out.append(_NOTE_REF.sub("", text) if repeat > 1 else text)
    return "\n\n".join(out)


def vary_body(src, rng: random.Random, target_chars: int | None) -> str:
    """Paragraphs shuffled within sections; for reports, chapters cut or repeated to ``target_chars``."""
    chapters, notes = _chapters(src.body, src.lang)
    bilingual = len(src.langs) > 1
    if target_chars is None:
        parts = [_render(ch, rng, 1, bilingual) for ch in chapters]
    else:
        parts, total, repeat = [], 0, 1
        order = list(chapters)
        while total < target_chars:
            for chapter in order:
                parts.append(_render(chapter, rng, repeat, bilingual))
                total += chapter.size()
                if total >= target_chars:
                    break
            repeat += 1
            order = list(chapters)
            rng.shuffle(order)
    return "\n\n".join(parts + ["\n".join(notes)]) + "\n"


def swap_places(text: str, src, variant, i18n) -> str:
    """The source's city (and country) replaced by the variant's, in every language form used."""
    if not variant.city:
        return text
    old_city, old_country = src.city[0], src.country[0]
    pairs = {}
    for lang in dict.fromkeys((src.lang, "en")):
        pairs[i18n.city_name(old_city, lang)] = i18n.city_name(variant.city, src.lang)
        if old_country != variant.country:
            pairs[i18n.country_name(old_country, lang)] = i18n.country_name(variant.country, src.lang)
    for old in sorted(pairs, key=len, reverse=True):
        if old and len(old) > 2:
            text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", pairs[old], text)
    return text


def report_short_title(title: str) -> str:
    """Running header of a long report: the title up to its colon, at most seven words."""
    words = title.split(":")[0].split()
    return " ".join(words[:7])
