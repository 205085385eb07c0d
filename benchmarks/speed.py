#!/usr/bin/env python3
"""Speed suite: runs every speed benchmark of housestyle-bench (and the PyTorch CPU baseline of
the encoder when a Python with torch is given), records each one's wall time and peak RSS, and
writes a Markdown table of each measure as a ratio to its peer from the same run, followed by the
benchmarks' own output. The benchmarks themselves live in Sources/housestyle-bench."""
import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# benchmarks/yelp-positive.yaml reads ../shared/data, outside the repository, where a style may read
# only when allowed.
ALLOWED = [str((ROOT / ".." / "shared" / "data").resolve())]


def run(command, env=None):
    """Output, wall seconds and peak RSS (MiB) of a command run from the repository root."""
    print(f"speed: {' '.join(command)}", file=sys.stderr)
    env = dict(os.environ if env is None else env)
    env["HOUSESTYLE_ALLOW_PATHS"] = ":".join(ALLOWED + [p for p in env.get("HOUSESTYLE_ALLOW_PATHS", "").split(":") if p])
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"speed: {' '.join(command)} failed ({process.returncode}):\n{output}")
    return output, seconds, usage.ru_maxrss / 1024


def floats(pattern, text):
    match = re.search(pattern, text, re.MULTILINE)
    return [float(g.replace(",", "")) for g in match.groups()] if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True, help="the release housestyle-bench binary")
    parser.add_argument("--torch-python", help="a Python with torch and transformers for the encoder baseline")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    b = args.bench
    rows, sections = [], []

    out, seconds, rss = run([b, "segmentation", "--runs", "5"])
    sections.append(("segmentation", f"{b} segmentation --runs 5", out))
    both = floats(r"^HouseStyle\s+([\d.]+) MB/s\s+([\d.]+) MB/s\s+([\d.]+) MB/s", out)
    bare = floats(r"^bare ICU loop\s+([\d.]+) MB/s\s+([\d.]+) MB/s\s+([\d.]+) MB/s", out)
    if both and bare:
        rows.append(("segmentation (sentences + words)", f"{both[2]:.1f} MB/s", "bare ICU loop", f"{bare[2]:.1f} MB/s", both[2] / bare[2], rss, seconds))

    out, seconds, rss = run([b, "rewrite", "--megabytes", "5"])
    sections.append(("rules-only rewrite", f"{b} rewrite --megabytes 5", out))
    seg = floats(r"^segmentation only\s+([\d.]+)", out)
    one = floats(r"^rewrite, 1 job\s+([\d.]+)", out)
    two = floats(r"^rewrite, 2 jobs\s+([\d.]+)", out)
    scan = floats(r"^word scan\s+([\d.]+)", out)
    if seg and one:
        rows.append(("rules-only rewrite, 1 job (acme)", f"{one[0]:.2f} MB/s", "ICU word segmentation alone", f"{seg[0]:.2f} MB/s", one[0] / seg[0], rss, seconds))
        rows.append(("rules-only rewrite, 1 job (acme)", f"{one[0]:.2f} MB/s", "target 20 MB/s per core", "20.00 MB/s", one[0] / 20, rss, seconds))
    if seg and scan:
        rows.append(("word scan (Latin lines without ICU)", f"{scan[0]:.2f} MB/s", "ICU word segmentation", f"{seg[0]:.2f} MB/s", scan[0] / seg[0], rss, seconds))
    if one and two:
        rows.append(("rules-only rewrite, 2 jobs", f"{two[0]:.2f} MB/s", "1 job", f"{one[0]:.2f} MB/s", two[0] / one[0], rss, seconds))

    out, seconds, rss = run([b, "markdown", "--megabytes", "5"])
    sections.append(("Markdown analysis", f"{b} markdown --megabytes 5", out))
    markdown = floats(r"^Document\(\.markdown\)\s+([\d.]+) MB/s", out)
    icu = floats(r"^bare ICU word loop\s+([\d.]+) MB/s", out)
    if markdown and icu:
        rows.append(("Markdown analysis (Document)", f"{markdown[0]:.1f} MB/s", "bare ICU word loop", f"{icu[0]:.1f} MB/s", markdown[0] / icu[0], rss, seconds))

    # The learned stage with the fine-tuned voice scorer (issue 11, item 5: >= 20,000 words/s on one
    # core), on one thread. It needs the style's trained bundle (models/yelp-positive, which the
    # quality suite trains); without one, `learned` trains it first (several minutes). Before the
    # statistics-only `learned --train` below, which writes a bundle without the scorer in its place.
    command = [b, "learned", "--style", "benchmarks/yelp-positive.yaml", "--input", "../shared/data/yelp/sentiment.dev.0", "--runs", "3", "--scorer"]
    out, seconds, rss = run(command, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    sections.append(("learned rewrite with the voice scorer, one thread", "OPENBLAS_NUM_THREADS=1 " + " ".join(command), out))
    scored = floats(r"learned stage with the voice scorer: (\d+) words/s", out)
    if scored:
        rows.append(("learned stage with the voice scorer, 1 thread (Yelp dev)", f"{scored[0]:,.0f} words/s", "target 20k words/s (issue 11)", "20,000 words/s", scored[0] / 20000, rss, seconds))

    command = [b, "learned", "--style", "benchmarks/yelp-positive.yaml", "--input", "../shared/data/yelp/sentiment.dev.0", "--runs", "5", "--train"]
    out, seconds, rss = run(command)
    sections.append(("training and learned rewrite", " ".join(command), out))
    train = floats(r"^training: ([\d.]+) s", out)
    stage = floats(r"learned stage alone: (\d+) words/s", out)
    whole = floats(r"whole pipeline:\s+(\d+) words/s", out)
    if train:
        rows.append(("training, Yelp (190k sentences)", f"{train[0]:.2f} s", "target 60 s", "60 s", 60 / train[0], rss, seconds))
    if stage:
        rows.append(("learned stage rewrite (Yelp dev)", f"{stage[0]:,.0f} words/s", "target 200k words/s", "200,000 words/s", stage[0] / 200000, rss, seconds))
    if stage and whole:
        rows.append(("whole learned pipeline", f"{whole[0]:,.0f} words/s", "learned stage alone", f"{stage[0]:,.0f} words/s", whole[0] / stage[0], rss, seconds))

    # The FMA peak of one core and of all cores; the encoder measures its own beside its figures.
    out, seconds, rss = run([b, "peak", "--runs", "20"])
    sections.append(("FMA peak", f"{b} peak --runs 20", out))
    peaks = {(m.group(1), int(m.group(2))): float(m.group(3))
             for m in re.finditer(r"^(zmm|ymm)\s+(\d+)\s+([\d.]+)\s+[\d.]+\s*$", out, re.MULTILINE)}
    for (width, threads), value in sorted(peaks.items()):
        if threads > 1 and (width, 1) in peaks:
            rows.append((f"FMA peak, {threads} cores ({width})", f"{value:.1f} GFLOP/s", "1 core", f"{peaks[(width, 1)]:.1f} GFLOP/s", value / peaks[(width, 1)], rss, seconds))
    if ("zmm", 1) in peaks and ("ymm", 1) in peaks:
        rows.append(("FMA peak, 1 core (zmm)", f"{peaks[('zmm', 1)]:.1f} GFLOP/s", "1 core (ymm)", f"{peaks[('ymm', 1)]:.1f} GFLOP/s", peaks[("zmm", 1)] / peaks[("ymm", 1)], rss, seconds))
    # Where the processor has AVX512-BF16: the scorer's bf16 product by its emulation against
    # vdpbf16ps (the same bits; rewriting runs the faster, hs_bf16_dot_here).
    for m in re.finditer(r"^(T=\d+ [a-z/ -]+?) \S+\s+([\d.]+)\s+([\d.]+)\s+[\d.]+x\s*$", out, re.MULTILINE):
        native, emulated = float(m.group(2)), float(m.group(3))
        rows.append((f"bf16 product, emulated ({m.group(1)})", f"{emulated:.1f} GFLOP/s", "vdpbf16ps", f"{native:.1f} GFLOP/s", emulated / native, rss, seconds))

    out, seconds, rss = run([b, "encoder", "--runs", "3"])
    sections.append(("encoder", f"{b} encoder --runs 3", out))
    # The encoder prints a table; read its columns by header name, so new columns do not break it.
    swift = {}
    lines_out = out.splitlines()
    header_index = next((i for i, line in enumerate(lines_out) if line.strip().startswith("threads")), None)
    if header_index is not None:
        names = re.split(r"\s{2,}", lines_out[header_index].strip())
        for line in lines_out[header_index + 1:]:
            values = line.split()
            if len(values) != len(names):
                break
            row = dict(zip(names, (v.rstrip("%") for v in values)))
            swift[(int(row["threads"]), int(row["seq"]))] = dict(
                sgemm=float(row["sgemm GFLOP/s"]), kernel=float(row.get("kernel GFLOP/s", "nan")),
                peak=float(row.get("peak GFLOP/s", "nan")), train=float(row.get("train GFLOP/s", "nan")),
                forward=float(row["forward sent/s"]), gflops=float(row["fwd GFLOP/s"]), step=float(row["train step ms"]))
    for (t, n), v in sorted(swift.items()):
        # Every GFLOP/s figure as a share of the FMA peak of as many cores, measured in the same run.
        if v["peak"] == v["peak"]:
            peer = f"FMA peak, {t} core(s)"
            for name, value in ((f"projection kernel GFLOP/s (FF shape), {t} thread(s), seq {n}", v["kernel"]),
                                (f"OpenBLAS sgemm GFLOP/s (FF shape), {t} thread(s), seq {n}", v["sgemm"]),
                                (f"encoder forward GFLOP/s, {t} thread(s), seq {n}", v["gflops"]),
                                (f"fine-tune step GFLOP/s, {t} thread(s), seq {n}", v["train"])):
                if value == value:
                    rows.append((name, f"{value:.1f}", peer, f"{v['peak']:.1f}", value / v["peak"], rss, seconds, "share"))
        rows.append((f"encoder forward GFLOP/s, {t} thread(s), seq {n}", f"{v['gflops']:.1f}", "OpenBLAS sgemm rate", f"{v['sgemm']:.1f}", v["gflops"] / v["sgemm"], rss, seconds))
        if v["kernel"] == v["kernel"]:
            rows.append((f"encoder forward GFLOP/s, {t} thread(s), seq {n}", f"{v['gflops']:.1f}", "projection kernel rate", f"{v['kernel']:.1f}", v["gflops"] / v["kernel"], rss, seconds))
    if args.torch_python:
        command = [args.torch_python, "scripts/reference/bench_minilm_torch.py", "--runs", "3"]
        out, seconds, rss = run(command)
        sections.append(("encoder, PyTorch CPU baseline", " ".join(command), out))
        for m in re.finditer(r"^\s*(\d)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", out, re.MULTILINE):
            t, n, fwd, step, _ = m.groups()
            key = (int(t), int(n))
            if key in swift:
                rows.append((f"encoder forward, {t} thread(s), seq {n}", f"{swift[key]['forward']:.1f} sent/s", "PyTorch CPU", f"{float(fwd):.1f} sent/s", swift[key]["forward"] / float(fwd), rss, seconds))
                rows.append((f"fine-tune step, {t} thread(s), seq {n}", f"{swift[key]['step']:.1f} ms", "PyTorch CPU", f"{float(step):.1f} ms", float(step) / swift[key]["step"], rss, seconds))
    else:
        sections.append(("encoder, PyTorch CPU baseline", "skipped", "no Python with torch given (TORCH_PYTHON); the forward and fine-tune ratios to PyTorch are missing\n"))

    lines = ["| measure | HouseStyle | peer | peer figure | ratio (higher = HouseStyle better) | peak RSS of the run | wall s of the run |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for name, value, peer, peer_value, ratio, rss, seconds, *kind in rows:
        shown = f"**{100 * ratio:.0f}% of peak**" if kind == ["share"] else f"**{ratio:.2f}×**"
        lines.append(f"| {name} | {value} | {peer} | {peer_value} | {shown} | {rss:.0f} MiB | {seconds:.0f} |")
    lines.append("")
    lines.append("Peak RSS is that of the whole benchmark process (for the PyTorch rows: the PyTorch process). "
                 "Fine-tune ratio = PyTorch step time / HouseStyle step time. "
                 "\"% of peak\" rows divide a GFLOP/s figure by the FP32 FMA peak of as many cores, which the encoder benchmark "
                 "measures beside it in the same run (dependent-FMA chains on zmm registers, ymm without AVX-512, counted per second "
                 "of each thread's CPU time, so that other processes on a shared machine do not lower it; the figures divided by it "
                 "are wall clock, so under load the shares understate).")
    lines.append("")
    for title, command, output in sections:
        lines += [f"<details><summary>{title}: <code>{command}</code></summary>", "", "```", output.rstrip(), "```", "", "</details>", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
