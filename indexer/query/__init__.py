"""The read side's query pipeline: from a request to Whoosh queries, ranked works and facet counts.

``request`` (the permalink's vocabulary), ``understand`` (a practitioner's
question), ``expand`` (translations through the thesaurus), ``suggest``
(corrections), ``snippets``, ``translations`` (language versions of one
work) and ``similar`` (similar practices elsewhere).
"""
