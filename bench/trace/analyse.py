"""Reads the traces of bench/trace/run.sh (one file per JVM: c-PID.txt for the coordinator,
w-PID.txt per worker) and prints where the steps' time went. Times are microseconds after the
coordinator began sending the step's weights (point 0), medians over the steps after the first 30%.
"""
import glob
import statistics
import sys

d = sys.argv[1]


def load(path):
    ids, rows = {}, {}
    for line in open(path):
        if line.startswith("# id"):
            _, _, w, i = line.split()
            ids[w] = int(i)
        else:
            x = list(map(int, line.split()))
            rows[x[0]] = x[1:]
    return ids, rows


cids, c = load(glob.glob(d + "/c-*.txt")[0])  # coordinator; worker i's points are per link
ws = {}
for f in glob.glob(d + "/w-*.txt"):
    ids, r = load(f)
    (w,) = ids.keys()
    ws[cids[w]] = r
steps = sorted(c)
steps = [s for s in steps[int(len(steps) * 0.3):-2] if s + 1 in c]
med = lambda xs: statistics.median(list(xs))
# (name, point of step s for worker i); in step order along a worker's path
points = [
    ("coordinator: weights frame written to the socket", lambda s, i: c[s][2 + i]),
    ("worker: first bytes read", lambda s, i: ws[i][s][10]),
    ("worker: frame complete, decode starts", lambda s, i: ws[i][s][17]),
    ("worker: weights decoded", lambda s, i: ws[i][s][11]),
    ("worker actor: the step starts", lambda s, i: ws[i][s][12]),
    ("worker: weights copied in", lambda s, i: ws[i][s][19]),
    ("worker: compute done", lambda s, i: ws[i][s][13]),
    ("worker: gradient's frame ready", lambda s, i: ws[i][s][15]),
    ("worker: gradient written to the socket", lambda s, i: ws[i][s][16]),
    ("coordinator: first bytes read", lambda s, i: c[s][4 + i]),
    ("coordinator: frame complete, decode starts", lambda s, i: c[s][18 + i]),
    ("coordinator: gradient decoded", lambda s, i: c[s][6 + i]),
    ("coordinator actor: has the gradient", lambda s, i: c[s][8 + i]),
    ("coordinator: next step's weights begin", lambda s, i: c[s + 1][0]),
]
late = {s: 0 if c[s][6] > c[s][7] else 1 for s in steps}
print(f"{len(steps)} steps; the later worker of each step, us after the weights begin:")
print(f"  {'point':45s} {'at':>8s} {'since the point before':>22s}")
prev = None
for name, f in points:
    at = med((f(s, late[s]) - c[s][0]) / 1e3 for s in steps)
    since = "" if prev is None else f"{med((f(s, late[s]) - prev(s, late[s])) / 1e3 for s in steps):.0f}"
    print(f"  {name:45s} {at:8.0f} {since:>22s}")
    prev = f
dt = sorted((c[s + 1][0] - c[s][0]) / 1e3 for s in steps)
n = len(dt)
print(f"step: median {dt[n // 2]:.0f} us, mean {sum(dt) / n:.0f}, p90 {dt[9 * n // 10]:.0f}, "
      f"p99 {dt[99 * n // 100]:.0f}")
print("legs (medians): weights in (to the later worker's actor) "
      f"{med((ws[late[s]][s][12] - c[s][0]) / 1e3 for s in steps):.0f} us; "
      "gradient back (compute done to the coordinator actor) "
      f"{med((c[s][8 + late[s]] - ws[late[s]][s][13]) / 1e3 for s in steps):.0f} us; "
      "coordinator (the last gradient to the next weights) "
      f"{med((c[s + 1][0] - c[s][8 + late[s]]) / 1e3 for s in steps):.0f} us")
