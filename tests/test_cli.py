"""The command line: help for every command, JSON outputs and exit statuses."""

import json

import pytest

from indexer.cli import cli
from tests.conftest import run_citymig, run_cli


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_text(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert len(cli.commands[command].help or "") > 20


def test_bad_query_exits_2_with_a_message_not_a_traceback(session_index):
    proc = run_citymig("search", '"living wage', "--index", session_index)
    assert proc.returncode == 2
    assert "unbalanced quotation mark" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_error_exits_2():
    assert run_citymig("search").returncode == 2
    assert run_citymig("index", "/no/such/folder").returncode == 2


def test_missing_index_is_explained(tmp_path):
    proc = run_citymig("status", "--index", tmp_path / "nothing")
    assert proc.returncode == 2 and "run `citymig index` first" in proc.stderr


def test_status_text_and_json(session_index):
    text = run_cli("status", "--index", session_index).output
    assert "documents:    7" in text and "languages:" in text
    data = json.loads(run_cli("status", "--index", session_index, "--json").output)
    assert data["documents"] == 7 and data["pages"] == 18
    assert data["languages"]["en"] == 2 and data["failed"] == []
    assert data["last_updated"]


def test_search_text_output_cites_pages(session_index):
    output = run_cli("search", "Willkommenszentrum", "--index", session_index).output
    assert "documents match" in output and "p. " in output


def test_index_env_variable_sets_the_default(session_index, monkeypatch):
    monkeypatch.setenv("CITYMIG_INDEX", str(session_index))
    assert json.loads(run_cli("status", "--json").output)["documents"] == 7
