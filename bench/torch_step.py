#!/usr/bin/env python3
"""PyTorch side of the dtrain step benchmarks (see docs/PERFORMANCE.md).

The same step as bench/src/main/java/org/dtrain/bench/*StepBenchmark.java, one thread, fp32:
copy the next batch from preallocated random data into preallocated tensors (dtrain's
Workspace.load does the same copy), zero_grad, forward, loss, backward, SGD step (lr 0.01).

  mlp: 784-256-128-10, nn.Linear + ReLU, CrossEntropyLoss on logits (class-index targets,
       mean reduction: the same gradient as dtrain's sum / batch), batch 64, 256, 4096
  xor: 2-8-1, nn.Linear + Sigmoid twice, MSELoss, batch 4 (the truth table)

MSE note: torch's MSELoss(mean) is (1/m) sum (y_hat - y)^2, dtrain's is (1/m) sum 1/2 (y_hat - y)^2,
so torch's gradient is twice dtrain's; the work per step is identical, only the step size differs.

Prints one line per config:  RESULT <config> <median samples/s> <median us/step>
Usage: python torch_step.py [--rounds N] [--seconds S] [--configs mlp64,mlp256,mlp4096,xor4] [--threads T]
"""
import argparse
import statistics
import sys
import time

import torch
from torch import nn

DATA_ROWS = 8192  # as TrainStepBenchmark.DATA_ROWS: more than any cache, batches taken in turn


def mlp_stepper(batch):
    g = torch.Generator().manual_seed(7)
    x_all = torch.rand(DATA_ROWS, 784, generator=g, dtype=torch.float32)
    y_all = torch.randint(0, 10, (DATA_ROWS,), generator=g)
    xb = torch.empty(batch, 784, dtype=torch.float32)
    yb = torch.empty(batch, dtype=torch.int64)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    batches = DATA_ROWS // batch
    state = {"next": 0}

    def step():
        s = state["next"] * batch
        state["next"] = (state["next"] + 1) % batches
        xb.copy_(x_all[s:s + batch])
        yb.copy_(y_all[s:s + batch])
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    return step


def xor_stepper():
    x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
    y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float32)
    xb = torch.empty_like(x)
    yb = torch.empty_like(y)
    model = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid(), nn.Linear(8, 1), nn.Sigmoid())
    loss_fn = nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        xb.copy_(x)
        yb.copy_(y)
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    return step


def time_round(step, seconds):
    """Steps for about `seconds`; returns seconds per step."""
    n = 0
    t0 = time.perf_counter()
    deadline = t0 + seconds
    while True:
        step()
        n += 1
        t = time.perf_counter()
        if t >= deadline:
            return (t - t0) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds per config (median)")
    ap.add_argument("--seconds", type=float, default=1.0, help="length of a round")
    ap.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    ap.add_argument("--configs", default="mlp64,mlp256,mlp4096,xor4")
    ap.add_argument("--threads", type=int, default=1,
                    help="intra-op threads (1 for the single-core comparison; 2 beside the 2-worker cluster)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"rounds {args.rounds} x {args.seconds}s after {args.warmup} warmup", file=sys.stderr)
    for cfg in args.configs.split(","):
        if cfg.startswith("mlp"):
            batch = int(cfg[3:])
            step = mlp_stepper(batch)
        elif cfg == "xor4":
            batch = 4
            step = xor_stepper()
        else:
            raise SystemExit(f"unknown config {cfg}")
        for _ in range(args.warmup):
            time_round(step, args.seconds)
        per_step = [time_round(step, args.seconds) for _ in range(args.rounds)]
        med = statistics.median(per_step)
        print(f"RESULT {cfg} {batch / med:.1f} {med * 1e6:.3f}", flush=True)


if __name__ == "__main__":
    main()
