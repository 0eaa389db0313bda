#!/usr/bin/env bash
# Starts (or stops) what the cluster tests need, all on loopback and under one folder:
# a single-node Slurm cluster (munged, slurmctld, slurmd) and a PostgreSQL server.
#   scripts/test-cluster.sh start [DIR]   idempotent; prints the settings the tests read
#   scripts/test-cluster.sh stop  [DIR]
# Needs root (slurmd runs jobs as the submitting user) and Debian's slurm-wlm, munge and postgresql.
set -euo pipefail
ACTION="${1:-start}"
DIR="${2:-${PALMLAB_CLUSTER_DIR:-/tmp/palmlab-cluster}}"
PG_PORT="${PALMLAB_PG_PORT:-55432}"
SLURM_PORT="${PALMLAB_SLURM_PORT:-56817}"
PG_BIN=/usr/lib/postgresql/15/bin
HOST="$(hostname -s)"

stop() {
  if [ -f "$DIR/slurm/slurm.conf" ]; then
    export SLURM_CONF="$DIR/slurm/slurm.conf"
    scancel --full --state=RUNNING,PENDING --user=root >/dev/null 2>&1 || true
  fi
  for pidfile in "$DIR/run/slurmd.pid" "$DIR/run/slurmctld.pid" "$DIR/run/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for data in "$DIR"/pg "$DIR"/pg-[0-9]*; do
    [ -f "$data/PG_VERSION" ] && su postgres -c "$PG_BIN/pg_ctl -D '$data' -m fast stop" >/dev/null 2>&1 || true
  done
  sleep 1
}

if [ "$ACTION" = stop ]; then stop; echo "stopped"; exit 0; fi
[ "$ACTION" = start ] || { echo "usage: $0 start|stop [DIR]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "error: run as root: slurmd must start jobs as their user" >&2; exit 1; }
for tool in slurmctld slurmd sbatch sacct munged; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing: apt-get install slurm-wlm munge" >&2; exit 1; }
done
[ -x "$PG_BIN/initdb" ] || { echo "error: PostgreSQL 15 is missing: apt-get install postgresql" >&2; exit 1; }

mkdir -p "$DIR"/{run,log,munge,slurm/state,slurm/spool,jobcomp}
chmod 700 "$DIR/munge"

# munge: its own key and socket, so it never touches a system munged.
if [ ! -f "$DIR/munge/munge.key" ]; then
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge/munge.key"
fi
SOCKET="$DIR/munge/munge.socket"
if ! munge -n -S "$SOCKET" >/dev/null 2>&1; then
  munged --force --key-file="$DIR/munge/munge.key" --socket="$SOCKET" \
    --pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/seed"
fi

CPUS="$(nproc)"
MEM_MB="$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))"
cat > "$DIR/slurm/slurm.conf" <<CONF
ClusterName=palmlab-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$SLURM_PORT
SlurmdPort=$((SLURM_PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$DIR/slurm/state
SlurmdSpoolDir=$DIR/slurm/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp/jobs.txt
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$DIR/slurm/slurm.conf"
if ! scontrol ping 2>/dev/null | grep -q UP; then
  slurmctld -c -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
fi
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 0.5
done
sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)' \
  || { echo "error: the Slurm node did not come up; see $DIR/log" >&2; sinfo >&2 || true; exit 1; }

# PostgreSQL: trust on loopback, its own data folder and port. A machine can come back with what an earlier session
# left under $DIR (its processes ended at any point): a server that still answers there is used as it is; where its
# folder or port cannot be started again (an old process still holding its shared memory, another program on the
# port) a fresh folder on a free port takes over, so a test database never depends on that leftover.
pg_serves() { # DATA PORT: a server on PORT answers for DATA
  [ "$(timeout 10 "$PG_BIN/psql" -h 127.0.0.1 -p "$2" -U palmlab -d "dbname=postgres connect_timeout=5" -XAtc 'SHOW data_directory' 2>/dev/null)" = "$1" ]
}
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_start() { # DATA PORT: 0 once a server answers for DATA on PORT
  local data="$1" port="$2"
  : >"$DIR/pg-run/start.err"
  pg_serves "$data" "$port" && return 0
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; chown postgres "$data"
    su postgres -c "$PG_BIN/initdb -D '$data' -A trust -U palmlab" >/dev/null
  fi
  if port_taken "$port"; then echo "port $port is taken by another program" >"$DIR/pg-run/start.err"; return 1; fi
  su postgres -c "$PG_BIN/pg_ctl -D '$data' -l '$DIR/pg-run/postgres.log' -w -o \"-p $port -k '$DIR/pg-run' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" \
    >/dev/null 2>"$DIR/pg-run/start.err" && pg_serves "$data" "$port"
}
mkdir -p "$DIR/pg-run"; chown postgres "$DIR/pg-run"
PG_DATA="$DIR/pg"
# The fresh folder an earlier start moved to, while it still answers; otherwise the usual folder and port.
if [ -f "$DIR/pg-run/current" ] && read -r data port <"$DIR/pg-run/current" && [[ "$port" =~ ^[0-9]+$ ]] \
  && pg_serves "$data" "$port"; then
  PG_DATA="$data"; PG_PORT="$port"
elif ! pg_start "$PG_DATA" "$PG_PORT"; then
  echo "warning: PostgreSQL in $PG_DATA on port $PG_PORT did not start ($(tr '\n' ' ' <"$DIR/pg-run/start.err"));" \
    "its log ends: $(tail -n 5 "$DIR/pg-run/postgres.log" 2>/dev/null | tr '\n' ' ')" >&2
  PG_DATA="$DIR/pg-$(date +%s)"
  for PG_PORT in $(seq $((PG_PORT + 1)) $((PG_PORT + 50))); do
    port_taken "$PG_PORT" || break
  done
  pg_start "$PG_DATA" "$PG_PORT" || {
    echo "error: PostgreSQL did not start in a fresh folder either ($PG_DATA, port $PG_PORT): $(cat "$DIR/pg-run/start.err");" \
      "its log ends: $(tail -n 20 "$DIR/pg-run/postgres.log" 2>/dev/null)" >&2
    exit 1
  }
  echo "warning: using a fresh PostgreSQL folder $PG_DATA on port $PG_PORT instead" >&2
fi
echo "$PG_DATA $PG_PORT" >"$DIR/pg-run/current"

echo "SLURM_CONF=$SLURM_CONF"
echo "PALMLAB_TEST_POSTGRES=Host=127.0.0.1;Port=$PG_PORT;Username=palmlab;Database=postgres"
