"""Translations: the same document in several languages is one hit, with its languages as badges.

Two files are versions of one document when they sit in the same folder and
their names differ only by a language suffix: ``barcelona-anti-rumour-en.pdf``
and ``barcelona-anti-rumour-es.pdf``, ``report_de.pdf`` and ``report_fr.pdf``,
``guide.en.html`` and ``guide.fr.html``. That is how archives publish
translations, and it never joins two different documents by accident, which a
guess from content could.
"""

from __future__ import annotations

import re

from indexer.vocabulary import LANGUAGES

_LANG_SUFFIX = re.compile(r"(?:[-_.](?:" + "|".join(LANGUAGES) + r"))+$", re.I)


def translation_key(relpath: str) -> str | None:
    """The name shared by all language versions of a file, or None when its name carries no language."""
    folder, _, name = relpath.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    base = _LANG_SUFFIX.sub("", stem)
    if base == stem or not base:
        return None
    return f"{folder}/{base}"


def translation_groups(searcher) -> dict[str, list[dict]]:
    """Every document that has other language versions: doc_id → all versions ``{"id", "lang", "title"}``."""
    by_key: dict[str, list[dict]] = {}
    for fields in searcher.documents(kind="doc"):
        key = translation_key(fields["path"])
        if key:
            version = {"id": fields["doc_id"], "lang": fields.get("lang"), "title": fields.get("title")}
            by_key.setdefault(key, []).append(version)
    return {v["id"]: versions for versions in by_key.values() if len(versions) > 1 for v in versions}


def group_versions(
    ordered: list[str], groups: dict[str, list[dict]], ui_lang: str | None
) -> list[tuple[str, list[dict]]]:
    """Collapse the versions of one document in a ranked list: (doc_id shown, all versions) in rank order.

    The version shown is the one in the reader's language when it is among the results, else the best ranked.
    """
    in_results = set(ordered)
    shown: list[tuple[str, list[dict]]] = []
    seen: set[str] = set()
    for doc_id in ordered:
        if doc_id in seen:
            continue
        versions = groups.get(doc_id, [])
        members = [v["id"] for v in versions if v["id"] in in_results] or [doc_id]
        seen.update(members)
        preferred = next((v["id"] for v in versions if v["lang"] == ui_lang and v["id"] in in_results), doc_id)
        shown.append((preferred, versions))
    return shown


def works(matching: list[str], groups: dict[str, list[dict]], ui_lang: str | None, key) -> list[tuple[str, list[str]]]:
    """The matching documents as works, in the order of the version each one shows: (shown id, matching ids).

    The version shown is the reader's language version when it matches, else the matching version that
    ``key`` puts first; the work is then placed by that same version's key, so what a hit shows (its year,
    its title, its score) is what it was sorted by.
    """
    matched = set(matching)
    seen: set[str] = set()
    found: list[tuple[str, list[str]]] = []
    for doc_id in matching:
        if doc_id in seen:
            continue
        if doc_id not in groups:  # a work in one language: most of them
            found.append((doc_id, [doc_id]))
            continue
        members = [v["id"] for v in groups[doc_id] if v["id"] in matched] or [doc_id]
        seen.update(members)
        members.sort(key=key)
        langs = {v["id"]: v["lang"] for v in groups.get(doc_id, [])}
        shown = next((m for m in members if ui_lang and langs.get(m) == ui_lang), members[0])
        found.append((shown, members))
    found.sort(key=lambda work: key(work[0]))
    return found
