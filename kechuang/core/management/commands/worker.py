"""`kechuang worker`: django-tasks' database worker, marked alive, recovering lost workers' tasks.

Same options as `db_worker` (queues, interval, batch, max tasks). Before it takes its first
task, and every RECOVER_SECONDS while it runs, it requeues the running tasks of workers that
are gone (kechuang.core.workers, docs/deployment.md#task-workers). Run two or more for a
province: `kechuang serve --task-workers 2`, or one `kechuang worker` per service unit.
"""

from __future__ import annotations

import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from kechuang.core.workers import RECOVER_SECONDS, Liveness, new_worker_id, recover_lost_tasks


class Command(DbWorkerCommand):
    help = "Run a background-task worker (requeues the tasks of workers that were lost)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)
        parser.add_argument(
            "--recover-every",
            type=float,
            default=RECOVER_SECONDS,
            help="seconds between looks for the tasks of lost workers (default %(default)s)",
        )

    def handle(self, *args, worker_id=None, recover_every=RECOVER_SECONDS, **options):
        worker_id = worker_id or new_worker_id()
        liveness = Liveness(worker_id)
        liveness.hold()
        recover_lost_tasks()
        stop = threading.Event()

        def recover_periodically() -> None:
            while not stop.wait(recover_every):
                try:
                    recover_lost_tasks()
                finally:
                    close_old_connections()

        thread = threading.Thread(target=recover_periodically, daemon=True)
        thread.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            liveness.release()
