#!/usr/bin/env bash
# Benchmark: the public portal under gunicorn (2 workers) on loopback, measured with wrk.
#
#   bash bench/http.sh            (needs wrk: apt-get install wrk)
#
# Target (BENCHMARKS.md): the ranking page of a group and a unit's profile each at >= 200 requests/s with
# p95 < 100 ms at 32 concurrent connections. The demo database is created in a temporary folder; the server
# stops when the script ends, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
PORT=${PORT:-8931}
DURATION=${DURATION:-20s}
data=$(mktemp -d)
export DTI_DATA_DIR="$data" DJANGO_SETTINGS_MODULE=dti.web.settings
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
.venv/bin/dti demo --no-serve >/dev/null
.venv/bin/python -m gunicorn dti.web.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile /dev/null --error-logfile "$data/gunicorn.log" &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.2; done
read -r period unit < <(.venv/bin/python - <<'PY'
import django
django.setup()
from dti.assessments.models import Participation, Period
period = Period.objects.get(state="published")
print(period.pk, Participation.objects.get(period=period, unit__name="Sở Khoa học và Công nghệ").pk)
PY
)
status=0
for path in "/ket-qua/$period/khoi/huyen/" "/ket-qua/$period/don-vi/$unit/"; do
  curl -sf "http://127.0.0.1:$PORT$path" >/dev/null  # warm both workers' caches
  curl -sf "http://127.0.0.1:$PORT$path" >/dev/null
  echo "== $path (32 connections, 2 threads, $DURATION)"
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -s bench/wrk-percentiles.lua "http://127.0.0.1:$PORT$path")
  echo "$out" | grep -E "Requests/sec|Non-2xx|Socket errors|p50|p95|p99"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p95=$(echo "$out" | awk '/^p95/ {print $2}')
  if awk -v r="$rps" -v p="$p95" 'BEGIN { exit !(r >= 200 && p < 100) }'; then echo "   target met"; else
    echo "   target NOT met (>= 200 req/s, p95 < 100 ms)"; status=1; fi
done
exit $status
