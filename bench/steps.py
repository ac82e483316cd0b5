"""Throughput from a dtrain --metrics-every-step CSV, the way bench/torch_step.py and
bench/torch_ddp.py time PyTorch: wall-clock over rounds of about one second, then the median.

The steps that begin before `warmup_ms` are left out (the JIT compiles first). The rest is cut into
consecutive windows of at least `window_ms`; a window's samples/s is its steps times the batch over
the wall-clock time from the end of the step before it to the end of its last step, so the work
between steps counts. The median over windows leaves out a window that one of the host's slow
spells fell into, as the median over torch's one-second rounds does. `all_steps` is the plain
wall-clock figure over every measured step, for comparison.
"""
import csv
import statistics
import sys


def measured(path, batch, warmup_ms):
    """The rows of the steps that begin after warmup_ms (wall_ms is when a step ended)."""
    rows = list(csv.DictReader(open(path)))
    rows = [x for x in rows
            if float(x["wall_ms"]) - batch / float(x["samples_per_s"]) * 1e3 >= warmup_ms]
    if len(rows) < 50:
        sys.exit(f"{path}: only {len(rows)} steps after {warmup_ms:.0f} ms; run more steps")
    return rows


def all_steps(rows, batch):
    """samples/s over every measured step, wall-clock."""
    span = float(rows[-1]["wall_ms"]) - float(rows[0]["wall_ms"])
    return (len(rows) - 1) * batch / span * 1e3


def windowed(rows, batch, window_ms=1000.0):
    """The median over windows of at least window_ms of their wall-clock samples/s."""
    rates = []
    start = 0
    for i in range(1, len(rows)):
        span = float(rows[i]["wall_ms"]) - float(rows[start]["wall_ms"])
        if span >= window_ms:
            rates.append((i - start) * batch / span * 1e3)
            start = i
    return statistics.median(rates) if rates else all_steps(rows, batch)


def median_of(rows, key):
    return statistics.median(float(x[key]) for x in rows)


def median_other(rows, batch):
    """The median over steps of a step's time outside compute, reduce and broadcast: the weights'
    and gradients' transfers and hand-offs of a typical step (the windowed figure's "other" also
    carries the slow steps)."""
    return statistics.median(batch / float(x["samples_per_s"]) * 1e3 - float(x["compute_ms"])
                             - float(x["reduce_ms"]) - float(x["broadcast_ms"]) for x in rows)
