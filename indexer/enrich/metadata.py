"""Librarian metadata: one ``metadata.csv`` at the top of a collection folder fills in or overrides facets.

Columns: ``path`` (relative to the folder that holds metadata.csv, with
forward slashes), then any of ``title``, ``year``, ``city``, ``country``,
``theme``, ``doc_type``. Several values in one cell are separated by ``;``
(``Barcelona;Madrid``). An empty cell keeps the extracted value. A row that
cannot be used (unknown path, a year that is not a year, an unknown theme,
country or type) is reported with the file and line, and that document keeps
its extracted facets.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from indexer.enrich.years import valid_year
from indexer.vocabulary import DOC_TYPES, THEMES

METADATA_FILE = "metadata.csv"
COLUMNS = ("path", "title", "year", "city", "country", "theme", "doc_type")
LIST_COLUMNS = ("city", "country", "theme")


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


def _parse_row(row: dict[str, str]) -> dict[str, object]:
    """Validated values of one row; raise ValueError with a librarian-readable reason."""
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
            codes = [c.upper() for c in _cell_values(cell)]
            bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
            if bad:
                raise ValueError(f"country {bad[0]!r} is not an ISO 3166 two-letter code such as ES")
            values["country"] = codes
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
                    values = _parse_row(row)
                except ValueError as exc:
                    found.errors.append({"path": str(path), "line": line, "reason": str(exc)})
                    continue
                found.rows[str(target)] = Overrides(values, f"{METADATA_FILE} line {line}")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        found.errors.append({"path": str(path), "line": 0, "reason": f"cannot read the file: {exc}"})
    return found
