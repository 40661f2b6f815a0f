"""What the engine knows about the world, shared by both sides: the gazetteer and the thesaurus.

``gazetteer``: GeoNames cities and ISO 3166 countries with their names in four
languages; ``thesaurus``: the SKOS concepts with labels in en/de/es/fr and
their themes. Their data files live in ``data/``.
"""
