#!/usr/bin/env bash
# Installs the system packages that the build and the tests need and a fresh Debian 12 machine with the .NET SDK lacks:
# npm (the build restores ApexCharts and the SignalR client), Chromium (the browser tests), PostgreSQL 15 (the run
# store's tests), Slurm with munge (scripts/test-cluster.sh) and a C compiler (one test builds a stand-in library). Installs nothing that is already there.
# Runs apt-get as root, or through sudo; otherwise it stops and names what to install.
set -euo pipefail

SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
fi

APT_UPDATED=0
apt_install() {
  local why="$1"; shift
  if [ "$(id -u)" != 0 ] && [ ${#SUDO[@]} = 0 ]; then
    echo "error: $why, but $* is missing and this user cannot install it: run 'apt-get install -y $*' as root" >&2
    exit 1
  fi
  echo "installing $* with apt-get: $why" >&2
  if [ "$APT_UPDATED" = 0 ]; then
    # Without the update a fresh image's apt finds no packages at all.
    "${SUDO[@]}" apt-get update || { echo "error: apt-get update failed; install $* by hand ($why)" >&2; exit 1; }
    APT_UPDATED=1
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" \
    || { echo "error: apt-get install -y $* failed (it needs root and Debian's package sources); $why" >&2; exit 1; }
}

if ! command -v npm >/dev/null 2>&1; then
  apt_install "the build restores ApexCharts and the SignalR client with npm (build/NpmAssets.targets)" nodejs npm
  command -v npm >/dev/null 2>&1 || { echo "error: npm is still missing after apt-get install nodejs npm" >&2; exit 1; }
fi

CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  apt_install "the browser tests (PalmLab.Tests/E2E) drive Debian's Chromium at $CHROMIUM" chromium
  [ -x "$CHROMIUM" ] || { echo "error: $CHROMIUM is still missing after apt-get install chromium" >&2; exit 1; }
fi

POSTGRES_INITDB=/usr/lib/postgresql/15/bin/initdb
if [ ! -x "$POSTGRES_INITDB" ]; then
  apt_install "the run store's tests run against PostgreSQL 15 ($POSTGRES_INITDB) as well as SQLite" postgresql
  [ -x "$POSTGRES_INITDB" ] || { echo "error: $POSTGRES_INITDB is still missing after apt-get install postgresql" >&2; exit 1; }
fi

if ! command -v cc >/dev/null 2>&1; then
  apt_install "a test (Cli/NnpackWarningTests) compiles a one-line C stand-in for NNPACK with cc" gcc libc6-dev
  command -v cc >/dev/null 2>&1 || { echo "error: cc is still missing after apt-get install gcc libc6-dev" >&2; exit 1; }
fi

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  apt_install "scripts/test-cluster.sh starts a single-node Slurm cluster (slurmctld, slurmd, munged) for the tests" slurm-wlm munge
  command -v slurmctld >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 \
    || { echo "error: slurmctld or munged is still missing after apt-get install slurm-wlm munge" >&2; exit 1; }
fi
