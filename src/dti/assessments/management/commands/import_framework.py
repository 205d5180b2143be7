from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dti.assessments.actions.frameworks import framework_text_of_file, import_framework
from dti.engine import DtiError


class Command(BaseCommand):
    help = ("Nhập một tệp bộ chỉ số (YAML) hoặc bảng phụ lục (XLSX); tệp đã sửa của một bộ chỉ số đã có "
            "thành phiên bản mới.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            version, new = import_framework(framework_text_of_file(file), file.name)
        except OSError as exc:
            raise CommandError(f"Không đọc được {file}: {exc}") from None
        except DtiError as exc:
            raise CommandError(str(exc)) from None
        state = "đã nhập" if new else "đã có sẵn"
        self.stdout.write(f"{version.name}: phiên bản {version.version} ({state}), mã {version.code}, id {version.pk}")
