#!/usr/bin/env bash
# Every benchmark of docs/benchmarks.md in one invocation, on this machine's CPU cores (about 30 minutes on 2 cores):
#  1. training and evaluation steps (fp32 and bf16 mixed precision against PyTorch's fp32 and its own bf16 autocast),
#     whole runs (every epoch validated and checkpointed) in both precisions, PalmLab's engine against the same model,
#     loss and optimiser in PyTorch, alternating within each pair so that the machine's drift cancels; and prediction:
#     TorchSharp fp32 and bf16 and ONNX Runtime against PyTorch fp32 and its autocast, on 1, 50 and 400 images, and
#     `palmlab predict`'s checked bf16 on 400 images no model saw (a 5-fold run trained here, about 5 minutes); and
#     channels-last activations against channels-first, one model taking turns in one process;
#  2. FLOP efficiency of the ResNet-50 training step against the machine's measured peak (a 4096x4096 matrix product);
#  3. the data pipeline (cold and warm) and full-size JPEG preprocessing;
#  4. the tracker's overhead: `palmlab train` against the web app, alternating;
#  5. the live stream: 2,000 batch events a second to 50 SignalR clients;
#  6. the dashboard at 10,000 runs and 1,000,000 batch losses;
#  7. resident memory through a 10-epoch ResNet-50 run (and the web app's, in 6);
#  8. only when BEFORE and AFTER are given (two built checkouts): training in a child process (issue 23), before and
#     after, by bench/child-process.sh (about 40 minutes more; it can also run alone).
# Usage: bench/run.sh [PAIRS] [IMAGES] [BEFORE AFTER]   PAIRS: step pairs (default 3); IMAGES: the real training folder
# (default ../shared/datasets/palm-train-224/PALM-Training400). Needs bench/setup.sh once, and /usr/bin/chromium for 6.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS="${1:-3}"
IMAGES="${2:-../shared/datasets/palm-train-224/PALM-Training400}"
/usr/bin/python3 -c 'import torch, torchvision, PIL' 2>/dev/null || { echo "error: PyTorch is missing: run bench/setup.sh (as root)" >&2; exit 1; }
[ -d "$IMAGES" ] || { echo "error: no training images at $IMAGES (give the folder as the second argument)" >&2; exit 1; }
# Line 6 opens pages in Chromium; found missing only there, it ended a 25-minute invocation before its summary.
[ -x /usr/bin/chromium ] || { echo "error: /usr/bin/chromium is missing (line 6 needs it): apt-get install -y chromium" >&2; exit 1; }
dotnet build bench/PalmLab.Bench -c Release -v q -nologo >/dev/null || { echo "error: bench/PalmLab.Bench does not build" >&2; exit 1; }
dotnet build PalmLab.Cli -c Release -v q -nologo >/dev/null || { echo "error: PalmLab.Cli does not build" >&2; exit 1; }
BENCH=bench/PalmLab.Bench/bin/Release/net10.0/PalmLab.Bench.dll
OUT="$(mktemp)"
CV="$(mktemp -d)" # line 1's cross-validation (below)
trap 'rm -f "$OUT"; rm -rf "$CV"' EXIT
started=$(date +%s)
log() { echo "$1" | tee -a "$OUT" >&2; }
# PyTorch with glibc's allocator set as PalmLab sets it for itself (TorchRuntime.TuneMalloc): without these, PyTorch's
# freed activations go back to the kernel and fault back in every step, and its steps measured 1.45x (ResNet-18, 224 px)
# to 2.7x (64 px) slower than with them (docs/benchmarks.md, 2026-12-07 15:00): a handicap, not PyTorch's speed.
pytorch() { MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_TOP_PAD_=67108864 /usr/bin/python3 bench/baseline.py "$@"; }

# For line 1's prediction of unseen images, first (so that a missing backbone stops the script here, not 20 minutes in):
# a 5-fold cross-validation of the pretrained preset at 224 px, 2 epochs a fold, about 5 minutes.
dotnet PalmLab.Cli/bin/Release/net10.0/palmlab.dll train --train-dir "$IMAGES" --preset pretrained --image-size 224 --epochs 2 \
  --folds 5 --no-cache --out "$CV/pretrained-224" >/dev/null || { echo "error: the cross-validation for line 1's prediction failed (above)" >&2; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')" >&2
# 1. Steps: depth size batch steps precision (bf16: PalmLab's mixed precision, and PyTorch's torch.autocast).
STEPS=("18 224 10 6 fp32" "18 224 10 6 bf16" "50 224 10 6 fp32" "50 224 10 6 bf16" "18 64 16 8 fp32" "18 64 16 8 bf16")
for pair in $(seq 1 "$PAIRS"); do
  for config in "${STEPS[@]}"; do
    # shellcheck disable=SC2086
    log "palmlab $config $(dotnet "$BENCH" step $config | tail -1)"
    # shellcheck disable=SC2086
    log "pytorch $config $(pytorch step $config | tail -1)"
  done
done
# 1. Layout: the engine runs a batch channels-last from 16x128x128 pixels, and smaller ones' stem only, where the processor
# reports its caches (ResNet.ChannelsLast); here channels-first, stem only and throughout at every size, taking turns,
# with the logits' largest differences.
for config in "18 224 16 5 fp32" "18 224 16 5 bf16" "50 224 10 4 fp32" "50 224 10 4 bf16" "18 64 16 8 fp32" "18 64 16 8 bf16"; do
  # shellcheck disable=SC2086
  dotnet "$BENCH" layout $config | tail -2 | sed 's/^/layout /' | tee -a "$OUT" >&2
done
# 1. Whole runs: depth size batch images (80% of them train, 20% validate) epochs precision, and how many pairs.
RUNS=("18 64 16 400 5 fp32 3" "18 64 16 400 5 bf16 2" "50 224 10 100 2 fp32 2" "50 224 10 100 2 bf16 2")
for config in "${RUNS[@]}"; do
  read -r depth size batch limit epochs precision pairs <<<"$config"
  for pair in $(seq 1 "$pairs"); do
    log "epoch-palmlab $depth $size $batch $precision $(dotnet "$BENCH" epoch "$IMAGES" "$depth" "$size" "$batch" "$limit" "$epochs" "$precision" 2>/dev/null | tail -1)"
    log "epoch-pytorch $depth $size $batch $precision $(pytorch epoch "$IMAGES" "$depth" "$size" "$batch" "$limit" "$epochs" "$precision" 2>/dev/null | tail -1)"
  done
done
# 1. Prediction: PalmLab's three paths (TorchSharp fp32 and bf16, ONNX Runtime fp32) on 1, 50 and 400 images, then PyTorch
# fp32 and its autocast on the same counts and batches.
# Then images no model saw, as `palmlab predict` answers them (bf16 checked in fp32 near the threshold): each fold model
# of the cross-validation trained first (below) on its own held-out images in fp32, bf16 and checked bf16, right after
# PyTorch's 400; the folds together are those 400 images.
for depth in 18 50; do
  dotnet "$BENCH" onnx "$IMAGES" "$depth" 3 224 0 1 | sed "s/^/onnx $depth /" | tee -a "$OUT" >&2
  pytorch predict "$depth" 224 3 1 | tee -a "$OUT" >&2
  if [ "$depth" = 18 ]; then dotnet "$BENCH" flips "$CV/pretrained-224" "$IMAGES" best 3 | tee -a "$OUT" >&2; fi
done
# 2. The machine's peak: a large fp32 matrix product through libtorch on all cores, once per pair.
for pair in $(seq 1 "$PAIRS"); do
  log "peak $(dotnet "$BENCH" peak 4096 5 | tail -1)"
done
log "macs $(pytorch macs 50 224 | tail -1)"
# 3-7. Each prints its own lines, with its goal.
dotnet "$BENCH" pipeline "$IMAGES" 18 64 16 2 24 | tee -a "$OUT" >&2
dotnet "$BENCH" tracker "$IMAGES" 3 3 | tee -a "$OUT" >&2
dotnet "$BENCH" stream 60 2000 50 | tee -a "$OUT" >&2
dotnet "$BENCH" scale 10000 1000000 | tee -a "$OUT" >&2
dotnet "$BENCH" memory "$IMAGES" 10 40 50 224 10 | tee -a "$OUT" >&2
if [ $# -ge 4 ]; then bench/child-process.sh "$3" "$4" "$IMAGES" | tee -a "$OUT" >&2; fi

/usr/bin/python3 - "$OUT" "$PAIRS" "$(( $(date +%s) - started ))" <<'PY'
import re, statistics, sys
steps, epochs, predictions, peaks, macs, other, held_out = {}, {}, {}, [], None, [], None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("peak "):
        peaks.append(float(re.search(r"([\d.]+) GFLOP/s", line).group(1)))
    elif line.startswith("macs "):
        macs = float(re.search(r"forward ([\d.]+) GMAC", line).group(1))
    elif line.startswith(("palmlab ", "pytorch ")):
        who, depth, size, batch, _, precision, rest = line.split(" ", 6)
        train = float(re.search(r"train (\d+(?:\.\d+)?) ms/step", rest).group(1))
        evaluation = float(re.search(r"eval (\d+(?:\.\d+)?) ms/batch", rest).group(1))
        steps.setdefault((int(depth), int(size), int(batch)), {}).setdefault(precision, {}).setdefault(who, []).append((train, evaluation))
    elif line.startswith("onnx "):
        row = re.match(r"onnx (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", line)
        if row:
            predictions.setdefault((int(row.group(1)), int(row.group(2))), {})["palmlab"] = tuple(float(row.group(i)) for i in (3, 4, 5))
    elif line.startswith("flips ") and " all " in line:
        row = re.search(r": (\d+) of (\d+) held-out predictions flipped by bf16, (\d+) by checked bf16 \((\d+) predicted again in fp32\); "
                        r"largest logit difference ([\d.]+) .*ms: fp32 (\d+), bf16 (\d+), checked bf16 (\d+)", line)
        if row:
            held_out = tuple(float(row.group(i)) for i in range(1, 9))
        else:
            other.append(f"{line}(not understood: the summary's held-out line is missing)")
    elif line.startswith("predict "):
        row = re.match(r"predict ResNet-(\d+) \d+px (\d+) images: PyTorch fp32 ([\d.]+) ms, bf16 autocast ([\d.]+) ms", line)
        predictions.setdefault((int(row.group(1)), int(row.group(2))), {})["pytorch"] = (float(row.group(3)), float(row.group(4)))
    elif line.startswith(("epoch-palmlab ", "epoch-pytorch ")):
        who, depth, size, batch, precision, rest = line.split(" ", 5)
        if " img/s), epochs " not in rest:
            other.append(f"{line}(no result: run the command by hand to see its error)")
            continue
        run = float(re.search(r" s \(([\d.]+) img/s\), epochs", rest).group(1))
        rates = [float(r) for r in re.search(r"epochs ([\d. ]+) img/s", rest).group(1).split()]
        images = re.search(r"run of (\d+ epochs on \d+ \+ \d+) images", rest).group(1)
        first = float(re.search(r"first step (\d+) ms", rest).group(1))
        validation = float(re.search(r"validation and checkpoints (\d+) ms", rest).group(1))
        entry = epochs.setdefault((int(depth), int(size), int(batch), precision), {"images": images})
        entry.setdefault(who[6:], []).append((run, statistics.median(rates), first, validation))
    elif line.strip():
        other.append(line)

def met(r, goal):
    return f"{r:.2f}x ({'met' if r >= goal else 'missed'})"

def paired(ratios):  # taken within each pair, so that drift between pairs cancels; the median over the pairs
    return statistics.median(ratios)

print(f"\n## Training and evaluation steps ({sys.argv[2]} alternating pairs)\n")
print("img/s from the median step of each run, median over the runs; ratios: PalmLab's img/s over PyTorch's within each pair, median over the pairs, "
      "against PyTorch in the same precision (bf16: its torch.autocast) and against PyTorch fp32; PyTorch runs with glibc's allocator set as PalmLab sets it. Goals (issue 24): training 1.5x PyTorch fp32 "
      "and 1.0x its autocast; prediction 2x PyTorch fp32.\n")
print("| model | input | batch | precision | PalmLab train img/s | PyTorch train img/s | train ratio | train ratio to PyTorch fp32 | PalmLab eval img/s | PyTorch eval img/s | eval ratio | eval ratio to PyTorch fp32 |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (depth, size, batch), by_precision in steps.items():
    for precision, by in by_precision.items():
        fp32 = by_precision.get("fp32", {}).get("pytorch", [])
        rate = lambda who, i: statistics.median(batch * 1000 / r[i] for r in by[who])
        ratio = lambda base, i: paired(y[i] / p[i] for p, y in zip(by["palmlab"], base))  # milliseconds: PyTorch's over PalmLab's
        to_fp32 = lambda i: f"{ratio(fp32, i):.2f}x" if fp32 else "-"
        print(f"| ResNet-{depth} | {size} px | {batch} | {precision} | {rate('palmlab', 0):.1f} | {rate('pytorch', 0):.1f} | {ratio(by['pytorch'], 0):.2f}x | {to_fp32(0)} "
              f"| {rate('palmlab', 1):.1f} | {rate('pytorch', 1):.1f} | {ratio(by['pytorch'], 1):.2f}x | {to_fp32(1)} |")

print("\n## Whole runs (alternating)\n")
print("Real images, every epoch validated and checkpointed (PyTorch: evaluated and torch.save'd), timed from the first step to the last "
      "checkpoint, the first (slow) step included. Ratios: PalmLab's img/s over PyTorch's within each pair, median over the pairs; "
      "run/step: the run's img/s over the same precision's median step above (training only, so below 1). Goal (issue 24): run "
      "ratio >= 1.0x and >= the training step's ratio.\n")
print("| model | input | batch | precision | run | pairs | PalmLab run img/s | PyTorch run img/s | run ratio | epoch ratio (training only) | step ratio | first step PalmLab / PyTorch | validation + checkpoint PalmLab / PyTorch | run/step PalmLab / PyTorch |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (depth, size, batch, precision), by in epochs.items():
    p, y = by["palmlab"], by["pytorch"]
    run_ratio = paired(a[0] / b[0] for a, b in zip(p, y))
    step = steps.get((depth, size, batch), {}).get(precision)
    step_ratio = paired(y_[0] / p_[0] for p_, y_ in zip(step["palmlab"], step["pytorch"])) if step else None
    goal = max(1.0, step_ratio or 1.0)
    per_step = lambda runs, who: f"{statistics.median(r[0] for r in runs) / statistics.median(batch * 1000 / r[0] for r in step[who]):.2f}" if step else "-"
    print(f"| ResNet-{depth} | {size} px | {batch} | {precision} | {by['images']} images | {len(p)} | {statistics.median(r[0] for r in p):.1f} "
          f"| {statistics.median(r[0] for r in y):.1f} | {met(run_ratio, goal)} | {paired(a[1] / b[1] for a, b in zip(p, y)):.2f}x "
          f"| {f'{step_ratio:.2f}x' if step_ratio else '-'} | {statistics.median(r[2] for r in p):.0f} / {statistics.median(r[2] for r in y):.0f} ms "
          f"| {statistics.median(r[3] for r in p):.0f} / {statistics.median(r[3] for r in y):.0f} ms | {per_step(p, 'palmlab')} / {per_step(y, 'pytorch')} |")

print("\n## Prediction paths (224 px, batches of 16, random weights)\n")
print("Median ms of each path for 1, 50 and 400 images (decoding not timed); ratios: PyTorch fp32's time over the path's. "
      "The Predict page and POST /api/predict answer through ONNX Runtime (fp32, answers within 1e-6 of TorchSharp fp32); "
      "Grad-CAM needs TorchSharp's gradients. Goal (issue 24): prediction 2x PyTorch fp32.\n")
print("| model | images | PyTorch fp32 ms | PyTorch bf16 ms | TorchSharp fp32 ms | TorchSharp bf16 ms | ONNX Runtime ms | TorchSharp fp32 ratio | TorchSharp bf16 ratio | ONNX Runtime ratio |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (depth, count), by in sorted(predictions.items()):
    if "palmlab" in by and "pytorch" in by:
        (tf, tb, ort), (pf, pb) = by["palmlab"], by["pytorch"]
        print(f"| ResNet-{depth} | {count} | {pf:.1f} | {pb:.1f} | {tf:.1f} | {tb:.1f} | {ort:.1f} | {pf / tf:.2f}x | {pf / tb:.2f}x | {met(pf / ort, 2.0)} |")

if held_out and (18, 400) in predictions and "pytorch" in predictions[(18, 400)]:
    flips, images, changed, again, logit, fp32, bf16, checked = held_out
    pytorch = predictions[(18, 400)]["pytorch"][0]
    print(f"\nPrediction of {images:.0f} images no model saw (`palmlab predict`: bf16, and fp32 again near the threshold), ResNet-18 "
          f"224 px fine-tuned from ImageNet, 5 folds: TorchSharp fp32 {fp32:.0f} ms, bf16 {bf16:.0f} ms ({flips:.0f} labels flipped), "
          f"checked bf16 {checked:.0f} ms ({again:.0f} images predicted again in fp32, {changed:.0f} labels flipped; largest bf16 logit "
          f"difference {logit:.2f}); PyTorch fp32 {pytorch:.0f} ms for as many random images: checked bf16 {met(pytorch / checked, 2.0)} PyTorch fp32, "
          f"{fp32 / checked:.2f}x TorchSharp fp32.")

# FLOP efficiency of PalmLab's ResNet-50 training step: forward MACs x 2 FLOPs x 3 (forward, and a backward pass of
# about twice the forward: gradients of the inputs and of the weights) x batch, over the median step, against the peak.
step = statistics.median(r[0] for r in steps[(50, 224, 10)]["fp32"]["palmlab"]) / 1000
step_gflop = macs * 2 * 3 * 10
achieved = step_gflop / step
peak = statistics.median(peaks)
print(f"\n## FLOP efficiency\n\nResNet-50 224 px batch 10 training: {step_gflop:.0f} GFLOP a step (3 x forward, {macs:.3f} GMAC an image) "
      f"in {step * 1000:.0f} ms = {achieved:.1f} GFLOP/s; peak (4096x4096 fp32 matmul, median of {len(peaks)}) {peak:.1f} GFLOP/s: "
      f"{100 * achieved / peak:.0f}% of peak")

print("\n## Layout, data pipeline, tracker, live stream, dashboard at scale, memory\n\n```")
print("\n".join(other))
print("```")
print(f"\nbench/run.sh took {int(sys.argv[3]) // 60} min {int(sys.argv[3]) % 60} s.")
PY
