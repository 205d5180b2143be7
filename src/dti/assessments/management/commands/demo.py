import subprocess  # nosec B404 - starts our own worker, nothing from input
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dti.assessments.operations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_loaded, load_demo
from dti.assessments.operations.demo_today import TODAY_ACCOUNTS, load_today, today_loaded

WORKER = "import sys; from dti.cli import main; sys.exit(main(['worker']))"


class Command(BaseCommand):
    help = ("Create the demo database when missing (Bắc Ninh 2023 published, 2024 open, and the merged province's "
            "2026 period part-way through review) and serve it.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and stop")

    def handle(self, *args, port, no_serve, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        # Static files under hashed names, kept by browsers for good (dti.web.static_files); unchanged files are
        # skipped on the next run.
        call_command("collectstatic", interactive=False, verbosity=0)
        if not demo_loaded():
            self.stdout.write("Đang tạo dữ liệu mẫu (Bắc Ninh 2023, kỳ đánh giá 2024)…")
            load_demo()
        if not today_loaded():
            self.stdout.write("Đang tạo kỳ đánh giá mẫu 2026 của tỉnh Bắc Ninh sau hợp nhất (99 xã, phường)…")
            load_today()
        self.stdout.write(f"Cơ sở dữ liệu: {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, full_name, unit in DEMO_ACCOUNTS + TODAY_ACCOUNTS:
            self.stdout.write(f"  {username:<15} {role.label:<32} {full_name}" + (f" — {unit}" if unit else ""))
        if no_serve:
            return
        self.stdout.write(f"Mở http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
        # The background worker beside the server, as production runs `dti worker` beside gunicorn.
        worker = subprocess.Popen([sys.executable, "-c", WORKER])  # noqa: S603  # nosec B603 - our own interpreter and code
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
