#!/bin/bash
# Side-by-side CNI ADD cost of weft-ipam's two builds against Debian's host-local, run in one go.
#   1. whole-process ADD latency (hyperfine, median and p99 over RUNS runs) of: /bin/true (the fork/exec
#      floor), host-local, weft-ipam native, weft-ipam Java on JDK 17 (AppCDS) and on JDK 25 (AOT cache)
#      when one is installed. Each timed ADD is a new allocation: hyperfine's --prepare (not timed) DELs
#      the attachment first, so weft writes and syncs a record every time.
#   2. a burst: BURST ADDs of distinct containers at PARALLEL-way concurrency through each.
# Needs: mvn package done (daemon and cni-shim), hyperfine, /usr/lib/cni/host-local, python3.
# Usage: bench/cni-bench.sh [RUNS=100] [BURST=1000] [PARALLEL=32]   (env vars)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-100}
BURST=${BURST:-1000}
PARALLEL=${PARALLEL:-32}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
native=$root/cni-shim/target/weft-ipam/native/weft-ipam
javab=$root/cni-shim/target/weft-ipam/java/weft-ipam
weftd=$root/daemon/target/weft/bin/weftd
hostlocal=/usr/lib/cni/host-local
for f in "$native" "$javab" "$weftd" "$hostlocal"; do
  [ -x "$f" ] || { echo "cni-bench: $f is missing: run mvn package (and apt-get install containernetworking-plugins)" >&2; exit 2; }
done
command -v hyperfine >/dev/null || { echo "cni-bench: apt-get install -y hyperfine" >&2; exit 2; }

work=$(mktemp -d /tmp/weft-cni-bench.XXXXXX)
pid=
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# weftd alone on loopback, its state in the work folder
"$weftd" --name bench --data-dir "$work/data" --socket "$work/api.sock" --cni-socket "$work/cni.sock" \
  --cni-spool "$work/spool" --cni-notes "$work/notes" --listen 127.0.0.1:0 --metrics-address 127.0.0.1:0 \
  >"$work/weftd.log" 2>&1 &
pid=$!
echo '{"cniVersion":"1.1.0","name":"bench","type":"bridge","ipam":{"type":"weft-ipam"}}' >"$work/weft.json"
echo "{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.50.0.0/16\",\"dataDir\":\"$work/host-local\"}}" >"$work/hl.json"
export CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni
export WEFT_CNI_SOCKET=$work/cni.sock WEFT_CNI_SPOOL=$work/spool
for _ in $(seq 1 600); do
  CNI_COMMAND=STATUS "$native" <"$work/weft.json" >/dev/null 2>&1 && break
  sleep 0.1
done
CNI_COMMAND=STATUS "$native" <"$work/weft.json" >/dev/null || { echo "weftd did not come up:"; cat "$work/weftd.log"; exit 1; }

names=(true host-local weft-native weft-java17)
adds=("/bin/true <$work/weft.json"
      "CNI_COMMAND=ADD $hostlocal <$work/hl.json"
      "CNI_COMMAND=ADD $native <$work/weft.json"
      "CNI_COMMAND=ADD $javab <$work/weft.json")
dels=("/bin/true"
      "CNI_COMMAND=DEL $hostlocal <$work/hl.json"
      "CNI_COMMAND=DEL $native <$work/weft.json"
      "CNI_COMMAND=DEL $native <$work/weft.json")
# The same round trip with no disk write: what the protocol and the plugin's start cost without the sync.
names+=(weft-status)
adds+=("CNI_COMMAND=STATUS $native <$work/weft.json")
dels+=("/bin/true")
if [ -x "$JDK25" ] && [ -f "${javab%/*}/weft-ipam.aot" ]; then
  names+=(weft-java25)
  adds+=("CNI_COMMAND=ADD WEFT_JAVA=$JDK25 WEFT_JAVA_AOT=1 $javab <$work/weft.json")
  dels+=("CNI_COMMAND=DEL $native <$work/weft.json")
fi

echo "== whole-process ADD latency, $RUNS runs each (ms) =="
printf '%-12s %8s %8s %8s %10s\n' build median p99 mean "x host-local"
hl_median=
for i in "${!names[@]}"; do
  hyperfine --style none --warmup 5 --runs "$RUNS" --prepare "${dels[$i]} >/dev/null" \
    --export-json "$work/${names[$i]}.json" "${adds[$i]} >/dev/null" >/dev/null 2>>"$work/hyperfine.log"
  read -r median p99 mean < <(python3 - "$work/${names[$i]}.json" <<'PY'
import json, sys
t = sorted(json.load(open(sys.argv[1]))["results"][0]["times"])
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"{p(0.5)*1000:.2f} {p(0.99)*1000:.2f} {sum(t)/len(t)*1000:.2f}")
PY
)
  [ "${names[$i]}" = host-local ] && hl_median=$median
  ratio=$( [ -n "$hl_median" ] && python3 -c "print(f'{$median/$hl_median:.2f}')" || echo "-")
  printf '%-12s %8s %8s %8s %10s\n' "${names[$i]}" "$median" "$p99" "$mean" "$ratio"
done

echo
echo "== burst: $BURST ADDs of distinct containers at $PARALLEL-way concurrency =="
printf '%-12s %9s %8s %12s\n' build seconds failed "x host-local"
burst() { # name, plugin command prefix, config
  local start end failed
  start=$(date +%s.%N)
  failed=$(seq 1 "$BURST" | xargs -P "$PARALLEL" -I{} sh -c "CNI_CONTAINERID=$1-{} CNI_COMMAND=ADD $2 <$3 >/dev/null 2>&1 || echo x" | wc -l)
  end=$(date +%s.%N)
  python3 -c "print(f'{$end-$start:.2f}')"
  echo "$failed" >"$work/$1.failed"
}
hl_burst=$(burst hl "$hostlocal" "$work/hl.json")
printf '%-12s %9s %8s %12s\n' host-local "$hl_burst" "$(cat "$work/hl.failed")" 1.00
for b in native java17; do
  cmd=$native; [ $b = java17 ] && cmd=$javab
  s=$(burst "$b" "$cmd" "$work/weft.json")
  printf '%-12s %9s %8s %12s\n' "weft-$b" "$s" "$(cat "$work/$b.failed")" "$(python3 -c "print(f'{$s/$hl_burst:.2f}')")"
done
echo
python3 - "$work/fsync-probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY)
os.posix_fallocate(fd, 0, 1 << 20)
t = []
for i in range(200):
    os.pwrite(fd, b"x" * 100, i * 100)
    s = time.perf_counter(); os.fdatasync(fd); t.append((time.perf_counter() - s) * 1000)
t.sort()
print(f"the durable-write floor on this disk now: fdatasync of a 100-byte append, median {t[100]:.2f} ms, p99 {t[198]:.2f} ms")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores; $(uname -r); hyperfine $(hyperfine --version | cut -d' ' -f2)"
