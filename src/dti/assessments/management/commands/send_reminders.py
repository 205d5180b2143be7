from django.core.management.base import BaseCommand

from dti.assessments.actions.notifications import remind_deadline
from dti.assessments.models import Period


class Command(BaseCommand):
    help = "Nhắc các đơn vị chưa nộp khi hạn khai báo còn N ngày (chạy hằng ngày, ví dụ bằng cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days: int, **options):
        for period in Period.objects.filter(state=Period.State.DECLARING):
            count = remind_deadline(period, days)
            self.stdout.write(f"{period.name}: đã nhắc {count} đơn vị")
