#!/usr/bin/env python3
"""How well `housestyle score` separates held-out on-voice from off-voice documents (issue 15,
item 2): the area under the ROC curve (AUC) of document scores on each benchmark style's dev data.

    python3 benchmarks/score-auc.py BIN                      # every style below with a trained model, 1 and 5 sentences
    python3 benchmarks/score-auc.py BIN --only yelp-negative --sentences 5
    python3 benchmarks/score-auc.py BIN --root ../main       # use the models trained in another checkout

The benchmark styles with a held-out on-voice / off-voice split, none of it trained on:

- yelp-positive: on = ../shared/data/yelp/sentiment.dev.1, off = sentiment.dev.0 (the styles train
  on the `shen2017_extra` files);
- yelp-negative: the same files, the other way round;
- paradetox-neutral: the records of ../shared/data/paradetox/paradetox.dev.tsv that
  benchmarks/quality.py holds out (sha1(toxic) % 10 == 1; the style trains on the others): on =
  each record's first neutral rewrite, off = its toxic sentence;
- captions-romantic / captions-humorous: ../shared/data/imagecaption/sentiment.dev.filtered.1
  (romantic) and .0 (humorous), one way and the other (the styles train on sentiment.train.*);
- shakespeare-original: ../shared/data/shakespeare/valid.original.nltktok on, valid.modern off;
- bible-bbe: ../shared/data/bible/derived_KJV_BBE/dev.bbe on, dev.kjv off.

A style whose model is not in --root's models/ is skipped with a line on stderr, unless --only
names it (then it is an error).

Consecutive sentences are joined into documents of N sentences (1 scores each sentence alone),
written to benchmarks/.work/score-auc/ of this checkout, and scored with `housestyle score STYLE
FOLDER --format json --paragraphs 0 --no-train`, run in --root (default: this checkout), whose
models/ must hold the style's trained model (`housestyle train STYLE`, or benchmarks/quality.py).
The AUC is the probability that a random on-voice document scores above a random off-voice one
(ties count half). Prints one Markdown table row per style and document size.
"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
DATA = (HERE / ".." / "shared" / "data").resolve()
WORK = HERE / "benchmarks" / ".work" / "score-auc"


def lines(path, errors="strict"):
    return [l.strip() for l in open(path, encoding="utf-8", errors=errors) if l.strip()]


def paradetox_held_out():
    """(neutral, toxic) of the records quality.py holds out, in file order."""
    with open(DATA / "paradetox" / "paradetox.dev.tsv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quotechar='"')
        next(reader)
        records = [(row[0], [r for r in row[1:4] if r.strip()]) for row in reader]
    held = [(refs[0].strip(), toxic.strip()) for toxic, refs in records
            if toxic.strip() and refs and int(hashlib.sha1(toxic.encode()).hexdigest(), 16) % 10 == 1]
    return [n for n, _ in held], [t for _, t in held]


def splits():
    """Each style: (on-voice sentences, off-voice sentences)."""
    yelp, cap = DATA / "yelp", DATA / "imagecaption"
    positive = lambda: lines(yelp / "sentiment.dev.1")
    negative = lambda: lines(yelp / "sentiment.dev.0")
    humorous = lambda: lines(cap / "sentiment.dev.filtered.0", "replace")
    romantic = lambda: lines(cap / "sentiment.dev.filtered.1", "replace")
    shakespeare, bible = DATA / "shakespeare", DATA / "bible" / "derived_KJV_BBE"
    return {
        "yelp-positive": lambda: (positive(), negative()),
        "yelp-negative": lambda: (negative(), positive()),
        "paradetox-neutral": paradetox_held_out,
        "captions-romantic": lambda: (romantic(), humorous()),
        "captions-humorous": lambda: (humorous(), romantic()),
        "shakespeare-original": lambda: (lines(shakespeare / "valid.original.nltktok"), lines(shakespeare / "valid.modern.nltktok")),
        "bible-bbe": lambda: (lines(bible / "dev.bbe"), lines(bible / "dev.kjv")),
    }


def documents(sentences, size, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(sentences), size):
        (folder / f"{i // size:05d}.txt").write_text(" ".join(sentences[i:i + size]) + "\n", encoding="utf-8")


def auc(on, off):
    # Mann-Whitney U over all pairs, ties counting half.
    wins = 0.0
    for a in on:
        for b in off:
            wins += 1.0 if a > b else 0.5 if a == b else 0.0
    return wins / (len(on) * len(off))


def scores(binary, style, folder, root):
    env = dict(os.environ)
    allowed = [str(DATA), str(WORK)]
    env["HOUSESTYLE_ALLOW_PATHS"] = ":".join(allowed + [p for p in env.get("HOUSESTYLE_ALLOW_PATHS", "").split(":") if p])
    run = subprocess.run([binary, "score", f"benchmarks/{style}.yaml", str(folder), "--format", "json", "--paragraphs", "0",
                          "--no-train"], cwd=root, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{style}: score failed ({run.returncode}): {run.stderr}")
    return [d["score"] for d in json.loads(run.stdout)["documents"] if d["score"] is not None]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--only", action="append", choices=sorted(splits()), help="only this style (repeatable)")
    parser.add_argument("--sentences", type=int, action="append", help="sentences per document (repeatable; default 1 and 5)")
    parser.add_argument("--root", default=str(HERE), help="the checkout whose styles and models/ are used (default: this one)")
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    root = Path(args.root).resolve()
    print("| style | sentences per document | documents (on / off) | mean score on / off | AUC |")
    print("|---|---:|---|---|---:|")
    for style, split in splits().items():
        if args.only and style not in args.only:
            continue
        if not args.only and not (root / "models" / style / "manifest.json").exists():
            print(f"{style}: skipped, no model in {root / 'models' / style} (housestyle train benchmarks/{style}.yaml)", file=sys.stderr)
            continue
        on_sentences, off_sentences = split()
        for size in args.sentences or [1, 5]:
            base = WORK / f"{style}-{size}"
            shutil.rmtree(base, ignore_errors=True)
            documents(on_sentences, size, base / "on")
            documents(off_sentences, size, base / "off")
            on, off = scores(binary, style, base / "on", root), scores(binary, style, base / "off", root)
            mean = lambda xs: sum(xs) / len(xs)
            print(f"| {style} | {size} | {len(on):,} / {len(off):,} | {mean(on):.1f} / {mean(off):.1f} | **{auc(on, off):.3f}** |",
                  flush=True)


if __name__ == "__main__":
    main()
