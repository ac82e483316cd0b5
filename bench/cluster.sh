#!/usr/bin/env bash
# The in-JVM actor cluster against PyTorch in one process, side by side in one session (issue 3's
# performance figures, docs/PERFORMANCE.md).
#
# dtrain: `dtrain train` on the bundled MNIST 10k training file (8,000 rows, no test set),
# 784-256-128-10 ReLU, softmax + cross-entropy, plain SGD, 2 worker actors, 2 shards (one per
# worker), with --metrics-every-step. A round's samples/s is wall-clock, timed as torch_step.py
# times torch (bench/steps.py): the steps that begin after the first WARMUP_MS of the job are cut
# into windows of about 1 s, each window's samples/s counts the time from the end of the step before
# it to the end of its last (so the work between steps counts too), and the round's figure is the
# median over windows, as torch's is the median over its 1 s rounds. "over all steps" is the plain
# wall-clock figure over every measured step. The component columns are medians over the same
# steps. WARMUP_MS (default 3000: the JIT compiles the step's Java code for the first 2-3 s, and on
# 2 cores its threads take CPU from the workers; torch_step.py likewise times after warm-up
# rounds). Each run lasts about 8-10 s. XOR 2-8-1 at batch 4 (2 workers, 2 shards) shows the
# coordination cost per step.
# torch: bench/torch_step.py with 2 intra-op threads (one process), the same MLP and batch.
# The two run alternately, R rounds, and the table shows medians over rounds.
#
# Usage: bench/cluster.sh [ROUNDS]          (default 3)
# Env:   TORCH_PY  python with torch (default /tmp/torchvenv/bin/python; made when missing)
#        KEEP      directory to keep the per-step CSVs in
#        WARMUP_MS steps that begin before this many ms of the job are left out (default 3000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${1:-3}
torch_py=${TORCH_PY:-/tmp/torchvenv/bin/python}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=2 MKL_NUM_THREADS=2
if ! "$torch_py" -c "import torch" 2>/dev/null; then
  "$repo/../shared/tools/torch-venv.sh" "$(dirname "$(dirname "$torch_py")")"
fi
out=${KEEP:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
"$repo/dtrain" --version >/dev/null # builds when stale

mlp() { # batch steps round
  # The training rows only (no --test-data): torch_step.py does no evaluation either, and with the
  # default job's 2,000 test rows an epoch of 8,000 rows would end every second step at batch 4096.
  "$repo/dtrain" train --data "$repo/examples/data/mnist10k/train-images-idx3-ubyte.gz" \
    --scale minmax --layers 784,256,128,10 --optimizer sgd --lr 0.01 --lr-schedule constant \
    --batch-size "$1" --steps "$2" --workers 2 --shards 2 --quiet \
    --metrics-every-step --metrics-out "$out/mlp$1-$3.csv" 2>/dev/null
}
xor() { # round
  "$repo/dtrain" train --data synthetic:xor --layers 2,8,1 --hidden-activation sigmoid \
    --output-activation sigmoid --loss mse --lr 0.5 --batch-size 4 --steps 200000 --workers 2 \
    --shards 2 --quiet --metrics-every-step --metrics-out "$out/xor4-$1.csv" 2>/dev/null
}

for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  mlp 4096 400 "$r"
  mlp 256 4000 "$r"
  xor "$r"
  "$torch_py" "$here/torch_step.py" --threads 2 --configs mlp256,mlp4096 --warmup 2 --rounds 3 \
    --seconds 1 2>/dev/null | sed "s/^/round $r /" >> "$out/torch.txt"
done

PYTHONPATH="$here" python3 - "$out" "$rounds" "${WARMUP_MS:-3000}" <<'PY'
import statistics, sys
import steps
out, rounds, warmup_ms = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def dtrain(cfg, batch):
    per = []
    for r in range(1, rounds + 1):
        rows = steps.measured(f"{out}/{cfg}-{r}.csv", batch, warmup_ms)
        p = {k: steps.median_of(rows, k) for k in ["compute_ms", "reduce_ms", "broadcast_ms"]}
        p["samples_per_s"] = steps.windowed(rows, batch) # as torch_step.py: median of ~1 s rounds
        p["all_steps"] = steps.all_steps(rows, batch)
        p["step_median_ms"] = batch / steps.median_of(rows, "samples_per_s") * 1e3
        per.append(p)
    return {k: statistics.median(p[k] for p in per) for k in per[0]}, [p["samples_per_s"] for p in per]
torch = {}
for line in open(f"{out}/torch.txt"):
    _, r, _, cfg, sps, us = line.split()
    torch.setdefault(cfg, []).append(float(sps))
print("| config | dtrain samples/s | over all steps | torch 2 threads samples/s | ratio | step ms | median step ms | compute ms | reduce ms | broadcast ms | other ms |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for cfg, batch in [("mlp4096", 4096), ("mlp256", 256), ("xor4", 4)]:
    d, rs = dtrain(cfg, batch)
    t = statistics.median(torch[cfg]) if cfg in torch else float("nan")
    step = batch / d['samples_per_s'] * 1e3
    print(f"| {cfg} | {d['samples_per_s']:,.0f} | {d['all_steps']:,.0f} | {t:,.0f} | {d['samples_per_s'] / t:.2f}x | "
          f"{step:.3f} | {d['step_median_ms']:.3f} | {d['compute_ms']:.3f} | {d['reduce_ms']:.3f} | "
          f"{d['broadcast_ms']:.3f} | {step - d['compute_ms'] - d['reduce_ms'] - d['broadcast_ms']:.3f} |")
    print(f"<!-- {cfg} dtrain per round: {', '.join(f'{x:,.0f}' for x in rs)}"
          + (f"; torch per round: {', '.join(f'{x:,.0f}' for x in torch[cfg])}" if cfg in torch else "") + " -->")
PY
