"""The ``dti`` command. ``dti score`` needs no database: a framework file and a results file suffice."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from dti import __version__

# Commands that need the database run as Django management commands (hyphens become underscores).
DJANGO_COMMANDS = {
    "demo": "tạo cơ sở dữ liệu mẫu khi chưa có và chạy trang web trên 127.0.0.1 (--port N)",
    "import-framework": "nhập một tệp bộ chỉ số (YAML)",
    "import-results": "nhập tệp kết quả vào một kỳ đánh giá",
    "export-results": "xuất kết quả một kỳ đánh giá (CSV/JSON)",
    "send-reminders": "nhắc các đơn vị chưa nộp khi sắp hết hạn khai báo (--days N)",
    "deliver-mail": "gửi lại các thư chưa gửi được (chạy định kỳ, ví dụ mỗi 10 phút bằng cron)",
    "verify": "kiểm tra một bản công bố: SHA-256, tính lại kết quả, số liệu trong cơ sở dữ liệu",
    "backup": "sao lưu cơ sở dữ liệu và tệp minh chứng",
    "restore": "khôi phục từ một bản sao lưu",
    "worker": "tiến trình nền: làm các việc dài được yêu cầu trên trang (báo cáo của mọi đơn vị, …); "
              "--batch để dừng khi hết việc",
    "manage": "lệnh quản trị Django (migrate, createsuperuser, …)",
}


def run_django(argv: list[str]) -> int:
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.web.settings")
    command, rest = argv[0], argv[1:]
    if command == "demo":  # the demo's province publishes through its secretariat (the about page says so)
        os.environ.setdefault("DTI_PORTAL_PUBLISHER", "Sở Khoa học và Công nghệ tỉnh Bắc Ninh (dữ liệu trình diễn)")
    if command == "manage":
        execute_from_command_line(["dti", *rest])
    else:
        execute_from_command_line(["dti", command.replace("-", "_"), *rest])
    return 0


def _score(args: argparse.Namespace) -> int:
    from dti.documents.frameworks import load_framework
    from dti.documents.results import load_results
    from dti.documents.score_output import to_csv, to_json, to_table
    from dti.engine import score_framework
    from dti.engine.i18n import t

    framework = load_framework(args.framework)
    results = load_results(args.data, framework)
    scored = score_framework(framework, results.groups)
    render = {"json": to_json, "csv": to_csv, "table": to_table}[args.format]
    sys.stdout.write(render(scored))
    for warning in scored.warnings:
        if args.format != "table":
            print(t("Cảnh báo: {warning}", warning=warning), file=sys.stderr)
    return 0


def _framework_template(args: argparse.Namespace) -> int:
    from dti.documents.annex import write_annex
    from dti.documents.bounded_yaml import load_yaml
    from dti.documents.frameworks import load_framework
    from dti.engine.i18n import t

    data = None
    if args.framework:
        load_framework(args.framework)  # refuse a bad file with its own message before writing anything
        data = load_yaml(args.framework.read_text(encoding="utf-8"))
    write_annex(data, args.output)
    print(t("Đã ghi {path}", path=args.output))
    return 0


def _scored_with_settings(args: argparse.Namespace):
    from dti.documents.decision import draft_settings, load_decision_settings
    from dti.documents.frameworks import load_framework
    from dti.documents.results import load_results
    from dti.engine import score_framework

    framework = load_framework(args.framework)
    settings = load_decision_settings(args.settings) if args.settings else draft_settings(framework)
    return score_framework(framework, load_results(args.data, framework).groups), settings


def _export_appendix(args: argparse.Namespace) -> int:
    from dti.documents.appendix_xlsx import write_appendix_xlsx
    from dti.documents.decision import build_decision
    from dti.engine.i18n import t

    scored, settings = _scored_with_settings(args)
    write_appendix_xlsx(build_decision(settings, scored).appendices, args.output)
    print(t("Đã ghi {path}", path=args.output))
    return 0


def _export_decision(args: argparse.Namespace) -> int:
    from dti.documents.period_documents import write_period_documents
    from dti.engine.i18n import t

    scored, settings = _scored_with_settings(args)
    if not args.settings:
        print(t("Chưa có tệp thông tin quyết định (--settings): quyết định được ghi là bản dự thảo, chưa có số "
                "và ngày ký."), file=sys.stderr)
    year = settings.signed_on.year if settings.signed_on else scored.framework.year
    period = args.period or (t("Kỳ đánh giá năm {year}", year=year) if year else scored.framework.name)
    written = write_period_documents(scored, settings, args.output, period=period, draft=not args.settings,
                                     unit_reports=not args.no_unit_reports)
    print(t("Đã ghi {count} tệp vào {folder}", count=len(written), folder=args.output))
    return 0


def _analyse(args: argparse.Namespace) -> int:
    from dti.documents import analysis_output
    from dti.documents.frameworks import load_framework
    from dti.documents.results import load_results
    from dti.engine import score_framework
    from dti.engine.analysis import analyse_group
    from dti.engine.i18n import t
    from dti.engine.uncertainty import UncertaintySettings

    framework = load_framework(args.framework)
    scored = score_framework(framework, load_results(args.data, framework).groups)
    groups = [g for g in scored.groups if args.group in (None, g.group.code)]
    if not groups:
        known = ", ".join(g.group.code for g in scored.groups)
        print(t("Không có khối '{group}' (có: {known})", group=args.group, known=known), file=sys.stderr)
        return 2
    try:
        settings = UncertaintySettings(args.samples, args.tolerance, args.mode, args.weights, args.seed)
    except ValueError as exc:
        print(t("Tham số không hợp lệ: {exc}", exc=exc), file=sys.stderr)
        return 2
    analyses = [analyse_group(g, settings, args.margin, args.least_probability) for g in groups]
    if args.unit:
        for analysis in analyses:
            names = [u.name for u in analysis.result.units]
            if args.unit in names:
                sys.stdout.write(analysis_output.unit_table(analysis, names.index(args.unit)) + "\n")
                return 0
        print(t("Không có đơn vị '{unit}'", unit=args.unit), file=sys.stderr)
        return 2
    render = analysis_output.to_json if args.format == "json" else analysis_output.to_table
    sys.stdout.write(render(analyses))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dti", description="Đánh giá chỉ số chuyển đổi số (DTI).")
    parser.add_argument("--version", action="version", version=f"dti {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    score = commands.add_parser("score", help="chấm điểm, xếp hạng, xếp loại một tệp kết quả theo một bộ chỉ số",
                                description="Chấm điểm một tệp kết quả (CSV/XLSX) theo bộ chỉ số (YAML); "
                                            "không cần cơ sở dữ liệu.")
    score.add_argument("--framework", "-f", required=True, type=Path, help="tệp bộ chỉ số (YAML)")
    score.add_argument("--data", "-d", required=True, type=Path, help="tệp kết quả (CSV hoặc XLSX)")
    score.add_argument("--format", choices=("table", "csv", "json"), default="table", help="định dạng in ra")
    score.set_defaults(run=_score)
    analyse = commands.add_parser(
        "analyse", help="phân tích kết quả: khoảng thứ hạng, xếp loại dễ thay đổi, khoảng cách, độ chính xác khai "
                        "báo, độ nhạy",
        description="Phân tích một tệp kết quả theo bộ chỉ số; không cần cơ sở dữ liệu.")
    analyse.add_argument("--framework", "-f", required=True, type=Path, help="tệp bộ chỉ số (YAML)")
    analyse.add_argument("--data", "-d", required=True, type=Path, help="tệp kết quả (CSV hoặc XLSX)")
    analyse.add_argument("--group", "-g", help="chỉ phân tích khối có mã này")
    analyse.add_argument("--unit", "-u", help="in chi tiết một đơn vị (tên như trong tệp kết quả)")
    analyse.add_argument("--samples", type=int, default=10_000, help="số mẫu Monte Carlo (mặc định 10000)")
    analyse.add_argument("--tolerance", type=Decimal, default=Decimal("0.02"),
                         help="dung sai của người rà soát, tỷ lệ điểm tối đa mỗi chỉ số (mặc định 0.02)")
    analyse.add_argument("--mode", choices=("share", "gap"), default="share",
                         help="share: ± dung sai; gap: bất kỳ đâu giữa điểm rà soát và điểm khai báo")
    analyse.add_argument("--weights", type=Decimal, default=Decimal("0.1"),
                         help="dao động trọng số mỗi chỉ số chính, ×(1 ± giá trị này) (mặc định 0.1)")
    analyse.add_argument("--seed", type=int, default=0, help="hạt giống ngẫu nhiên (cùng hạt giống, cùng kết quả)")
    analyse.add_argument("--margin", type=Decimal, default=Decimal(5),
                         help="xếp loại dễ thay đổi: cách ranh giới không quá số điểm này (mặc định 5)")
    analyse.add_argument("--least-probability", type=float, default=0.9,
                         help="xếp loại dễ thay đổi: xác suất giữ xếp loại dưới mức này (mặc định 0.9)")
    analyse.add_argument("--format", choices=("table", "json"), default="table", help="định dạng in ra")
    analyse.set_defaults(run=_analyse)
    template = commands.add_parser("framework-template",
                                   help="ghi bảng phụ lục bộ chỉ số (XLSX): mẫu trống, hoặc một bộ chỉ số có sẵn")
    template.add_argument("output", type=Path, help="tệp XLSX ghi ra")
    template.add_argument("--framework", "-f", type=Path, help="tệp bộ chỉ số (YAML) cần ghi thành bảng phụ lục")
    template.set_defaults(run=_framework_template)
    appendix = commands.add_parser("export-appendix",
                                   help="ghi các bảng phụ lục kết quả ra tệp XLSX (không cần cơ sở dữ liệu)")
    appendix.add_argument("--framework", "-f", required=True, type=Path, help="tệp bộ chỉ số (YAML)")
    appendix.add_argument("--data", "-d", required=True, type=Path, help="tệp kết quả (CSV hoặc XLSX)")
    appendix.add_argument("--output", "-o", required=True, type=Path, help="tệp XLSX ghi ra")
    appendix.add_argument("--settings", "-s", type=Path, help="tệp thông tin quyết định (YAML), cho tiêu đề phụ lục")
    appendix.set_defaults(run=_export_appendix)
    decision = commands.add_parser(
        "export-decision", help="ghi quyết định, phụ lục, dữ liệu mở và báo cáo từng đơn vị (không cần cơ sở dữ liệu)",
        description="Ghi vào một thư mục: quyết định (DOCX, PDF), phụ lục (XLSX, DOCX, PDF), dữ liệu mở (CSV, JSON, "
                    "từ điển dữ liệu) và báo cáo của từng đơn vị (PDF, DOCX).")
    decision.add_argument("--framework", "-f", required=True, type=Path, help="tệp bộ chỉ số (YAML)")
    decision.add_argument("--data", "-d", required=True, type=Path, help="tệp kết quả (CSV hoặc XLSX)")
    decision.add_argument("--settings", "-s", type=Path,
                          help="tệp thông tin quyết định (YAML: cơ quan ban hành, số, ngày, căn cứ, người ký); "
                               "không có thì ghi bản dự thảo")
    decision.add_argument("--output", "-o", type=Path, default=Path("van-ban"),
                          help="thư mục ghi ra (mặc định: van-ban)")
    decision.add_argument("--period", help="tên kỳ đánh giá trên báo cáo đơn vị (mặc định: Kỳ đánh giá năm …)")
    decision.add_argument("--no-unit-reports", action="store_true", help="không ghi báo cáo từng đơn vị")
    decision.set_defaults(run=_export_decision)
    for name, text in DJANGO_COMMANDS.items():
        commands.add_parser(name, help=text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    from dti.engine import DtiError
    from dti.engine.i18n import t

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in DJANGO_COMMANDS:
        return run_django(argv)
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DtiError as exc:
        print(t("Lỗi: {error}", error=exc), file=sys.stderr)
        return 2
    except BrokenPipeError:  # `dti score … | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
