"""The serving entry points tune the garbage collector once the application is loaded
(cplatform/runtime.py): the start-up objects frozen, the young generation's threshold raised."""

import gc
import json
import os
import subprocess
import sys

import pytest

from cplatform.runtime import GC_THRESHOLDS

PROBE = (
    "import gc, json, importlib, sys; before = gc.get_freeze_count(); "
    "importlib.import_module(sys.argv[1]); "
    "print(json.dumps([before, gc.get_freeze_count(), gc.get_threshold()]))"
)


@pytest.mark.parametrize("module", ["cplatform.wsgi", "cplatform.asgi"])
def test_loading_the_served_application_freezes_start_up_objects_and_sets_thresholds(module):
    def load(settings_module):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
        done = subprocess.run(
            [sys.executable, "-c", PROBE, module],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    # As served (the dev settings; production's need its environment): tuned.
    before, frozen, thresholds = load("cplatform.settings.dev")
    assert before == 0
    assert frozen > 100_000  # Django, Wagtail and the apps, loaded
    assert tuple(thresholds) == GC_THRESHOLDS
    # The suite's processes import the entry points between tests: left as Python has it.
    _before, frozen, thresholds = load("cplatform.settings.test")
    assert frozen == 0
    assert tuple(thresholds) == gc.get_threshold() != GC_THRESHOLDS
