from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dti.assessments.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và các tệp minh chứng từ một bản sao lưu (thay thế dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("--yes", action="store_true", help="không hỏi lại")

    def handle(self, *args, input: Path, yes: bool, **options):
        if not yes and input.exists():
            answer = input_prompt("Mọi dữ liệu hiện có sẽ bị thay thế. Tiếp tục? [y/N] ")
            if answer.strip().lower() not in ("y", "yes", "c", "có"):
                raise CommandError("Đã hủy.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            restore_backup(input)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã khôi phục từ {input}")


def input_prompt(text: str) -> str:
    return input(text)
