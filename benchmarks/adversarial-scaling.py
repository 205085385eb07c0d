#!/usr/bin/env python3
"""Time and peak memory of `housestyle filter` on inputs shaped to be slow, at 1x and 4x size.

Usage: adversarial-scaling.py HOUSESTYLE [--large] [--check]

The shapes of issue 13, item 12, each generated here at two sizes, the second 4 times the first:
  nested-list   a list nested one level deeper on each line (1,000 and 2,000 levels: 1 and 4 MB)
  quote-ladder  line i quoted i deep, `> > > text` (1,060 and 2,120 lines: 1.1 and 4.5 MB)
  avoid-words   a style avoiding 50,000 and 200,000 words, rewriting a 1 KB document
--large runs each at twice the depth (4x the bytes) and 75,000 and 300,000 avoid words (a style
file may hold 4 MiB and 1,000,000 YAML nodes), so that start-up (about 0.05 s) weighs less.
The inputs are written by a child process: a child's peak memory as the kernel reports it
includes its parent's peak at the time it started, and a parent that held them would count.
Each line of the documents holds words that styles/plain-english.yaml edits, so every stage runs.
Prints CPU seconds, wall seconds and peak resident memory of each run, and the 4x/1x ratios: a
linear program takes about 4x the time; memory grows by less, since the process starts at about
30 MB. With --check, exits 1 when a time ratio is over 6 or a memory ratio over 5. Before the
fixes (release build): 6.5x the CPU time for the list, 51 bytes of memory per input byte for the
4.5 MB ladder, 4.7 s and 728 MB for 200,000 avoid words.

Ratios within one run, so they hold on a busy machine; not part of CI (scripts/scaling-test.py
is: 50 MB of ordinary Markdown).
"""
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAIN = ROOT / "styles" / "plain-english.yaml"
LINE = "We utilize it in order to ship"


def nested_list(depth: int) -> str:
    return "".join("  " * i + f"- {LINE}\n" for i in range(depth))


def quote_ladder(depth: int) -> str:
    return "".join("> " * i + f"{LINE}\n" for i in range(1, depth + 1))


def avoid_style(count: int) -> str:
    generator = random.Random(1)
    words = set()
    while len(words) < count:
        words.add("".join(generator.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(generator.randint(5, 10))))
    return "version: 1\nname: avoid\nstages: { pre: [markdown] }\navoid: [simply, " + ", ".join(sorted(words)) + "]\n"


def document_1k() -> str:
    generator = random.Random(2)
    words = ["the", "simply", "word", "text", "a", "of", "utilize", "ships", "leveraging"]
    return " ".join(generator.choice(words) for _ in range(180)) + "\n"


def run(housestyle: str, style: Path, source: Path):
    """(CPU seconds, wall seconds, peak resident bytes) of `filter STYLE < source`."""
    import time
    start = time.monotonic()
    with source.open("rb") as stdin:
        process = subprocess.Popen([housestyle, "filter", str(style), "--allow-path", str(style.parent.parent)],
                                   stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        stderr = process.stderr.read().decode(errors="replace")
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"adversarial-scaling: housestyle filter failed on {source}: {stderr.strip()}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * 1024


def generate(folder: Path, scale: int) -> None:
    """Writes every input into `folder` (run in a child process: see the module comment)."""
    (folder / "styles").mkdir()
    for name, make, sizes in [("nested-list", nested_list, (1000, 2000)), ("quote-ladder", quote_ladder, (1060, 2120))]:
        for size in sizes:
            (folder / f"{name}-{size * scale}.md").write_text(make(size * scale), encoding="utf-8")
    (folder / "document.md").write_text(document_1k(), encoding="utf-8")
    for count in avoid_counts(scale):
        (folder / "styles" / f"avoid-{count}.yaml").write_text(avoid_style(count), encoding="utf-8")


def avoid_counts(scale: int):
    return (50_000, 200_000) if scale == 1 else (75_000, 300_000)


def main() -> None:
    if sys.argv[1:2] == ["--generate"]:
        generate(Path(sys.argv[2]), int(sys.argv[3]))
        return
    arguments = [a for a in sys.argv[1:] if a not in ("--check", "--large")]
    if len(arguments) != 1:
        sys.exit(__doc__)
    housestyle, check = arguments[0], "--check" in sys.argv
    scale = 2 if "--large" in sys.argv else 1
    failures = []
    with tempfile.TemporaryDirectory(prefix="housestyle-adversarial-") as directory:
        folder = Path(directory)
        subprocess.run([sys.executable, __file__, "--generate", str(folder), str(scale)], check=True)
        cases = []
        for name, sizes in [("nested-list", (1000, 2000)), ("quote-ladder", (1060, 2120))]:
            paths = [folder / f"{name}-{size * scale}.md" for size in sizes]
            cases.append((name, [(PLAIN, path, path.stat().st_size) for path in paths]))
        styles = [folder / "styles" / f"avoid-{count}.yaml" for count in avoid_counts(scale)]
        cases.append(("avoid-words", [(style, folder / "document.md", style.stat().st_size) for style in styles]))

        print(f"adversarial-scaling: {housestyle}")
        print(f"  {'case':<13} {'input':>9} {'CPU s':>7} {'wall s':>7} {'peak MB':>8} {'B/byte':>7}")
        for name, runs in cases:
            results = []
            for style, source, size in runs:
                cpu, wall, rss = run(housestyle, style, source)
                results.append((cpu, rss))
                print(f"  {name:<13} {size / 1e6:7.2f}MB {cpu:7.2f} {wall:7.2f} {rss / 1e6:8.1f} {rss / size:7.1f}")
            time_ratio = results[1][0] / max(results[0][0], 0.01)
            memory_ratio = results[1][1] / results[0][1]
            size_ratio = runs[1][2] / runs[0][2]
            print(f"  {name:<13} {size_ratio:.1f}x the input: {time_ratio:.2f}x the CPU time, {memory_ratio:.2f}x the peak memory")
            if time_ratio > 6:
                failures.append(f"{name}: CPU time grew {time_ratio:.1f}x for {size_ratio:.1f}x the input")
            if memory_ratio > 5:
                failures.append(f"{name}: peak memory grew {memory_ratio:.1f}x for {size_ratio:.1f}x the input")
    for failure in failures:
        print(f"adversarial-scaling: {'FAILED' if check else 'note'}: {failure}", file=sys.stderr)
    if check and failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
