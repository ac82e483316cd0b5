#!/usr/bin/env python3
"""PyTorch side of bench/src/main/java/org/dtrain/bench/GemmBenchmark.java (docs/PERFORMANCE.md).

The three GEMMs of the dense layer 784 -> 256, one thread, fp32, into preallocated outputs:
  forward         Z = A W^T        A (batch, 784), W (256, 784)
  weightGradient  dW = dZ^T A      dZ (batch, 256)
  inputGradient   dA = dZ W

Prints one line per product:  RESULT <batch> <name> <median us>
Usage: python torch_gemm.py [--batches 256,4096] [--rounds 5] [--seconds 1]
"""
import argparse
import statistics

import torch

from torch_step import time_round  # the step benchmark's timer: seconds per call over a round


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", default="256,4096")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(7)
    for batch in (int(b) for b in args.batches.split(",")):
        a = torch.rand(batch, 784, generator=g) - 0.5
        w = torch.rand(256, 784, generator=g) - 0.5
        dz = torch.rand(batch, 256, generator=g) - 0.5
        z = torch.empty(batch, 256)
        dw = torch.empty(256, 784)
        da = torch.empty(batch, 784)
        ops = {
            "forward": lambda: torch.mm(a, w.t(), out=z),
            "weightGradient": lambda: torch.mm(dz.t(), a, out=dw),
            "inputGradient": lambda: torch.mm(dz, w, out=da),
        }
        for name, op in ops.items():
            time_round(op, args.seconds)  # warm-up
            t = statistics.median(time_round(op, args.seconds) for _ in range(args.rounds))
            print(f"RESULT {batch} {name} {t * 1e6:.1f}", flush=True)


if __name__ == "__main__":
    main()
