"""Benchmark: one sweep of N due reminders through a real Celery worker to an aiosmtpd sink, against a plain
smtplib loop sending the same messages to the same sink.

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://.../5 python -m bench.reminders [--count 10000]

It creates and drops its own throwaway database (test_<name>), so the data in DATABASE_URL is untouched.
It prints emails per second and peak memory for both, and writes the ratio into docs/benchmarks.md.
"""

import argparse
import datetime
import logging
import os
import re
import resource
import smtplib
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench.reminders:start -->", "<!-- bench.reminders:end -->"


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        sys.exit("bench.reminders needs DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://...")
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def seed(count):
    """Create count open deadlines due today, each with one reminder due now."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cases.models import Case, Deadline, ReminderDelivery
    from cases.reminders import new_message_id

    user = get_user_model().objects.create_user("bench", email="bench@example.org")
    case = Case.objects.create(title="Benchmark case", country="RU")
    today, now = timezone.localdate(), timezone.now() - datetime.timedelta(minutes=1)
    deadlines = Deadline.objects.bulk_create(
        Deadline(case=case, title=f"Deadline {n}", kind="other", due_on=today, reminder_offsets=[0])
        for n in range(count)
    )
    ReminderDelivery.objects.bulk_create(
        ReminderDelivery(deadline=d, recipient=user, offset_days=0, send_at=now, message_id=new_message_id())
        for d in deadlines
    )


def peak_rss_kib(pgid):
    """Return the summed peak resident memory (VmHWM) of every process in a process group."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                status = (stat.parent / "status").read_text()
                total += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
        except (OSError, AttributeError, IndexError):
            continue  # a process that ended meanwhile
    return total


def run_worker_sweep(count, smtp_url, concurrency):
    from django.db import connection

    from cases.models import ReminderDelivery
    from tests.worker import WorkerProcess, database_url

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": smtp_url,
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    worker = WorkerProcess(env, concurrency).wait_ready()
    try:
        started = time.perf_counter()
        worker.call("cases.tasks.sweep_reminders")
        while ReminderDelivery.objects.filter(status="sent").count() < count:
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        memory = peak_rss_kib(worker.process.pid)
    finally:
        worker.stop()
        connection.close()
    return elapsed, memory


def run_smtplib_loop(host, port):
    """Send the very same messages (rendered beforehand) over one plain smtplib connection."""
    from cases.models import ReminderDelivery
    from cases.reminders import reminder_email

    rows = ReminderDelivery.objects.select_related("deadline__case", "deadline__proceeding__court", "recipient")
    messages = [(m.from_email, m.to, m.message().as_bytes(linesep="\r\n")) for m in map(reminder_email, rows)]
    started = time.perf_counter()
    with smtplib.SMTP(host, port) as smtp:
        for sender, to, body in messages:
            smtp.sendmail(sender, to, body)
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def write_doc(text):
    DOC.parent.mkdir(exist_ok=True)
    current = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"{START}\n{text}\n{END}"
    if START in current:
        current = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, current, flags=re.S)
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(current)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=int(os.environ.get("BENCH_REMINDERS", 10_000)))
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    args = parser.parse_args(argv)

    old_name = setup()
    from django.db import connection

    from tests.smtp import SMTPServer

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    sink = SMTPServer()
    sink.up()
    try:
        seed(args.count)
        worker_seconds, worker_kib = run_worker_sweep(args.count, sink.url, args.concurrency)
        assert len(set(sink.message_ids())) == len(sink.messages) == args.count, "lost or duplicated emails"
        loop_seconds, loop_kib = run_smtplib_loop("127.0.0.1", sink.port)
    finally:
        sink.down()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    worker_rate, loop_rate = args.count / worker_seconds, args.count / loop_seconds
    text = "\n".join(
        [
            "## Reminder sweep (`python -m bench.reminders`)",
            "",
            f"{args.count} due reminders, one sweep, a `celery worker --concurrency={args.concurrency}` on Redis and",
            "PostgreSQL, sending to an aiosmtpd sink on loopback; against a plain `smtplib` loop sending the same",
            f"pre-rendered messages over one connection. Measured on {datetime.date.today()}, {os.cpu_count()} CPU(s),",
            f"load average {os.getloadavg()[0]:.1f} at the end. "
            f"Command: `python -m bench.reminders --count {args.count} --concurrency {args.concurrency}`.",
            "",
            "| | emails/second | peak memory |",
            "|---|---:|---:|",
            f"| worker sweep (claim, lock, render, send, record) | {worker_rate:.0f} | {worker_kib / 1024:.0f} MiB"
            " (worker and pool processes) |",
            f"| plain smtplib loop | {loop_rate:.0f} | {loop_kib / 1024:.0f} MiB (whole process) |",
            "",
            f"Ratio (worker / plain loop): **{worker_rate / loop_rate:.2f}**. The worker pays for what the loop "
            "skips: a row lock and a committed state change per email (exactly-once bookkeeping), rendering in the "
            "recipient's language. Like the loop, each pool process keeps one SMTP connection open across sends.",
        ]
    )
    print(text)
    if not args.no_write:
        write_doc(text)


if __name__ == "__main__":
    main(sys.argv[1:])
