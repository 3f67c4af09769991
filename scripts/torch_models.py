"""PyTorch twins of the models under models/ (same state_dict names), for interop checks and the
reference runs. NCHW here; SparseRetrain computes NHWC but stores PyTorch's weight layouts."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet300100(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 300)
        self.fc2 = nn.Linear(300, 100)
        self.fc3 = nn.Linear(100, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Conv4(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv4 = nn.Conv2d(64, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = F.max_pool2d(F.relu(self.conv4(F.relu(self.conv3(x)))), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


class BasicBlock(nn.Module):
    """mid: conv1's width (cout unless structured pruning narrowed the block inside)."""

    def __init__(self, cin, cout, stride, mid=None, momentum=0.1, eps=1e-5):
        super().__init__()
        mid = cout if mid is None else mid
        self.conv1 = nn.Conv2d(cin, mid, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid, eps=eps, momentum=momentum)
        self.conv2 = nn.Conv2d(mid, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=eps, momentum=momentum)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout, eps=eps, momentum=momentum))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = nn.Sequential(*[BasicBlock(16, 16, 1) for _ in range(3)])
        self.layer2 = nn.Sequential(BasicBlock(16, 32, 2), BasicBlock(32, 32, 1), BasicBlock(32, 32, 1))
        self.layer3 = nn.Sequential(BasicBlock(32, 64, 2), BasicBlock(64, 64, 1), BasicBlock(64, 64, 1))
        self.linear = nn.Linear(64, 10)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


class SpecModel(nn.Module):
    """A twin built from a model file (models/*.yaml, or the OUT.model.yaml that structured pruning writes
    beside a compacted checkpoint): every width comes from the file, names follow its layer names, so
    load_state_dict(strict=True) takes the checkpoint. Input NCHW for map inputs, [N, F] for flat ones."""

    def __init__(self, spec):
        super().__init__()
        self.steps = []  # (kind, module name or None, args)
        shape = list(spec["input"])  # [h, w, c] or [f]
        for i, layer in enumerate(spec["layers"]):
            l = {"type": layer} if isinstance(layer, str) else dict(layer)
            t = l["type"]
            is_map = len(shape) == 3
            ch = shape[-1]
            if t == "linear":
                self._add(l["name"], nn.Linear(ch, l["out"], bias=l.get("bias", True)))
                shape = [l["out"]]
            elif t == "conv":
                k, st, pad = l["kernel"], l.get("stride", 1), l.get("padding", 0)
                self._add(l["name"], nn.Conv2d(ch, l["out"], k, st, pad, bias=l.get("bias", True)))
                shape = [(shape[0] + 2 * pad - k) // st + 1, (shape[1] + 2 * pad - k) // st + 1, l["out"]]
            elif t == "batchnorm":
                bn = nn.BatchNorm2d if is_map else nn.BatchNorm1d
                self._add(l["name"], bn(ch, eps=l.get("eps", 1e-5), momentum=l.get("momentum", 0.1)))
            elif t in ("relu", "gelu", "flatten", "global_avgpool"):
                self.steps.append((t, None, None))
                if t == "flatten":
                    shape = [shape[0] * shape[1] * shape[2]] if is_map else shape
                elif t == "global_avgpool":
                    shape = [ch]
            elif t in ("maxpool", "avgpool"):
                k = l["kernel"]
                st, pad = l.get("stride", k), l.get("padding", 0)
                self.steps.append((t, None, (k, st, pad)))
                shape = [(shape[0] + 2 * pad - k) // st + 1, (shape[1] + 2 * pad - k) // st + 1, ch]
            elif t == "dropout":
                self.steps.append((t, None, l["p"]))
            elif t == "resnet_stage":
                blocks, out, stride = l["blocks"], l["out"], l.get("stride", 1)
                mid = l.get("mid", out)
                mids = mid if isinstance(mid, list) else [mid] * blocks
                if len(mids) == 1:
                    mids = mids * blocks
                seq, cin = [], ch
                for j in range(blocks):
                    seq.append(BasicBlock(cin, out, stride if j == 0 else 1, mids[j]))
                    cin = out
                self._add(l["name"], nn.Sequential(*seq))
                h, w = shape[0], shape[1]
                shape = [(h + 2 - 3) // stride + 1, (w + 2 - 3) // stride + 1, out]
            else:
                raise ValueError(f"layers[{i}]: type '{t}' has no PyTorch twin here")

    def _add(self, name, module):
        if "." in name:
            raise ValueError(f"layer name '{name}' has a dot; only resnet_stage children are nested")
        self.add_module(name, module)
        self.steps.append(("module", name, None))

    def forward(self, x):
        for kind, name, arg in self.steps:
            if kind == "module":
                x = getattr(self, name)(x)
            elif kind == "relu":
                x = F.relu(x)
            elif kind == "gelu":
                x = F.gelu(x)
            elif kind == "flatten":
                x = torch.flatten(x, 1)
            elif kind == "global_avgpool":
                x = F.adaptive_avg_pool2d(x, 1).flatten(1)
            elif kind == "maxpool":
                x = F.max_pool2d(x, arg[0], arg[1], arg[2])
            elif kind == "avgpool":
                x = F.avg_pool2d(x, arg[0], arg[1], arg[2])
            elif kind == "dropout":
                x = F.dropout(x, arg, self.training)
        return x


def from_spec(path):
    """The twin of a model file: SpecModel(yaml of path)."""
    import yaml
    with open(path) as f:
        return SpecModel(yaml.safe_load(f))


MODELS = {"lenet-300-100": LeNet300100, "conv4": Conv4, "resnet20": ResNet20}


def build(model):
    """A model name of MODELS, or a path to a model file (*.yaml)."""
    return from_spec(model) if model.endswith(".yaml") else MODELS[model]()
