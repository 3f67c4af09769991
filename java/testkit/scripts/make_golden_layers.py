#!/usr/bin/python3
"""Writes the golden fixture of the training engine's layers from torch.nn (float32).

For each layer type: inputs, parameters, a fixed upstream gradient dy, the forward output, the input
gradient and the parameter gradients (BatchNorm: also the running statistics after the step). Then
one SGD (Nesterov) step and one AdamW step of a small masked MLP, masked the SparseRetrain way:
weights start zero where the mask is 0, and after the step the masked weights and their optimizer
state are zeroed again (torch.optim is element-wise, so that equals a masked step on live entries).

Each case's per-example input shape is x_shape[1:] (NHWC [h, w, c] or [features]).
Layout: PyTorch is NCHW, the engine NHWC. Every feature map here (x, y, dy, dx) is stored as the
engine sees it: NHWC, converted in this script. Weights keep PyTorch's layout ([Cout, Cin, kh, kw],
[out, in]), which is the engine's too. All arrays are flat, row-major, float32 values.

Regenerate (from the repository root):
    /usr/bin/python3 java/testkit/scripts/make_golden_layers.py > java/testkit/src/main/resources/golden/layers_golden.json
"""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FORMAT_VERSION = 1
COMMAND = ("/usr/bin/python3 java/testkit/scripts/make_golden_layers.py"
           " > java/testkit/src/main/resources/golden/layers_golden.json")


def flat(t):
    """float32 values, each written in its shortest round-trip form (keeps the fixture small)."""
    return [float(str(np.float32(v))) for v in t.detach().to(torch.float32).flatten().tolist()]


def nhwc(t):
    """[B, C, H, W] (PyTorch) -> [B, H, W, C] (the engine); flat activations unchanged."""
    return t.permute(0, 2, 3, 1) if t.dim() == 4 else t


def uniform(gen, *shape):
    return torch.rand(*shape, generator=gen) * 2 - 1


def randomize(module, gen):
    """Random parameters; batch norm scales in [0.5, 1.5) so no channel is switched off."""
    with torch.no_grad():
        for mod in module.modules():
            for name, p in mod.named_parameters(recurse=False):
                v = uniform(gen, *p.shape)
                scale = isinstance(mod, nn.modules.batchnorm._BatchNorm) and name == "weight"
                p.copy_(1 + 0.5 * v if scale else v)


def layer_case(name, module, x_nchw, config, gen):
    """Forward/backward of one module on x (NCHW) with a random upstream gradient."""
    randomize(module, gen)
    module.train()
    params = {k: flat(v) for k, v in module.named_parameters()}
    x = x_nchw.clone().requires_grad_(True)
    y = module(x)
    dy = uniform(gen, *y.shape)
    y.backward(dy)
    case = {"name": name, "config": config, "x_shape": list(nhwc(x_nchw).shape), "x": flat(nhwc(x_nchw)),
            "params": params, "dy": flat(nhwc(dy)), "y": flat(nhwc(y)), "dx": flat(nhwc(x.grad)),
            "grads": {k: flat(v.grad) for k, v in module.named_parameters()}}
    buffers = {k: flat(v) for k, v in module.named_buffers() if "running" in k}
    if buffers:
        case["buffers_after"] = buffers
    return case


class BasicBlock(nn.Module):
    """torchvision-style ResNet basic block, the engine's BasicBlock (3x3 convs without bias)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + self.shortcut(x))


class FlattenLinear(nn.Module):
    def __init__(self, features, out):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(features, out)

    def forward(self, x):
        return self.fc(self.flatten(x))


def layers(gen):
    img = lambda b, c, h, w: uniform(gen, b, c, h, w)  # NCHW
    return [
        layer_case("linear", nn.Linear(6, 4), uniform(gen, 4, 6), {"type": "linear", "out": 4}, gen),
        layer_case("conv2d", nn.Conv2d(3, 4, 3, 2, 1), img(2, 3, 5, 5),
                   {"type": "conv", "out": 4, "kernel": 3, "stride": 2, "padding": 1}, gen),
        layer_case("relu", nn.ReLU(), uniform(gen, 3, 8), {"type": "relu"}, gen),
        layer_case("gelu", nn.GELU(), uniform(gen, 3, 8) * 3, {"type": "gelu"}, gen),
        layer_case("maxpool2d", nn.MaxPool2d(3, 2), img(2, 3, 5, 5),
                   {"type": "maxpool", "kernel": 3, "stride": 2, "padding": 0}, gen),
        layer_case("avgpool2d", nn.AvgPool2d(2, 2), img(2, 3, 4, 4),
                   {"type": "avgpool", "kernel": 2, "stride": 2, "padding": 0}, gen),
        layer_case("batchnorm2d", nn.BatchNorm2d(3, momentum=0.1, eps=1e-5), img(2, 3, 3, 4) * 2 + 0.5,
                   {"type": "batchnorm", "momentum": 0.1, "eps": 1e-5}, gen),
        layer_case("batchnorm1d", nn.BatchNorm1d(5, momentum=0.1, eps=1e-5), uniform(gen, 6, 5) * 2 - 0.3,
                   {"type": "batchnorm", "momentum": 0.1, "eps": 1e-5}, gen),
        layer_case("basicblock", BasicBlock(3, 4, 2), img(2, 3, 4, 4),
                   {"type": "basicblock", "out": 4, "stride": 2}, gen),
        layer_case("flatten_linear", FlattenLinear(24, 5), img(2, 4, 2, 3),
                   {"type": "flatten_linear", "out": 5}, gen),
    ]


def cross_entropy(gen):
    logits = (uniform(gen, 5, 4) * 3).requires_grad_(True)
    labels = torch.randint(0, 4, (5,), generator=gen)
    loss = F.cross_entropy(logits, labels, reduction="mean")
    loss.backward()
    return {"name": "softmax_cross_entropy_mean", "logits": flat(logits), "labels": labels.tolist(), "rows": 5,
            "classes": 4, "loss": float(loss), "dlogits": flat(logits.grad)}


def optimizer_case(name, make_opt, state_keys, hyper, gen):
    """One masked step of a 2-layer MLP (8→6→3, ReLU) on 4 examples, mean cross-entropy."""
    model = nn.Sequential()
    model.add_module("fc1", nn.Linear(8, 6))
    model.add_module("relu", nn.ReLU())
    model.add_module("fc2", nn.Linear(6, 3))
    randomize(model, gen)
    masks = {k: (torch.rand(p.shape, generator=gen) < 0.5).to(torch.float32)
             for k, p in model.named_parameters() if k.endswith("weight")}
    with torch.no_grad():
        for k, p in model.named_parameters():
            if k in masks:
                p.mul_(masks[k])
    params0 = {k: flat(p) for k, p in model.named_parameters()}
    x = uniform(gen, 4, 8)
    labels = torch.randint(0, 3, (4,), generator=gen)
    opt = make_opt(model.parameters())
    loss = F.cross_entropy(model(x), labels)
    loss.backward()
    grads = {k: flat(p.grad) for k, p in model.named_parameters()}
    opt.step()
    with torch.no_grad():
        for k, p in model.named_parameters():
            if k in masks:
                p.mul_(masks[k])
                for s in state_keys:
                    opt.state[p][s].mul_(masks[k])
    return {"name": name, "hyper": hyper, "x": flat(x), "labels": labels.tolist(), "params0": params0,
            "masks": {k: [int(v) for v in m.flatten().tolist()] for k, m in masks.items()},
            "loss": float(loss), "grads": grads, "params1": {k: flat(p) for k, p in model.named_parameters()}}


def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(2027)
    sgd = {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4, "nesterov": True}
    adamw = {"optimizer": "adamw", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}
    doc = {
        "format_version": FORMAT_VERSION, "torch_version": torch.__version__, "command": COMMAND,
        "layout": "feature maps (x, y, dy, dx, x_shape) are NHWC as the engine sees them, converted from "
                  "PyTorch's NCHW by this script; weights keep PyTorch's layout ([Cout, Cin, kh, kw], [out, in]); "
                  "flat row-major float32 values; parameter names are PyTorch state_dict keys",
        "layers": layers(gen),
        "cross_entropy": cross_entropy(gen),
        "optimizers": [
            optimizer_case("mlp_sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=sgd["lr"], momentum=sgd["momentum"],
                           weight_decay=sgd["weight_decay"], nesterov=True), ["momentum_buffer"], sgd, gen),
            optimizer_case("mlp_adamw", lambda ps: torch.optim.AdamW(ps, lr=adamw["lr"], betas=(adamw["beta1"], adamw["beta2"]),
                           eps=adamw["eps"], weight_decay=adamw["weight_decay"], foreach=False),
                           ["exp_avg", "exp_avg_sq"], adamw, gen),
        ],
    }
    json.dump(doc, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
