from django.core.management.base import BaseCommand

from dti.assessments.actions.notifications import deliver_waiting


class Command(BaseCommand):
    help = "Gửi lại các thư chưa gửi được (máy chủ thư lỗi lúc gửi); chạy định kỳ, ví dụ mỗi 10 phút bằng cron."

    def handle(self, *args, **options):
        sent, waiting = deliver_waiting()
        self.stdout.write(f"Đã gửi {sent} thư; còn {waiting} thư chưa gửi được")
