"""The domain vocabulary: SKOS concepts labelled in en, de, es and fr, for themes and query expansion.

The thesaurus lives in ``indexer/lexicon/data/thesaurus.jsonld``, a JSON-LD document
whose ``@graph`` holds one ``skos:ConceptScheme`` node and one node per
concept::

    {"@id": "cm:housing", "@type": "skos:Concept", "skos:inScheme": "cm:scheme",
     "skos:prefLabel": [{"@value": "housing", "@language": "en"},
                        {"@value": "Wohnen", "@language": "de"}, ...],
     "skos:altLabel": [{"@value": "Wohnung", "@language": "de"}, ...],
     "cm:theme": ["Live"]}

A concept has at most one prefLabel per language and any number of
altLabels. ``cm:theme`` links it to zero, one or two of the archive's
themes (Live, Work, Learn, Connect, Plan); the theme classifier counts the
labels of each theme's concepts on every page. All labels of a concept, in
every language, are synonyms for query expansion: a word in one language
also finds pages in the other three.

To extend it, a librarian copies a concept node, gives it a new ``@id`` and
edits its labels. Labels are matched after lower-casing, stop-word removal,
Snowball stemming (the index's analyzer of the label's language) and
accent folding, so plurals and accents need no label of their own, but
gendered forms whose stem differs do (``Einwanderer``, ``Einwanderin``).
Leave out words so common that every page would match (city, people,
programme): they make every theme win everywhere. ``load`` names the file
and the concept when a node is malformed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from indexer.errors import CitymigError
from indexer.text import analyze, fold
from indexer.vocabulary import LANGUAGES, THEMES

DEFAULT_PATH = Path(__file__).parent / "data" / "thesaurus.jsonld"
MAX_THEMES_PER_CONCEPT = 2

# A label's index terms at each word position (indexer.text.analyze), as written and with its
# accents stripped: the two differ only where stripping accents turns a stop word into a word.
Pattern = tuple[frozenset[str], ...]


class ThesaurusError(CitymigError):
    """The thesaurus file is missing or malformed; the message names the file and the concept."""


@dataclass(frozen=True)
class Concept:
    """One SKOS concept: its id, the themes it is linked to and its labels per language."""

    id: str
    themes: tuple[str, ...]
    labels: dict[str, tuple[str, ...]] = field(compare=False)  # lang -> (prefLabel, *altLabels)

    def pref_label(self, lang: str) -> str | None:
        """The preferred label in ``lang``, or None when the concept has none in that language."""
        labels = self.labels.get(lang)
        return labels[0] if labels else None


def _pattern(label: str, lang: str) -> list[Pattern]:
    as_written = [fold(stem) for stem in analyze(label, lang)]
    unaccented = [fold(stem) for stem in analyze(fold(label), lang)]
    if len(as_written) == len(unaccented):
        return [tuple(frozenset(pair) for pair in zip(as_written, unaccented, strict=True))]
    # Stripping accents turned a stop word into a word, or the reverse: keep both readings.
    return [tuple(frozenset([stem]) for stem in stems) for stems in (as_written, unaccented) if stems]


@dataclass(eq=False)
class Thesaurus:
    """The concepts of the vocabulary with an index of their stemmed labels per language."""

    concepts: list[Concept]
    # lang -> first stem -> [(pattern, concept)], longest pattern first
    _index: dict[str, dict[str, list[tuple[Pattern, Concept]]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for concept in self.concepts:
            for lang, labels in concept.labels.items():
                by_first = self._index.setdefault(lang, {})
                for label in labels:
                    for pattern in _pattern(label, lang):
                        for first in pattern[0]:
                            entries = by_first.setdefault(first, [])
                            if (pattern, concept) not in entries:
                                entries.append((pattern, concept))
        for by_first in self._index.values():
            for entries in by_first.values():
                entries.sort(key=lambda entry: -len(entry[0]))  # stable: file order within a length

    @classmethod
    def load(cls, path: Path | None = None) -> Thesaurus:
        """The thesaurus in ``path`` (default: the bundled one), read once per path."""
        return _load(Path(path or DEFAULT_PATH).resolve())

    def theme_labels(self, lang: str) -> dict[str, list[str]]:
        """Each theme's labels in ``lang``: the labels of the concepts linked to it, in file order."""
        result: dict[str, list[str]] = {theme: [] for theme in THEMES}
        for concept in self.concepts:
            for theme in concept.themes:
                for label in concept.labels.get(lang, ()):
                    if label not in result[theme]:
                        result[theme].append(label)
        return result

    def lookup(self, phrase: str, lang: str | None = None) -> list[Concept]:
        """Concepts with a label equal to ``phrase`` once both are stemmed and folded; any language if None."""
        found: list[Concept] = []
        for language in [lang] if lang else LANGUAGES:
            stems = [fold(stem) for stem in analyze(phrase, language)]
            if not stems:
                continue
            for pattern, concept in self._index.get(language, {}).get(stems[0], ()):
                if len(pattern) == len(stems) and _matches(pattern, stems) and concept not in found:
                    found.append(concept)
        return found

    def match_in_text(self, words: list[str], lang: str) -> list[tuple[int, int, Concept]]:
        """(start, end, concept) for the longest label at each place in ``words``, stemmed as by ``analyze``.

        Spans do not overlap; ``end`` is exclusive. When labels of several
        concepts cover the same longest span, each concept gets a tuple.
        """
        by_first = self._index.get(lang, {})
        folded = [fold(word) for word in words]
        found: list[tuple[int, int, Concept]] = []
        i = 0
        while i < len(folded):
            length = 0
            for pattern, concept in by_first.get(folded[i], ()):
                if length and len(pattern) < length:
                    break
                if _matches(pattern, folded[i : i + len(pattern)]):
                    length = len(pattern)
                    if not any(start == i and other is concept for start, _, other in found):
                        found.append((i, i + length, concept))
            i += length or 1
        return found


def _matches(pattern: Pattern, stems: list[str]) -> bool:
    return len(stems) == len(pattern) and all(stem in options for stem, options in zip(stems, pattern, strict=True))


@lru_cache(maxsize=8)
def _load(path: Path) -> Thesaurus:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ThesaurusError(f"Thesaurus file {path} not found.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ThesaurusError(f"Thesaurus file {path} cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ThesaurusError(
            f"Thesaurus file {path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    graph = document.get("@graph") if isinstance(document, dict) else None
    if not isinstance(graph, list):
        raise ThesaurusError(f"Thesaurus file {path} has no '@graph' list of concepts.")
    concepts: list[Concept] = []
    seen: set[str] = set()
    for position, node in enumerate(graph, start=1):
        concept = _concept(node, position, path)
        if concept is None:
            continue
        if concept.id in seen:
            raise ThesaurusError(f"Thesaurus file {path}: concept {concept.id} appears twice.")
        seen.add(concept.id)
        concepts.append(concept)
    return Thesaurus(concepts)


def _concept(node: object, position: int, path: Path) -> Concept | None:
    if not isinstance(node, dict):
        raise ThesaurusError(f"Thesaurus file {path}: entry {position} of '@graph' is not an object.")
    node_id = node.get("@id")
    if not isinstance(node_id, str) or not node_id:
        raise ThesaurusError(f"Thesaurus file {path}: entry {position} of '@graph' has no '@id'.")

    def fail(problem: str) -> ThesaurusError:
        return ThesaurusError(f"Thesaurus file {path}, concept {node_id}: {problem}")

    types = node.get("@type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not types:
        raise fail("no '@type'.")
    if "skos:Concept" not in types:
        return None  # the concept scheme, or a node a later version may add

    labels: dict[str, list[str]] = {}
    for value, lang in _labels(node.get("skos:prefLabel"), "skos:prefLabel", fail):
        if lang in labels:
            raise fail(f"two skos:prefLabel in language {lang!r} ({labels[lang][0]!r} and {value!r}).")
        labels[lang] = [value]
    if not labels:
        raise fail("no skos:prefLabel.")
    for value, lang in _labels(node.get("skos:altLabel"), "skos:altLabel", fail):
        if lang not in labels:
            raise fail(f"skos:altLabel {value!r} in language {lang!r}, which has no skos:prefLabel.")
        if value not in labels[lang]:
            labels[lang].append(value)
    for lang, values in labels.items():
        for value in values:
            if not analyze(value, lang):
                raise fail(f"label {value!r} ({lang}) has only stop words, so it can never match.")

    themes = node.get("cm:theme", [])
    themes = [themes] if isinstance(themes, str) else themes
    if not isinstance(themes, list) or not all(isinstance(theme, str) for theme in themes):
        raise fail("cm:theme must be a list of theme names.")
    unknown = [theme for theme in themes if theme not in THEMES]
    if unknown:
        raise fail(f"unknown theme {unknown[0]!r} in cm:theme (the themes are {', '.join(THEMES)}).")
    if len(set(themes)) > MAX_THEMES_PER_CONCEPT:
        raise fail(f"cm:theme links {len(set(themes))} themes; a concept may have at most {MAX_THEMES_PER_CONCEPT}.")
    return Concept(
        id=node_id,
        themes=tuple(dict.fromkeys(themes)),
        labels={lang: tuple(values) for lang, values in labels.items()},
    )


def _labels(raw: object, name: str, fail: Callable[[str], ThesaurusError]) -> Iterable[tuple[str, str]]:
    if raw is None:
        return
    for item in [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else [raw]:
        if not isinstance(item, dict):
            raise fail(f'{name} entries must be objects like {{"@value": "...", "@language": "en"}}.')
        value, lang = item.get("@value"), item.get("@language")
        if not isinstance(value, str) or not value.strip():
            raise fail(f"a {name} has an empty or missing '@value'.")
        if lang not in LANGUAGES:
            raise fail(f"{name} {value!r} has language {lang!r}; it must be one of {', '.join(LANGUAGES)}.")
        yield value.strip(), lang
