"""One SMTP connection per worker process, and what an SMTP failure means in plain words.

Celery's prefork pool runs one task at a time in each process, so a module-level connection is never shared
by two sends at once. Reconnecting for every message cost most of a send.
"""

import contextlib
import smtplib
import time

from django.core.mail import get_connection
from django.utils.translation import gettext as _

# Servers may close a connection idle for 5 minutes (RFC 5321); replace ours well before, so a connection the
# server already dropped never costs a reminder an attempt.
SMTP_IDLE_SECONDS = 60

_smtp = None
_smtp_used_at = 0.0


def send_over_shared_connection(message):
    """Send message over this process's SMTP connection, opening one when there is none."""
    global _smtp, _smtp_used_at
    if _smtp is not None and time.monotonic() - _smtp_used_at > SMTP_IDLE_SECONDS:
        close_shared_connection()
    if _smtp is None:
        connection = get_connection()
        connection.open()  # opened here, so send() leaves it open afterwards
        _smtp = connection
    message.connection = _smtp
    try:
        message.send()
    except Exception:
        # The connection may be dead or stuck mid-conversation: never reuse it.
        close_shared_connection()
        raise
    _smtp_used_at = time.monotonic()


def close_shared_connection():
    """Close and forget this process's SMTP connection, if any; the next send opens a new one."""
    global _smtp
    connection, _smtp = _smtp, None
    # QUIT on a broken connection can fail; the connection is gone either way.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        if connection is not None:
            connection.close()


def smtp_code(exc):
    """Return the SMTP reply code behind exc, or None when the server never answered."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return min(code for code, _message in exc.recipients.values())
    return getattr(exc, "smtp_code", None)


def _text(reply):
    return (reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)).strip()


def readable_error(exc):
    """Return what went wrong in a sentence staff can read: the server's reply, or why there was none."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items())
        return _("The mail server refused the recipient (%(refusals)s).") % {"refusals": refusals}
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = {"code": exc.smtp_code, "reply": _text(exc.smtp_error)}
        return _("The mail server answered %(code)s %(reply)s.") % reply
    if isinstance(exc, TimeoutError):
        return _("The mail server did not answer in time.")
    if isinstance(exc, OSError) and exc.strerror:
        return _("Could not reach the mail server: %(reason)s.") % {"reason": exc.strerror}
    return _("The mail server connection failed: %(reason)s.") % {"reason": str(exc) or type(exc).__name__}
