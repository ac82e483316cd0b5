#!/usr/bin/env bash
# Where a multi-node step's time goes, point by point (docs/PERFORMANCE.md, seventh session).
# Builds an instrumented copy of this checkout's HEAD (step-trace.patch applied in a temporary
# directory; the checkout is not touched), runs a coordinator and 2 worker JVMs on 127.0.0.1
# (deploy/local-cluster.sh) on MNIST 10k, 784-256-128-10, SGD, 2 shards, and prints for each step's
# later worker (the one whose gradient reached the coordinator last) the median time of each point
# after the coordinator began sending the weights, over the steps after the first 30%.
# Usage: bench/trace/run.sh [BATCH] [STEPS]        (default 4096 700)
# Env:   KEEP=DIR keeps the instrumented tree and the traces there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
batch=${1:-4096}; steps=${2:-700}
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work/tree" "$work/trace"; mkdir -p "$work/tree" "$work/trace"
git -C "$repo" archive HEAD | tar -x -C "$work/tree"
if ! patch -s -d "$work/tree" -p1 < "$here/step-trace.patch"; then
  echo "run.sh: step-trace.patch no longer applies to HEAD; its points need porting" >&2; exit 1
fi
(cd "$work/tree" && mvn -B -q -o -Dmaven.test.skip=true package >&2 2>/dev/null \
  || mvn -B -q -Dmaven.test.skip=true package >&2)
export OPENBLAS_NUM_THREADS=1 DTRAIN_TRACE_DIR="$work/trace"
PORT=${PORT:-25593} LOGS="$work/trace/logs" DTRAIN="$work/tree/dtrain" "$work/tree/deploy/local-cluster.sh" 2 \
  --data "$repo/examples/data/mnist10k/train-images-idx3-ubyte.gz" --scale minmax \
  --layers 784,256,128,10 --optimizer sgd --lr 0.01 --lr-schedule constant \
  --batch-size "$batch" --steps "$steps" --shards 2 --quiet \
  --save-model "$work/trace/m.dtrm" >/dev/null
python3 "$here/analyse.py" "$work/trace"
