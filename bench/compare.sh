#!/usr/bin/env bash
# Side-by-side: dtrain (JMH) and PyTorch, one thread each, the same training step, run alternately
# in one session so that both see the same machine load. Prints medians over rounds and the ratio.
#
# Usage: bench/compare.sh [ROUNDS]        (default 3; or ROUNDS=5 bench/compare.sh)
# Env:   TORCH_PY   python with torch     (default /tmp/torchvenv/bin/python, made with
#                                          ../shared/tools/torch-venv.sh when missing)
#        JMH_OPTS   JMH options per round (default "-f 1 -wi 3 -w 1s -i 5 -r 1s")
#        TORCH_OPTS torch_step.py options  (default "--warmup 3 --rounds 5 --seconds 1")
#        KEEP       directory to keep the raw results in (default: a temp dir, removed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${1:-${ROUNDS:-3}}
jar="$here/target/benchmarks.jar"
torch_py=${TORCH_PY:-/tmp/torchvenv/bin/python}
jmh_opts=${JMH_OPTS:-"-f 1 -wi 3 -w 1s -i 5 -r 1s"}
torch_opts=${TORCH_OPTS:-"--warmup 3 --rounds 5 --seconds 1"}

# One BLAS / OpenMP thread everywhere; forked JMH JVMs inherit this environment.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# Build the jar when missing or older than any source it is made of.
if [ ! -f "$jar" ] || [ -n "$(find "$repo/common/src/main" "$repo/worker/src/main" "$here/src/main" \
     "$repo/pom.xml" "$repo/common/pom.xml" "$repo/worker/pom.xml" "$here/pom.xml" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
  echo "building $jar" >&2
  (cd "$repo" && { mvn -B -q -o install -DskipTests -pl bench -am || mvn -B -q install -DskipTests -pl bench -am; })
fi
if ! "$torch_py" -c "import torch" 2>/dev/null; then
  echo "making the torch venv at $(dirname "$(dirname "$torch_py")")" >&2
  "$repo/../shared/tools/torch-venv.sh" "$(dirname "$(dirname "$torch_py")")"
fi

out=${KEEP:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT

run_jmh() {
  # shellcheck disable=SC2086
  java -jar "$jar" 'org\.dtrain\.bench\.(TrainStep|XorStep)Benchmark' $jmh_opts -rf json -rff "$out/jmh-$1.json" \
    > "$out/jmh-$1.log" 2>&1 || { tail -40 "$out/jmh-$1.log" >&2; exit 1; }
}
run_torch() {
  # shellcheck disable=SC2086
  "$torch_py" "$here/torch_step.py" $torch_opts > "$out/torch-$1.txt" 2> "$out/torch-$1.log" \
    || { cat "$out/torch-$1.log" >&2; exit 1; }
}

for ((i = 1; i <= rounds; i++)); do
  # Alternate which side goes first, so neither always runs on the cooler (or hotter) machine.
  echo "round $i/$rounds ($(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  if ((i % 2)); then run_jmh "$i"; run_torch "$i"; else run_torch "$i"; run_jmh "$i"; fi
done

python3 - "$out" "$rounds" <<'PY'
import json, statistics as st, sys
out, rounds = sys.argv[1], int(sys.argv[2])
dt = {}  # config -> [per-round median µs/step]
tt = {}
for i in range(1, rounds + 1):
    for b in json.load(open(f"{out}/jmh-{i}.json")):
        name = b["benchmark"].rsplit(".", 2)[-2]
        if name not in ("TrainStepBenchmark", "XorStepBenchmark"):
            continue  # jmh-*.json of an older run may hold other benchmarks
        if b["primaryMetric"]["scoreUnit"] != "us/op":
            raise SystemExit("expected us/op, found " + b["primaryMetric"]["scoreUnit"])
        cfg = "xor4" if name == "XorStepBenchmark" else "mlp" + b["params"]["batch"]
        iters = [v for fork in b["primaryMetric"]["rawData"] for v in fork]
        dt.setdefault(cfg, []).append(st.median(iters))
    for line in open(f"{out}/torch-{i}.txt"):
        if line.startswith("RESULT"):
            _, cfg, _sps, us = line.split()
            tt.setdefault(cfg, []).append(float(us))
batch = lambda cfg: 4 if cfg == "xor4" else int(cfg[3:])
label = {"mlp64": "784-256-128-10 b=64", "mlp256": "784-256-128-10 b=256",
         "mlp4096": "784-256-128-10 b=4096", "xor4": "XOR 2-8-1 b=4"}
print(f"rounds: {rounds} (medians over rounds of per-round medians)")
print()
print("| config | dtrain samples/s | torch samples/s | ratio dtrain/torch | dtrain µs/step | torch µs/step |")
print("|---|---:|---:|---:|---:|---:|")
for cfg in ["mlp64", "mlp256", "mlp4096", "xor4"]:
    if cfg not in dt or cfg not in tt:
        continue
    d, t = st.median(dt[cfg]), st.median(tt[cfg])
    m = batch(cfg)
    print(f"| {label[cfg]} | {m / d * 1e6:,.0f} | {m / t * 1e6:,.0f} | {t / d:.2f}x | {d:,.1f} | {t:,.1f} |")
print()
print("per round, µs/step (dtrain | torch):")
for cfg in ["mlp64", "mlp256", "mlp4096", "xor4"]:
    if cfg in dt and cfg in tt:
        print(f"  {cfg:8s} " + "  ".join(f"{a:,.1f}|{b:,.1f}" for a, b in zip(dt[cfg], tt[cfg])))
PY
