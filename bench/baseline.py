"""PyTorch baseline for bench/run.sh: the same model, loss and optimiser as PalmLab's `bench step`, in PyTorch.

Usage: /usr/bin/python3 bench/baseline.py step DEPTH SIZE BATCH STEPS [fp32|bf16]   (bf16: torch.autocast("cpu", bfloat16))
       /usr/bin/python3 bench/baseline.py epoch DIR DEPTH SIZE BATCH LIMIT [EPOCHS] [fp32|bf16]   (a real run on LIMIT of the
           images, evenly spaced by name: EPOCHS epochs on 80% of them, each validated on the other 20% and saved)
       /usr/bin/python3 bench/baseline.py predict DEPTH SIZE RUNS WHOLE_RUNS   (1, 50 and 400 images in batches of 16, fp32 and
           bf16 autocast, as PalmLab's `bench onnx` times its prediction paths)
       /usr/bin/python3 bench/baseline.py macs DEPTH SIZE   (the model's forward multiply-accumulates per image)
Prints one line in the format of PalmLab.Bench's step mode, so that run.sh reads both alike:
  ResNet-50 224x224 batch 10: train 1325 ms/step (7.5 img/s), eval 390 ms/batch (25.6 img/s)
Needs Debian's python3-torch and python3-torchvision (bench/setup.sh). Never run by CI.
"""
import os
import statistics
import sys
import time

import torch
import torchvision


def median_ms(steps, step):
    step()  # warm-up: first-touch allocations and oneDNN kernel selection, as PalmLab.Bench does
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median_low(times)


def macs(depth, size):
    """Multiply-accumulates of one image's forward pass through the conv and linear layers, counted with hooks."""
    model = getattr(torchvision.models, f"resnet{depth}")(num_classes=1).eval()
    total = 0

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, torch.nn.Conv2d):
            kh, kw = module.kernel_size
            total += output.numel() * (module.in_channels // module.groups) * kh * kw
        else:
            total += output.numel() * module.in_features

    for module in model.modules():
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            module.register_forward_hook(count)
    with torch.inference_mode():
        model(torch.zeros(1, 3, size, size))
    return total


def epoch(folder, depth, size, batch, limit, epochs=1, bf16=False):
    """A run of EPOCHS epochs over 80% of LIMIT of the folder's images (evenly spaced by name), as PalmLab's `bench epoch`
    trains: images decoded to [-1, 1] in memory first (not timed), then shuffled batches (under bf16 autocast when asked);
    after each epoch the other 20% evaluated in fp32 (as PalmLab validates) and the model and optimizer state saved (as
    PalmLab's last.ckpt). Timed from the first step to the last save, the first (slow) step included."""
    import tempfile
    from PIL import Image
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg", ".png")))
    if limit < len(names):  # evenly spaced by name, as PalmLab's `bench epoch` picks them (every class in it)
        names = [names[i * len(names) // limit] for i in range(limit)]
    pixels = []
    for name in names:
        with Image.open(os.path.join(folder, name)) as image:
            image = image.convert("RGB").resize((size, size), Image.BILINEAR)
            pixels.append(torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).view(size, size, 3))
    everything = torch.stack(pixels).permute(0, 3, 1, 2).float().div(127.5).sub(1).contiguous()
    targets = torch.tensor([1.0 if n.upper().startswith("P") else 0.0 for n in names])
    count = int(round(len(names) * 0.8))
    images, labels, valid = everything[:count], targets[:count], everything[count:]
    torch.manual_seed(0)
    model = getattr(torchvision.models, f"resnet{depth}")(num_classes=1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    steps, rates, validations = [], [], []
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        for _ in range(epochs):
            model.train()
            order = torch.randperm(count)
            epoch_start = time.perf_counter()
            for first in range(0, count, batch):
                step_start = time.perf_counter()
                rows = order[first:first + batch]
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    logits = model(images[rows]).flatten()
                loss = loss_fn(logits.float(), labels[rows])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                loss.item()
                steps.append(time.perf_counter() - step_start)
            rates.append(count / (time.perf_counter() - epoch_start))
            validation_start = time.perf_counter()
            model.eval()
            with torch.inference_mode():
                torch.cat([torch.sigmoid(model(valid[first:first + batch]).flatten()) for first in range(0, len(valid), batch)]).tolist()
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, os.path.join(work, "last.pt"))
            validations.append(time.perf_counter() - validation_start)
        seconds = time.perf_counter() - start
    print("steps ms: " + " ".join(f"{s * 1000:.0f}" for s in steps), file=sys.stderr)
    return count, len(valid), seconds, rates, sum(validations) / epochs, steps[0]


def predict(depth, size, runs, whole_runs):
    """Prediction as PalmLab's `bench onnx` times it: 1, 50 and 400 images in batches of 16, in evaluation mode under
    inference_mode, fp32 and bf16 autocast taking turns, each warmed up on one batch; random pixels (decoding not timed).
    Returns {count: (median fp32 ms, median bf16 ms)}."""
    torch.manual_seed(1)
    model = getattr(torchvision.models, f"resnet{depth}")(num_classes=1).eval()
    images = torch.rand(400, 3, size, size) * 2 - 1

    def probabilities(count, bf16):
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            return [p for first in range(0, count, 16) for p in torch.sigmoid(model(images[first:min(count, first + 16)]).float()).flatten().tolist()]

    result = {}
    for count in (1, 50, 400):
        probabilities(min(count, 16), False)
        probabilities(min(count, 16), True)
        times = {False: [], True: []}
        for run in range(runs if count < 400 else whole_runs):
            for bf16 in ((False, True) if run % 2 == 0 else (True, False)):
                start = time.perf_counter()
                probabilities(count, bf16)
                times[bf16].append((time.perf_counter() - start) * 1000)
        result[count] = (statistics.median(times[False]), statistics.median(times[True]))
    return result


def main(argv):
    if len(argv) in (7, 8, 9) and argv[1] == "epoch":
        torch.set_num_threads(os.cpu_count() or 1)
        depth, size, batch, limit = (int(a) for a in argv[3:7])
        epochs = int(argv[7]) if len(argv) > 7 else 1
        bf16 = argv[8:] == ["bf16"]
        count, valid, seconds, rates, validation, first_step = epoch(argv[2], depth, size, batch, limit, epochs, bf16)
        print(f"ResNet-{depth} {size}x{size} batch {batch} {'bf16' if bf16 else 'fp32'}: run of {epochs} epochs on {count} + {valid} images "
              f"{seconds:.2f} s ({count * epochs / seconds:.1f} img/s), epochs {' '.join(f'{r:.1f}' for r in rates)} img/s, "
              f"validation and checkpoints {validation * 1000:.0f} ms an epoch, first step {first_step * 1000:.0f} ms"
              f"   [PyTorch {torch.__version__}, threads {torch.get_num_threads()}]")
        return
    if len(argv) == 6 and argv[1] == "predict":
        torch.set_num_threads(os.cpu_count() or 1)
        depth, size, runs, whole_runs = (int(a) for a in argv[2:])
        for count, (fp32, bf16) in predict(depth, size, runs, whole_runs).items():
            print(f"predict ResNet-{depth} {size}px {count} images: PyTorch fp32 {fp32:.1f} ms, bf16 autocast {bf16:.1f} ms   [PyTorch {torch.__version__}, threads {torch.get_num_threads()}]")
        return
    if len(argv) == 4 and argv[1] == "macs":
        depth, size = int(argv[2]), int(argv[3])
        print(f"ResNet-{depth} {size}x{size}: forward {macs(depth, size) / 1e9:.3f} GMAC per image (conv and linear layers)")
        return
    if len(argv) not in (6, 7) or argv[1] != "step" or argv[6:] not in ([], ["fp32"], ["bf16"]):
        sys.exit("usage: baseline.py step DEPTH SIZE BATCH STEPS [fp32|bf16] | baseline.py epoch DIR DEPTH SIZE BATCH LIMIT [EPOCHS] [fp32|bf16] | baseline.py predict DEPTH SIZE RUNS WHOLE_RUNS | baseline.py macs DEPTH SIZE")
    depth, size, batch, steps = (int(a) for a in argv[2:6])
    # PyTorch's own mixed precision on the CPU: convolutions and matrix products in bfloat16, weights and optimiser in fp32.
    bf16 = argv[6:] == ["bf16"]
    torch.set_num_threads(os.cpu_count() or 1)  # Debian's torch may start with one thread; PalmLab uses every core
    torch.manual_seed(0)
    model = getattr(torchvision.models, f"resnet{depth}")(num_classes=1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    images = torch.randn(batch, 3, size, size)
    labels = torch.randint(0, 2, (batch,)).float()

    phases = []

    def train_step():
        model.train()
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(images).flatten()
        loss = loss_fn(logits.float(), labels)
        forward = time.perf_counter()
        optimizer.zero_grad()
        loss.backward()
        backward = time.perf_counter()
        optimizer.step()
        loss.item()
        phases.append(((forward - start) * 1000, (backward - forward) * 1000, (time.perf_counter() - backward) * 1000))

    eval_images = torch.randn(4 * batch, 3, size, size)

    def eval_step():  # a validation pass of four batches, as PalmLab's `bench step` times it
        model.eval()
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for first in range(0, 4 * batch, batch):
                model(eval_images[first:first + batch]).float().flatten().tolist()

    train = median_ms(steps, train_step)
    evaluation = median_ms(steps, eval_step) / 4
    # Where a step's time goes (medians after the warm-up), as PalmLab.Bench's step mode prints it: on stderr.
    f, b, o = (statistics.median(p[i] for p in phases[1:]) for i in range(3))
    print(f"phases: forward {f:.1f} ms, backward {b:.1f} ms, optimizer {o:.1f} ms", file=sys.stderr)
    print(f"ResNet-{depth} {size}x{size} batch {batch}{' bf16' if bf16 else ''}: train {train:.0f} ms/step ({batch * 1000 / train:.1f} img/s), "
          f"eval {evaluation:.0f} ms/batch ({batch * 1000 / evaluation:.1f} img/s)   [PyTorch {torch.__version__}, threads {torch.get_num_threads()}]")


if __name__ == "__main__":
    main(sys.argv)
