#!/usr/bin/env python3
"""Peak memory per input byte and throughput of `housestyle filter` on large single documents.

Usage: large-documents.py HOUSESTYLE [--case NAME]... [--check] [--style PATH]

Cases (each one document, rewritten with styles/plain-english.yaml by default):
  50mb          the 50 MB input of scripts/scaling-test.py: the repository's Markdown repeated
  200mb         the same Markdown repeated to 200 MB
  single-20mb   that Markdown with every line break made a space: one 20 MB line
  single-200mb  the same, one 200 MB line
Without --case, all four run. Each is written to a temporary file by a child process (a child's
peak memory as the kernel reports it counts its parent's peak at the time it started) and
rewritten under /usr/bin/time, which reports the peak resident memory of `housestyle` alone.
Prints, for each, CPU seconds, MB/s of CPU time, peak RSS and peak RSS in bytes per input byte.
With --check, exits 1 when any case peaks above 10 bytes per input byte (issue 16, item 5).

Not part of CI: the 200 MB cases take tens of seconds and up to 2 GB of memory.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"
LIMIT = 10  # bytes of peak memory per input byte
CASES = {"50mb": (50_000_000, False), "200mb": (200_000_000, False),
         "single-20mb": (20_000_000, True), "single-200mb": (200_000_000, True)}

# Written by a child: the scaling test's Markdown unit, repeated to SIZE bytes (whole units, so
# that the 50 MB case is the scaling test's input), on one line when SINGLE.
WRITER = r"""
import sys
sys.path.insert(0, sys.argv[1] + "/scripts")
import importlib.util
spec = importlib.util.spec_from_file_location("scaling", sys.argv[1] + "/scripts/scaling-test.py")
scaling = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scaling)
size, single, path = int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
block = scaling.unit()
if single:
    block = block.replace("\n", " ")
data = block.encode()
small = data * max(1, scaling.SMALL_BYTES // len(data))
with open(path, "wb") as out:
    if size == 50_000_000:
        out.write(small * scaling.FACTOR)
    else:
        written = 0
        while written + len(data) <= size:
            out.write(data)
            written += len(data)
"""


def run(housestyle: str, style: str, source: Path, output: Path):
    usage = output.with_suffix(".usage")
    with source.open("rb") as stdin, output.open("wb") as stdout:
        process = subprocess.run([TIME, "-f", "%U %S %M %e", "-o", str(usage), housestyle, "filter", style],
                                 stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    if process.returncode != 0:
        sys.exit(f"large-documents: housestyle filter failed on {source} (exit {process.returncode}): "
                 + process.stderr.decode(errors="replace").strip())
    user, system, kilobytes, wall = usage.read_text().split("\n")[-2].split()
    return float(user) + float(system), int(kilobytes) * 1024, float(wall)


def main() -> None:
    arguments = sys.argv[1:]
    if not arguments or arguments[0].startswith("-"):
        sys.exit(__doc__)
    housestyle, rest = arguments[0], arguments[1:]
    check = "--check" in rest
    style = str(ROOT / "styles" / "plain-english.yaml")
    names = []
    i = 0
    while i < len(rest):
        if rest[i] == "--case" and i + 1 < len(rest) and rest[i + 1] in CASES:
            names.append(rest[i + 1]); i += 2
        elif rest[i] == "--style" and i + 1 < len(rest):
            style = rest[i + 1]; i += 2
        elif rest[i] == "--check":
            i += 1
        else:
            sys.exit(f"large-documents: bad argument {rest[i]!r} (cases: {', '.join(CASES)})\n{__doc__}")
    if not os.access(TIME, os.X_OK):
        sys.exit(f"large-documents: {TIME} not found (Debian package time; bash scripts/setup.sh installs it)")
    failures = []
    print(f"large-documents: {housestyle} filter {style}")
    print(f"{'case':14} {'MB':>8} {'CPU s':>7} {'wall s':>7} {'MB/s CPU':>9} {'peak MB':>8} {'bytes/byte':>10}")
    with tempfile.TemporaryDirectory(prefix="housestyle-large-") as directory:
        folder = Path(directory)
        for name in names or list(CASES):
            size, single = CASES[name]
            source, output = folder / f"{name}.md", folder / f"{name}.out.md"
            subprocess.run([sys.executable, "-c", WRITER, str(ROOT), str(size), "1" if single else "0", str(source)], check=True)
            count = source.stat().st_size
            cpu, peak, wall = run(housestyle, style, source, output)
            if output.stat().st_size == 0:
                sys.exit(f"large-documents: {name}: empty output")
            ratio = peak / count
            print(f"{name:14} {count / 1e6:8.1f} {cpu:7.2f} {wall:7.2f} {count / 1e6 / cpu:9.1f} {peak / 1e6:8.0f} {ratio:10.2f}", flush=True)
            if ratio > LIMIT:
                failures.append(f"{name}: peak memory {ratio:.1f} bytes per input byte (limit {LIMIT})")
            source.unlink()
            output.unlink()
    if check and failures:
        for failure in failures:
            print(f"large-documents: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
