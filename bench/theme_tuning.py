"""Choose the theme rule's thresholds on the tuning half of the gold labels, and only there.

    python -m bench.theme_tuning            # the grid, best rules on the tuning half, then the chosen one everywhere

Every document is extracted once (the pipeline's own extraction, facets left out) and its pages'
theme matches kept; each rule of the grid (``indexer.enrich.themes.ThemeRule``) then judges the same
pages. The rule chosen is the best on the tuning half, if it beats the rule in use there by more
than MARGIN (one document's worth of macro-F1; a smaller gain is noise), ties going to the simpler
rule, and never one that loses more than MARGIN on the scaled collection's variants of the tuning
half's reports (when ``python -m bench.scaled`` has generated them: the reports are a handful, their
variants give the rule a hundred and more long documents to get wrong); its figures on the reporting
half, the variants of its reports, the real documents and the trap manuals are printed after it,
never used to choose it. A document whose themes ``metadata.csv`` sets keeps
them under every rule, as in the index, so the figures are ``bench.facet_quality``'s.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import tempfile
from dataclasses import asdict, fields, replace
from pathlib import Path

from bench.facet_quality import CACHE, CORPUS, GOLD, _theme_macro_f1, build_real_sets, gold_half
from bench.scaled import SCALED_DIR, SEED
from indexer.enrich.metadata import read_metadata
from indexer.enrich.themes import ThemeLexicon, ThemeRule, ThemeVote
from indexer.ingest.discover import find_files
from indexer.ingest.pipeline import ExtractedDoc, process_file

MARGIN = 0.02  # the bundled collection's figures may move by this much (issue 12) without counting as a change
GRID = {
    "second_share": (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6),
    "max_themes": (1, 2, 3),
    "min_matches": (2, 3, 4, 5),
    "chapter_pages": (0, 2, 3, 4),
    "chapter_first": (False, True),
}
VARIANTS_PER_REPORT = 60  # of the scaled collection's variants of each bundled report (a fixed sample)


def _votes(root: Path, wanted: set[str]) -> dict[str, ThemeVote]:
    """The page-by-page theme vote of each wanted file under ``root``, by its path relative to it."""
    lexicon, out = ThemeLexicon.load(), {}
    with tempfile.TemporaryDirectory() as spool:
        for source in find_files([root]):
            if source.relpath not in wanted:
                continue
            doc = process_file(source, None, spool, timeout=600, enrich_facets=False)
            if not isinstance(doc, ExtractedDoc):
                print(f"  {source.relpath}: {doc.reason}", file=sys.stderr)
                continue
            vote = ThemeVote()
            for page in doc.iter_pages():
                vote.add_page(page["page"], page["text"], page.get("lang") or doc.lang, lexicon)
            doc.discard()
            out[source.relpath] = vote
    return out


Labelled = tuple[ThemeVote, set[str], set[str] | None]  # vote, gold themes, themes metadata.csv sets


def evaluation_sets() -> dict[str, list[Labelled]]:
    """(vote, gold themes, librarian's themes) of each document: tuning and reporting halves, real set, traps."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.realdocs import gold as real_gold

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    corpus = _votes(CORPUS, {entry["path"] for entry in gold})
    librarian = {Path(path): row.values.get("theme") for path, row in read_metadata(CORPUS).rows.items()}
    sets: dict[str, list] = {"tuning": [], "reporting": []}
    for entry in gold:
        if entry["path"] in corpus:
            fixed = librarian.get((CORPUS / entry["path"]).absolute())
            labelled = (corpus[entry["path"]], set(entry["themes"]), set(fixed) if fixed else None)
            sets[gold_half(entry["practice"])].append(labelled)
    real, traps, _ = build_real_sets(CACHE / "real-sets")
    labels = real_gold()
    for name, folder, entries in (("real", real, labels["documents"]), ("traps", traps, labels["traps"])):
        votes = _votes(folder, {entry["path"] for entry in entries})
        sets[name] = [(votes[e["path"]], set(e.get("themes", [])), None) for e in entries if e["path"] in votes]
    return sets | variant_sets(gold)


def variant_sets(gold: list[dict]) -> dict[str, list[Labelled]]:
    """The scaled collection's variants of the bundled reports (``bench.scaled``: chapters cut or repeated
    to 12-40 pages, paragraphs shuffled within their sections, another city), each labelled with its source
    report's gold and kept in its half: ``var-tuning`` may reject a rule, ``var-reporting`` is only printed.
    Empty when the scaled collection has not been generated (``python -m bench.scaled``)."""
    root = SCALED_DIR / "corpus"
    by_source: dict[str, list[str]] = {}
    for pdf in sorted((root / "reports").glob("x*.pdf")):
        by_source.setdefault("reports/" + pdf.name.split("-", 1)[1], []).append(f"reports/{pdf.name}")
    labelled = {entry["path"]: entry for entry in gold if entry["path"] in by_source}
    if not labelled:
        return {}
    rng = random.Random(SEED)
    wanted = {}
    for source in sorted(labelled):
        paths = by_source[source]
        wanted |= dict.fromkeys(rng.sample(paths, min(VARIANTS_PER_REPORT, len(paths))), source)
    votes = _votes(root, set(wanted))
    sets: dict[str, list] = {"var-tuning": [], "var-reporting": []}
    for path, source in wanted.items():
        if path in votes:
            entry = labelled[source]
            sets[f"var-{gold_half(entry['practice'])}"].append((votes[path], set(entry["themes"]), None))
    return sets


def figures(rule: ThemeRule, documents: list[Labelled]) -> tuple[float, int]:
    """Theme macro-F1 of ``rule`` on ``documents``, and the themes it gives in all."""
    pairs = [(fixed or set(vote.judged(rule).themes()), gold) for vote, gold, fixed in documents]
    return _theme_macro_f1(pairs), sum(len(found) for found, _ in pairs)


def grid() -> list[ThemeRule]:
    """Every rule of GRID, the density bar kept as it is (it is set by the traps' absence of themes)."""
    names = list(GRID)
    return [ThemeRule(**dict(zip(names, values, strict=True))) for values in itertools.product(*GRID.values())]


def choose(
    rules: list[ThemeRule], tuning: list[Labelled], variants: list[Labelled] | None = None
) -> list[tuple[float, ThemeRule]]:
    """Rules ranked by macro-F1 on the tuning half, the rule in use first unless another beats it by MARGIN;
    a rule that loses more than MARGIN on the variants of the tuning half's reports ranks after every other."""
    current = ThemeRule()
    in_use = figures(current, tuning)[0]
    in_use_variants = figures(current, variants)[0] if variants else 0.0

    def key(pair: tuple[float, ThemeRule]) -> tuple:
        f1, rule = pair
        gain = f1 - in_use
        worse = bool(variants) and figures(rule, variants)[0] < in_use_variants - MARGIN
        simpler = (rule.chapter_first, rule.chapter_pages > 0, abs(rule.second_share - 0.45))
        return (worse, rule != current and gain <= MARGIN, -f1, *simpler)

    return sorted(((figures(rule, tuning)[0], rule) for rule in rules), key=key)


def _describe(rule: ThemeRule) -> str:
    return ", ".join(f"{f.name}={getattr(rule, f.name)}" for f in fields(rule) if f.name in GRID)


def main() -> None:
    sets = evaluation_sets()
    ranked = choose(grid(), sets["tuning"], sets.get("var-tuning"))
    print(f"documents: {', '.join(f'{name} {len(docs)}' for name, docs in sets.items())}")
    print("best rules on the tuning half (macro-F1):")
    for f1, rule in ranked[:8]:
        print(f"  {f1:.3f}  {_describe(rule)}")
    chosen = ranked[0][1]
    rows = (
        ("in use: " + _describe(ThemeRule()), ThemeRule()),
        ("chosen: " + _describe(chosen), chosen),
        ("in use, without the chapter rule", replace(ThemeRule(), chapter_pages=0)),
        ("in use, a chapter before the scores' themes", replace(ThemeRule(), chapter_first=True)),
    )
    width = max(len(label) for label, _ in rows) + 2
    columns = [max(12, len(name) + 2) for name in sets]
    print(f"\n{'rule':<{width}}" + "".join(f"{name:>{w}}" for name, w in zip(sets, columns, strict=True)))
    for label, rule in rows:
        cells = []
        for name, docs in sets.items():
            f1, given = figures(rule, docs)
            cells.append(f"{given} themes" if name == "traps" else f"{f1:.3f}")
        print(f"{label:<{width}}" + "".join(f"{cell:>{w}}" for cell, w in zip(cells, columns, strict=True)))
    print(json.dumps({"chosen": asdict(chosen)}))


if __name__ == "__main__":
    main()
