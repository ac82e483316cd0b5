#!/usr/bin/env bash
# A coordinator and K worker JVMs on 127.0.0.1: the multi-node path on one machine.
#
# Usage: deploy/local-cluster.sh K [train options...]
#   e.g. deploy/local-cluster.sh 3 --data examples/data/iris.csv --layers auto,16,auto --shards 8
# Env:   DTRAIN    the launcher to run (default: the repository's ./dtrain, else bin/dtrain beside)
#        PORT      the coordinator's cluster port (default 25520)
#        LOGS      directory for the workers' logs (default: a temporary directory)
#
# Waits for the job, prints where the model went (default: local-cluster.dtrm), and stops every
# process it started, by PID, on exit or Ctrl-C. Exits with the coordinator's exit code.
set -euo pipefail
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ]; then
  echo "usage: $0 K [train options...]   (K = number of worker processes, at least 1)" >&2
  exit 2
fi
k=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${DTRAIN:-}" ]; then dtrain=$DTRAIN
elif [ -x "$here/../dtrain" ]; then dtrain="$here/../dtrain"
else dtrain="$here/bin/dtrain"; fi
port=${PORT:-25520}
logs=${LOGS:-$(mktemp -d)}
mkdir -p "$logs"

model=""
prev=""
for a in "$@"; do
  [ "$prev" = "--save-model" ] && model=$a
  case $a in --save-model=*) model=${a#--save-model=} ;; esac
  prev=$a
done
extra=()
if [ -z "$model" ]; then model=local-cluster.dtrm; extra=(--save-model "$model"); fi

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$dtrain" --version >/dev/null  # build once, before K+1 JVMs start
"$dtrain" coordinator --workers "$k" --bind 127.0.0.1 --port "$port" "$@" "${extra[@]}" &
coordinator=$!
pids+=("$coordinator")
for i in $(seq 1 "$k"); do
  "$dtrain" worker --coordinator "127.0.0.1:$port" >"$logs/worker-$i.log" 2>&1 &
  pids+=("$!")
done
echo "local-cluster: coordinator (pid $coordinator) and $k workers on 127.0.0.1:$port; worker logs in $logs" >&2
set +e
wait "$coordinator"
rc=$?
set -e
if [ $rc -eq 0 ]; then
  echo "local-cluster: model saved to $model"
else
  echo "local-cluster: the coordinator exited with $rc; worker logs in $logs" >&2
fi
exit $rc
