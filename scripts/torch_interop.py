#!/usr/bin/python3
"""Checkpoint interop with PyTorch, both directions (run with Debian's python3-torch).

  torch_interop.py check-ours MODEL CKPT PROBE
      MODEL is a name of torch_models.MODELS or a model file (*.yaml: models/*.yaml, or the
      OUT.model.yaml written beside a structurally pruned checkpoint). CKPT is a SparseRetrain checkpoint; PROBE (safetensors) holds 'input' [N,H,W,C] and the
      'logits' SparseRetrain computed. Loads the model keys into the PyTorch twin with
      load_state_dict(strict=True), checks the tensors are bit-identical to the file, and that
      PyTorch's logits on the same input match ours. Exit 0 on success.
  torch_interop.py make-theirs MODEL SEED OUT PROBE
      Writes a PyTorch-initialised (and briefly trained, so BN statistics are not trivial) state_dict
      as safetensors to OUT, and PROBE with an input and PyTorch's eval-mode logits, for SparseRetrain
      to load and compare.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_lite  # noqa: E402
from torch_models import MODELS, build  # noqa: E402


def check_ours(model_name, ckpt, probe):
    model = build(model_name)
    tensors, meta = safetensors_lite.load(ckpt)
    own = {k: v for k, v in tensors.items() if not k.startswith("sparseretrain.")}
    model.load_state_dict(own, strict=True)
    for k, v in model.state_dict().items():
        if not torch.equal(v, own[k]):
            print(f"tensor {k} differs after load_state_dict")
            return 1
    p, _ = safetensors_lite.load(probe)
    model.eval()
    with torch.no_grad():
        logits = model(p["input"].permute(0, 3, 1, 2).contiguous())
    diff = (logits - p["logits"]).abs().max().item()
    scale = p["logits"].abs().max().item()
    print(f"{model_name}: {len(own)} tensors identical; max |logits diff| {diff:.3g} (max |logit| {scale:.3g})")
    return 0 if diff <= 1e-4 * max(1.0, scale) else 1


def make_theirs(model_name, seed, out, probe):
    torch.manual_seed(seed)
    model = MODELS[model_name]()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(16, 1, 28, 28)
    y = torch.randint(0, 10, (16,))
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    model.eval()
    probe_x = torch.randn(8, 1, 28, 28)
    with torch.no_grad():
        logits = model(probe_x)
    safetensors_lite.save(out, model.state_dict(), {"producer": f"torch {torch.__version__}"})
    safetensors_lite.save(probe, {"input": probe_x.permute(0, 2, 3, 1).contiguous(), "logits": logits})
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "check-ours" and len(sys.argv) == 5:
        sys.exit(check_ours(sys.argv[2], sys.argv[3], sys.argv[4]))
    if cmd == "make-theirs" and len(sys.argv) == 6:
        sys.exit(make_theirs(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]))
    print(__doc__)
    sys.exit(2)
