#!/bin/sh
# measure-footprint.sh: the figures the DaemonSet's resource requests and limits come from. Starts one weftd
# from deploy/target/image with the image's JVM flags, on loopback with its data in a temporary folder, and
# prints its resident memory (VmRSS, VmHWM) and CPU time: once ready, then after PODS sequential CNI ADDs of
# distinct containers through the native weft-ipam, then after as many DELs.
#
# usage: deploy/measure-footprint.sh [PODS]        (after mvn -B -q -ntp package -pl deploy -am -DskipTests)
#   JAVA_HOME: the JVM to run (the image runs Temurin 25); JAVA_OPTS: as the Dockerfile's ENV (default below);
#   an AOT cache made by train-aot is used when JAVA_OPTS names one.
set -eu
pods=${1:-1000}
here=$(cd "$(dirname "$0")" && pwd)
image="$here/target/image"
[ -x "$image/bin/weftd" ] || { echo "no $image: run mvn -B -q -ntp package -pl deploy -am -DskipTests" >&2; exit 2; }
export JAVA_OPTS="${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow}"
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 1" INT TERM HUP
"$image/bin/weftd" --name footprint --data-dir "$work/data" --socket "$work/weft.sock" \
  --listen 127.0.0.1:0 --metrics-address 127.0.0.1:0 >"$work/weftd.log" 2>&1 &
pid=$!
deadline=$(($(date +%s) + 120))
until [ -S "$work/cni.sock" ] && WEFT_SOCKET="$work/weft.sock" "$image/bin/weft" status >/dev/null 2>&1; do
  if [ "$(date +%s)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then cat "$work/weftd.log" >&2; exit 1; fi
  sleep 0.5
done
show() {
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  printf '%-28s %s  %s  cpu %.2f s  load %s\n' "$1" "$(grep VmRSS "/proc/$pid/status" | tr -s ' \t' ' ')" \
    "$(grep VmHWM "/proc/$pid/status" | tr -s ' \t' ' ')" "$(echo "$ticks / $(getconf CLK_TCK)" | bc -l)" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}
show "ready"
conf='{"cniVersion":"1.0.0","name":"weft","type":"bridge","ipam":{"type":"weft-ipam"}}'
cni() {
  printf '%s' "$conf" | CNI_COMMAND=$1 CNI_CONTAINERID="pod-$2" CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 \
    CNI_PATH=/opt/cni/bin WEFT_CNI_SOCKET="$work/cni.sock" WEFT_CNI_SPOOL="$work/spool" \
    "$image/cni/weft-ipam" >/dev/null || { echo "CNI $1 pod-$2 failed" >&2; exit 1; }
}
i=0; while [ "$i" -lt "$pods" ]; do cni ADD "$i"; i=$((i + 1)); done
show "after $pods ADDs"
i=0; while [ "$i" -lt "$pods" ]; do cni DEL "$i"; i=$((i + 1)); done
show "after $pods DELs"
