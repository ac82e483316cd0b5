#!/usr/bin/env bash
# A/B of builds on the multi-node job of bench/multinode.sh (a coordinator and 2 worker JVMs on
# 127.0.0.1, MNIST 10k, 784-256-128-10, SGD, 2 shards), the builds taking turns within each round
# so that the host's drifts hit them alike. Each DIR is a copy of the source tree, built
# (`mvn -o -q package -Dmaven.test.skip=true`), or any directory with an executable `dtrain` and
# `deploy/local-cluster.sh` (a wrapper that sets DTRAIN_JAVA_OPTS tries JVM or Akka settings).
# Prints samples/s per build and round: wall clock over the steps that begin after the first 10 s;
# and "other", the median over steps of a step's time outside compute, reduce and broadcast.
# Usage: bench/multinode_ab.sh BATCH STEPS ROUNDS DIR...
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 BATCH STEPS ROUNDS DIR..." >&2; exit 2; }
batch=$1; steps=$2; rounds=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
export OPENBLAS_NUM_THREADS=1
for r in $(seq 1 "$rounds"); do
  for d in "$@"; do
    n=$(basename "$d")
    PORT=${PORT:-25591} LOGS="$out/logs" DTRAIN="$d/dtrain" "$d/deploy/local-cluster.sh" 2 \
      --data "$here/../examples/data/mnist10k/train-images-idx3-ubyte.gz" --scale minmax \
      --layers 784,256,128,10 --optimizer sgd --lr 0.01 --lr-schedule constant \
      --batch-size "$batch" --steps "$steps" --shards 2 --quiet --metrics-every-step \
      --metrics-out "$out/$n-$r.csv" --save-model "$out/m.dtrm" >/dev/null 2>&1
    PYTHONPATH="$here" python3 - "$out/$n-$r.csv" "$batch" "$n" "$r" <<'PY'
import statistics, sys
import steps
f, batch, n, r = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = steps.measured(f, batch, 10000)
print(f"{n} round {r}: {steps.all_steps(rows, batch):,.0f} samples/s, compute "
      f"{steps.median_of(rows, 'compute_ms'):.2f} ms, reduce {steps.median_of(rows, 'reduce_ms'):.2f} ms, "
      f"other (median step) {steps.median_other(rows, batch):.2f} ms, "
      f"{len(rows)} steps")
PY
  done
done
