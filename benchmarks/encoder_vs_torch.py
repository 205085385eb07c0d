#!/usr/bin/env python3
"""The Swift encoder against PyTorch CPU, interleaved: for each round and each (threads, sequence
length), `housestyle-bench encoder` for that one configuration and then the PyTorch baseline for
the same one, so that both sides see the same load on a shared machine. Keeps the best figure of
each side over all rounds and prints each as a ratio, beside the FMA peak and the projection
kernel's rate that the Swift benchmark measures in the same process.

    python3 benchmarks/encoder_vs_torch.py --bench .build-perf/release/housestyle-bench \\
        --torch-python /tmp/refvenv/bin/python [--rounds 3] [--runs 3] [--threads 1,2] [--lengths 32,128] [--clock wall|cpu]
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def output(command):
    print(f"encoder_vs_torch: {' '.join(command)}", file=sys.stderr)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"encoder_vs_torch: {' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def swift_row(text):
    """The one data row of `housestyle-bench encoder`, by column name."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("threads"))
    names = re.split(r"\s{2,}", lines[header].strip())
    values = [v.rstrip("%") for v in lines[header + 1].split()]
    return {name: float(value) for name, value in zip(names, values)}


def torch_row(text):
    match = re.search(r"^\s*\d+\s+\d+\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s*$", text, re.MULTILINE)
    if not match:
        sys.exit(f"encoder_vs_torch: no result in the PyTorch output:\n{text}")
    return {"forward sent/s": float(match.group(1)), "train step ms": float(match.group(2))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True)
    parser.add_argument("--torch-python", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--lengths", default="32,128")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall", help="cpu: each side's thread CPU time (one thread only)")
    args = parser.parse_args()
    configurations = [(int(t), int(n)) for t in args.threads.split(",") for n in args.lengths.split(",")]
    swift, torch = {}, {}

    def keep(best, key, row):
        """Best of each column: highest rate, lowest time; the peak is the highest seen."""
        old = best.setdefault(key, row)
        for name, value in row.items():
            old[name] = min(old[name], value) if name.endswith(" ms") else max(old[name], value)

    for round_ in range(args.rounds):
        for threads, length in configurations:
            common = ["--runs", str(args.runs), "--threads", str(threads), "--lengths", str(length), "--clock", args.clock]
            keep(swift, (threads, length), swift_row(output([args.bench, "encoder", *common])))
            keep(torch, (threads, length), torch_row(output([args.torch_python, "scripts/reference/bench_minilm_torch.py", *common])))
    print(f"best of {args.rounds} interleaved rounds, each side best of {args.runs} runs per round, {args.clock} clock; GFLOP/s counts the matrix products")
    print("threads  seq  peak GFLOP/s  kernel GFLOP/s  kernel % peak  Swift fwd sent/s  fwd % peak  PyTorch fwd sent/s  fwd ratio  "
          "Swift step ms  train % peak  PyTorch step ms  train ratio")
    for key in configurations:
        s, t = swift[key], torch[key]
        # Shares of the highest peak seen in the rounds (so they never flatter).
        forward_rate = s["fwd GFLOP/s"]
        print(f"{key[0]:7d}  {key[1]:3d}  {s['peak GFLOP/s']:12.1f}  {s['kernel GFLOP/s']:14.1f}  {100 * s['kernel GFLOP/s'] / s['peak GFLOP/s']:12.0f}%  "
              f"{s['forward sent/s']:16.1f}  {100 * forward_rate / s['peak GFLOP/s']:9.0f}%  {t['forward sent/s']:18.1f}  "
              f"{s['forward sent/s'] / t['forward sent/s']:8.2f}x  {s['train step ms']:13.1f}  {100 * s['train GFLOP/s'] / s['peak GFLOP/s']:11.0f}%  "
              f"{t['train step ms']:15.1f}  {t['train step ms'] / s['train step ms']:10.2f}x")


if __name__ == "__main__":
    main()
