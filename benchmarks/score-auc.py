#!/usr/bin/env python3
"""How well `housestyle score` separates held-out on-voice from off-voice documents (issue 15,
item 2): the area under the ROC curve (AUC) of document scores on a benchmark's dev data.

    python3 benchmarks/score-auc.py BIN --style benchmarks/yelp-positive.yaml \
        --on ../shared/data/yelp/sentiment.dev.1 --off ../shared/data/yelp/sentiment.dev.0

The dev files hold one sentence per line and were never trained on (the style trains on the
`shen2017_extra` files). Consecutive lines are joined into documents of --sentences sentences
(default 5; 1 scores each sentence alone), written to benchmarks/.work/score-auc/, scored with
`housestyle score STYLE FOLDER --format json --paragraphs 0 --no-train` (train the style first),
and the AUC is the probability that a random on-voice document scores above a random off-voice
one (ties count half). Prints one Markdown table row.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "score-auc"


def documents(path, size, folder):
    lines = [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(lines), size):
        (folder / f"{i // size:05d}.txt").write_text(" ".join(lines[i:i + size]) + "\n", encoding="utf-8")
    return (len(lines) + size - 1) // size


def auc(on, off):
    # Mann-Whitney U over all pairs, ties counting half.
    wins = 0.0
    for a in on:
        for b in off:
            wins += 1.0 if a > b else 0.5 if a == b else 0.0
    return wins / (len(on) * len(off))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--style", required=True)
    parser.add_argument("--on", required=True, help="on-voice dev sentences, one per line")
    parser.add_argument("--off", required=True, help="off-voice dev sentences, one per line")
    parser.add_argument("--sentences", type=int, default=5)
    args = parser.parse_args()
    name = Path(args.style).stem
    base = WORK / f"{name}-{args.sentences}"
    shutil.rmtree(base, ignore_errors=True)
    counts = {label: documents(path, args.sentences, base / label) for label, path in (("on", args.on), ("off", args.off))}
    env = dict(os.environ)
    data = str((ROOT / ".." / "shared" / "data").resolve())
    env["HOUSESTYLE_ALLOW_PATHS"] = ":".join([data] + [p for p in env.get("HOUSESTYLE_ALLOW_PATHS", "").split(":") if p])
    scores = {}
    for label in ("on", "off"):
        run = subprocess.run([args.binary, "score", args.style, str(base / label), "--format", "json", "--paragraphs", "0", "--no-train"],
                             cwd=ROOT, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"score failed ({run.returncode}): {run.stderr}")
        scores[label] = [d["score"] for d in json.loads(run.stdout)["documents"] if d["score"] is not None]
    on, off = scores["on"], scores["off"]
    mean = lambda xs: sum(xs) / len(xs)
    print(f"| {name} | {args.sentences} | {len(on)} / {len(off)} | {mean(on):.1f} | {mean(off):.1f} | **{auc(on, off):.3f}** |")


if __name__ == "__main__":
    main()
