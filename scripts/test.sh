#!/usr/bin/env bash
# The README's test command: installs what the tests need and the machine lacks (scripts/test-deps.sh), then runs the
# whole suite. Extra arguments go to dotnet test (for example --filter "FullyQualifiedName~Engine").
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/datasets/palm-train-224/PALM-Training400 ]; then
  echo "error: ../shared/datasets/palm-train-224/PALM-Training400 is missing beside the repository; the real-image tests need it" >&2
  exit 1
fi
scripts/test-deps.sh
exec dotnet test PalmLab.sln -c Release "$@"
