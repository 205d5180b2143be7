"""The ``dti`` command. ``dti score`` needs no database: a framework file and a results file suffice."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dti import __version__

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _score(args: argparse.Namespace) -> int:
    from dti.documents.frameworks import load_framework
    from dti.documents.results import load_results
    from dti.documents.score_output import to_csv, to_json, to_table
    from dti.engine import score_framework

    framework = load_framework(args.framework)
    results = load_results(args.data, framework)
    scored = score_framework(framework, results.groups)
    render = {"json": to_json, "csv": to_csv, "table": to_table}[args.format]
    sys.stdout.write(render(scored))
    for warning in scored.warnings:
        if args.format != "table":
            print(f"Cảnh báo: {warning}", file=sys.stderr)
    return 0


def _demo(args: argparse.Namespace) -> int:
    args.framework = PROJECT_ROOT / "frameworks" / "bacninh-2023.yaml"
    args.data = PROJECT_ROOT / "data" / "bacninh-2023.csv"
    args.format = "table"
    return _score(args)


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
    demo = commands.add_parser("demo", help="in bảng kết quả Bắc Ninh 2023 tính từ dữ liệu đi kèm")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    from dti.engine import DtiError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DtiError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `dti score … | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
