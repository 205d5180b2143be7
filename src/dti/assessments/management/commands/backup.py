from pathlib import Path

from django.core.management.base import BaseCommand

from dti.assessments.operations.backup import write_backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp minh chứng vào một tệp zip."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path)

    def handle(self, *args, output: Path, **options):
        manifest = write_backup(output)
        self.stdout.write(f"Đã sao lưu {len(manifest['members'])} thành phần vào {output}")
