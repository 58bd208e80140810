"""The README's environment table is the one list of what can be set: every variable the settings
read (`env_*("NAME", …)`) has exactly one row, and the rows form one table (a blank line would end
it and print the rest as text)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ = re.compile(r"\benv_[a-z]+\(\s*\"([A-Z][A-Z0-9_]*)\"")
ROW = re.compile(r"^\| (`[A-Z][A-Z0-9_]*`(?:, `[A-Z][A-Z0-9_]*`)*) \|")


def _table() -> list[tuple[int, str]]:
    lines = (ROOT / "README.md").read_text().splitlines()
    return [(n, line) for n, line in enumerate(lines) if ROW.match(line)]


def test_every_variable_the_settings_read_has_one_row():
    read = set()
    for path in (ROOT / "cplatform" / "settings").glob("*.py"):
        read |= set(READ.findall(path.read_text()))
    assert len(read) > 30
    documented = [
        name.strip("`") for _n, line in _table() for name in ROW.match(line).group(1).split(", ")
    ]
    assert sorted(read - set(documented)) == [], "document these variables in the README's table"
    twice = sorted({name for name in documented if documented.count(name) > 1})
    assert twice == [], "one row per variable"


def test_the_rows_form_one_table():
    numbers = [n for n, _line in _table()]
    lines = (ROOT / "README.md").read_text().splitlines()
    breaks = [k + 1 for k in range(numbers[0], numbers[-1]) if not lines[k].startswith("|")]
    assert breaks == [], f"the environment table is split at README lines {breaks}"
