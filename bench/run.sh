#!/usr/bin/env bash
# Training and evaluation steps, PalmLab's engine against the same model, loss and optimiser in PyTorch, on this
# machine's CPU cores. PalmLab and PyTorch alternate within each pair, so that the machine's drift cancels; each
# figure is the median over the pairs of each run's median step. Prints a Markdown table (for docs/benchmarks.md).
# Then the FLOP efficiency of the ResNet-50 training step against the machine's measured peak (a 4096x4096 matrix product).
# Usage: bench/run.sh [PAIRS]   (default 3; about 4 minutes on 2 cores). Needs bench/setup.sh once.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS="${1:-3}"
/usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || { echo "error: PyTorch is missing: run bench/setup.sh (as root)" >&2; exit 1; }
dotnet build bench/PalmLab.Bench -c Release -v q -nologo >/dev/null || { echo "error: bench/PalmLab.Bench does not build" >&2; exit 1; }
BENCH=bench/PalmLab.Bench/bin/Release/net10.0/PalmLab.Bench.dll
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT

# depth size batch steps
CONFIGS=("18 224 10 6" "50 224 10 6" "18 64 16 8")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')" >&2
for pair in $(seq 1 "$PAIRS"); do
  for config in "${CONFIGS[@]}"; do
    # shellcheck disable=SC2086
    line="$(dotnet "$BENCH" step $config | tail -1)"; echo "palmlab $config $line" | tee -a "$OUT" >&2
    # shellcheck disable=SC2086
    line="$(/usr/bin/python3 bench/baseline.py step $config | tail -1)"; echo "pytorch $config $line" | tee -a "$OUT" >&2
  done
done
# The machine's peak: a large fp32 matrix product through libtorch on all cores, once per pair.
for pair in $(seq 1 "$PAIRS"); do
  line="$(dotnet "$BENCH" peak 4096 5 | tail -1)"; echo "peak $line" | tee -a "$OUT" >&2
done
line="$(/usr/bin/python3 bench/baseline.py macs 50 224 | tail -1)"; echo "macs $line" | tee -a "$OUT" >&2

/usr/bin/python3 - "$OUT" "$PAIRS" <<'PY'
import re, statistics, sys
rows, peaks, macs = {}, [], None
for line in open(sys.argv[1]):
    if line.startswith("peak "):
        peaks.append(float(re.search(r"([\d.]+) GFLOP/s", line).group(1)))
        continue
    if line.startswith("macs "):
        macs = float(re.search(r"forward ([\d.]+) GMAC", line).group(1))
        continue
    who, depth, size, batch, _, rest = line.split(" ", 5)
    train = float(re.search(r"train (\d+(?:\.\d+)?) ms/step", rest).group(1))
    evaluation = float(re.search(r"eval (\d+(?:\.\d+)?) ms/batch", rest).group(1))
    rows.setdefault((int(depth), int(size), int(batch)), {}).setdefault(who, []).append((train, evaluation))
print(f"\n{sys.argv[2]} alternating pairs; img/s from the median step of each run, median over the runs; ratio: PalmLab's img/s over PyTorch's within each pair, median over the pairs.\n")
print("| model | input | batch | PalmLab train img/s | PyTorch train img/s | train ratio (goal 1.2x) | PalmLab eval img/s | PyTorch eval img/s | eval ratio (goal 2.5x) |")
print("|---|---|---|---|---|---|---|---|---|")
for (depth, size, batch), by in rows.items():
    def rate(who, i):
        return statistics.median(batch * 1000 / r[i] for r in by[who])
    def ratio(i):  # within each pair, so that drift between pairs cancels
        return statistics.median(y[i] / p[i] for p, y in zip(by["palmlab"], by["pytorch"]))
    pt, yt, pe, ye = rate("palmlab", 0), rate("pytorch", 0), rate("palmlab", 1), rate("pytorch", 1)
    met = lambda r, goal: f"{r:.2f}x ({'met' if r >= goal else 'missed'})"
    print(f"| ResNet-{depth} | {size} px | {batch} | {pt:.1f} | {yt:.1f} | {met(ratio(0), 1.2)} | {pe:.1f} | {ye:.1f} | {met(ratio(1), 2.5)} |")

# FLOP efficiency of PalmLab's ResNet-50 training step: forward MACs x 2 FLOPs x 3 (forward, and a backward pass of
# about twice the forward: gradients of the inputs and of the weights) x batch, over the median step, against the peak.
step = statistics.median(r[0] for r in rows[(50, 224, 10)]["palmlab"]) / 1000
step_gflop = macs * 2 * 3 * 10
achieved = step_gflop / step
peak = statistics.median(peaks)
print(f"\nFLOP efficiency, ResNet-50 224 px batch 10 training: {step_gflop:.0f} GFLOP a step (3 x forward, {macs:.3f} GMAC an image) "
      f"in {step * 1000:.0f} ms = {achieved:.1f} GFLOP/s; peak (4096x4096 fp32 matmul, median of {len(peaks)}) {peak:.1f} GFLOP/s: "
      f"{100 * achieved / peak:.0f}% of peak")
PY
