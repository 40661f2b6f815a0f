"""Detect the language of pages and documents with langdetect, among en, de, es and fr."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from indexer.vocabulary import LANGUAGES

MIN_PAGE_CHARS = 200  # shorter pages do not vote on the document's language
SECOND_LANGUAGE_SHARE = 0.10
NEAR_TIE = 0.9  # a runner-up with this share of the leader's text ties, and the cover decides
SAMPLE_CHARS = 1200  # langdetect is as sure after a thousand characters of prose, and much faster

_LETTER = re.compile(r"[^\W\d_]")


def is_prose(text: str) -> bool:
    """False for pages that are mostly code, numbers or tables: their language is noise."""
    stripped = "".join(text.split())
    if not stripped:
        return False
    return len(_LETTER.findall(stripped)) / len(stripped) >= 0.6


@cache
def _detectors() -> DetectorFactory:
    """langdetect with the profiles of our four languages only, seeded (it is random otherwise).

    Unrestricted langdetect says Danish or Dutch on tables of contents, and weighs all of its 55
    languages for every n-gram: with four profiles it picks the best of ours, several times faster.
    """
    factory = DetectorFactory()
    factory.load_json_profile([(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in LANGUAGES])
    factory.set_seed(0)
    return factory


def detect_language(text: str) -> str | None:
    """Best of en/de/es/fr for a text, or None when there is too little prose to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < 20 or not is_prose(sample):
        return None
    detector = _detectors().create()
    detector.append(sample)
    try:
        return detector.detect()
    except LangDetectException:
        return None


@dataclass
class LanguageVote:
    """Character-weighted vote of a document's pages on its languages."""

    weights: Counter

    @classmethod
    def empty(cls) -> LanguageVote:
        """A vote with no pages yet."""
        return cls(Counter())

    def add(self, lang: str | None, text: str) -> None:
        """Count one page: only pages of prose with at least MIN_PAGE_CHARS characters vote."""
        if lang and len(text) >= MIN_PAGE_CHARS and is_prose(text):
            self.weights[lang] += len(text)

    def languages(self, cover: str | None = None) -> list[str]:
        """Main language first, then any other holding 10 % or more of the text; empty without votes.

        When two languages hold nearly equal shares (a bilingual report), the language of the
        ``cover`` (first page) is the main one: it is the one the document presents itself in.
        """
        total = sum(self.weights.values())
        if not total:
            return []
        ranked = [lang for lang, _ in self.weights.most_common()]
        if cover in ranked[1:2] and self.weights[cover] >= NEAR_TIE * self.weights[ranked[0]]:
            ranked.remove(cover)
            ranked.insert(0, cover)
        return [ranked[0]] + [lang for lang in ranked[1:] if self.weights[lang] / total >= SECOND_LANGUAGE_SHARE]
