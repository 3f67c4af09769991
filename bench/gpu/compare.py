#!/usr/bin/env python3
"""Joins gemm_bench's CSV (ours) and torch_semi_structured.py's CSV (PyTorch, same machine, same run) into
one Markdown table of ours-vs-theirs ratios. Standard library only; rows missing on either side print "-".

  ratio = PyTorch ms / our ms  (> 1: ours faster). Target (issue 5): forced 2:4 >= 0.97x PyTorch's
  semi-structured path on every shape; automatic never below dense.

Usage: compare.py OURS.csv TORCH.csv OUT.md
"""
import csv
import sys


def load(path):
    rows = {}
    try:
        with open(path) as f:
            lines = [line for line in f if not line.startswith("#")]
    except OSError:
        return rows
    for r in csv.DictReader(lines):
        if r.get("median_ms"):
            rows[(r["shape"], r["op"], r["impl"])] = r
    return rows


def ms(rows, shape, op, impl):
    r = rows.get((shape, op, impl))
    return float(r["median_ms"]) if r and r["median_ms"] else None


def cell(x):
    return f"{x:.3f}" if x else "-"


def ratio(theirs, ours):
    return f"{theirs / ours:.2f}x" if theirs and ours else "-"


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    ours, theirs = load(sys.argv[1]), load(sys.argv[2])
    shapes = []
    for key in list(ours) + list(theirs):
        if key[0] not in shapes:
            shapes.append(key[0])
    out = ["| shape | op | ours cuBLAS | torch dense | ours 2:4 | ours 2:4 searched | torch semi cuSPARSELt | "
           "torch semi CUTLASS | ours 2:4 best vs torch semi best | ours auto | torch best | ours auto vs torch best |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for shape in shapes:
        for op in ("forward", "input_grad", "compress_forward"):
            o_dense, t_dense = ms(ours, shape, op, "cublas"), ms(theirs, shape, op, "torch_dense")
            o_sp, o_se = ms(ours, shape, op, "sr_sparse"), ms(ours, shape, op, "sr_sparse_searched")
            t_lt, t_cu = ms(theirs, shape, op, "torch_semi_cusparselt"), ms(theirs, shape, op, "torch_semi_cutlass")
            o_auto = ms(ours, shape, op, "sr_auto")
            if not any((o_dense, t_dense, o_sp, t_lt, t_cu)):
                continue
            o_best = min([x for x in (o_sp, o_se) if x], default=None)
            t_semi = min([x for x in (t_lt, t_cu) if x], default=None)
            t_best = min([x for x in (t_dense, t_semi) if x], default=None)
            out.append(f"| {shape} | {op} | {cell(o_dense)} | {cell(t_dense)} | {cell(o_sp)} | {cell(o_se)} | "
                       f"{cell(t_lt)} | {cell(t_cu)} | {ratio(t_semi, o_best)} | {cell(o_auto)} | {cell(t_best)} | "
                       f"{ratio(t_best, o_auto)} |")
    if len(out) == 2:
        why = "no timed rows in " + " and ".join(p for p, rows in ((sys.argv[1], ours), (sys.argv[2], theirs)) if not rows)
        with open(sys.argv[3], "w") as f:
            f.write(f"Ours vs PyTorch: nothing to compare ({why}).\n")
        print(f"compare: nothing to compare ({why})")
        return 0
    with open(sys.argv[3], "w") as f:
        f.write("Ours vs PyTorch, same machine and run (ms = medians; ratio = PyTorch ms / our ms, > 1 means ours "
                "is faster; compress: ours re-compresses into the plan's buffer, PyTorch allocates a new tensor).\n\n")
        f.write("\n".join(out) + "\n")
    print(f"compare: {len(out) - 2} rows -> {sys.argv[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
