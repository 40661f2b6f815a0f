"""The reference engine: the same pages in tantivy (Rust, via its Python bindings), the same queries.

The tantivy index is built from the citymig index's stored fields, so both
engines hold exactly the same documents and page texts: one tantivy record
per page (its text in the field of its language, stemmed by tantivy's
Snowball stemmer of that language, accents folded; the document's facet
values copied onto it, so filters apply to pages directly) and one per
document (title and facets). A query does what ``indexer.search.search``
does: top pages grouped into ten documents, a snippet for each, and the six
facets counted in as many passes as citymig makes (one for the unfiltered
facets, one per filtered facet), with tantivy's terms aggregations counting
distinct documents (a cardinality sub-aggregation on ``doc_id``).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from bench.timing import latency_summary

LANGS = {"en": "english", "de": "german", "es": "spanish", "fr": "french"}
KEYWORDS = ("city", "country", "theme", "doc_type", "langs")
FACET_FIELDS = {"city": "city", "country": "country", "theme": "theme", "doc_type": "doc_type", "lang": "langs"}
FACETS = ("city", "country", "year", "theme", "lang", "doc_type")


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_id", stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_text_field("lang", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="title_fold")
    builder.add_integer_field("page", stored=True)
    builder.add_integer_field("year", fast=True, indexed=True, stored=True)
    for name in KEYWORDS:
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    for lang in LANGS:
        builder.add_text_field(f"content_{lang}", stored=True, tokenizer_name=f"stem_{lang}")
    return builder.build()


def _register(index) -> None:
    import tantivy

    for lang, name in LANGS.items():
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword(name))
            .filter(tantivy.Filter.stemmer(name))
            .filter(tantivy.Filter.ascii_fold())
            .build()
        )
        index.register_tokenizer(f"stem_{lang}", analyzer)
    fold = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )
    index.register_tokenizer("title_fold", fold)


def _split(value) -> list[str]:
    return [v for v in (value or "").split(",") if v] if isinstance(value, str) else list(value or [])


def build(whoosh_dir: Path, out_dir: Path) -> dict:
    """(Re)build the tantivy index in ``out_dir`` from the citymig index in ``whoosh_dir``, unless current."""
    import tantivy

    from indexer.storage.index import open_index

    ix = open_index(whoosh_dir)
    marker = out_dir / "citymig-source.json"
    with ix.searcher() as searcher:
        source = {"whoosh": str(whoosh_dir), "generation": ix.latest_generation(), "records": searcher.doc_count()}
    try:
        if json.loads(marker.read_text()) == source:
            return {"rebuilt": False, **source}
    except (OSError, ValueError):
        pass
    shutil.rmtree(out_dir, ignore_errors=True)
    (out_dir / "ix").mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(out_dir / "ix"))
    _register(index)
    started = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    docs = pages = 0
    with ix.searcher() as searcher:
        facets = {}
        for fields in searcher.documents(kind="doc"):
            values = {name: _split(fields.get(name)) for name in KEYWORDS}
            values["doc_type"] = [fields["doc_type"]] if fields.get("doc_type") else []
            year = fields.get("year")
            facets[fields["doc_id"]] = (values, year)
            record = tantivy.Document(
                doc_id=fields["doc_id"],
                kind="doc",
                lang=fields.get("lang") or "",
                title=fields.get("title") or "",
                **{k: v for k, v in values.items() if v},
            )
            if year:
                record.add_integer("year", int(year))
            writer.add_document(record)
            docs += 1
        for fields in searcher.documents(kind="page"):
            values, year = facets.get(fields["doc_id"], ({}, None))
            lang = fields.get("lang") if fields.get("lang") in LANGS else "en"
            record = tantivy.Document(
                doc_id=fields["doc_id"],
                kind="page",
                lang=lang,
                page=int(fields.get("page") or 0),
                **{f"content_{lang}": fields.get("text") or ""},
                **{k: v for k, v in values.items() if v},
            )
            if year:
                record.add_integer("year", int(year))
            writer.add_document(record)
            pages += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps(source))
    return {"rebuilt": True, "documents": docs, "pages": pages, "build_seconds": round(seconds, 2), **source}


class Engine:
    """An open tantivy reference index that answers the benchmark's query specs."""

    def __init__(self, out_dir: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(out_dir / "ix"))
        _register(self.index)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.text_fields = [f"content_{lang}" for lang in LANGS] + ["title"]

    def _or_terms(self, field: str, values: list[str]):
        t = self.tantivy
        clauses = [(t.Occur.Should, t.Query.term_query(self.schema, field, v)) for v in values]
        return t.Query.boolean_query(clauses)

    def _filters(self, filters: dict, skip: str | None = None) -> list:
        return [
            self._or_terms(FACET_FIELDS[name], values) for name, values in filters.items() if values and name != skip
        ]

    def _must(self, clauses: list):
        t = self.tantivy
        return t.Query.boolean_query([(t.Occur.Must, c) for c in clauses])

    def _aggs(self, names: list[str], distinct: bool) -> dict:
        aggs = {}
        for name in names:
            field = "year" if name == "year" else FACET_FIELDS[name]
            aggs[name] = {"terms": {"field": field, "size": 1000}}
            if distinct:
                aggs[name]["aggs"] = {"docs": {"cardinality": {"field": "doc_id"}}}
        return aggs

    def search(self, spec: dict) -> dict:
        """One query spec: ten documents with snippets, the total and the facet counts."""
        t = self.tantivy
        filters = spec.get("filters") or {}
        text = (spec.get("q") or "").strip()
        if text:
            parsed, _errors = self.index.parse_query_lenient(text, self.text_fields)
            base = [parsed]
        else:
            base = [t.Query.term_query(self.schema, "kind", "doc")]
        query = self._must(base + self._filters(filters))
        first = (spec.get("page", 1) - 1) * 10
        hits = self.searcher.search(query, limit=first + 40, count=True).hits
        docs: dict[str, list] = {}
        for score, address in hits:
            doc = self.searcher.doc(address)
            docs.setdefault(doc.get_first("doc_id"), []).append((score, doc))
        shown = list(docs.items())[first : first + 10]
        snippets = 0
        if text:
            generators = {}
            for _doc_id, found in shown:
                for _score, doc in found[:3]:
                    field = f"content_{doc.get_first('lang') or 'en'}"
                    if doc.get_first(field) is None:
                        continue
                    if field not in generators:
                        generators[field] = t.SnippetGenerator.create(self.searcher, parsed, self.schema, field)
                    snippets += bool(generators[field].snippet_from_doc(doc).fragment())
        active = [name for name, values in filters.items() if values]
        passes = [(None, [n for n in FACETS if n not in active])] + [(n, [n]) for n in active]
        counts = {}
        for skip, names in passes:
            agg_query = self._must(base + self._filters(filters, skip=skip))
            counts.update(self.searcher.aggregate(agg_query, self._aggs(names, distinct=bool(text))))
        return {"docs": len(docs), "shown": len(shown), "snippets": snippets, "facets": len(counts)}


def run_reference(out_dir: Path, queries: dict[str, list[dict]], budget_s: float = 120.0) -> dict:
    """Latency of every query kind on the tantivy reference index."""
    engine = Engine(out_dir)
    results = {}
    for kind, specs in queries.items():
        errors, seconds = [], []
        for spec in specs[:5]:
            try:
                engine.search(spec)
            except Exception:  # noqa: BLE001, S112 - counted below
                pass
        kind_started = time.perf_counter()
        for spec in specs:
            started = time.perf_counter()
            try:
                engine.search(spec)
            except Exception as exc:  # noqa: BLE001 - reported with the figures
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            seconds.append(time.perf_counter() - started)
            if time.perf_counter() - kind_started > budget_s:
                break
        results[kind] = {
            **latency_summary(seconds),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
        }
    return results
