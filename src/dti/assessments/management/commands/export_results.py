import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dti.assessments.management.commands._period import add_period_argument, find_period
from dti.assessments.queries.scores import period_results
from dti.documents.score_output import to_csv, to_json, to_table
from dti.engine import DtiError


class Command(BaseCommand):
    help = "Xuất kết quả của một kỳ đánh giá (CSV, JSON như dti score, hoặc bảng)."

    def add_arguments(self, parser):
        add_period_argument(parser)
        parser.add_argument("--format", choices=("csv", "json", "table"), default="csv")
        parser.add_argument("--output", "-o", type=Path, help="tệp ghi ra (mặc định: màn hình)")

    def handle(self, *args, period: str, format: str, output: Path | None, **options):
        target = find_period(period)
        try:
            text = {"csv": to_csv, "json": to_json, "table": to_table}[format](period_results(target))
        except DtiError as exc:
            raise CommandError(f"Chưa tính được kết quả: {exc}") from None
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"Đã ghi {output}")
        else:
            sys.stdout.write(text)
