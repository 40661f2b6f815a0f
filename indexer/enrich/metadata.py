"""Librarian metadata: one ``metadata.csv`` at the top of a collection folder fills in or overrides facets.

Columns: ``path`` (relative to the folder that holds metadata.csv, with
forward slashes), then any of ``title``, ``year``, ``city``, ``country``,
``theme``, ``doc_type``. Several values in one cell are separated by ``;``
(``Barcelona;Madrid``). An empty cell keeps the extracted value. A row that
cannot be used (unknown path, a year that is not a year, an unknown theme,
type, or a country that is not an ISO 3166 code such as ``ES``) is reported
with the file and line, and that document keeps its extracted facets.

Cities are checked against the gazetteer, in any of the four languages
(``Múnich`` is stored as ``Munich``, the facet's name for it). A city the
gazetteer does not know (``Barcelna``, ``Atlantis``) is reported with the file,
line and the closest names it knows, and is left out while the rest of the row
applies; to use it anyway, as a place too small for the gazetteer or a
district, write it with a ``!`` in front (``!Nou Barris``): it is then applied
as written, without a report.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from indexer.enrich.years import valid_year
from indexer.lexicon.gazetteer import Gazetteer, name_key
from indexer.vocabulary import DOC_TYPES, THEMES

METADATA_FILE = "metadata.csv"
COLUMNS = ("path", "title", "year", "city", "country", "theme", "doc_type")
LIST_COLUMNS = ("city", "country", "theme")
INTENDED = "!"  # a city written "!Name" is applied as written, though the gazetteer does not know it
CLOSEST = 3  # names suggested for an unknown city


@dataclass
class Overrides:
    """The values a librarian set for one document, and where they were set."""

    values: dict[str, object]
    origin: str  # "metadata.csv line 3"

    def fingerprint(self) -> str:
        """A short hash of the values, so a changed row can be told from an unchanged one."""
        return hashlib.sha1(json.dumps(self.values, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class Metadata:
    """Overrides by absolute file path, and the errors met while reading them."""

    rows: dict[str, Overrides] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def _cell_values(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@lru_cache(maxsize=1)
def _city_names() -> dict[str, str]:
    """Key -> facet name of every city the gazetteer knows by its own name, bigger cities first."""
    gazetteer = Gazetteer.load()
    names: dict[str, str] = {}
    for city in sorted(gazetteer.cities.values(), key=lambda c: -c.population):
        names.setdefault(name_key(city.name), city.name)
    return names


def closest_cities(name: str) -> list[str]:
    """The gazetteer's city names closest in spelling to ``name`` (``Barcelna`` → ``Barcelona``)."""
    names, key = _city_names(), name_key(name)
    # Same first letter, about the same length: a misspelling, and a hundred times fewer names to compare.
    near = [other for other in names if other[:1] == key[:1] and abs(len(other) - len(key)) <= 2]
    return [names[found] for found in difflib.get_close_matches(key, near, n=CLOSEST, cutoff=0.7)]


def _cities(cell: str, warnings: list[str]) -> list[str]:
    """The cities of a cell as facet values; unknown ones reported in ``warnings`` and left out unless marked."""
    gazetteer = Gazetteer.load()
    cities = []
    for value in _cell_values(cell):
        if value.startswith(INTENDED):
            cities.append(value[len(INTENDED) :].strip())
            continue
        found = gazetteer.lookup_city(value)
        if found:
            cities.append(found[0].name)
            continue
        closest = closest_cities(value)
        warnings.append(
            f"unknown city {value!r} (not in the gazetteer)"
            + (f"; closest: {', '.join(closest)}" if closest else "")
            + f"; not applied (write {INTENDED}{value} to use it as written)"
        )
    return [city for city in cities if city]


def _country_codes(cell: str) -> list[str]:
    gazetteer = Gazetteer.load()
    codes = [c.upper() for c in _cell_values(cell)]
    for code in codes:
        if len(code) != 2 or not code.isalpha():
            raise ValueError(f"country {code!r} is not an ISO 3166 two-letter code such as ES")
        if code not in gazetteer.country_names:
            raise ValueError(f"country {code!r} is not an ISO 3166 code (ES is Spain, DE Germany, CA Canada)")
    return codes


def _parse_row(row: dict[str, str], warnings: list[str] | None = None) -> dict[str, object]:
    """Validated values of one row; raise ValueError with a librarian-readable reason.

    Unknown cities do not fail the row: they are described in ``warnings`` and left out.
    """
    warnings = [] if warnings is None else warnings
    values: dict[str, object] = {}
    for column in COLUMNS[1:]:
        cell = (row.get(column) or "").strip()
        if not cell:
            continue
        if column == "year":
            if not cell.isdigit() or not valid_year(int(cell)):
                raise ValueError(f"year {cell!r} is not a year from 1990 to next year")
            values["year"] = int(cell)
        elif column == "theme":
            themes = [t.capitalize() for t in _cell_values(cell)]
            unknown = [t for t in themes if t not in THEMES]
            if unknown:
                raise ValueError(f"unknown theme {unknown[0]!r}: use {', '.join(THEMES)}")
            values["theme"] = themes
        elif column == "country":
            values["country"] = _country_codes(cell)
        elif column == "city":
            cities = _cities(cell, warnings)
            if cities:
                values["city"] = cities
        elif column == "doc_type":
            if cell.lower() not in DOC_TYPES:
                raise ValueError(f"unknown doc_type {cell!r}: use {', '.join(DOC_TYPES)}")
            values["doc_type"] = cell.lower()
        elif column in LIST_COLUMNS:
            values[column] = _cell_values(cell)
        else:
            values[column] = cell
    return values


def read_metadata(root: Path) -> Metadata:
    """The overrides in ``root/metadata.csv`` (none when there is no such file)."""
    path = Path(root) / METADATA_FILE
    found = Metadata()
    if not path.is_file():
        return found
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "path" not in reader.fieldnames:
                found.errors.append({"path": str(path), "line": 1, "reason": "no 'path' column in the header"})
                return found
            for row in reader:
                line = reader.line_num
                try:
                    if None in row:
                        raise ValueError("more cells than columns (a comma inside a value needs quotes)")
                    relpath = (row.get("path") or "").strip().removeprefix("./")
                    target = (Path(root) / relpath).absolute()
                    if not relpath or ".." in Path(relpath).parts or not target.is_file():
                        raise ValueError(f"no file {relpath!r} in {root}")
                    warnings: list[str] = []
                    values = _parse_row(row, warnings)
                except ValueError as exc:
                    found.errors.append({"path": str(path), "line": line, "reason": str(exc)})
                    continue
                # Reported like errors (file and line), though the rest of the row applies.
                found.errors += [{"path": str(path), "line": line, "reason": warning} for warning in warnings]
                found.rows[str(target)] = Overrides(values, f"{METADATA_FILE} line {line}")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        found.errors.append({"path": str(path), "line": 0, "reason": f"cannot read the file: {exc}"})
    return found
