from django.core.management.base import BaseCommand, CommandError

from dti.assessments.management.commands._period import find_period
from dti.assessments.models import PublishedSnapshot
from dti.assessments.queries.verification import verify_snapshot


class Command(BaseCommand):
    help = ("Kiểm tra một bản công bố: SHA-256 của nó, kết quả tính lại từ bộ chỉ số và số liệu đã lưu, và số liệu "
            "trong cơ sở dữ liệu so với bản công bố.")

    def add_arguments(self, parser):
        parser.add_argument("snapshot",
                            help="SHA-256 của bản công bố (ít nhất 8 ký tự đầu), hoặc id/năm của kỳ đánh giá")

    def handle(self, *args, snapshot: str, **options):
        found = self._snapshot(snapshot.strip().lower())
        check = verify_snapshot(found)
        period = found.period
        self.stdout.write(f"{period.name} — bản công bố {found.sha256}")
        for ok, text in ((check.hash_matches, "SHA-256 khớp với bộ chỉ số, số liệu và kết quả đã lưu"),
                         (check.recomputed_matches,
                          "tính lại từ bộ chỉ số và số liệu đã lưu cho đúng kết quả đã công bố"),
                         (check.database_matches, "số liệu trong cơ sở dữ liệu vẫn đúng như khi công bố")):
            self.stdout.write(f"  [{'đạt' if ok else 'KHÔNG ĐẠT'}] {text}")
        for problem in check.problems:
            self.stdout.write(f"    - {problem}")
        if not check.ok:
            raise CommandError("Bản công bố không qua kiểm tra.")
        self.stdout.write("Bản công bố qua mọi kiểm tra.")

    def _snapshot(self, value: str) -> PublishedSnapshot:
        if len(value) >= 8 and all(c in "0123456789abcdef" for c in value):
            matches = PublishedSnapshot.objects.filter(sha256__startswith=value)
            if matches.count() == 1:
                return matches.select_related("period").get()
        if value.isdigit():
            period = find_period(value)
            snapshot = PublishedSnapshot.objects.filter(period=period).select_related("period").first()
            if snapshot:
                return snapshot
            raise CommandError(f"Kỳ đánh giá '{period.name}' chưa công bố.")
        raise CommandError(f"Không tìm thấy bản công bố '{value}'.")
