#!/usr/bin/env python3
"""Quality suite: trains each benchmark style, rewrites its evaluation sentences with
`housestyle eval`, and judges the outputs with tools that are not part of HouseStyle: a fastText
classifier trained on the benchmark's own training split (style accuracy) and sacreBLEU (BLEU
against the references, self-BLEU). The copy baseline (output = input) is scored in the same run.

Run by benchmarks/run.sh inside benchmarks/.venv (fastText, sacreBLEU). Writes a Markdown table
to the file given with --out. Data is read from ../shared/data; derived files go to
benchmarks/.work (git-ignored).
"""
import argparse
import csv
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import fasttext
import sacrebleu

ROOT = Path(__file__).resolve().parents[1]
DATA = (ROOT / ".." / "shared" / "data").resolve()
WORK = ROOT / "benchmarks" / ".work"
SEED = 7
# The benchmark styles read the data, outside the repository, where a style may read only when allowed
# (what they derive from it is written to WORK, inside).
ALLOWED = [str(DATA)]


def environment():
    """This process's environment with the benchmark's data folders added to HOUSESTYLE_ALLOW_PATHS."""
    env = dict(os.environ)
    env["HOUSESTYLE_ALLOW_PATHS"] = ":".join(ALLOWED + [p for p in env.get("HOUSESTYLE_ALLOW_PATHS", "").split(":") if p])
    return env


def lines(path, errors="strict"):
    with open(path, encoding="utf-8", errors=errors) as f:
        return [line.rstrip("\n") for line in f]


def write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(row.replace("\n", " ").replace("\r", " ") + "\n")
    return path


def subsample(n, limit):
    """Indices of at most `limit` of n items, seeded, in order."""
    if limit is None or n <= limit:
        return list(range(n))
    return sorted(random.Random(SEED).sample(range(n), limit))


# Each benchmark: style, evaluation source and references, the classifier's training split
# (voice = target style, contrast = source style), and a note.
def benchmarks(limit):
    result = []
    yelp = DATA / "yelp"
    for name, style, src, voice, contrast in [
        ("Yelp negative → positive", "yelp-positive", "sentiment.dev.0", "sentiment.extra.1", "sentiment.extra.0"),
        ("Yelp positive → negative", "yelp-negative", "sentiment.dev.1", "sentiment.extra.0", "sentiment.extra.1"),
    ]:
        source = lines(yelp / src)
        keep = subsample(len(source), limit)
        result.append(dict(name=name, style=style, source=[source[i] for i in keep], references=[],
                           voice=lines(yelp / "shen2017_extra" / voice), contrast=lines(yelp / "shen2017_extra" / contrast),
                           note="no references in the dev split; classifier on shen2017_extra (overlaps DRG dev)"))

    # ParaDetox: our split of the dev file; held-out records are sha1(toxic) % 10 == 1.
    records = []
    with open(DATA / "paradetox" / "paradetox.dev.tsv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quotechar='"')
        next(reader)
        for row in reader:
            toxic, refs = row[0], [r for r in row[1:4] if r.strip()]
            if toxic.strip() and refs:
                records.append((toxic, refs))
    held = [r for r in records if int(hashlib.sha1(r[0].encode()).hexdigest(), 16) % 10 == 1]
    train = [r for r in records if int(hashlib.sha1(r[0].encode()).hexdigest(), 16) % 10 != 1]
    pd = WORK / "paradetox"
    write(pd / "train.toxic", [t for t, _ in train])
    write(pd / "train.neutral", [n for _, refs in train for n in refs])
    write(pd / "train.tsv", [f"{t}\t{n}" for t, refs in train for n in refs if " ".join(t.split()) != " ".join(n.split())])
    keep = subsample(len(held), limit)
    result.append(dict(name="ParaDetox toxic → neutral", style="paradetox-neutral", source=[held[i][0] for i in keep],
                       references=[[held[i][1][k] if k < len(held[i][1]) else "" for i in keep] for k in range(3)],
                       voice=[n for _, refs in train for n in refs], contrast=[t for t, _ in train],
                       note=f"our split: {len(train)} train / {len(held)} held-out records (sha1 % 10 == 1); 1–3 references"))

    bible = DATA / "bible" / "derived_KJV_BBE"
    pairs = WORK / "kjv-bbe.train.tsv"  # the path benchmarks/bible-bbe-pairs.yaml names
    write(pairs, [f"{k}\t{b}" for k, b in zip(lines(bible / "train.kjv"), lines(bible / "train.bbe"))])
    source, reference = lines(bible / "dev.kjv"), lines(bible / "dev.bbe")
    keep = subsample(len(source), limit)
    for style, note in [("bible-bbe", "voice BBE train, contrast KJV train"), ("bible-bbe-pairs", "plus the 27,434 train verse pairs")]:
        result.append(dict(name=f"Bible KJV → BBE ({style})", style=style, source=[source[i] for i in keep],
                           references=[[reference[i] for i in keep]], voice=lines(bible / "train.bbe"),
                           contrast=lines(bible / "train.kjv"), note=note))

    sh = DATA / "shakespeare"
    write(WORK / "shakespeare" / "train.tsv", [f"{m}\t{o}" for m, o in zip(lines(sh / "train.modern.nltktok"), lines(sh / "train.original.nltktok"))])
    source, reference = lines(sh / "valid.modern.nltktok"), lines(sh / "valid.original.nltktok")
    keep = subsample(len(source), limit)
    result.append(dict(name="Shakespeare modern → original", style="shakespeare-original", source=[source[i] for i in keep],
                       references=[[reference[i] for i in keep]], voice=lines(sh / "train.original.nltktok"),
                       contrast=lines(sh / "train.modern.nltktok"), note="valid pairs; train pairs as corpus.pairs"))

    cap = DATA / "imagecaption"
    humorous, romantic = lines(cap / "sentiment.train.0", "replace"), lines(cap / "sentiment.train.1", "replace")
    write(WORK / "captions" / "train.0", humorous)
    write(WORK / "captions" / "train.1", romantic)
    dev_h, dev_r = lines(cap / "sentiment.dev.filtered.0", "replace"), lines(cap / "sentiment.dev.filtered.1", "replace")
    result.append(dict(name="Captions humorous → romantic", style="captions-romantic", source=dev_h, references=[dev_r],
                       voice=romantic, contrast=humorous,
                       note="no factual captions outside the held-out test split; reference = the same image's romantic caption (not a rewrite)"))
    result.append(dict(name="Captions romantic → humorous", style="captions-humorous", source=dev_r, references=[dev_h],
                       voice=humorous, contrast=romantic,
                       note="as above, reversed; reference = the same image's humorous caption"))
    return result


def classifier(bench):
    """fastText trained on the benchmark's training split: voice (target) vs contrast (source)."""
    path = WORK / "classifiers" / f"{bench['style']}.train.txt"
    rows = [f"__label__target {' '.join(s.split())}" for s in bench["voice"] if s.strip()]
    rows += [f"__label__source {' '.join(s.split())}" for s in bench["contrast"] if s.strip()]
    random.Random(SEED).shuffle(rows)
    write(path, rows)
    return fasttext.train_supervised(input=str(path), epoch=10, lr=0.5, wordNgrams=2, minCount=1, thread=1, seed=SEED, verbose=0)


def accuracy(model, sentences):
    labels, _ = model.predict([" ".join(s.split()) or "." for s in sentences])
    return sum(l[0] == "__label__target" for l in labels) / len(sentences)


def run(command):
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environment())
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"quality: {' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--housestyle", required=True)
    parser.add_argument("--limit", type=int, default=1000, help="at most this many evaluation sentences per benchmark")
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", action="append", metavar="STYLE",
                        help="run only this benchmark style (repeatable; for development: BENCHMARKS.md takes whole runs)")
    parser.add_argument("--reuse-models", action="store_true",
                        help="train only where a style's model is missing or stale, not always (for development)")
    args = parser.parse_args()
    rows = []
    for bench in benchmarks(args.limit):
        if args.only and bench["style"] not in args.only:
            continue
        print(f"quality: {bench['name']}", file=sys.stderr)
        folder = WORK / bench["style"]
        source = write(folder / "source.txt", bench["source"])
        refs = [write(folder / f"reference.{k}.txt", r) for k, r in enumerate(bench["references"])]
        _, train_seconds = run([args.housestyle, "train", f"benchmarks/{bench['style']}.yaml"]
                                + ([] if args.reuse_models else ["--force"]))
        out = folder / "output.txt"
        command = [args.housestyle, "eval", f"benchmarks/{bench['style']}.yaml", "--no-train", "--source", str(source),
                   "--output", str(out), "--format", "json"] + [a for r in refs for a in ("--reference", str(r))]
        result, eval_seconds = run(command)
        report = json.loads(result.stdout)["summary"]
        outputs = lines(out)
        assert len(outputs) == len(bench["source"]), "one output per source sentence"
        manifest = json.loads((ROOT / "models" / bench["style"] / "manifest.json").read_text(encoding="utf-8"))["metrics"]
        model = classifier(bench)
        row = dict(name=bench["name"], n=len(outputs), note=bench["note"], train=train_seconds,
                   rewrite=report["rewrite_seconds"], edited=report["edited_share"],
                   similarity=report["meaning_similarity"], guards=report["guard_events"],
                   voice=(report["voice_before"], report["voice_after"]),
                   precision=report["edit_precision"], recall=report["edit_recall"],
                   toward=report["edit_share_toward_reference"], away=report["edits_away_from_references"],
                   acc=accuracy(model, outputs), copy_acc=accuracy(model, bench["source"]),
                   self_bleu=sacrebleu.corpus_bleu(outputs, [bench["source"]]).score,
                   copy_self_bleu=sacrebleu.corpus_bleu(bench["source"], [bench["source"]]).score,
                   calibration={k[len("calibration_"):]: v for k, v in manifest.items() if k.startswith("calibration_")})
        if refs:
            streams = [[r if r else None for r in stream] for stream in bench["references"]]
            row["bleu"] = sacrebleu.corpus_bleu(outputs, streams).score
            row["copy_bleu"] = sacrebleu.corpus_bleu(bench["source"], streams).score
            row["chrf"] = sacrebleu.corpus_chrf(outputs, streams).score
            row["ref_acc"] = accuracy(model, bench["references"][0])
            # housestyle eval's own BLEU must agree with sacreBLEU's.
            row["eval_bleu"] = report["bleu"]
        rows.append(row)

    def f(v, d=2):
        return "—" if v is None else f"{v:.{d}f}"

    def pct(v):
        return "—" if v is None else f"{100 * v:.1f}%"

    out = ["| benchmark | n | style acc. (copy → HouseStyle; reference) | BLEU (copy → HouseStyle) | chrF | self-BLEU | meaning sim. | edited | edit P / R; toward ref. (away) | voice LM log p/token | guard events | train s | rewrite s |",
           "|---|---:|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|"]
    for r in rows:
        acc = f"{pct(r['copy_acc'])} → **{pct(r['acc'])}**" + (f"; {pct(r['ref_acc'])}" if "ref_acc" in r else "")
        bleu = f"{f(r['copy_bleu'])} → **{f(r['bleu'])}**" if "bleu" in r else "no references"
        pr = f"{pct(r['precision'])} / {pct(r['recall'])}; {pct(r['toward'])} ({r['away']})" if "bleu" in r else "—"
        out.append(f"| {r['name']} | {r['n']} | {acc} | {bleu} | {f(r.get('chrf'))} | {f(r['self_bleu'])} | {f(r['similarity'], 3)} | "
                   f"{pct(r['edited'])} | {pr} | {f(r['voice'][0], 3)} → {f(r['voice'][1], 3)} | {r['guards']} | {f(r['train'], 1)} | {f(r['rewrite'], 1)} |")
    out.append("")
    out.append("Copy baseline (output = input), same run: self-BLEU 100.00, meaning similarity 1.000, 0 edits, 0 guard events; "
               "its style accuracy and BLEU are the left-hand figures above.")
    out.append("")
    # What train's calibration measured on the style's held-out material (never trained on): the
    # precision of applied learned edits on held-out editor pairs, neighbour pairs and the restoration test, and
    # applied learned edits per 2,000 words of held-out on-voice text (all of them wrong).
    out.append("")
    out.append("Calibration on held-out material, from each bundle's manifest (target: precision ≥ 0.9; on-voice ≤ 1 edit per 2,000 words):")
    out.append("")
    out.append("| benchmark | sources applied | held-out pairs: applied, precision | neighbour pairs: applied, precision | restoration: applied, precision | on-voice: applied per 2,000 words |")
    out.append("|---|---|---|---|---|---:|")
    for r in rows:
        c = r["calibration"]
        if not c:
            out.append(f"| {r['name']} | not calibrated | — | — | — | — |")
            continue
        applied = ", ".join(o for o in ["pair", "pair-alternative", "memory", "retrieval", "thesaurus", "vectors"] if c.get(f"{o}_applied", 0) > 0) or "none"
        def material(kind):
            if not c.get(f"{kind}_sentences"):
                return "no material"
            n = int(c.get(f"{kind}_applied", 0))
            # Undetermined edits (the answer says it another way) are applied but not in the precision.
            u = int(c.get(f"{kind}_undetermined", 0))
            return (f"{n}, {pct(c.get(f'{kind}_precision'))}" + (f" ({u} undetermined)" if u else "")) if n else "0, —"
        rate = c.get("on_voice_applied_per_2000_words")
        out.append(f"| {r['name']} | {applied} | {material('pairs')} | {material('neighbours')} | {material('restoration')} | {f(rate) if rate is not None else '—'} |")
    out.append("")
    for r in rows:
        check = f" housestyle eval's own BLEU {f(r['eval_bleu'])} (sacreBLEU {f(r['bleu'])})." if "bleu" in r else ""
        out.append(f"- {r['name']}: {r['note']}.{check}")
    Path(args.out).write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
