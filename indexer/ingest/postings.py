"""Index terms prepared where the text was extracted, so the one writer does not analyse text.

Whoosh analyses every field it is given inside ``add_document``, in the
writer's process: with extraction spread over the cores, that analysis ran
on one core, and three times over for each page (the page record, the
document record holding the whole text for document-level ranking, and the
unstemmed words of the spelling vocabulary, which Whoosh gets by running
the analyzer again without its stemmer). Here each page is analysed once,
in the worker that extracted it, with the field's own analyzer
(``indexer.text.content_analyzer``): one pass yields its terms with their
positions and the unstemmed words, taken just before the stemmer.

The document record's terms are the page terms shifted to the positions
that analysing the joined text (``indexer.text.join_pages``) would give:
Whoosh's stop filter numbers the kept tokens on from the first kept one,
each page break token takes one position and ``PageGapFilter`` moves
everything after it ``PAGE_GAP`` further (``DocumentTerms``). The postings
are byte for byte those of the text path (``tests/test_postings.py``
compares both indexes term by term), so an index holds the same content
whichever way it was written.

``PreparedWriter`` is a Whoosh ``SegmentWriter`` that takes a ``Prepared``
value for a field in place of its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.writing import SegmentWriter

from indexer.text import PAGE_GAP, content_analyzer

TERMS_KEY = "terms"  # the spooled page's prepared terms: {"lang", "first", "raw", "terms", "words"}


class _BeforeStemming(Filter):
    """Passes tokens on unchanged, remembering the text each one has before the stemmer (the spelling word)."""

    def __init__(self) -> None:
        self.text = ""

    def __eq__(self, other: object) -> bool:
        return self is other

    def __call__(self, tokens):
        for token in tokens:
            self.text = token.text
            yield token


class _Analysis:
    """The index's analyzer of one language with a tap before its morphological filters (the stemmer)."""

    def __init__(self, lang: str) -> None:
        items = list(content_analyzer(lang).items)
        morph = next((i for i, item in enumerate(items) if getattr(item, "is_morph", False)), len(items))
        self.tap = _BeforeStemming()
        self.chain = CompositeAnalyzer(*items[:morph], self.tap, *items[morph:])


_analyses: dict[str, _Analysis] = {}


def analyse_page(text: str, lang: str) -> dict:
    """A page's prepared terms in ``lang``: what its content field's analyzer makes of ``text``.

    ``terms``: ``[term, [positions]]`` in the order of first occurrence, as Whoosh's ``Positions``
    format collects them; ``words``: the sorted unstemmed words (the spelling vocabulary);
    ``first``: the position of the first kept token; ``raw``: the page's token count before stop
    words were dropped, kept only for a page with no term at all (it moves the next page's positions).
    """
    analysis = _analyses.get(lang)
    if analysis is None:
        analysis = _analyses[lang] = _Analysis(lang)
    tap = analysis.tap
    positions: dict[str, list[int]] = {}
    words: set[str] = set()
    for token in analysis.chain(text, positions=True, boosts=True, mode="index"):
        if token.stopped:
            continue
        words.add(tap.text)
        found = positions.get(token.text)
        if found is None:
            positions[token.text] = [token.pos]
        else:
            found.append(token.pos)
    first = min((poslist[0] for poslist in positions.values()), default=None)
    raw = None if positions else sum(1 for _ in RegexTokenizer()(text))
    return {
        "lang": lang,
        "first": first,
        "raw": raw,
        "terms": [[term, poslist] for term, poslist in positions.items()],
        "words": sorted(words),
    }


@dataclass
class Prepared:
    """A content field's value given as prepared terms instead of text."""

    terms: list  # [term, [positions]] in the order of first occurrence
    words: list[str]  # sorted unstemmed words, for the spelling vocabulary

    @classmethod
    def of_page(cls, prepared: dict) -> Prepared:
        """A page record's value from its spooled prepared terms."""
        return cls(prepared["terms"], prepared["words"])


@dataclass
class DocumentTerms:
    """A document record's terms in one language, built page by page from the page terms.

    Follows the positions Whoosh gives the joined text: pages separated by one page break token,
    positions numbered on from the first kept token, ``PAGE_GAP`` added after every break.
    """

    positions: dict[str, list[int]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)
    pages: int = 0
    last: int | None = None  # position of the last kept token (the break tokens included)
    raw: int = 0  # raw tokens before the first kept one, while there is none
    offset: int = 0

    def add(self, prepared: dict) -> None:
        """Take in the next page (in page order) of this language."""
        if self.pages:  # the page break token before this page
            if self.last is None:
                self.last = self.raw
            else:
                self.last += 1
            self.raw += 1
            self.offset += PAGE_GAP
        self.pages += 1
        terms = prepared["terms"]
        if not terms:
            self.raw += prepared["raw"] or 0
            return
        first = prepared["first"]
        start = self.raw + first if self.last is None else self.last + 1
        shift = start + self.offset - first
        count = 0
        for term, poslist in terms:
            count += len(poslist)
            moved = [pos + shift for pos in poslist] if shift else poslist
            found = self.positions.get(term)
            if found is None:
                self.positions[term] = moved
            else:
                found.extend(moved)
        self.words.update(prepared["words"])
        self.last = start + count - 1

    def value(self) -> Prepared:
        """The document record's field value."""
        return Prepared([[term, poslist] for term, poslist in self.positions.items()], sorted(self.words))


class _PreparedField:
    """A text field that indexes a ``Prepared`` value as Whoosh would have indexed the text it came from."""

    def __init__(self, original) -> None:
        self._original = original

    def __getattr__(self, name: str):
        return getattr(self._original, name)

    def index(self, value: Prepared, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term bytes, frequency, weight, encoded positions) per term, as ``Positions.word_values`` makes them."""
        fmt = self._original.format
        boost = fmt.field_boost
        for term, poslist in value.terms:
            yield term.encode("utf-8"), len(poslist), float(len(poslist)) * boost, fmt.encode(poslist)

    def spellable_words(self, value: Prepared) -> Iterator[str]:
        """The unstemmed words, sorted, as ``FieldType.spellable_words`` gives them."""
        return iter(value.words)


class PreparedWriter(SegmentWriter):
    """A segment writer whose documents may give a text field a ``Prepared`` value instead of its text.

    For the duration of one ``add_document`` the prepared fields are served by ``_PreparedField``;
    the schema is restored before anything else reads it (it is written out at commit).
    """

    def add_document(self, **fields) -> None:
        """Whoosh's ``add_document``, taking ``Prepared`` values for text fields."""
        prepared = [name for name, value in fields.items() if isinstance(value, Prepared)]
        if not prepared:
            super().add_document(**fields)
            return
        own = self.schema._fields
        originals = {name: own[name] for name in prepared}
        try:
            for name, original in originals.items():
                own[name] = _PreparedField(original)
            super().add_document(**fields)
        finally:
            own.update(originals)


def accepts_prepared(schema, field_name: str, lang: str) -> bool:
    """True when the index's field analyses text as ``analyse_page`` does (an index made by an older schema may not)."""
    try:
        analyzer = schema[field_name].analyzer
    except (KeyError, AttributeError):
        return False
    return analyzer == content_analyzer(lang)
