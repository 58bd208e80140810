"""The email outbox with a real worker: `manage.py qcluster` in its own process against this test's
database, delivering with Django's file backend into a directory this test reads
(tests/outbox_delivery.py; settings/test.py switches to it when OUTBOX_TEST_MAIL_DIR is set).

- with the worker stopped, 50 events each send an email (and each email's task is queued a second
  time, as a task run twice): started, it sends 50 emails, each once;
- killed (SIGKILL, the whole process group) while a message is in flight, then started again: the
  sweep sends what the dead worker held, every email goes exactly once.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core.mail import send_mail
from django.db import connection, transaction
from django_q.conf import Conf
from django_q.models import OrmQ, Success
from django_q.tasks import async_task

from cplatform.models import OutboundEmail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def database_url() -> str:
    """This test's database (under pytest it is the test database, suffixed per xdist worker)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )


class Worker:
    def __init__(self, mail_dir: Path, log: Path):
        self.mail_dir, self.log, self.process = mail_dir, log, None

    def start(self, *, workers: int = 2, delay: float = 0.0) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cplatform.settings.test",
            "DATABASE_URL": database_url(),
            "OUTBOX_TEST_MAIL_DIR": str(self.mail_dir),
            "OUTBOX_TEST_DELAY": str(delay),
            "Q_WORKERS": str(workers),
            "LOG_LEVEL": "WARNING",
        }
        with self.log.open("ab") as out:
            # A session of its own: a signal to the group reaches the sentinel, pusher, workers
            # and monitor, and nothing else.
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self.process = None

    def delivered(self) -> list[str]:
        """The subjects of the messages written, one per message."""
        subjects = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for raw in path.read_bytes().split(SEPARATOR):
                if raw.strip():
                    subjects.append(message_from_bytes(raw)["Subject"])
        return subjects

    def in_flight(self) -> int:
        """Messages handed to the delivery backend and not written yet."""
        return len(list(self.mail_dir.glob("*.sending"))) - len(self.delivered())

    def wait_for(self, condition, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process is None or self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"{what}; worker log:\n{self.log.read_text()}"
            time.sleep(0.05)


@pytest.fixture
def worker(tmp_path, clock, monkeypatch, settings):
    # The worker runs on the real clock: so does this test (TEST_NOW may be any instant), or the
    # rows and queued tasks it writes would not be due for the worker yet.
    if time_machine.escape_hatch.is_travelling():
        clock.move_to(datetime.fromtimestamp(time_machine.escape_hatch.time.time(), UTC))
    # This process queues tasks like the web process (the suite otherwise runs them inline).
    monkeypatch.setattr(Conf, "SYNC", False)
    # The sender sets when the sweep may take a row over: at once here (else a minute from now).
    settings.EMAIL_OUTBOX_GRACE_SECONDS = 0
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    started = Worker(mail_dir, tmp_path / "qcluster.log")
    yield started
    if started.process is not None:  # before the database is flushed; no need to be gentle
        started.kill()


def events(count: int) -> list[int]:
    """`count` events, each a transaction that sends an email, as a service does."""
    for number in range(count):
        with transaction.atomic():
            send_mail(f"Event {number}", "Something happened", None, [f"p{number}@example.com"])
    return list(OutboundEmail.objects.order_by("pk").values_list("pk", flat=True))


def sent_count() -> int:
    return OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()


def test_fifty_emails_made_while_the_worker_is_down_are_each_sent_once_when_it_starts(worker):
    ids = events(50)
    for email_id in ids:  # every send task runs twice
        async_task("cplatform.tasks.email_send", email_id)
    assert OrmQ.objects.count() == 100
    assert worker.delivered() == [] and sent_count() == 0  # down: nothing sent, nothing lost

    worker.start(workers=2)
    worker.wait_for(lambda: sent_count() == 50 and len(worker.delivered()) == 50, "50 sent")
    worker.wait_for(lambda: not OrmQ.objects.exists(), "every queued task done")
    time.sleep(0.5)

    assert Counter(worker.delivered()) == {f"Event {n}": 1 for n in range(50)}
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 1)}
    # 100 send tasks ran (one per row sent, one found it sent), all succeeded.
    sends = Success.objects.filter(func="cplatform.tasks.email_send")
    assert Counter(sends.values_list("result", flat=True)) == {True: 50, False: 50}


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(worker):
    events(20)

    # A slow mail server (a second per message): the kill lands while one is being sent, not in
    # the instant between the server's acceptance and the commit (that one message would go twice,
    # see cplatform/mail.py).
    worker.start(workers=1, delay=1.0)
    worker.wait_for(lambda: len(worker.delivered()) >= 2 and worker.in_flight() > 0, "mid-batch")
    worker.kill()

    delivered_before = worker.delivered()
    assert 2 <= len(delivered_before) < 20
    statuses = Counter(OutboundEmail.objects.values_list("status", flat=True))
    # The message in flight was not marked sent (its transaction died with the worker): pending.
    assert statuses == {"sent": len(delivered_before), "pending": 20 - len(delivered_before)}

    worker.start(workers=2)
    worker.wait_for(lambda: sent_count() == 20 and len(worker.delivered()) == 20, "20 sent")
    time.sleep(1)

    assert Counter(worker.delivered()) == {f"Event {n}": 1 for n in range(20)}
    # The dead worker's queued tasks are locked for Q_CLUSTER["retry"] seconds: the sweep (queued
    # when the new worker processes started) sent those rows.
    swept = Success.objects.filter(func="cplatform.tasks.email_sweep")
    assert sum(swept.values_list("result", flat=True)) >= 1
