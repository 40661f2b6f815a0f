"""Interface translations: every message translated in de, es and fr, compiled catalogues up to date, shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from search_app.i18n import country_name, facet_value_label, language_name

APP = Path(__file__).resolve().parent.parent / "search_app"
LANGS = ("de", "es", "fr")


def catalogue(lang: str):
    with (APP / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    found = extract_from_dir(str(APP), method_map, keywords=keywords)
    return {message[2] if isinstance(message[2], str) else message[2][0] for message in found}


@pytest.mark.parametrize("lang", LANGS)
def test_every_interface_message_is_translated(lang):
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue(lang)
        if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string]) and not m.fuzzy
    }
    missing = source_messages() - translated
    assert not missing, f"untranslated in {lang}: {sorted(missing)} (pybabel extract/update/compile, see README)"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogues_match_their_sources(lang):
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    with (APP / "translations" / lang / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        compiled = {key(m.id): key(m.string) for m in read_mo(fh) if m.id}
    source = {key(m.id): key(m.string) for m in catalogue(lang) if m.id and not m.fuzzy}
    assert compiled == source, "run: pybabel compile -d search_app/translations"


def test_facet_values_have_names_in_each_interface_language():
    assert country_name("DE", "de") == "Deutschland" and country_name("DE", "fr") == "Allemagne"
    assert language_name("de", "es") == "Alemán" and language_name("fr", "en") == "French"
    assert facet_value_label("year", 2012, "de") == "2012"


def test_every_error_the_core_can_raise_has_a_sentence_in_the_interface_languages():
    """Each template the core raises (a literal first argument of a CitymigError) is in search_app.errors."""
    import ast
    from pathlib import Path

    from search_app.errors import CORE_MESSAGES

    errors = {"BadQuery", "DocumentNotFound", "IndexMissing"}
    raised = set()
    for path in (Path(__file__).resolve().parent.parent / "indexer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in errors and node.args:
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path.name}:{node.lineno}: a template, not an f-string"
                raised.add(first.value)
    assert raised and raised <= set(CORE_MESSAGES), raised - set(CORE_MESSAGES)
