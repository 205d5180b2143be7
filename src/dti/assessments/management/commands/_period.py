from django.core.management.base import CommandError

from dti.assessments.models import Period


def add_period_argument(parser):
    parser.add_argument("--period", required=True, help="id of the period, or its year when only one period has it")


def find_period(value: str) -> Period:
    if value.isdigit() and Period.objects.filter(pk=int(value)).exists():
        return Period.objects.get(pk=int(value))
    matches = Period.objects.filter(year=int(value)) if value.isdigit() else Period.objects.none()
    if matches.count() == 1:
        return matches.get()
    known = ", ".join(f"{p.pk} ({p.year}: {p.name})" for p in Period.objects.all()) or "chưa có"
    raise CommandError(f"Không tìm thấy đúng một kỳ đánh giá '{value}'. Các kỳ đánh giá: {known}")
