#!/usr/bin/env bash
# Training in a child process (issue 23), before and after: two checkouts of the project, each built in Release
# (`dotnet build PalmLab.sln -c Release` in it), measured alternating in one invocation (on a shared machine only
# ratios within one invocation mean anything):
#  1. the web app's cold start in Production (fresh database and folders) to the first 200 of GET /, and that first
#     page, with the 64 px demo data set painted on the way and without any data set (`startup`);
#  2. a local run's img/s against `palmlab train`, the tracker benchmark for each build (`childtracker`);
#  3. the dashboard's resident memory (and a training child's) while a ResNet-50 run trains (`childmemory`);
#  4. the Slurm and crash-recovery tests of each build, unchanged (pass/fail counts and durations).
# Usage: bench/child-process.sh BEFORE AFTER [IMAGES] [TRIES] [PAIRS] [EPOCHS] [MEMORY_TRIES] [MEMORY_SIZE]
# BEFORE, AFTER: the two checkouts' root folders; IMAGES: the real training folder (default
# ../shared/datasets/palm-train-224/PALM-Training400); TRIES: start-ups per build and kind (default 5); PAIRS and EPOCHS:
# the tracker's pairs and epochs (default 3 and 3); MEMORY_TRIES and MEMORY_SIZE: tries per build of the ResNet-50 run
# (batch 10, one epoch of 30 images: 3 steps) and its input size (default 2 and 224). On the busy 2-core VM (load
# average 25-65) with `3 2 2 2 128` the parts took about 7 minutes (start-ups), 10 (memory), 13 and 8 (the two test
# runs), and the tracker about 4 minutes a run (8 runs for 2 pairs); on quiet cores they take a fraction of that.
# The after build's bench/PalmLab.Bench is not built or used: the modes run each build's web app and CLI from its own
# output folders.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/child-process.sh BEFORE AFTER [IMAGES] [TRIES] [PAIRS] [EPOCHS] [MEMORY_TRIES] [MEMORY_SIZE]" >&2; exit 2; }
BEFORE="$(realpath "$1")"
AFTER="$(realpath "$2")"
IMAGES="${3:-../shared/datasets/palm-train-224/PALM-Training400}"
TRIES="${4:-5}"
PAIRS="${5:-3}"
EPOCHS="${6:-3}"
MEMORY_TRIES="${7:-2}"
MEMORY_SIZE="${8:-224}"
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
dotnet "$BENCH" startup "$BEFORE" "$AFTER" "$TRIES" 64 || echo "error: startup failed: exit code $?"
dotnet "$BENCH" startup "$BEFORE" "$AFTER" "$TRIES" 0 || echo "error: startup failed: exit code $?"
echo "3. $(load)"
dotnet "$BENCH" childmemory "$BEFORE" "$AFTER" "$IMAGES" "$MEMORY_TRIES" 30 50 "$MEMORY_SIZE" 10 1 || echo "error: childmemory failed: exit code $?"
echo "2. $(load)"
dotnet "$BENCH" childtracker "$BEFORE" "$AFTER" "$IMAGES" "$PAIRS" "$EPOCHS" || echo "error: childtracker failed: exit code $?"
# 4. The tests as each build has them (the after build may have changed some on purpose), one build after the other:
# they share the test cluster. One mode failing does not stop the others.
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
