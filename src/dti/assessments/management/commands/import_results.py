from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dti.assessments.actions.imports import import_results
from dti.assessments.management.commands._period import add_period_argument, find_period
from dti.engine import DtiError


class Command(BaseCommand):
    help = "Nhập tệp kết quả (CSV/XLSX, theo chỉ số chính hoặc chỉ số thành phần) vào một kỳ đánh giá."

    def add_arguments(self, parser):
        add_period_argument(parser)
        parser.add_argument("file", type=Path)

    def handle(self, *args, period: str, file: Path, **options):
        target = find_period(period)
        try:
            results = import_results(target, file)
        except DtiError as exc:
            raise CommandError(f"Không nhập dữ liệu nào: {exc}") from None
        except ValidationError as exc:
            raise CommandError(f"Không nhập dữ liệu nào: {' '.join(exc.messages)}") from None
        for code, data in results.groups.items():
            self.stdout.write(f"{code}: {len(data.units)} đơn vị")
