#!/usr/bin/python3
"""The standard dense recipe in PyTorch (Debian's python3-torch), the yardstick for SparseRetrain's
accuracy and CPU epoch time: LeNet-300-100 (or another model of torch_models.py) on Fashion-MNIST,
batch 128, SGD Nesterov momentum 0.9, weight decay 1e-4, LR warm-up 0→0.1 over the first epoch
(η = 0.1·(t+1)/W) then linear to 1e-3 at the last step — the same schedule as Schedules.warmupLinear.

  torch_dense_reference.py [--model lenet-300-100] [--epochs 20] [--seed 0] [--threads 2] [--csv FILE]

Prints one line per epoch (train seconds, test accuracy); --csv writes them too.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import MODELS  # noqa: E402

DATA = os.environ.get("SPARSERETRAIN_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
MEAN, STD = 0.2860, 0.3530


def idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load(prefix):
    x = idx(os.path.join(DATA, f"{prefix}-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)
    y = idx(os.path.join(DATA, f"{prefix}-labels-idx1-ubyte.gz"), 8)
    x = (torch.from_numpy(x.astype(np.float32)) / 255.0 - MEAN) / STD
    return x, torch.from_numpy(y.astype(np.int64))


def lr_at(t, warmup, total, peak=0.1, end=1e-3):
    if t < warmup:
        return peak * (t + 1) / warmup
    span = total - 1 - warmup
    return peak + (end - peak) * (t - warmup) / span if span > 0 else peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="lenet-300-100")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--csv")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    xtr, ytr = load("train")
    xte, yte = load("t10k")
    model = MODELS[a.model]()
    opt = torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9, nesterov=True, weight_decay=1e-4)
    spe = (len(ytr) + a.batch - 1) // a.batch
    total, warmup = spe * a.epochs, spe
    rows = []
    step = 0
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(ytr))
        t0 = time.perf_counter()
        for b in range(spe):
            i = perm[b * a.batch:(b + 1) * a.batch]
            for g in opt.param_groups:
                g["lr"] = lr_at(step, warmup, total)
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(xtr[i]), ytr[i]).backward()
            opt.step()
            step += 1
        seconds = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            acc = sum((model(xte[j:j + 1000]).argmax(1) == yte[j:j + 1000]).sum().item() for j in range(0, len(yte), 1000)) / len(yte)
        rows.append((epoch + 1, seconds, acc))
        print(f"epoch {epoch + 1:3d}  {seconds:6.2f} s  test acc {100 * acc:.2f}%", flush=True)
    if a.csv:
        with open(a.csv, "w") as f:
            f.write("epoch,seconds,test_accuracy\n")
            for r in rows:
                f.write(f"{r[0]},{r[1]:.4f},{r[2]:.6f}\n")


if __name__ == "__main__":
    main()
