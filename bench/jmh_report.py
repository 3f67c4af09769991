#!/usr/bin/env python3
"""jmh_report.py — turns a JMH JSON result (-rf json) into bench/results/jmh-host-ops.md.

usage: jmh_report.py RESULT.json OUT.md "COMMAND"

Bandwidth = bytes touched per op / median time per op (10^9 B/s). The byte counts are those
defined in each benchmark's class comment and repeated in OPS below; "streamed" is what the
current host implementation actually moves (extra passes), to explain a missed target.
The copy baseline is the faster of the two single-thread 256 MiB copies of the same run.
"""
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone

COPY_BYTES = 2 * (256 << 20)  # read 256 MiB + write 256 MiB
N7 = 10_000_000

# benchmark method -> (size label, elements of param n or fixed, min B/elem, streamed B/elem, why)
OPS = {
    "SelectBench.magnitudeGlobal": (None, 6.0, 16.0,
        "3 passes over w+mask (2 histograms, 1 mask write): 3 x 5 B + 1 B"),
    "MaskPatternBench.nm24": (N7, 6.0, 11.0, "NaN pre-pass over w+mask (5 B), then gather/choose/write (6 B)"),
    "MaskPatternBench.transposable24": (N7, 6.0, 11.0, "NaN pre-pass, then 90 patterns scored per 4x4 block"),
    "Compress24Bench.compress24": (N7, 7.25, 8.25, "mask validation pass (1 B), then compress (7.25 B)"),
    "OptimizerBench.sgdNesterovWd": (N7, 21.0, 21.0, "single pass"),
    "OptimizerBench.adamw": (N7, 29.0, 29.0, "single pass"),
}
JNI_TARGET_NS = 1000.0
FRACTION_TARGET = 0.5


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def short(name):
    return ".".join(name.split(".")[-2:])


def median_ms(r):
    """Median of all measured iterations, in ms (JMH units ms/op or ns/op)."""
    pm = r["primaryMetric"]
    med = pm["scorePercentiles"]["50.0"]
    unit = pm["scoreUnit"]
    return med * {"ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6, "s/op": 1e3}[unit]


def load_summary(path):
    try:
        xs = sorted(float(x) for x in open(path.replace(".json", ".load")) if x.strip())
    except OSError:
        return "not recorded"
    if not xs:
        return "not recorded"
    return f"min {xs[0]:.2f}, median {xs[len(xs) // 2]:.2f}, max {xs[-1]:.2f} over {len(xs)} samples"


def params(r):
    p = r.get("params") or {}
    return "[" + ", ".join(f"{k}={v}" for k, v in sorted(p.items())) + "]" if p else ""


def fmt_time(ms):
    if ms < 1e-3:
        return f"{ms * 1e6:.1f} ns"
    if ms < 1:
        return f"{ms * 1e3:.1f} us"
    return f"{ms:.1f} ms"


def main(path, out, command):
    results = json.load(open(path))
    by = {short(r["benchmark"]) + params(r): r for r in results}
    copies = {k: COPY_BYTES / (median_ms(r) * 1e-3) / 1e9 for k, r in by.items() if k.startswith("CopyBandwidthBench")}
    copy_gbs = max(copies.values()) if copies else float("nan")
    first = results[0]
    rows = []
    for key, r in by.items():
        ms = median_ms(r)
        pm = r["primaryMetric"]
        err = pm["scoreError"]
        spread = f"± {err:.3g} {pm['scoreUnit']}" if isinstance(err, (int, float)) and err == err else "n/a"
        iters = sum(len(x) for x in pm["rawData"])
        name = key.split("[")[0]
        if name.startswith("JniOverheadBench"):
            ok = ms * 1e6 <= JNI_TARGET_NS
            rows.append((key, "-", fmt_time(ms), spread, iters, "-", "-", "-", f"<= 1 us: {'yes' if ok else 'NO'}"))
        elif name.startswith("CopyBandwidthBench"):
            gbs = copies[key]
            rows.append((key, "256 MiB", fmt_time(ms), spread, iters, f"{gbs:.2f}", f"{gbs / copy_gbs:.2f}",
                         f"{gbs:.2f}", "baseline"))
        elif name in OPS:
            fixed, min_b, streamed_b, _ = OPS[name]
            if float((r.get("params") or {}).get("keepFraction", 0.5)) == 1.0:
                streamed_b = 10.0  # keep == live: the two histogram passes only, no mask write
            n = fixed if fixed else int(r["params"]["n"])
            gbs = n * min_b / (ms * 1e-3) / 1e9
            sgbs = n * streamed_b / (ms * 1e-3) / 1e9
            frac = gbs / copy_gbs
            p = r.get("params") or {}
            diag = float(p.get("keepFraction", 0.5)) == 1.0 or float(p.get("maskLive", 0.5)) == 1.0
            verdict = "diagnostic" if diag else ("yes" if frac >= FRACTION_TARGET else "NO")
            rows.append((key, f"{n:.0e} x F32", fmt_time(ms), spread, iters, f"{gbs:.2f}", f"{frac:.2f}",
                         f"{sgbs:.2f}", verdict))
    cpu = sh("lscpu | sed -n 's/^Model name: *//p'")
    l3 = sh("lscpu | sed -n 's/^L3 cache: *//p'")
    ram = sh("free -g | awk '/Mem:/{print $2}'")
    dirty = " (dirty tree)" if sh("git status --porcelain -- native java bench/src bench/pom.xml") else ""
    lines = [
        "# Host native ops: JMH results",
        "",
        f"- machine: {cpu}, {sh('nproc')} cores, {l3} L3, {ram} GiB RAM, kernel {platform.release()}",
        f"- JDK: {first.get('jdkVersion')} ({first.get('vmName')} {first.get('vmVersion')}), JMH {first.get('jmhVersion')}",
        f"- native: libsparseretrain host reference, g++ {sh('g++ -dumpversion')} -O3 (no -march), single thread",
        f"- date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, git commit {sh('git rev-parse --short HEAD')}{dirty}",
        f"- JMH: {first.get('forks')} fork, {first.get('warmupIterations')} x {first.get('warmupTime')} warm-up, "
        f"{first.get('measurementIterations')} x {first.get('measurementTime')} measured, mode avgt; time = median of iterations",
        f"- load average (1 min, sampled every 5 s during the run; this machine is shared): {load_summary(path)}",
        f"- command: `{command}`",
        f"- raw: `{path}`",
        "",
        f"Copy baseline (faster single-thread 256 MiB copy of this run): **{copy_gbs:.2f} GB/s** (read + write bytes).",
        "GB/s = minimum bytes the op must touch / median time; 'streamed GB/s' counts the bytes the current",
        "implementation actually moves (its extra passes). Target: GB/s >= 0.5 x copy; JNI call <= 1 us.",
        "",
        "| op | size | time (median) | error (99.9 %) | iters | GB/s | fraction of copy | streamed GB/s | target met? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    lines += ["", "Bytes per element (minimum / streamed by the implementation):", ""]
    lines += [f"- {k}: {v[1]} B / {v[2]} B — {v[3]}" for k, v in OPS.items()]
    open(out, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
