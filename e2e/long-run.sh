#!/bin/sh
# Runs the network-namespace fault test (ClusterUnderFaultsIT) with one seed for a given number of minutes:
# the planned faults first, then rounds of kill -9 and cuts among the survivors until the time is up.
#   e2e/long-run.sh SEED MINUTES        (as root; needs iproute2, tc, curl, gcc, a JDK 17 and Maven)
# On failure it prints the seed, so the same run can be replayed, and keeps the test's report and the daemons' logs
# (target/failsafe-reports, target/e2e-SEED.txt).
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 SEED MINUTES   (for example: $0 42 30)" >&2
  exit 2
fi
seed=$1
minutes=$2
case "$seed" in ''|*[!0-9]*) echo "SEED must be a whole number, not '$seed'" >&2; exit 2;; esac
case "$minutes" in ''|*[!0-9.]*) echo "MINUTES must be a number, not '$minutes'" >&2; exit 2;; esac
cd "$(dirname "$0")/.." || exit 2
if WEFT_STRICT_TESTS=1 mvn -B -ntp verify -pl e2e -am -Dweft.sim.seeds=20 \
    -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=ClusterUnderFaultsIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dweft.e2e.seed="$seed" -Dweft.e2e.minutes="$minutes"; then
  echo "e2e long run PASSED: seed $seed, $minutes minutes (report: e2e/target/e2e-$seed.txt)"
else
  echo "e2e long run FAILED with seed $seed ($minutes minutes): replay with $0 $seed $minutes" >&2
  exit 1
fi
