#!/bin/bash
# What one host-routes round costs in the kernel and in iproute2: weftd's `ip -force -batch -` of N route
# replaces (all new: the first round on a node of an N-range cluster), the listing it does before and after
# (`ip -4 -json -N route show table main`), and deleting them again, in a network namespace made here (the
# machine's own table is not touched) with a veth standing for the node's uplink. Prints the load average too:
# figures taken while other jobs load the machine are upper bounds.
# Needs: root, iproute2, python3.  Usage: bench/host-routes.sh [N=5000] [REPEATS=3]
set -euo pipefail
N=${1:-5000}
REPEATS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "host-routes bench: needs root (network namespaces)" >&2; exit 2; }
ns=weft-routes-bench-$$
work=$(mktemp -d /tmp/weft-routes-bench.XXXXXX)
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add up0 type veth peer name up1
ip -n "$ns" link set up0 up
ip -n "$ns" link set up1 up
ip -n "$ns" addr add 192.168.77.1/24 dev up0
# N distinct /28 blocks of 10.32.0.0/12, spread over 200 gateways on the uplink, as weftd writes them (proto 87)
python3 - "$N" >"$work/add" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    base = (10 << 24) + (32 << 16) + i * 16
    a = ".".join(str((base >> s) & 255) for s in (24, 16, 8, 0))
    print(f"route replace {a}/28 via 192.168.77.{2 + i % 200} proto 87")
PY
sed 's/replace/del/; s/ via [0-9.]*//' "$work/add" >"$work/del"
ms() { echo $(( ($2 - $1) / 1000000 )); }
for r in $(seq 1 "$REPEATS"); do
  t0=$(date +%s%N); ip -n "$ns" -force -batch - <"$work/add"
  t1=$(date +%s%N); ip -n "$ns" -4 -json -N route show table main >"$work/list"
  t2=$(date +%s%N); ip -n "$ns" -force -batch - <"$work/add"
  t3=$(date +%s%N); ip -n "$ns" -force -batch - <"$work/del"
  t4=$(date +%s%N)
  echo "run $r: $N routes: add $(ms $t0 $t1) ms, list $(ms $t1 $t2) ms ($(wc -c <"$work/list") bytes)," \
    "replace unchanged $(ms $t2 $t3) ms, delete $(ms $t3 $t4) ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
