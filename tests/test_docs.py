"""The README's commands are the CLI's commands, and each command's help example is in the README."""
from __future__ import annotations

import re

from typer.testing import CliRunner

from claimledger.cli import app
from tests.conftest import ROOT


def test_readme_lists_every_command_with_its_example():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(\w+)[ `]", readme, re.M))
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert documented == commands
    runner = CliRunner()
    for command in commands:
        help_text = runner.invoke(app, [command, "--help"]).output
        example = re.search(r"Example: (claimledger [^\n]+)", help_text).group(1).strip()
        assert f"`{example}`" in readme, command


def test_quickstart_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("install:", "demo:", "test:", "bench:", "score:"):
        assert target in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_explains_every_error_and_warning_code():
    from claimledger.errors import Errors
    readme = (ROOT / "README.md").read_text()
    codes = [name for name in vars(Errors) if re.fullmatch(r"[EW]\d{3}", name)]
    assert len(codes) > 30
    assert [c for c in codes if c not in readme] == []
