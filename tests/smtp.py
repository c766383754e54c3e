"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can be told to fail.

Use the `smtp_server` fixture (re-exported in conftest.py):

    smtp_server.messages          # email.message.Message objects the server accepted (answered 250)
    smtp_server.message_ids()     # their Message-ID headers, in order
    smtp_server.fail_with("451 4.3.0 Try later")           # every DATA gets this reply until recover()
    smtp_server.refuse("someone@example.org", "550 5.1.1 No such user")   # one recipient, at RCPT
    smtp_server.refuse_all("535 5.7.8 Authentication credentials invalid")  # every message, at MAIL FROM
    smtp_server.down() / smtp_server.up()                  # stop listening (connection refused) / listen again
    smtp_server.hold() / smtp_server.release()             # keep DATA waiting unanswered, then reject it
    smtp_server.url               # smtp://127.0.0.1:<port> for EMAIL_URL
"""

import asyncio
import email
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.data_reply = None
        self.refused = {}
        self.mail_reply = None
        self.holding = False
        self.held = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.holding:
            # A message the server never answered was never accepted: a real server would drop it.
            with self.lock:
                self.held += 1
            while self.holding:
                await asyncio.sleep(0.05)
            with self.lock:
                self.held -= 1
            return "421 4.3.0 Held message dropped"
        if self.data_reply:
            return self.data_reply
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def message_ids(self):
        return [message["Message-ID"] for message in self.messages]

    def up(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def fail_with(self, reply):
        self.handler.data_reply = reply

    def refuse(self, address, reply):
        self.handler.refused[address] = reply

    def refuse_all(self, reply):
        self.handler.mail_reply = reply

    def recover(self):
        self.handler.data_reply = self.handler.mail_reply = None
        self.handler.refused.clear()

    def hold(self):
        self.handler.holding = True

    def release(self):
        self.handler.holding = False

    def wait_held(self, count, timeout=30):
        """Wait until count clients are stuck waiting for the answer to their DATA."""
        deadline = time.monotonic() + timeout
        while self.handler.held < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {self.handler.held} held messages after {timeout}s")
            time.sleep(0.05)


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.up()
    yield server
    server.release()
    server.down()
