#!/bin/bash
# Durable allocations/s through weftd's real API (unix socket) at 1, 8 and 64 concurrent clients, beside the
# ceiling of a no-op call through the same API and the disk's limit (synced RocksDB batches/s x batch size)
# measured in the same run; then recovery with 100k allocations in the store, and process start to ready.
#
#   mvn -B -q -ntp package -DskipTests -pl daemon,bench -am
#   bench/daemon-throughput.sh [SECONDS per measurement, default 10] [all|throughput|recovery]
#
# Everything runs on this machine's cores: the daemon and the load generator share them. Files go to a
# temporary folder that is removed at the end; every daemon started here is stopped here.
set -euo pipefail
secs=${1:-10}
what=${2:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
weftd="$root/daemon/target/weft/bin/weftd"
cp="$root/bench/target/classes:$root/daemon/target/weft/lib/*"
[ -x "$weftd" ] && [ -d "$root/bench/target/classes/dev/weft/bench/daemon" ] || {
  echo "build first: mvn -B -q -ntp package -DskipTests -pl daemon,bench -am" >&2; exit 2; }
work=$(mktemp -d /tmp/weft-bench.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

load() { java -XX:+UseSerialGC -cp "$cp" dev.weft.bench.daemon.DaemonLoad "$@"; }

# CPU seconds (user + system) the daemon has used so far
daemon_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat"; }

# measure MODE CLIENTS CONNECTIONS: one load run, with the CPU both sides spent per answered call (warm-up
# included)
measure() {
  local before after out all client
  before=$(daemon_cpu)
  out=$( { /usr/bin/time -f "client_cpu_s=%U+%S" java -XX:+UseSerialGC -Dweft.load.connections="$3" -cp "$cp" \
    dev.weft.bench.daemon.DaemonLoad "$1" "$sock" "$2" "$secs"; } 2>&1 )
  after=$(daemon_cpu)
  all=$(echo "$out" | grep -o 'all_ops=[0-9]*' | cut -d= -f2)
  client=$(echo "$out" | grep -o 'client_cpu_s=[0-9.+]*' | cut -d= -f2 | bc)
  echo "$(echo "$out" | grep '^mode=') connections=$3 daemon_cpu_us_per_op=$(echo "($after - $before) * 1000000 / $all" | bc)" \
    "client_cpu_us_per_op=$(echo "$client * 1000000 / $all" | bc) load=$(cut -d' ' -f1 /proc/loadavg)"
}

# start_daemon NAME: a lone weftd with its own data folder, socket and metrics port; waits until /readyz
# answers 200 and sets ready_ms to the milliseconds from launch to ready (not in a subshell: it sets pid).
start_daemon() {
  mport=$((20000 + RANDOM % 30000))
  sock="$work/$1.sock"
  local t0 t1
  t0=$(date +%s%N)
  WEFT_LOG_LEVEL=INFO "$weftd" --name bench --data-dir "$work/$1" --socket "$sock" \
    --listen 127.0.0.1:0 --metrics-address "127.0.0.1:$mport" >>"$work/$1.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$mport/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "weftd died:" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  ready_ms=$(((t1 - t0) / 1000000))
}

stop_daemon() { kill -TERM "$pid"; wait "$pid" || true; pid=""; }

# records and batches synced so far ("SUM COUNT"), from the daemon's own meters
batch_stats() {
  curl -sf "http://127.0.0.1:$mport/metrics" | awk '
    /^weft_batch_records_sum/ {s=$2} /^weft_batch_records_count/ {c=$2} END {print s + 0, c + 0}'
}

if [ "$what" != recovery ]; then
echo "# weftd throughput, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), ${secs}s per figure after 3s warm-up"
# CLIENTS/CONNECTIONS: every client on its own connection, as separate processes would be, and 64 clients
# sharing 8 connections (gRPC multiplexes calls on one connection), as one busy program would.
for spec in 1/1 8/8 64/64 64/8; do
  clients=${spec%/*}
  conns=${spec#*/}
  start_daemon "c$clients-$conns"
  # Warm the daemon's JIT on both paths first, so neither figure pays for the other's compilation.
  load allocate "$sock" 64 5 >/dev/null
  load noop "$sock" 64 5 >/dev/null
  measure noop "$clients" "$conns"
  read -r s0 c0 < <(batch_stats)
  measure allocate "$clients" "$conns"
  read -r s1 c1 < <(batch_stats)
  echo "mode=batch clients=$clients connections=$conns synced_batches=$(echo "$c1 - $c0" | bc)" \
    "mean_records_per_synced_batch=$(echo "scale=1; ($s1 - $s0) / ($c1 - $c0)" | bc)"
  stop_daemon
done
for batch in 1 8 64; do
  java -XX:+UseSerialGC -cp "$cp" dev.weft.bench.daemon.SyncProbe "$work/probe-$batch" "$batch" "$secs"
done

fi
[ "$what" = throughput ] && exit 0
echo "# recovery: 100k allocations in the store"
start_daemon rec
load fill "$sock" 100000
stop_daemon
for i in 1 2 3; do
  start_daemon rec
  recovered=$(grep -o 'store .* opened .* ms' "$work/rec.log" | tail -1 | sed 's/^store [^ ]* //')
  echo "mode=restart run=$i launch_to_ready_ms=$ready_ms $recovered"
  stop_daemon
done
