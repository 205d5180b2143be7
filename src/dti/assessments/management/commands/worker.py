"""``dti worker``: the process that does the long work pages ask for (every unit's report of a period…), from
the tasks stored in the database. Django's task framework's own database worker, under the project's name."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = ("Do the long work asked for on the pages (every unit's report…), from the tasks stored in the database; "
            "--batch stops when none is left.")
