#!/usr/bin/env bash
# Takes the dashboard's screenshots (1440x900 PNG, light and dark) from a fresh app on the built-in demo data:
# the runs list with several runs, the new-run form, a run while it trains and after it completes, compare with
# 3 runs, the data sets pages, the Predict page with its heat map, and a finished sweep, the sweeps list and the new-sweep form.
# Usage: scripts/screenshots.sh [OUT_DIR]   (default: screenshots/, ignored by git)
# PALMLAB_SCREENSHOT_IMAGE=path/to/a/fundus.jpg predicts that image on the Predict page (default: a demo image), e.g.
#   PALMLAB_SCREENSHOT_IMAGE=../shared/datasets/palm-train-224/PALM-Training400/P0003.jpg scripts/screenshots.sh
# Needs a Release build (dotnet build PalmLab.sln -c Release) and Chromium at /usr/bin/chromium; it trains six small
# runs first (about 5 minutes on an idle 2-core machine, several times that on a busy one).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$(realpath -m "${1:-screenshots}")"
PLAYWRIGHT=PalmLab.Tests/bin/Release/net10.0/.playwright
[ -d "$PLAYWRIGHT/package" ] || { echo "error: $PLAYWRIGHT is missing: run dotnet build PalmLab.sln -c Release first" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "error: /usr/bin/chromium is missing: apt-get install -y chromium" >&2; exit 1; }

WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
trap 'kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "starting the dashboard on $BASE (data in $WORK; the demo data set is generated at 96 px)"
PalmLab__DatabasePath="$WORK/palmlab.db" PalmLab__CheckpointsDir="$WORK/checkpoints" PalmLab__DataSetsDir="$WORK/datasets" \
PalmLab__DemoImageSize=96 \
  dotnet run --project PalmLab.Web -c Release --no-build -- --Urls "$BASE" >"$WORK/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 180); do
  curl -fsS "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$APP" 2>/dev/null || { cat "$WORK/app.log" >&2; echo "error: the dashboard stopped" >&2; exit 1; }
  sleep 1
done
curl -fsS "$BASE/health" >/dev/null || { cat "$WORK/app.log" >&2; echo "error: the dashboard did not become healthy in 180 s" >&2; exit 1; }

mkdir -p "$OUT"
"$PLAYWRIGHT/node/linux-x64/node" scripts/screenshots.mjs "$BASE" "$OUT" "$(realpath "$PLAYWRIGHT/package")" "$WORK/datasets"
echo "screenshots in $OUT:"
ls -1 "$OUT"
