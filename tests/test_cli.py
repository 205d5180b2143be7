"""dti score and dti demo, as a user runs them."""

import csv
import io
import json
import subprocess
import sys

from dti.cli import main

from .conftest import BACNINH_DATA, BACNINH_FRAMEWORK


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_table_is_aligned_and_readable(capsys):
    code, out, _ = run(capsys, "score", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA))
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("STT  Đơn vị") and "KB.HDXHS" not in line)
    row = next(line for line in lines if line.startswith("9    Sở Khoa học và Công nghệ"))
    assert row.endswith("734.82     9  Khá")
    average = next(line for line in lines if "Điểm trung bình" in line and "619.82" in line)
    assert average.rstrip().endswith("601.80")
    # Columns line up: the total column ends at the same place in the header and every row.
    total_end = header.index("RS.Tổng") + len("RS.Tổng")
    assert row[:total_end].endswith("734.82")


def test_csv_is_exact_and_has_one_row_per_unit_and_average(capsys):
    _, out, _ = run(capsys, "score", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 17 + 1 + 8 + 1
    average = next(r for r in rows if r["group"] == "huyen" and r["unit"] == "Điểm trung bình")
    assert average["declared.total"] == "619.815"
    assert rows[0]["rank"] == "1" and rows[0]["grade"] == "Xuất sắc"


def test_json_follows_the_documented_shape(capsys):
    _, out, _ = run(capsys, "score", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "--format", "json")
    document = json.loads(out)
    group = document["groups"][1]
    assert set(group) >= {"code", "name", "pillars", "units", "average"}
    unit = group["units"][0]
    assert set(unit) == {"name", "ranked", "declared", "reviewed", "rank", "grade"}
    assert set(unit["reviewed"]) >= {"pillars", "total", "index", "composites"}
    assert unit["reviewed"]["index"] == "0.80425"
    assert group["pillars"][0] == {"code": "NTS", "name": "Nhận thức số", "max_points": "100"}


def test_a_bad_framework_file_is_one_clear_line_and_exit_code_2(capsys, tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("code: x\nname: x\nsource: x\ngroups: 3\n", encoding="utf-8")
    code, out, err = run(capsys, "score", "-f", str(bad), "-d", str(BACNINH_DATA))
    assert code == 2 and out == ""
    assert err == "Lỗi: x.yaml, gốc tệp: 'groups' phải là một danh sách, gặp int\n"


def test_the_console_script_scores_without_a_database(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DTI_DATA_DIR": str(tmp_path / "none")}
    completed = subprocess.run([sys.executable, "-m", "dti.cli", "score", "-f", str(BACNINH_FRAMEWORK),
                                "-d", str(BACNINH_DATA)], capture_output=True, text=True, check=True, env=env)
    assert not (tmp_path / "none").exists()  # no database, no data folder
    assert "UBND Thị xã Quế Võ" in completed.stdout and "619.82" in completed.stdout


def test_analyse_flags_ranks_9_and_10_for_a_second_review_and_says_what_each_unit_lacks(capsys):
    code, out, _ = run(capsys, "analyse", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "-g", "so-nganh",
                       "--samples", "2000", "--seed", "2023")
    assert code == 0
    fragile = out.split("Xếp loại dễ thay đổi")[1].split("\n\n")[0]
    lines = fragile.splitlines()[3:]
    assert lines[0].split()[:8] == ["Sở", "Khoa", "học", "và", "Công", "nghệ", "9", "Khá"]
    assert "Trung bình" in lines[0] and "2.18" in lines[0]
    assert lines[1].startswith("Sở Công thương") and "2.18" in lines[1]
    gaps = next(line for line in out.splitlines() if line.startswith("Sở Khoa học và Công nghệ") and "→ Tốt" in line)
    assert "13.01 → Tốt" in gaps and "1.00 → hạng 8" in gaps
    assert "Sở Thông tin và truyền thông" in out.split("Độ chính xác của khai báo")[1].splitlines()[3]


def test_analyse_json_is_reproducible_with_a_seed_and_different_without_the_same_one(capsys):
    args = ("analyse", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "--samples", "500", "--format", "json")
    first, again = run(capsys, *args, "--seed", "1")[1], run(capsys, *args, "--seed", "1")[1]
    other = run(capsys, *args, "--seed", "2")[1]
    assert first == again and first != other
    groups = json.loads(first)["groups"]
    assert [g["code"] for g in groups] == ["so-nganh", "huyen"]
    leader = groups[0]["units"][0]
    assert (leader["name"], leader["rank_interval"], leader["grade_probability"]["Xuất sắc"]) == (
        "Sở Thông tin và truyền thông", [1, 1], 1.0)
    knowledge = next(u for u in groups[0]["units"] if u["name"] == "Sở Khoa học và Công nghệ")
    assert knowledge["declaration"]["difference"] == "241.24"
    assert knowledge["next_grade"] == {"grade": "Tốt", "points": "13.01", "strict": False}


def test_analyse_one_unit_lists_every_shortfall_and_refuses_unknown_names(capsys):
    code, out, _ = run(capsys, "analyse", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA),
                       "--samples", "200", "--unit", "Sở Công thương")
    assert code == 0
    assert "Sở Công thương: 732.64 điểm, hạng 10, Trung bình" in out
    assert "NTS" in out and "Nhận thức số" in out
    code, _, err = run(capsys, "analyse", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "--unit", "Sở Mới")
    assert code == 2 and "Sở Mới" in err
    code, _, err = run(capsys, "analyse", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "--tolerance", "3")
    assert code == 2 and "không hợp lệ" in err
