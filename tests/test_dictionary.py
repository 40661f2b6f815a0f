"""Word frequencies: the memory-mapped tries answer exactly what wordfreq answers, without its dicts."""

import re
from importlib import metadata
from pathlib import Path

import wordfreq

from indexer.lexicon import dictionary
from indexer.lexicon.gazetteer import Gazetteer
from indexer.vocabulary import LANGUAGES

REAL = Path(__file__).parent / "data" / "real"


def _sample() -> list[str]:
    """Words and names as enrichment asks about them: real text, city names of every shape, and edge cases."""
    words = set()
    for path in sorted(REAL.glob("*.txt")):
        words.update(re.findall(r"\S+", path.read_text(encoding="utf-8")))
    gazetteer = Gazetteer.load()
    words.update(city.name for city in list(gazetteer.cities.values())[::20])  # "Saint-Étienne", "New York City"
    words.update(list(gazetteer.city_keys)[::20])
    words.update(["covid-19", "2019", "G20", "Straße", "l'Hospitalet", "Namen", "ihren", "", " ", "xqzzyv"])
    return sorted(words)


def test_zipf_is_wordfreqs_figure_for_every_word_and_language():
    words = _sample()
    assert len(words) > 3000
    differ = [
        (word, lang, dictionary.zipf(word, lang), wordfreq.zipf_frequency(word, lang))
        for word in words
        for lang in LANGUAGES
        if dictionary.zipf(word, lang) != wordfreq.zipf_frequency(word, lang)
    ]
    assert differ == []
    assert dictionary.zipf("Namen", "de") > 5 > dictionary.zipf("Namen", "en")
    assert dictionary.zipf("house", "tr") == 0.0  # not one of the collection's languages
    assert dictionary.is_dictionary_word("Schritt") and not dictionary.is_dictionary_word("Barcelna")


def test_the_tries_are_built_once_into_the_cache_and_without_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYMIG_CACHE_DIR", str(tmp_path / "cache"))
    built = dictionary._centibels.__wrapped__("fr")
    assert [path.name for path in (tmp_path / "cache").glob("*.marisa")] == [
        f"wordfreq-{metadata.version('wordfreq')}-fr.marisa"
    ]
    mapped = dictionary._centibels.__wrapped__("fr")
    assert mapped.get("maison") == built.get("maison") and mapped.get("maison")
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("CITYMIG_CACHE_DIR", str(blocked / "cache"))
    assert dictionary._centibels.__wrapped__("fr").get("maison") == built.get("maison")
