#!/usr/bin/python3
"""Independent PyTorch twin of SparseRetrain's retraining experiments (Zimmer, Spiegel & Pokutta,
ICLR 2023), written from the formulas in the Java javadoc only (RetrainSchedule, ImpSchedule,
BimpPlan, GmpSchedule, AllrFactors); it shares no code with the Java side.

  torch_retrain_reference.py --algo oneshot|imp|bimp|gmp --seeds 0..4 --csv FILE [--threads 2]
                             [--cache runs/torch-repro] [--sparsities 0.9,0.95,0.98] [--epochs 1,2]

LeNet-300-100 on Fashion-MNIST, batch 128 (last batch partial, 469 steps per epoch), SGD Nesterov
0.9, L2 weight decay 1e-4. Pretraining: warm-up 0→0.1 over epoch 1 (η = 0.1·(t+1)/W), then linear to
1e-3 at step P−1; cached per seed in --cache. Pruning: global magnitude over the Linear weights
(biases stay dense), exact keep count round_half_up(N·keep), ties kept by lower index, masks only
shrink; pruned weights stay 0 (gradient and momentum masked, mask re-applied after each step).
Every retraining cycle gets a fresh optimizer (IMP/one-shot/BIMP); GMP keeps one optimizer.
One CSV row per cell (final accuracy after the last cycle).
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_dense_reference import load  # noqa: E402  (data loading + normalisation only)
from torch_models import LeNet300100  # noqa: E402

BATCH = 128
PEAK, END = 0.1, 1e-3
SCHEDULES = ["ft", "lrw", "slr", "clr", "llr", "allr"]


def round_half_up(x):
    return int(math.floor(x + 0.5))


# ---------------------------------------------------------------- LR schedules (float64, then float32)
def pretrain_record(total, warm):
    """Schedules.warmupLinear(0.1, 1e-3, W, P)."""
    lr = np.empty(total, dtype=np.float64)
    for t in range(total):
        lr[t] = PEAK * (t + 1) / warm if t < warm else PEAK + (END - PEAK) * (t - warm) / (total - 1 - warm)
    return lr.astype(np.float32)


def linear_to_zero_record(total, warm, peak=PEAK):
    """Schedules.warmupLinearToZero: BIMP's dense phase."""
    lr = [peak * (t + 1) / warm if t < warm else peak * (total - t) / (total - warm) for t in range(total)]
    return np.asarray(lr, dtype=np.float32)


def retrain_lr(name, pre, pre_warm, n, eta1=None):
    """η(t), t = 0..n−1, for one cycle of n steps (RetrainSchedule's javadoc)."""
    P = len(pre)
    eta_max, eta_T, eta_min = float(pre.max()), float(pre[-1]), float(pre[pre_warm:].min())
    W = 0 if name in ("ft", "lrw") else n // 10
    peak = {"ft": eta_T, "lrw": None, "allr": eta1}.get(name, eta_max)
    out = []
    for t in range(n):
        if t < W:
            out.append(peak * (t + 1) / W)
        elif name == "ft":
            out.append(eta_T)
        elif name == "lrw":
            assert n <= P
            out.append(float(pre[P - n + t]))
        elif name == "slr":
            i = (t - W) * P // (n - W)
            out.append(eta_max if i < pre_warm else float(pre[i]))
        elif name == "clr":
            span = n - 1 - W
            out.append(eta_max if span == 0 else eta_min + (eta_max - eta_min) * 0.5 * (1 + math.cos(math.pi * (t - W) / span)))
        elif name in ("llr", "allr"):
            out.append(peak * (n - t) / (n - W))
        else:
            raise ValueError(name)
    return np.asarray(out, dtype=np.float32)


# ---------------------------------------------------------------- pruning
def prunable(model):
    return [m.weight for m in model.modules() if isinstance(m, torch.nn.Linear)]


def sq_norm(tensors):
    return sum(float((p.detach().double() ** 2).sum()) for p in tensors)


@torch.no_grad()
def prune_global(model, masks, keep_fraction):
    """Keep the round(N·keep) largest |w| among live weights (global over Linear weights); returns
    ALLR's inputs (‖θ‖ over all parameters, ‖θ − θ_p‖, s = fraction of live weights pruned now)."""
    ws = prunable(model)
    N = sum(w.numel() for w in ws)
    k = round_half_up(N * keep_fraction)
    live_before = int(sum(m.sum() for m in masks))
    assert k <= live_before, "masks only shrink"
    before = sq_norm(model.parameters())
    score = torch.cat([torch.where(m.flatten() > 0, w.abs().flatten(), torch.tensor(-1.0)) for w, m in zip(ws, masks)])
    order = torch.sort(score, descending=True, stable=True).indices  # stable: ties keep the lower index first
    flat = torch.zeros(N)
    flat[order[:k]] = 1.0
    at = 0
    for w, m in zip(ws, masks):
        m.copy_(flat[at:at + w.numel()].view_as(m))
        at += w.numel()
        w.mul_(m)
    after = sq_norm(model.parameters())
    return math.sqrt(before), math.sqrt(max(0.0, before - after)), (live_before - k) / live_before


# ---------------------------------------------------------------- training
class Data:
    def __init__(self):
        self.xtr, self.ytr = load("train")
        self.xte, self.yte = load("t10k")
        self.spe = (len(self.ytr) + BATCH - 1) // BATCH

    def batches(self, gen):
        """Endless stream of shuffled mini-batches (a new permutation each epoch)."""
        while True:
            perm = torch.randperm(len(self.ytr), generator=gen)
            for b in range(self.spe):
                i = perm[b * BATCH:(b + 1) * BATCH]
                yield self.xtr[i], self.ytr[i]

    @torch.no_grad()
    def accuracy(self, model):
        model.eval()
        hit = sum((model(self.xte[j:j + 1000]).argmax(1) == self.yte[j:j + 1000]).sum().item() for j in range(0, len(self.yte), 1000))
        model.train()
        return hit / len(self.yte)


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9, nesterov=True, weight_decay=1e-4)


def train(model, opt, stream, lrs, masks=None):
    ws = prunable(model)
    for lr in lrs:
        x, y = next(stream)
        for g in opt.param_groups:
            g["lr"] = float(lr)
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        if masks is not None:
            for w, m in zip(ws, masks):
                w.grad.mul_(m)
        opt.step()
        if masks is not None:
            with torch.no_grad():
                for w, m in zip(ws, masks):
                    w.mul_(m)


def mask_momentum(opt, model, masks):
    for w, m in zip(prunable(model), masks):
        buf = opt.state.get(w, {}).get("momentum_buffer")
        if buf is not None:
            buf.mul_(m)


def new_masks(model):
    return [torch.ones_like(w) for w in prunable(model)]


def pretrained(data, seed, cache, ours=None):
    path = os.path.join(cache, f"seed-{seed}", "pretrained.pt")
    torch.manual_seed(seed)
    model = LeNet300100()
    if ours:  # diagnostic: start from SparseRetrain's pretrained checkpoint instead of our own
        import safetensors_lite
        state, meta = safetensors_lite.load(os.path.join(ours, f"seed-{seed}", "pretrained.safetensors"))
        model.load_state_dict({k: v for k, v in state.items() if not k.startswith("sparseretrain.")})
        return model, data.accuracy(model)
    if os.path.exists(path):
        state = torch.load(path)
        model.load_state_dict(state["model"])
        return model, state["acc"]
    P = data.spe * 20
    gen = torch.Generator().manual_seed(seed)
    train(model, sgd(model), data.batches(gen), pretrain_record(P, data.spe))
    acc = data.accuracy(model)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save({"model": model.state_dict(), "acc": acc}, path)
    print(f"seed {seed}: dense {100 * acc:.2f}%", flush=True)
    return model, acc


def retrain_cycles(data, model, seed, sched, keeps, steps, pre, pre_warm, ref, gen_seed):
    """IMP/one-shot/BIMP cycles: prune to keeps[c], fresh SGD, n = steps[c] steps of `sched`
    (ALLR: d₂ = n/ref). Returns (acc after last prune, final acc, d1, d2, eta1 of the last cycle)."""
    masks = new_masks(model)
    stream = data.batches(torch.Generator().manual_seed(gen_seed))
    d1 = d2 = eta1 = float("nan")
    for keep, n in zip(keeps, steps):
        norm, removed, s = prune_global(model, masks, keep)
        pruned_acc = data.accuracy(model)
        if sched == "allr":
            d1, d2 = removed / (norm * math.sqrt(s)), n / ref
            eta1 = float(pre.max()) * min(1.0, max(d1, d2))
        train(model, sgd(model), stream, retrain_lr(sched, pre, pre_warm, n, eta1), masks)
    return pruned_acc, data.accuracy(model), d1, d2, eta1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--algo", required=True, choices=["oneshot", "imp", "bimp", "gmp"])
    ap.add_argument("--seeds", default="0..4")
    ap.add_argument("--csv", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache", default="runs/torch-repro")
    ap.add_argument("--sparsities", default=None)
    ap.add_argument("--epochs", default="1,2", help="one-shot retraining budgets (epochs)")
    ap.add_argument("--schedules", default=",".join(SCHEDULES))
    ap.add_argument("--dense-from", default=None, help="diagnostic: SparseRetrain run dir whose seed-S/pretrained.safetensors to retrain")
    ap.add_argument("--total", type=float, default=10, help="BIMP/GMP total budget (epochs)")
    ap.add_argument("--dense", type=float, default=None, help="BIMP T0 / GMP t0 (epochs; default total/2 / total/10)")
    ap.add_argument("--interval", type=float, default=None, help="GMP Δt (epochs; default 0.065·total: ramp ends at 75 %%)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    lo, _, hi = a.seeds.partition("..")
    seeds = range(int(lo), int(hi or lo) + 1)
    sparsities = [float(s) for s in (a.sparsities or ("0.98" if a.algo == "imp" else "0.9,0.95,0.98")).split(",")]
    data = Data()
    spe = data.spe
    P = 20 * spe
    pre = pretrain_record(P, spe)
    new = not os.path.exists(a.csv)
    out = open(a.csv, "a")
    if new:
        out.write("algo,seed,schedule,sparsity,retrain_epochs,dense_acc,pruned_acc,final_acc,allr_d1,allr_d2,allr_eta1,seconds\n")
    for seed in seeds:
        torch.manual_seed(seed)
        cells = []
        if a.algo in ("oneshot", "imp"):
            dense, dense_acc = pretrained(data, seed, a.cache, a.dense_from)
            state = {k: v.clone() for k, v in dense.state_dict().items()}
            J = 1 if a.algo == "oneshot" else 3
            budgets = [float(e) for e in a.epochs.split(",")] if a.algo == "oneshot" else [1.0]
            for s in sparsities:
                for e in budgets:
                    for sched in a.schedules.split(","):
                        t0 = time.time()
                        dense.load_state_dict(state)
                        keeps = [(1 - s) ** (c / J) for c in range(1, J + 1)]
                        r = retrain_cycles(data, dense, seed, sched, keeps, [round_half_up(e * spe)] * J, pre, spe, P, 1000 * seed + 7)
                        cells.append((sched, s, e, dense_acc) + r + (time.time() - t0,))
                        print(f"seed {seed} {a.algo} {sched:4s} s={s} e={e}: pruned {100 * r[0]:.2f} -> {100 * r[1]:.2f}%", flush=True)
        else:
            T = round_half_up(a.total * spe)
            T0 = round_half_up((a.dense if a.dense is not None else a.total / (2 if a.algo == "bimp" else 10)) * spe)
            for s in sparsities:
                t0 = time.time()
                torch.manual_seed(seed)
                model = LeNet300100()
                gen = torch.Generator().manual_seed(seed)
                if a.algo == "bimp":
                    dense_lr = linear_to_zero_record(T0, spe)
                    stream = data.batches(gen)
                    train(model, sgd(model), stream, dense_lr)
                    J = 3
                    each = (T - T0) // J
                    steps = [each] * (J - 1) + [T - T0 - each * (J - 1)]
                    keeps = [(1 - s) ** (c / J) for c in range(1, J + 1)]
                    r = retrain_cycles(data, model, seed, "allr", keeps, steps, dense_lr, spe, T0, 1000 * seed + 7)
                    cells.append(("bimp", s, a.total, float("nan")) + r + (time.time() - t0,))
                else:
                    n, dt = 10, round_half_up((a.interval if a.interval is not None else 0.065 * a.total) * spe)
                    lrs = pretrain_record(T, spe)
                    masks, opt, stream, at = new_masks(model), sgd(model), data.batches(gen), 0
                    for c in range(1, n + 1):  # event c = 0 prunes to 0: nothing to do
                        step = T0 + c * dt
                        train(model, opt, stream, lrs[at:step], masks if c > 1 else None)
                        at = step
                        prune_global(model, masks, 1 - s * (1 - (1 - c / n) ** 3))
                        mask_momentum(opt, model, masks)
                    train(model, opt, stream, lrs[at:], masks)
                    cells.append(("gmp", s, a.total, float("nan"), float("nan"), data.accuracy(model)) + (float("nan"),) * 3 + (time.time() - t0,))
                print(f"seed {seed} {a.algo} s={s}: {100 * cells[-1][5]:.2f}%", flush=True)
        for c in cells:
            out.write(f"{a.algo},{seed},{c[0]},{c[1]},{c[2]}," + ",".join(f"{v:.6g}" for v in c[3:]) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
