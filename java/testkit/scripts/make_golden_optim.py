#!/usr/bin/python3
"""Writes the golden fixture of mask-aware SGD / AdamW steps from torch.optim.

SparseRetrain restricts an optimizer step to live entries: where mask == 0 the weight and its state
(momentum buffer; AdamW's exp_avg, exp_avg_sq) are exactly 0 after every step, whatever the gradient.
torch.optim updates element-wise, so running it on the full tensor and then zeroing the masked
weight and state gives exactly that on the live entries.

Regenerate (from the repository root):
    /usr/bin/python3 java/testkit/scripts/make_golden_optim.py > java/testkit/src/main/resources/golden/optim_golden.json
"""
import json
import sys

import torch

FORMAT_VERSION = 1
N = 24
STEPS = 3
COMMAND = "/usr/bin/python3 java/testkit/scripts/make_golden_optim.py > java/testkit/src/main/resources/golden/optim_golden.json"


def floats(t):
    return [float(x) for x in t.detach().to(torch.float32).flatten().tolist()]


def run_case(name, make_opt, state_keys, hyper, gen):
    w0 = torch.rand(N, generator=gen) * 2 - 1
    mask = (torch.rand(N, generator=gen) < 0.6).to(torch.float32)
    grads = [torch.rand(N, generator=gen) * 2 - 1 for _ in range(STEPS)]  # nonzero on pruned entries too
    p = torch.nn.Parameter((w0 * mask).clone())
    opt = make_opt([p])
    ws, states = [], {k: [] for k in state_keys}
    for g in grads:
        p.grad = g.clone()
        opt.step()
        with torch.no_grad():
            p.mul_(mask)
            for k in state_keys:
                opt.state[p][k].mul_(mask)
        ws.append(floats(p))
        for k in state_keys:
            states[k].append(floats(opt.state[p][k]))
    return {"name": name, "hyper": hyper, "w0": floats(w0 * mask), "mask": [int(x) for x in mask.tolist()],
            "grads": [floats(g) for g in grads], "w": ws, "state": states}


def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(2026)
    cases = []
    h = {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.01, "nesterov": True}
    cases.append(run_case("sgd_nesterov_wd", lambda ps: torch.optim.SGD(ps, lr=h["lr"], momentum=h["momentum"],
                          dampening=0.0, weight_decay=h["weight_decay"], nesterov=True), ["momentum_buffer"], h, gen))
    h2 = {"optimizer": "sgd", "lr": 0.05, "momentum": 0.8, "dampening": 0.2, "weight_decay": 0.001, "nesterov": False}
    cases.append(run_case("sgd_momentum_dampening_wd", lambda ps: torch.optim.SGD(ps, lr=h2["lr"], momentum=h2["momentum"],
                          dampening=h2["dampening"], weight_decay=h2["weight_decay"]), ["momentum_buffer"], h2, gen))
    h3 = {"optimizer": "adamw", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}
    cases.append(run_case("adamw", lambda ps: torch.optim.AdamW(ps, lr=h3["lr"], betas=(h3["beta1"], h3["beta2"]),
                          eps=h3["eps"], weight_decay=h3["weight_decay"], foreach=False), ["exp_avg", "exp_avg_sq"], h3, gen))
    doc = {"format_version": FORMAT_VERSION, "torch_version": torch.__version__, "command": COMMAND,
           "n": N, "steps": STEPS, "cases": cases}
    json.dump(doc, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
