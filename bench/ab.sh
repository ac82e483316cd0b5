#!/usr/bin/env bash
# A/B of two builds of dtrain in one session: the in-JVM cluster job of bench/cluster.sh (MNIST 10k
# training rows, 784-256-128-10, SGD, 2 workers), run by each build in turn, ROUNDS times, so that
# both see the same machine. Prints one line per run: samples/s over the steps that begin after the
# first 3 s (wall-clock over all of them, and the median of ~1 s windows as cluster.sh reports it;
# bench/steps.py), and the medians of compute_ms and reduce_ms.
#
# Usage: bench/ab.sh BATCH STEPS ROUNDS DIR_A DIR_B [DIR_C ...]
#   DIR_*: checkouts built with `mvn -B -o -q package -DskipTests` (not `install`: the checkouts
#   must not replace each other's jars in ~/.m2); each is run through its own ./dtrain.
# Env:   SHARDS (default 2), EXTRA (more train options), KEEP (directory for the per-step CSVs)
# Example: git worktree add /tmp/base HEAD~1 && (cd /tmp/base && mvn -B -o -q package -DskipTests)
#          bench/ab.sh 4096 400 3 /tmp/base .
set -euo pipefail
[ $# -ge 5 ] || { sed -n 2,13p "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
batch=$1 steps=$2 rounds=$3
shift 3
out=${KEEP:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
export OPENBLAS_NUM_THREADS=1
for r in $(seq 1 "$rounds"); do
  i=0
  for d in "$@"; do
    i=$((i + 1))
    csv="$out/$i-$r.csv"
    # shellcheck disable=SC2086
    "$d/dtrain" train --data "$repo/examples/data/mnist10k/train-images-idx3-ubyte.gz" \
      --scale minmax --layers 784,256,128,10 --optimizer sgd --lr 0.01 --lr-schedule constant \
      --batch-size "$batch" --steps "$steps" --workers 2 --shards "${SHARDS:-2}" --quiet \
      --metrics-every-step --metrics-out "$csv" ${EXTRA:-} >/dev/null 2>&1
    PYTHONPATH="$here" python3 - "$csv" "$batch" "$d" "$r" <<'PY'
import sys
import steps
f, batch, name, r = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = steps.measured(f, batch, 3000)
print(f"{name} round {r}: {steps.all_steps(rows, batch):,.0f} samples/s over all steps, "
      f"{steps.windowed(rows, batch):,.0f} in 1 s windows (median), "
      f"compute {steps.median_of(rows, 'compute_ms'):.2f} ms, "
      f"reduce {steps.median_of(rows, 'reduce_ms'):.2f} ms ({len(rows)} steps)")
PY
  done
done
