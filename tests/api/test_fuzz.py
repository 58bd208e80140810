"""Schemathesis over /api/v1/openapi.json, in process: no server errors, no answer that contradicts
the schema, at least MIN_CASES generated cases in all."""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from authentication.choices import Role
from tests.authentication.factories import UserFactory
from tests.classroom.factories import listed_teacher
from tests.conftest import login_token

MIN_CASES = 300
# The operations are split into shards (every SHARDS-th operation), one test each, so the suite's
# parallel workers share the fuzzing instead of one worker running it all.
SHARDS = 4
EXAMPLES_PER_OPERATION = 25  # per operation and per mode (schema-valid, then schema-invalid input)

# Schema-valid input may still break a business rule the schema cannot express (an image smaller than
# 32 px, an unknown subject slug, inviting yourself): that is a documented 422/409, not a contradiction.
EXCLUDED_CHECKS = [positive_data_acceptance]


@contextmanager
def keep_db_connection():
    """The real WSGI handler closes the connection after each request, and the test's transaction
    lives on it: keep it open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(headers: dict, shard: int) -> tuple[int, list[str], int]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    results = list(schema.get_all_operations())
    invalid = [str(result.err()) for result in results if not hasattr(result, "ok")]
    assert not invalid, invalid
    operations = sorted((result.ok() for result in results), key=lambda op: op.label)
    operations = operations[shard::SHARDS]

    total = 0
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count, failure = _run_operation(operation, mode, headers)
            total += count
            if failure:
                failures.append(failure)
    return total, failures, len(operations)


def _run_operation(operation, mode, headers) -> tuple[int, str | None]:
    total = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal total
        total += 1
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has no schema-invalid input to generate.
        assert mode == GenerationMode.NEGATIVE, operation.label
        return total, None
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation at once
        return total, f"{operation.label} [{mode}]: {str(exc)[:1500]}"
    return total, None


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_answers_every_generated_request_within_its_schema(client, shard):
    # One person holding every role, so each operation's success path is reachable, plus data to find.
    everyone = UserFactory(
        roles=[Role.ADMIN, Role.STUDENT, Role.TEACHER, Role.PARENT], is_staff=True
    )
    for _ in range(3):
        listed_teacher()
    headers = {"X-Session-Token": login_token(client, everyone.email)}

    with keep_db_connection():
        total, failures, operation_count = fuzz(headers, shard)

    print(f"schemathesis shard {shard}: {total} cases over {operation_count} operations")
    assert operation_count >= 15 // SHARDS
    assert not failures, "\n\n".join(failures)
    assert total >= MIN_CASES // SHARDS
