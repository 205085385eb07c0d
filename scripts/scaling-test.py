#!/usr/bin/env python3
"""Checks that a large input is rewritten in linear time and memory (issue #3's 50 MB guarantee).

Usage: scaling-test.py HOUSESTYLE [STYLE]

The input is the repository's own Markdown (README, docs/, the acme corpus documents and
examples/draft.md: headings, lists, tables, code, links), one unit repeated to about 5 MB and to
ten times that, 50 MB. `housestyle filter STYLE` rewrites both as one document each. The check
fails when
  - either run fails, or the large output is not exactly ten copies of the small one (nothing
    lost, truncated or changed by size);
  - the large run's CPU time is more than 2.5 times ten times the small run's: a linear pass
    takes about 10x (page faults for the bigger buffers add a little), a quadratic one 100x;
  - the large run's peak memory is more than 2 times ten times the small run's, or more than
    40 bytes per input byte.

These are ratios within one run on one machine, so they hold on slow and busy machines alike;
throughput itself is measured by the benchmarks (BENCHMARKS.md), not here.

Each run is measured by /usr/bin/time (Debian's `time`, installed by scripts/setup.sh), which
starts `housestyle` from a process of about 1 MB: the peak memory the kernel reports for a child
counts its parent's peak up to the fork, and this script's own, which holds the inputs (over
100 MB), would be counted in the small run.
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_BYTES = 5_000_000
FACTOR = 10
TIME_SLACK = 2.5
MEMORY_SLACK = 2.0
BYTES_OF_MEMORY_PER_BYTE = 40
TIME = "/usr/bin/time"


def unit() -> str:
    """The repository's Markdown, as one block that repeats cleanly (no front matter)."""
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "corpora" / "acme").rglob("*.md")), ROOT / "examples" / "draft.md"]
    parts = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):  # front matter is only front matter at the start of a file
            end = text.find("\n---\n", 4)
            text = text[end + 5:] if end >= 0 else text
        parts.append(text.rstrip("\n") + "\n\n")
    return "".join(parts)


def run(housestyle: str, style: str, source: Path, output: Path):
    """Runs `filter` on `source`; returns (seconds of CPU, peak resident bytes, wall seconds)."""
    usage = output.with_suffix(".usage")
    start = time.monotonic()
    with source.open("rb") as stdin, output.open("wb") as stdout:
        process = subprocess.run([TIME, "-f", "%U %S %M", "-o", str(usage), housestyle, "filter", style],
                                 stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    wall = time.monotonic() - start
    if process.returncode != 0:
        stderr = process.stderr.decode(errors="replace")
        sys.exit(f"scaling-test: housestyle filter failed on {source} (exit {process.returncode}): {stderr.strip()}")
    # The last line: user and system seconds, peak resident kilobytes (of housestyle alone).
    user, system, kilobytes = usage.read_text().split("\n")[-2].split()
    return float(user) + float(system), int(kilobytes) * 1024, wall


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    housestyle = sys.argv[1]
    if not os.access(TIME, os.X_OK):
        sys.exit(f"scaling-test: {TIME} not found (Debian package time; bash scripts/setup.sh installs it)")
    style = sys.argv[2] if len(sys.argv) == 3 else str(ROOT / "styles" / "plain-english.yaml")
    block = unit()
    small = block * max(1, SMALL_BYTES // len(block.encode()))
    failures = []
    with tempfile.TemporaryDirectory(prefix="housestyle-scaling-") as directory:
        folder = Path(directory)
        small_in, large_in = folder / "small.md", folder / "large.md"
        small_out, large_out = folder / "small.out.md", folder / "large.out.md"
        small_in.write_text(small, encoding="utf-8")
        large_in.write_text(small * FACTOR, encoding="utf-8")
        small_bytes, large_bytes = small_in.stat().st_size, large_in.stat().st_size

        small_cpu, small_rss, small_wall = run(housestyle, style, small_in, small_out)
        large_cpu, large_rss, large_wall = run(housestyle, style, large_in, large_out)

        print(f"scaling-test: {style}")
        print(f"  {small_bytes / 1e6:6.1f} MB: {small_cpu:6.2f} s CPU ({small_wall:.2f} s wall), peak {small_rss / 1e6:7.1f} MB")
        print(f"  {large_bytes / 1e6:6.1f} MB: {large_cpu:6.2f} s CPU ({large_wall:.2f} s wall), peak {large_rss / 1e6:7.1f} MB")
        time_ratio, memory_ratio = large_cpu / max(small_cpu, 1e-3), large_rss / small_rss
        print(f"  ratios for {FACTOR}x the input: CPU {time_ratio:.1f}x, memory {memory_ratio:.1f}x")

        small_text = small_out.read_bytes()
        if small_text == small.encode():
            failures.append("the style made no edit, so the run proves little: use a style with rules")
        if large_out.read_bytes() != small_text * FACTOR:
            failures.append(f"the {large_bytes / 1e6:.0f} MB output is not {FACTOR} copies of the {small_bytes / 1e6:.0f} MB output")
    if time_ratio > FACTOR * TIME_SLACK:
        failures.append(f"CPU time grew {time_ratio:.1f}x for {FACTOR}x the input (limit {FACTOR * TIME_SLACK:.0f}x): not linear")
    if memory_ratio > FACTOR * MEMORY_SLACK:
        failures.append(f"peak memory grew {memory_ratio:.1f}x for {FACTOR}x the input (limit {FACTOR * MEMORY_SLACK:.0f}x)")
    if large_rss > BYTES_OF_MEMORY_PER_BYTE * large_bytes:
        failures.append(f"peak memory {large_rss / 1e6:.0f} MB is over {BYTES_OF_MEMORY_PER_BYTE} bytes per input byte")
    for failure in failures:
        print(f"scaling-test: FAILED: {failure}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print("scaling-test: passed")


if __name__ == "__main__":
    main()
