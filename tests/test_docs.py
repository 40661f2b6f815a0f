"""The README and the code cannot drift: its command table and its search JSON are checked against them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from indexer.cli import cli
from indexer.search import SearchRequest, search
from indexer.storage.index import open_index

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def command_rows() -> dict[str, str]:
    """The README's command table: command name → its row."""
    section = README.split("## Command-line reference", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `citymig ([\w-]+)[^\n]*", section, flags=re.M)}


def long_options(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in param.opts if opt.startswith("--") and opt != "--help"}


def test_every_command_is_in_the_readme_table_and_every_row_is_a_command():
    assert set(command_rows()) == set(cli.commands)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_option_of_a_command_is_documented_and_every_documented_option_exists(name):
    row = command_rows()[name]
    synopsis = re.match(r"^\| `(.*?)` \|", row).group(1)
    documented = set(re.findall(r"--[a-z][a-z-]*", synopsis))
    assert long_options(cli.commands[name]) == documented, name


def readme_json() -> dict:
    block = README.split("### Search JSON", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    return json.loads(block.replace("…", ""))


def test_the_readme_search_json_has_the_keys_a_search_returns(corpus_index):
    documented = readme_json()
    result = search(open_index(corpus_index), SearchRequest(q="what worked in Barcelona"))
    assert list(documented) == list(result)
    hit, real = documented["hits"][0], result["hits"][0]
    assert list(hit) == list(real)
    assert set(hit["pages"][0]) == set(real["pages"][0])
    assert set(hit["versions"][0]) == set(real["versions"][0])
    assert set(hit["documents"][0]) == set(real["documents"][0])
    assert set(documented["facets"]) == set(result["facets"])
    assert set(documented["understood"]) == set(result["understood"])
    assert set(documented["understood"]["places"][0]) == set(result["understood"]["places"][0])
