"""Assign the archive's themes (Live, Work, Learn, Connect, Plan) from the text, in four languages.

The lexicon is the thesaurus (``indexer/lexicon/data/thesaurus.jsonld``): every
concept linked to a theme lends it its labels in each language. Labels and
page text go through the same Snowball analyzer of the page's language, so
``Arbeitsmarkt`` counts wherever ``Arbeitsmärkte`` is written and
``vivienda`` wherever ``viviendas``. Each page is judged on its own, so a
long report that is mostly about jobs with one chapter on housing gets Work
and, if that chapter is long enough, Live: a document's score for a theme is
the share of its label matches that belong to the theme, summed page by
page (a page needs three matches to vote; a label of a concept linked to two
themes counts for both), and its themes are the best one plus the next if it
reaches 45 % of the best one's score. The thresholds were chosen on the demo
collection's gold labels (``bench/facet_quality.py``).

A chapter of its own gives a report its second theme. The words of a policy
report's framing ("policy", "local government") are on every page, so its
best theme can leave every other below 45 %; a theme that still leads two
or more pages of its own (an essay on jobs, the recommendations on hiring)
is what a reader names as the report's second subject, and it fills the
place the scores left empty. It comes after the themes the scores keep,
never before: put first (the theme leading the most pages second), it gave
the scaled collection's variants of the tuning half's reports the wrong
second theme (macro-F1 0.667 -> 0.495, ``python -m bench.theme_tuning``).
After them it changes no document of the tuning half or of those variants,
so they cannot choose it; it was written knowing the real policy report's
miss, so its figure on the real documents is not a blind one.

A stem stands for its word only when the word is one of its inflections: the
word as written must differ from the label's after their common beginning by
at most four letters at either end (``employment``/``employed``,
``communities``/``community``), so that ``international`` is not the label
``intern`` (both stem to ``intern``) and ``Universität`` not ``Universum``.

Themes only with evidence: a document gets no theme unless its theme words are
dense enough. An on-topic document of the collection (the median of the tuning
half of the gold labels) has about 140 label matches per 1,000 indexed words;
one with fewer than 30 % of that (42 per 1,000) is off-topic, however long it
is: software manuals match "license", "Lizenz", "Wahlen" and "training" now and
then (10 to 38 per 1,000 in ten Debian manuals), a profile of a good idea on
almost every line (46 to 280). ``explain`` shows the density and the bar.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from indexer.lexicon.thesaurus import Thesaurus
from indexer.text import content_analyzer, fold
from indexer.vocabulary import LANGUAGES

SECOND_THEME_SHARE = 0.45  # a further theme needs this share of the best theme's score
MAX_THEMES = 2
MIN_MATCHES = 3  # a page with fewer label matches does not vote
ON_TOPIC_DENSITY = 140.0  # label matches per 1,000 indexed words of an on-topic document (tuning-half median)
MIN_DENSITY_SHARE = 0.3  # a document below this share of ON_TOPIC_DENSITY gets no theme
CHAPTER_PAGES = 2  # voting pages a theme must lead for its chapter to give it to the document; 0: off
INFLECTION = 4  # letters a word may differ from a label's word after their common beginning, at either end


@cache
def _analyzer(lang: str):
    return content_analyzer(lang)


def stems(text: str, lang: str) -> list[str]:
    """Stemmed words of ``text`` without stop words, as the index sees them in ``lang``."""
    return [token.text for token in _analyzer(lang)(text)]


def stems_and_words(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, the folded word as written) for every word of ``text`` the index keeps in ``lang``."""
    return [(token.text, fold(text[token.startchar : token.endchar])) for token in _analyzer(lang)(text, chars=True)]


def inflection_of(word: str, label_word: str) -> bool:
    """True when ``word`` is an inflection of ``label_word``, not another word with the same stem."""
    common = 0
    for a, b in zip(word, label_word, strict=False):
        if a != b:
            break
        common += 1
    return max(len(word), len(label_word)) - common <= INFLECTION


@dataclass
class ThemeLexicon:
    """Stemmed labels of each theme's concepts, per language, keyed by their first stem."""

    # lang -> first stem -> [(stems, label words as written and folded, themes, label)], longest first
    entries: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]]]]

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> ThemeLexicon:
        """Build the lexicon from the bundled thesaurus."""
        thesaurus = Thesaurus.load()
        entries: dict[str, dict[str, list]] = {}
        for lang in LANGUAGES:
            themes_of: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
            labels_of: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
            for theme, labels in thesaurus.theme_labels(lang).items():
                for label in labels:
                    pairs = stems_and_words(label, lang)
                    key = (tuple(stem for stem, _ in pairs), tuple(word for _, word in pairs))
                    if pairs and theme not in themes_of.setdefault(key, []):
                        themes_of[key].append(theme)
                        labels_of.setdefault(key, label)
            by_first: dict[str, list] = {}
            for (label_stems, words), themes in themes_of.items():
                entry = (label_stems, words, tuple(themes), labels_of[(label_stems, words)])
                by_first.setdefault(label_stems[0], []).append(entry)
            for candidates in by_first.values():
                candidates.sort(key=lambda entry: -len(entry[0]))  # longest label first
            entries[lang] = by_first
        return cls(entries)

    def matches(self, text: str, lang: str) -> list[tuple[str, str]]:
        """(theme, label) for every label found in ``text`` and each theme of its concept; longest match first."""
        by_first = self.entries.get(lang) or {}
        pairs = stems_and_words(text, lang)
        words = [stem for stem, _ in pairs]
        found, i = [], 0
        while i < len(words):
            for label_stems, label_words, themes, label in by_first.get(words[i], ()):
                n = len(label_stems)
                written = [word for _, word in pairs[i : i + n]]
                if tuple(words[i : i + n]) == label_stems and all(
                    inflection_of(a, b) for a, b in zip(written, label_words, strict=False)
                ):
                    found.extend((theme, label) for theme in themes)
                    i += n - 1
                    break
            i += 1
        return found


@dataclass(frozen=True)
class ThemeRule:
    """The thresholds that turn page votes into a document's themes (chosen with ``python -m bench.theme_tuning``)."""

    second_share: float = SECOND_THEME_SHARE
    max_themes: int = MAX_THEMES
    min_matches: int = MIN_MATCHES
    min_density_share: float = MIN_DENSITY_SHARE
    chapter_pages: int = CHAPTER_PAGES  # a theme leading this many voting pages is kept too (0: no such rule)
    chapter_first: bool = False  # such a theme before those the scores keep (rejected: bench.theme_tuning)


@dataclass
class ThemeVote:
    """Page-by-page vote of a document on its themes, with the words that decided it."""

    rule: ThemeRule = field(default_factory=ThemeRule)
    page_counts: list[tuple[int, Counter]] = field(default_factory=list)  # (page, matches per theme)
    words: dict[str, Counter] = field(default_factory=dict)
    indexed_words: int = 0  # words the index sees (stop words left out), all pages
    matched: int = 0  # label matches, all pages

    def add_page(self, number: int, text: str, lang: str | None, lexicon: ThemeLexicon) -> None:
        """Count the theme labels on one page."""
        if not lang or not text:
            return
        found = lexicon.matches(text, lang)
        self.indexed_words += len(stems(text, lang))
        self.matched += len(found)
        self.page_counts.append((number, Counter(theme for theme, _ in found)))
        for theme, label in found:
            self.words.setdefault(theme, Counter())[label] += 1

    def judged(self, rule: ThemeRule | None = None) -> ThemeVote:
        """The same pages judged by another rule (the tuning benchmark compares rules on one extraction)."""
        return ThemeVote(rule or self.rule, self.page_counts, self.words, self.indexed_words, self.matched)

    def _voting(self) -> list[tuple[int, Counter, int]]:
        """(page, matches per theme, matches) of the pages with enough matches to vote."""
        out = []
        for number, counts in self.page_counts:
            total = sum(counts.values())
            if total >= self.rule.min_matches:
                out.append((number, counts, total))
        return out

    @property
    def scores(self) -> Counter:
        """A theme's score: the share of each voting page's label matches that belong to it, summed."""
        scores: Counter = Counter()
        for _, counts, total in self._voting():
            for theme, count in counts.items():
                scores[theme] += count / total
        return scores

    @property
    def pages(self) -> dict[str, list[int]]:
        """The voting pages on which each theme has label matches."""
        out: dict[str, list[int]] = {}
        for number, counts, _ in self._voting():
            for theme in counts:
                out.setdefault(theme, []).append(number)
        return out

    def density(self) -> float:
        """Label matches per 1,000 indexed words."""
        return 1000.0 * self.matched / self.indexed_words if self.indexed_words else 0.0

    def on_topic(self) -> bool:
        """True when the theme words are dense enough for the document to be about the collection's themes."""
        return self.density() >= self.rule.min_density_share * ON_TOPIC_DENSITY

    def themes(self) -> list[str]:
        """The best theme and any reaching the rule's share of its score, then any with a chapter of its own;
        at most ``max_themes``; none off topic."""
        ranked = self.scores.most_common()
        if not ranked or not self.on_topic():
            return []
        best = ranked[0][1]
        kept = [theme for theme, score in ranked if score >= self.rule.second_share * best]
        if self.rule.chapter_first:
            kept = [kept[0], *self._chapters(), *kept[1:]]
        else:
            kept += self._chapters()  # after the themes the scores keep: a chapter fills a place left empty
        return list(dict.fromkeys(kept))[: self.rule.max_themes]

    def _chapters(self) -> list[str]:
        """Themes leading at least ``chapter_pages`` voting pages, most pages first (then the higher score)."""
        if not self.rule.chapter_pages:
            return []
        scores = self.scores
        led = [(theme, len(pages)) for theme, pages in self.led.items() if len(pages) >= self.rule.chapter_pages]
        return [theme for theme, _ in sorted(led, key=lambda pair: (-pair[1], -scores[pair[0]]))]

    @property
    def led(self) -> dict[str, list[int]]:
        """The voting pages each theme leads (has the most matches of, ties to none)."""
        out: dict[str, list[int]] = {}
        for number, counts, _ in self._voting():
            (first, n), *rest = counts.most_common(2)
            if not rest or rest[0][1] < n:
                out.setdefault(first, []).append(number)
        return out

    def rejected(self) -> dict[str, str]:
        """Why the themes that scored were not given (off topic, too far behind the best theme, or crowded out)."""
        kept = self.themes()
        bar = self.rule.min_density_share * ON_TOPIC_DENSITY
        scores, led, chapters = self.scores, self.led, self._chapters()
        best = max(scores.values(), default=0.0)
        out = {}
        for theme in scores:
            if theme in kept:
                continue
            if not self.on_topic():
                why = (
                    f"off topic: {self.density():.0f} theme words per 1,000 words, below {bar:.0f} "
                    f"({self.rule.min_density_share:.0%} of an on-topic document's {ON_TOPIC_DENSITY:.0f})"
                )
            elif theme in chapters or scores[theme] >= self.rule.second_share * best:
                why = f"only {self.rule.max_themes} themes are given, and {', '.join(kept)} came first"
            else:
                why = f"behind the best theme (needs {self.rule.second_share:.0%} of its score"
                if self.rule.chapter_pages:
                    why += f", or to lead {self.rule.chapter_pages} pages: it leads {len(led.get(theme, []))}"
                why += ")"
            out[theme] = f"{why}; {self.evidence(theme)}"
        return out

    def evidence(self, theme: str) -> str:
        """Why ``theme`` was chosen: its most frequent words, the pages they are on and the pages it leads."""
        words = ", ".join(f"{word} ×{n}" for word, n in self.words.get(theme, Counter()).most_common(6))
        led = self.led.get(theme)
        return f"score {self.scores[theme]:.2f}: {words} (pages {_shown(self.pages.get(theme, []))}" + (
            f"; leads {_shown(led)})" if led else ")"
        )


def _shown(pages: list[int]) -> str:
    return ", ".join(map(str, pages[:12])) + (" …" if len(pages) > 12 else "")
