"""Ingestion, the write side: from files on disk to records in the index.

``discover`` finds files and fingerprints them; ``pdf`` and ``textfiles``
extract pages; ``normalize`` cleans them (hyphenation, running heads);
``language`` detects each page's language; ``postings`` analyses each page
once into its index terms; ``pipeline`` runs one file through all of it and
through ``indexer.enrich``; ``tasks`` runs files in worker processes or on a
Dask cluster (``cluster``); ``writer`` owns the single Whoosh writer,
incremental runs and crash safety, and ``index_records`` says what a
document's records hold. Nothing on the read side
imports this package (the import contract in setup.cfg checks it), so the
search side never loads pypdf or langdetect.
"""
