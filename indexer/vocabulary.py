"""The engine's vocabulary, declared once: languages, themes, types, file formats, facets and sorts.

Every surface (index schema, enrichment, librarian metadata, explain,
request parsing, facet counts, web labels, exports, the CLI's options)
reads from here, so adding a facet touches this module and the code that
fills it, and a facet cannot be called ``doc_type`` in one place and
``type`` in another without this module saying so (the JSON name, the URL
parameter and the index field are three attributes of one ``Facet``).

What is counted, one meaning everywhere (the README's "What is counted"):

- a **work** is one document in all its language versions (files in one
  folder whose names differ only by a language suffix); a hit is a work;
- a **document** is one language version, i.e. one indexed file; facet
  counts, ``documents`` and exports count documents;
- a **page** is a page of a document, numbered as a PDF viewer shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("en", "de", "es", "fr")  # document and interface languages
LANGUAGE_LABELS = {
    "en": {"en": "English", "de": "Englisch", "es": "Inglés", "fr": "Anglais"},
    "de": {"en": "German", "de": "Deutsch", "es": "Alemán", "fr": "Allemand"},
    "es": {"en": "Spanish", "de": "Spanisch", "es": "Español", "fr": "Espagnol"},
    "fr": {"en": "French", "de": "Französisch", "es": "Francés", "fr": "Français"},
}

THEMES = ("Live", "Work", "Learn", "Connect", "Plan")  # the archive's own themes
THEME_LABELS = {
    "Live": {"en": "Live", "de": "Leben", "es": "Vivir", "fr": "Vivre"},
    "Work": {"en": "Work", "de": "Arbeiten", "es": "Trabajar", "fr": "Travailler"},
    "Learn": {"en": "Learn", "de": "Lernen", "es": "Aprender", "fr": "Apprendre"},
    "Connect": {"en": "Connect", "de": "Vernetzen", "es": "Conectar", "fr": "Relier"},
    "Plan": {"en": "Plan", "de": "Planen", "es": "Planificar", "fr": "Planifier"},
}

DOC_TYPES = ("profile", "report", "essay", "blog")
DOC_TYPE_LABELS = {
    "profile": {
        "en": "Good Idea profile",
        "de": "Gute-Idee-Porträt",
        "es": "Perfil de buena idea",
        "fr": "Fiche bonne idée",
    },
    "report": {"en": "Report", "de": "Bericht", "es": "Informe", "fr": "Rapport"},
    "essay": {"en": "Essay", "de": "Essay", "es": "Ensayo", "fr": "Essai"},
    "blog": {"en": "Blog post", "de": "Blogbeitrag", "es": "Entrada de blog", "fr": "Billet de blog"},
}
# Words a reader may type for a type, besides the labels above (folded when compared).
DOC_TYPE_WORDS = {
    "profile": ("good idea", "good ideas", "profiles", "perfil", "fiche", "profil"),
    "report": ("reports", "informes", "rapports", "berichte"),
    "essay": ("essays", "ensayos", "essais"),
    "blog": ("blog", "blogs", "post", "posts", "blogpost", "blogbeitrag", "billet", "entrada"),
}


@dataclass(frozen=True)
class FileFormat:
    """A file format the collection may hold: how it is served and whether it is a web document."""

    name: str
    media_type: str
    web: bool  # a web page or post (its type defaults to blog, its date comes from the page)
    label: str = ""  # how help texts name it


FORMATS = {
    ".pdf": FileFormat("pdf", "application/pdf", web=False, label="PDF"),
    ".html": FileFormat("html", "text/html", web=True, label="HTML"),
    ".htm": FileFormat("html", "text/html", web=True, label="HTML"),
    ".md": FileFormat("markdown", "text/markdown", web=True, label="Markdown"),
    ".markdown": FileFormat("markdown", "text/markdown", web=True, label="Markdown"),
    ".txt": FileFormat("text", "text/plain", web=True, label="plain text"),
    # Office documents: headings of the first level start a new page (see indexer.ingest.office).
    ".docx": FileFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        web=False,
        label="Word (DOCX)",
    ),
    ".odt": FileFormat("odt", "application/vnd.oasis.opendocument.text", web=False, label="OpenDocument text (ODT)"),
}


@dataclass(frozen=True)
class Facet:
    """One facet: its name in JSON, its index field, its URL parameter, its kind, allowed values and labels."""

    name: str  # the key in JSON results and in ``filters``
    field: str  # the field of document records it is counted and filtered on
    param: str  # the URL parameter and CLI option (``type`` for doc_type)
    kind: str  # "place" (gazetteer names), "code" (a closed list), "range" (numeric), "text" (free)
    labels: dict[str, str]
    values: tuple[str, ...] | None = None  # closed list of canonical values, if any
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    explained: bool = True  # chosen by enrichment, with evidence (``citymig explain``)
    metadata: bool = True  # a column of metadata.csv

    def label(self, lang: str = "en") -> str:
        """The facet's name in ``lang``."""
        return self.labels.get(lang) or self.labels["en"]

    def value_label(self, value: object, lang: str = "en") -> str:
        """A value as a reader of ``lang`` calls it (places are named by the gazetteer, not here)."""
        labels = self.value_labels.get(str(value))
        return (labels.get(lang) or labels["en"]) if labels else str(value)


FACETS: tuple[Facet, ...] = (
    Facet("city", "city", "city", "place", {"en": "City", "de": "Stadt", "es": "Ciudad", "fr": "Ville"}),
    Facet("country", "country", "country", "place", {"en": "Country", "de": "Land", "es": "País", "fr": "Pays"}),
    Facet("year", "year", "year", "range", {"en": "Year", "de": "Jahr", "es": "Año", "fr": "Année"}),
    Facet(
        "theme",
        "theme",
        "theme",
        "code",
        {"en": "Theme", "de": "Thema", "es": "Tema", "fr": "Thème"},
        values=THEMES,
        value_labels=THEME_LABELS,
    ),
    Facet(
        "lang",
        "langs",
        "lang",
        "code",
        {"en": "Language", "de": "Sprache", "es": "Idioma", "fr": "Langue"},
        values=LANGUAGES,
        value_labels=LANGUAGE_LABELS,
        explained=False,
        metadata=False,
    ),
    Facet(
        "doc_type",
        "doc_type",
        "type",
        "code",
        {"en": "Type of document", "de": "Dokumenttyp", "es": "Tipo de documento", "fr": "Type de document"},
        values=DOC_TYPES,
        value_labels=DOC_TYPE_LABELS,
    ),
)
FACET = {facet.name: facet for facet in FACETS}
FACET_NAMES = tuple(FACET)
BY_PARAM = {facet.param: facet for facet in FACETS}
KEYWORD_FACETS = tuple(f.name for f in FACETS if f.kind != "range")  # filtered by value; year is a range
EXPLAINED_FACETS = tuple(f.name for f in FACETS if f.explained)
METADATA_COLUMNS = ("path", "title", *(f.name for f in FACETS if f.metadata))
LIST_FACETS = ("city", "country", "theme")  # several values per document

SORTS = ("relevance", "year", "year_asc", "title", "newest")
SORT_LABELS = {
    "relevance": {"en": "Relevance", "de": "Relevanz", "es": "Relevancia", "fr": "Pertinence"},
    "year": {
        "en": "Year, newest first",
        "de": "Jahr, neueste zuerst",
        "es": "Año, más recientes primero",
        "fr": "Année, plus récents d'abord",
    },
    "year_asc": {
        "en": "Year, oldest first",
        "de": "Jahr, älteste zuerst",
        "es": "Año, más antiguos primero",
        "fr": "Année, plus anciens d'abord",
    },
    "title": {"en": "Title", "de": "Titel", "es": "Título", "fr": "Titre"},
    "newest": {
        "en": "Recently added",
        "de": "Zuletzt hinzugefügt",
        "es": "Añadidos recientemente",
        "fr": "Ajoutés récemment",
    },
}


def counted(works: int, documents: int) -> str:
    """How every English surface states a result's size: ``17 results · 29 documents`` (works, then versions)."""
    return f"{works} result{'s' if works != 1 else ''} · {documents} document{'s' if documents != 1 else ''}"


def format_labels() -> str:
    """The formats the collection may hold, as help texts list them: "PDF, HTML, …"."""
    return ", ".join(dict.fromkeys(file_format.label for file_format in FORMATS.values()))
