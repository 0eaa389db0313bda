#!/usr/bin/env bash
# Installs the PyTorch baseline for bench/run.sh: Debian's python3-torch and python3-torchvision (as root, with apt).
# CI never runs the benchmarks, so it never needs these.
set -euo pipefail
if /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  echo "python3-torch and python3-torchvision are already installed"
  exit 0
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-torchvision
/usr/bin/python3 -c 'import torch, torchvision; print("PyTorch", torch.__version__, "torchvision", torchvision.__version__)'
