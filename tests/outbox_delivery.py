"""The delivery backend of the real worker in tests/test_outbox_worker.py: Django's file backend
(one file per message, another process can read it), which first leaves a `.sending` marker and
waits OUTBOX_TEST_DELAY seconds, as a mail server's latency, so the test can kill the worker while a
message is in flight."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        for _message in email_messages:
            (Path(self.file_path) / f"{uuid.uuid4().hex}.sending").touch()
        time.sleep(float(os.environ.get("OUTBOX_TEST_DELAY", "0")))
        return super().send_messages(email_messages)
