"""`backfile worker`: run the background jobs the desk queues (its ingests), until stopped.

`backfile serve` starts one beside the server (unless `--no-worker`); run this on its own
where the server runs elsewhere, or under a process manager of its own. It is django-q2's
cluster, with the database as its queue. Starting, it marks stopped the ingests a worker
that is gone left running (their heartbeat long silent: backfile.desk.jobs.Heartbeat).
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from backfile.desk.jobs import abandon_orphans


class Command(BaseCommand):
    help = "Run the desk's background jobs (ingests started from the desk) until stopped."

    def handle(self, *args, **options):
        abandoned = abandon_orphans()
        if abandoned:
            self.stdout.write(
                f"{abandoned} ingest(s) left running by a stopped worker: marked stopped"
            )
        self.stdout.write("Backfile worker: running the desk's background jobs (Ctrl-C stops)")
        self.stdout.flush()
        call_command("qcluster")
