"""How the suite is shared between pytest-xdist workers (`make test`: TEST_WORKERS processes, each on
its own test database `test_<name>_gw<N>`; docs/architecture.md, "Tests and budgets").

pyproject.toml runs xdist with `--dist loadgroup --no-loadscope-reorder`: tests with the same
`xdist_group` run on one worker, one after the other; every other test is handed out alone, in the
order this module leaves the collection in. `plan(items)` (tests/conftest.py) adds the groups:

- `race`: the HTTP stampedes (50 connections at once, `tests/race.py`) and the control runs that
  must see a race happen without the lock. Two stampedes side by side would hold 100+ connections
  and compete for the same cores; one at a time, each sees what it measures.
- a module or a class whose tests share a module- or class-scoped fixture (the demo data loaded
  once, the generated API clients, the permission matrix's users): split over two workers, each
  would build it. Package-scoped ones (the e2e package's Chromium, cheap to start) are left out, so
  the browser journeys still spread over both workers.

Under xdist it also moves the slowest tests to the front, in SLOWEST_FIRST's order: the scheduler
gives the first unit to the first worker and the second to the second, so the two slowest run side
by side from the start instead of one of them keeping its worker busy after the other ran dry.
A serial run keeps the collection order.
"""

from __future__ import annotations

import pytest

SLOWEST_FIRST = (  # CI's --durations: the API fuzz ~200 s in four shards (the migration walk, ~175 s,
    # runs in make test-migrations and leads there)
    "tests/catalog/test_migration.py::"
    "test_a_database_migrated_before_the_move_keeps_its_rows_foreign_keys_and_content_types",
    "tests/api/test_fuzz.py::test_api_answers_every_generated_request_within_its_schema[0]",
    "tests/api/test_fuzz.py::test_api_answers_every_generated_request_within_its_schema[1]",
    "tests/api/test_fuzz.py::test_api_answers_every_generated_request_within_its_schema[2]",
    "tests/api/test_fuzz.py::test_api_answers_every_generated_request_within_its_schema[3]",
)
RACE = "race"


def group_of(item: pytest.Item) -> str | None:
    """The xdist group an item must run in, or None when it may run on any worker."""
    if item.path.name == "test_race.py" or "wide_live_server" in item.fixturenames:
        return RACE
    scopes = {
        defs[-1].scope
        for defs in item._fixtureinfo.name2fixturedefs.values()  # pytest's own record
        if defs and defs[-1].baseid.startswith("tests")  # ours, not pytest-django's autouse ones
    }
    if "class" in scopes and (cls := item.getparent(pytest.Class)) is not None:
        return cls.nodeid
    if "module" in scopes:
        return item.getparent(pytest.Module).nodeid
    return None


def plan(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups: dict[str, int] = {}
    for item in items:
        if (group := group_of(item)) is not None and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))
        if marker := item.get_closest_marker("xdist_group"):
            name = str(marker.args[0] if marker.args else marker.kwargs.get("name", "default"))
            groups[name] = groups.get(name, 0) + 1
    if not hasattr(config, "workerinput"):  # a serial run (or xdist's controller): as collected
        return
    # Every worker sorts alike: the slowest tests, then the groups, largest first, then the rest as
    # collected (a stable sort), so what is handed out last is short and evens out the ending.
    first = {nodeid: n for n, nodeid in enumerate(SLOWEST_FIRST)}
    rank = {name: n for n, name in enumerate(sorted(groups, key=lambda g: -groups[g]))}

    def key(item: pytest.Item) -> tuple[int, int]:
        if item.nodeid in first:
            return (0, first[item.nodeid])
        if marker := item.get_closest_marker("xdist_group"):
            return (1, rank[str(marker.args[0] if marker.args else marker.kwargs["name"])])
        return (2, 0)

    items.sort(key=key)
