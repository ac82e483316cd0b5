#!/usr/bin/env bash
# Multi-node on loopback: a coordinator and 2 worker JVMs (deploy/local-cluster.sh), against PyTorch
# DDP with gloo and 2 ranks, alternately in one session (issue 4's figures, docs/PERFORMANCE.md).
# dtrain runs twice per round: tensors over the Netty data links (the default) and over Artery.
#
# dtrain: MNIST 10k, 784-256-128-10, SGD lr 0.01, 2 shards (one per worker process), per-step
# metrics; a round's figure is the median over its steps after the first fifth.
# Usage: bench/multinode.sh [ROUNDS]   (default 3)   Env: TORCH_PY, KEEP (as bench/cluster.sh)
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
    --layers 784,256,128,10 \
    --optimizer sgd --lr 0.01 --lr-schedule constant --batch-size "$1" --steps "$2" --shards 2 \
    --quiet --metrics-every-step --metrics-out "$out/$4$1-$3.csv" --save-model "$out/m.dtrm" \
    >/dev/null 2>&1
}
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  for plane in netty artery; do
    run 4096 60 "$r" "$plane"
    run 256 600 "$r" "$plane"
  done
  # without dtrain's OPENBLAS_NUM_THREADS=1, which makes the two gloo ranks hang at start here
  { timeout 300 env -u OPENBLAS_NUM_THREADS "$torch_py" "$here/torch_ddp.py" --rounds 3 --port $((29500 + RANDOM % 2000)) 2>/dev/null \
      || echo "round $r: DDP did not finish in 300 s" >&2; } | sed "s/^/round $r /" >> "$out/ddp.txt"
done
python3 - "$out" "$rounds" <<'PY'
import csv, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
ddp = {}
for line in open(f"{out}/ddp.txt"):
    f = line.split()
    ddp.setdefault(f[3], []).append(float(f[4]))
print("| config | tensors over | dtrain samples/s | DDP gloo 2 ranks samples/s | ratio | step ms | compute ms | reduce ms | broadcast ms | idle % |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for b in (4096, 256):
    t = statistics.median(ddp[f"ddp{b}"])
    for plane in ("netty", "artery"):
        per = []
        for r in range(1, rounds + 1):
            rows = list(csv.DictReader(open(f"{out}/{plane}{b}-{r}.csv")))
            rows = rows[len(rows) // 5:]
            per.append({k: statistics.median(float(x[k]) for x in rows) for k in
                        ["samples_per_s", "compute_ms", "reduce_ms", "broadcast_ms", "idle_pct"]})
        d = {k: statistics.median(p[k] for p in per) for k in per[0]}
        print(f"| batch {b} | {plane} | {d['samples_per_s']:,.0f} | {t:,.0f} | {d['samples_per_s'] / t:.2f}x | "
              f"{b / d['samples_per_s'] * 1e3:.3f} | {d['compute_ms']:.3f} | {d['reduce_ms']:.3f} | "
              f"{d['broadcast_ms']:.3f} | {d['idle_pct']:.1f} |")
        fmt = lambda xs: ", ".join(format(x, ",.0f") for x in xs)
        print(f"<!-- batch {b} {plane} per round: {fmt(p['samples_per_s'] for p in per)}; "
              f"DDP per round: {fmt(ddp['ddp' + str(b)])} -->")
print(f"\ngloo all_reduce of 235,146 floats: median {statistics.median(ddp['allreduce']):,.0f} µs "
      f"(per round: {', '.join(format(x, ',.0f') for x in ddp['allreduce'])})")
PY
