"""Benchmarks of citymig: extraction and indexing throughput, incremental runs, query latency
(beside tantivy), HTTP throughput and facet quality, on the bundled collection and on a scaled
one generated from corpus_src/.

    python -m bench [BENCHMARK ...] [--bundled-only | --scaled] [--quick] [--out bench/cache/report.json]

Modules: ``scaled`` generates the scaled collection, ``indexing`` times ``citymig index`` and
pdftotext, ``incremental`` times reruns, ``queries`` builds query sets and times them,
``reference`` runs them on tantivy, ``server_load`` loads the real server, ``report`` prints the table.
"""
