#!/usr/bin/env bash
# Render the documents of Bắc Ninh 2023 to PNG under docs/samples/, so a reader sees what officials get:
# every page of the decision (with its appendices) and the report of one unit. Needs pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/dti export-decision -f frameworks/bacninh-2023.yaml -d data/bacninh-2023.csv \
  -s data/bacninh-2023-decision.yaml -o "$out"
mkdir -p docs/samples
rm -f docs/samples/*.png
pdftoppm -r 80 -png "$out/quyet-dinh.pdf" docs/samples/quyet-dinh
pdftoppm -r 80 -png "$out/bao-cao-don-vi/so-khoa-hoc-va-cong-nghe.pdf" docs/samples/bao-cao-so-khoa-hoc-va-cong-nghe
ls -l docs/samples
