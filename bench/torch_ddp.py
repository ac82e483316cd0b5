#!/usr/bin/env python3
"""PyTorch DDP yardstick for the multi-node benchmark (bench/multinode.sh, docs/PERFORMANCE.md).

Two processes on this machine (gloo backend over 127.0.0.1, 1 intra-op thread each), the same
784-256-128-10 MLP, CrossEntropyLoss and SGD step as bench/torch_step.py; the global batch is split
between the ranks. Also times a bare all_reduce of 235,146 floats (the model's parameter count),
and the same all_reduce right after each rank's forward and backward of its half of the batch
(the ranks meet at a barrier first, so neither waits for the other's compute): the transfer in the
state a training step leaves the caches and cores in, beside dtrain's "other, median step".

Prints:  RESULT ddp<batch> <median samples/s> <median us/step>
         RESULT allreduce_after<batch> <median us>
         RESULT allreduce <median us>
Usage: python torch_ddp.py [--batches 256,4096] [--rounds 3] [--seconds 1]
"""
import argparse
import os
import statistics
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

DATA_ROWS = 8192


def agreed_steps(step, seconds):
    """How many steps take about `seconds`, the same on both ranks.

    Every DDP step (and every bare all_reduce) is a collective: the ranks must run exactly the same
    number of them, or one waits forever for a partner that moved on. So the count is fixed before
    timing, from 5 untimed steps, and both ranks take the smaller one.
    """
    t0 = time.perf_counter()
    for _ in range(5):
        step()
    k = torch.tensor([max(1, int(seconds * 5 / (time.perf_counter() - t0)))])
    dist.all_reduce(k, op=dist.ReduceOp.MIN)
    return int(k.item())


def rounds(step, n, steps):
    """n rounds of exactly `steps` steps; seconds per step of each."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        out.append((time.perf_counter() - t0) / steps)
    return out


def batch_loader(x_all, y_all, xb, yb):
    """A function that copies the next batch of len(xb) rows into xb and yb, cycling through the data."""
    local = xb.shape[0]
    nb = DATA_ROWS // local
    state = {"i": 0}

    def load():
        s = (state["i"] % nb) * local
        state["i"] += 1
        xb.copy_(x_all[s:s + local])
        yb.copy_(y_all[s:s + local])
    return load


def allreduce_after_compute(model, loss_fn, xb, yb, next_batch, args):
    """Median seconds of an all_reduce of the flat gradient (235,146 floats), each right after a
    forward and backward of a batch and a barrier."""
    flat = torch.zeros(sum(p.numel() for p in model.parameters()))
    times = []

    def step():
        next_batch()
        model.zero_grad()
        loss_fn(model(xb), yb).backward()
        torch.cat([p.grad.reshape(-1) for p in model.parameters()], out=flat)
        dist.barrier()
        t0 = time.perf_counter()
        dist.all_reduce(flat)
        times.append(time.perf_counter() - t0)

    k = agreed_steps(step, args.seconds)
    times.clear()
    rounds(step, args.rounds, k)
    return statistics.median(times)


def worker(rank, args):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(args.port)
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")  # loopback only, whatever the hostname says
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    torch.manual_seed(42)
    g = torch.Generator().manual_seed(7 + rank)
    x_all = torch.rand(DATA_ROWS, 784, generator=g)
    y_all = torch.randint(0, 10, (DATA_ROWS,), generator=g)
    for batch in [int(b) for b in args.batches.split(",")]:
        local = batch // 2
        model = nn.parallel.DistributedDataParallel(nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        xb = torch.empty(local, 784)
        yb = torch.empty(local, dtype=torch.int64)
        next_batch = batch_loader(x_all, y_all, xb, yb)

        def step():
            next_batch()
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()

        k = agreed_steps(step, args.seconds)
        rounds(step, 2, k)  # warm-up
        dist.barrier()
        per = rounds(step, args.rounds, k)
        med = statistics.median(per)
        if rank == 0:
            print(f"RESULT ddp{batch} {batch / med:.1f} {med * 1e6:.1f}", flush=True)
        after = allreduce_after_compute(model.module, loss_fn, xb, yb, next_batch, args)
        if rank == 0:
            print(f"RESULT allreduce_after{batch} {after * 1e6:.1f}", flush=True)
    t = torch.zeros(235146)
    reduce = lambda: dist.all_reduce(t)
    per = rounds(reduce, args.rounds, agreed_steps(reduce, args.seconds))
    if rank == 0:
        print(f"RESULT allreduce {statistics.median(per) * 1e6:.1f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", default="256,4096")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--port", type=int, default=29517)
    mp.spawn(worker, args=(ap.parse_args(),), nprocs=2)
