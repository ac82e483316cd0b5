#!/usr/bin/env bash
# Multi-node on loopback: a coordinator and 2 worker JVMs (deploy/local-cluster.sh), against PyTorch
# DDP with gloo and 2 ranks, alternately in one session (issue 4's figures, docs/PERFORMANCE.md).
# dtrain runs twice per round: tensors over the Netty data links (the default) and over Artery.
#
# dtrain: the MNIST 10k training file (8,000 rows, no test set: DDP evaluates nothing either),
# 784-256-128-10, SGD lr 0.01, 2 shards (one per worker process), per-step metrics. A round's
# samples/s is wall-clock over the steps that begin after the first WARMUP_MS of the job (default
# 10000: three JVMs compile on two cores for about that long), the median over windows of about
# 1 s as torch_ddp.py's is over its 1 s rounds (bench/steps.py); "over all steps" is the plain
# figure. The other columns are medians over the same steps; "other" is the step (from the
# windowed figure) less those medians, "other, median step" the median over steps of each step's
# time less its own compute, reduce and broadcast: the transfers of a typical step, to set beside
# gloo's all_reduce (the first also carries the slow steps). torch_ddp.py times that all_reduce bare
# and right after each rank's compute of a step at that batch: the like-for-like figure.
# Usage: bench/multinode.sh [ROUNDS]   (default 3)
# Env:   TORCH_PY, KEEP (as bench/cluster.sh); WARMUP_MS; PLANES (default "netty artery")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${1:-3}
torch_py=${TORCH_PY:-/tmp/torchvenv/bin/python}
export OPENBLAS_NUM_THREADS=1
if ! "$torch_py" -c "import torch" 2>/dev/null; then
  "$repo/../shared/tools/torch-venv.sh" "$(dirname "$(dirname "$torch_py")")"
fi
out=${KEEP:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
"$repo/dtrain" --version >/dev/null

run() { # batch steps round plane
  PORT=${PORT:-25599} LOGS="$out/logs" "$repo/deploy/local-cluster.sh" 2 --data-plane "$4" \
    --data "$repo/examples/data/mnist10k/train-images-idx3-ubyte.gz" --scale minmax \
    --layers 784,256,128,10 \
    --optimizer sgd --lr 0.01 --lr-schedule constant --batch-size "$1" --steps "$2" --shards 2 \
    --quiet --metrics-every-step --metrics-out "$out/$4$1-$3.csv" --save-model "$out/m.dtrm" \
    >/dev/null 2>&1
}
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  for plane in ${PLANES:-netty artery}; do
    run 4096 700 "$r" "$plane"
    run 256 6000 "$r" "$plane"
  done
  # without dtrain's OPENBLAS_NUM_THREADS=1, which makes the two gloo ranks hang at start here
  { timeout 300 env -u OPENBLAS_NUM_THREADS "$torch_py" "$here/torch_ddp.py" --rounds 3 --port $((29500 + RANDOM % 2000)) 2>/dev/null \
      || echo "round $r: DDP did not finish in 300 s" >&2; } | sed "s/^/round $r /" >> "$out/ddp.txt"
done
PYTHONPATH="$here" python3 - "$out" "$rounds" "${WARMUP_MS:-10000}" "${PLANES:-netty artery}" <<'PY'
import statistics, sys
import steps
out, rounds, warmup_ms, planes = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4].split()
ddp = {}
for line in open(f"{out}/ddp.txt"):
    f = line.split()
    ddp.setdefault(f[3], []).append(float(f[4]))
print("| config | tensors over | dtrain samples/s | over all steps | DDP gloo 2 ranks samples/s | ratio | step ms | compute ms | reduce ms | broadcast ms | other ms | other ms, median step |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for b in (4096, 256):
    t = statistics.median(ddp[f"ddp{b}"])
    for plane in planes:
        per = []
        for r in range(1, rounds + 1):
            rows = steps.measured(f"{out}/{plane}{b}-{r}.csv", b, warmup_ms)
            p = {k: steps.median_of(rows, k) for k in ["compute_ms", "reduce_ms", "broadcast_ms"]}
            p["samples_per_s"] = steps.windowed(rows, b) # as torch_ddp.py: median of ~1 s rounds
            p["all_steps"] = steps.all_steps(rows, b)
            p["other_median"] = steps.median_other(rows, b)
            per.append(p)
        d = {k: statistics.median(p[k] for p in per) for k in per[0]}
        step = b / d['samples_per_s'] * 1e3
        print(f"| batch {b} | {plane} | {d['samples_per_s']:,.0f} | {d['all_steps']:,.0f} | {t:,.0f} | {d['samples_per_s'] / t:.2f}x | "
              f"{step:.3f} | {d['compute_ms']:.3f} | {d['reduce_ms']:.3f} | "
              f"{d['broadcast_ms']:.3f} | {step - d['compute_ms'] - d['reduce_ms'] - d['broadcast_ms']:.3f} | "
              f"{d['other_median']:.3f} |")
        fmt = lambda xs: ", ".join(format(x, ",.0f") for x in xs)
        print(f"<!-- batch {b} {plane} per round: {fmt(p['samples_per_s'] for p in per)}; "
              f"DDP per round: {fmt(ddp['ddp' + str(b)])} -->")
print(f"\ngloo all_reduce of 235,146 floats: median {statistics.median(ddp['allreduce']):,.0f} µs "
      f"(per round: {', '.join(format(x, ',.0f') for x in ddp['allreduce'])})")
for b in (4096, 256):
    k = f"allreduce_after{b}"
    if k in ddp:
        print(f"gloo all_reduce right after a rank's compute at batch {b} (beside \"other, median step\"): "
              f"median {statistics.median(ddp[k]):,.0f} µs (per round: {', '.join(format(x, ',.0f') for x in ddp[k])})")
PY
