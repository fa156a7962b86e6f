"""CI runs the README's test command, and nothing the README lacks."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    command = ci[-1]
    assert "pytest" in command
    assert command in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
