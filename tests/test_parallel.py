"""The xdist plan (tests/parallel.py): what shares a fixture or must not run beside its kind stays on
one worker, and the slowest tests are handed out first."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection

from tests import parallel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built_once():
    return object()


def test_a_test_with_a_module_scoped_fixture_is_grouped_with_its_module(request, built_once):
    marker = request.node.get_closest_marker("xdist_group")
    assert marker is not None and marker.args[0] == "tests/test_parallel.py"


def test_a_test_without_a_shared_fixture_is_handed_out_alone(request):
    assert request.node.get_closest_marker("xdist_group") is None


def calls(node: ast.AST) -> set[str]:
    """The names a function calls (`f(…)` and `module.f(…)`)."""
    return {
        call.func.id if isinstance(call.func, ast.Name) else call.func.attr
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name | ast.Attribute)
    }


def test_every_http_stampede_is_in_the_race_group():
    """Read from the sources, so a new stampede cannot be missed even when this module runs alone:
    a test calling tests/race.py's simultaneous_* (directly or through helpers of its module) is in
    a test_race.py module or takes `wide_live_server`, the two things group_of() looks for."""
    stampedes = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        functions = [n for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)]
        reaching = {"simultaneous_posts", "simultaneous_requests"}
        while grown := {f.name for f in functions if calls(f) & reaching} - reaching:
            reaching |= grown
        for node in functions:
            if node.name.startswith("test_") and calls(node) & reaching:
                stampedes.append(f"{path.relative_to(ROOT)}::{node.name}")
                item = SimpleNamespace(path=path, fixturenames=[a.arg for a in node.args.args])
                assert parallel.group_of(item) == parallel.RACE, stampedes[-1]
    assert len(stampedes) >= 5, stampedes  # the booking, seat, enrolment and login stampedes


def test_every_slowest_first_test_exists():
    """A renamed or removed test must leave SLOWEST_FIRST, or the list silently rots."""
    for nodeid in parallel.SLOWEST_FIRST:
        path, name = nodeid.split("::")
        name = name.split("[")[0]  # a parametrized test's case
        source = (ROOT / path).read_text()
        assert f"def {name}(" in source, nodeid


def test_on_a_worker_the_slowest_come_first_then_groups_largest_first_then_the_rest_in_order(
    request,
):
    items = list(request.session.items)
    before = {item.nodeid: n for n, item in enumerate(items)}
    parallel.plan(SimpleNamespace(workerinput={"workerid": "gw0"}), items)

    def group(item):
        marker = item.get_closest_marker("xdist_group")
        return marker.args[0] if marker else None

    slowest = [i.nodeid for i in items if i.nodeid in parallel.SLOWEST_FIRST]
    assert [i.nodeid for i in items[: len(slowest)]] == slowest
    rest = items[len(slowest) :]
    grouped = [i for i in rest if group(i) is not None]
    assert rest[: len(grouped)] == grouped, "every grouped test before the ungrouped ones"
    names = [group(i) for i in grouped]
    runs = [name for n, name in enumerate(names) if n == 0 or names[n - 1] != name]
    assert len(runs) == len(set(runs)), "each group's tests are contiguous"
    sizes = [names.count(name) for name in runs]
    assert sizes == sorted(sizes, reverse=True)
    alone = [before[i.nodeid] for i in rest[len(grouped) :]]
    assert alone == sorted(alone), "the ungrouped tests keep the collection order"


def test_a_serial_run_keeps_the_collection_order(request):
    items = list(request.session.items)
    parallel.plan(SimpleNamespace(), items)
    assert items == list(request.session.items)


@pytest.mark.django_db
def test_each_worker_has_its_own_database_and_media_folders(worker_id):
    """pytest-django suffixes the test database per xdist worker; settings/test.py does the same
    for the media folders, so no test reads or deletes another worker's files."""
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    if worker_id == "master":
        assert not connection.settings_dict["NAME"].endswith("_gw0")
        assert media == ROOT / ".cache" / "test-media"
        return
    assert connection.settings_dict["NAME"].endswith(f"_{worker_id}")
    assert media == ROOT / ".cache" / "test-media" / worker_id
    assert private == ROOT / ".cache" / "test-private-media" / worker_id
