"""Enrichment: the facets a document is about, each with the evidence that chose it.

``places`` (cities and countries, from the gazetteer), ``years``, ``themes``
(from the thesaurus), ``doctypes``, and the librarian's ``metadata`` overrides;
``chain`` runs them over one document's pages. The rules are pure functions of
text and lexicons, so the read side may use them too (a question's places are
read with the same rules as a document's).
"""
