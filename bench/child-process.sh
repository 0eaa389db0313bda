#!/usr/bin/env bash
# Training in a child process (issue 23), before and after: two checkouts of the project, each built in Release
# (`dotnet build PalmLab.sln -c Release` in it), measured alternating in one invocation (on a shared machine only
# ratios within one invocation mean anything):
#  1. the web app's cold start in Production (fresh database and folders) to the first 200 of GET /, and that first
#     page, with the 64 px demo data set painted on the way and without any data set (`startup`);
#  2. a local run's img/s against `palmlab train`, the tracker benchmark for each build (`childtracker`);
#  3. the dashboard's resident memory (and a training child's) while a ResNet-50 run trains (`childmemory`);
#  4. the Slurm and crash-recovery tests of each build, unchanged (pass/fail counts and durations).
# Usage: bench/child-process.sh BEFORE AFTER [IMAGES] [TRIES]   BEFORE, AFTER: the two checkouts' root folders;
# IMAGES: the real training folder (default ../shared/datasets/palm-train-224/PALM-Training400); TRIES: start-ups per
# build (default 5; the tracker takes 3 pairs, the memory 2 tries). About 40 minutes on 2 busy cores.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/child-process.sh BEFORE AFTER [IMAGES] [TRIES]" >&2; exit 2; }
BEFORE="$(realpath "$1")"
AFTER="$(realpath "$2")"
IMAGES="${3:-../shared/datasets/palm-train-224/PALM-Training400}"
TRIES="${4:-5}"
[ -d "$IMAGES" ] || { echo "error: no training images at $IMAGES (give the folder as the third argument)" >&2; exit 1; }
dotnet build bench/PalmLab.Bench -c Release -v q -nologo >/dev/null || { echo "error: bench/PalmLab.Bench does not build" >&2; exit 1; }
BENCH=bench/PalmLab.Bench/bin/Release/net10.0/PalmLab.Bench.dll
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u '+%H:%M:%S UTC')"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d')"
for build in "$BEFORE" "$AFTER"; do
  echo "build $build: $(git -C "$build" log -1 --format='%h %s' | cut -c1-100)"
done
started=$(date +%s)
echo "1. $(load)"
dotnet "$BENCH" startup "$BEFORE" "$AFTER" "$TRIES" 64
dotnet "$BENCH" startup "$BEFORE" "$AFTER" "$TRIES" 0
echo "2. $(load)"
dotnet "$BENCH" childtracker "$BEFORE" "$AFTER" "$IMAGES" 3 3
echo "3. $(load)"
dotnet "$BENCH" childmemory "$BEFORE" "$AFTER" "$IMAGES" 2 40 50 224 10 1
# 4. The tests as each build has them (the after build may have changed some on purpose), one build after the other:
# they share the test cluster.
for build in "$BEFORE" "$AFTER"; do
  echo "4. $(load)"
  clock=$(date +%s)
  set +e
  (cd "$build" && dotnet test PalmLab.Tests -c Release --no-build --filter "FullyQualifiedName~Slurm|FullyQualifiedName~CrashRecovery" 2>&1) \
    | grep -E '^\s*(Failed|Passed|Skipped)!? |Total tests|Duration|^\s+Failed ' | sed "s|^|tests $(basename "$build"): |"
  set -e
  echo "tests $(basename "$build"): wall $(( $(date +%s) - clock )) s"
done
echo "end: $(load); bench/child-process.sh took $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"
