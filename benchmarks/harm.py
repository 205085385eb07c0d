#!/usr/bin/env python3
"""Do-no-harm and on-voice measures (issue 11): how often the learned stage of a style edits text
it should leave alone. Standard library only.

1. Out-of-domain text: WikiText-2 test (../shared/data; whole articles from the start up to
   --limit-words words, by default all 62 articles, 201,417 words), one document per article, turned back into plain paragraphs; and the repository's own docs/*.md,
   one document per file. Target: at most 1 applied learned edit per 2,000 words, and no learned
   edit that replaces a topic word of its document.
2. On-voice text: the style's own voice corpus (corpora/acme/**/*.md for acme). These are mostly
   training files, so this is a sanity check, not a held-out measure; the training's own
   held-out metrics (`calibration_*` in models/STYLE/manifest.json) are included when present.

Only applied edits of the learned stage count (rule `learned`, origins pair, retrieval,
thesaurus, vectors); rule edits (terms, spelling, punctuation ...) are reported but not counted.
Each set is rewritten by one `housestyle rewrite STYLE FILES... --format json` process.

Writes Markdown to --out (default benchmarks/results/harm.md) and a short summary to stdout.
Skips with a message (exit 0, nothing written) when ../shared/data is absent.
"""
import argparse
import datetime
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORDS = 250000
LEARNED_ORIGINS = {"pair", "pair-alternative", "memory", "retrieval", "thesaurus", "vectors"}
WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")

# A small English stop list (function words, auxiliaries, pronouns); topic words are the rest.
STOP_WORDS = set("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each either few for from further had hadn't has hasn't have haven't having he
he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've
if in into is isn't it it's its itself just let's may me might more most must mustn't my myself
no nor not now of off on once only or other ought our ours ourselves out over own same shall
shan't she she'd she'll she's should shouldn't since so some such than that that's the their
theirs them themselves then there there's these they they'd they'll they're they've this those
though through thus to too under until up upon us very was wasn't we we'd we'll we're we've were
weren't what what's when when's where where's whether which while who who's whom whose why why's
will with within without won't would wouldn't yet you you'd you'll you're you've your yours
yourself yourselves also one two three many much every via per s t
""".split())


def words(text):
    """Lowercased word tokens (letters and digits, with inner apostrophes), typographic apostrophes folded."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


# --- WikiText-2 ---------------------------------------------------------------------------------

TITLE = re.compile(r"^ = ([^=].*?) = $")
HEADING = re.compile(r"^ (= )+.*( =)+ $")


def detokenize(line):
    """One WikiText paragraph line as plain text: ` @-@ ` -> `-` and so on, no space before
    punctuation or clitics, none inside brackets and double quotes. `<unk>` stays as it is."""
    s = " " + line.strip() + " "
    s = s.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".")
    s = re.sub(r'" ([^"]*?) "', r'"\1"', s)
    s = re.sub(r" ([,.;:!?%)\]])", r"\1", s)
    s = re.sub(r"([(\[]) ", r"\1", s)
    s = re.sub(r"([$£€]) (?=\d)", r"\1", s)
    s = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)(?=[\s,.;:!?)])", r"\1", s)
    s = re.sub(r"s ' ", "s' ", s)
    return re.sub(r"\s+", " ", s).strip()


def wikitext_articles(path, limit_words):
    """(title, text) of whole articles from the start of test.txt until --limit-words words."""
    articles, title, paragraphs = [], None, []

    def flush():
        if title is not None and paragraphs:
            articles.append((title, "\n\n".join(paragraphs) + "\n"))

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            match = TITLE.match(line)
            if match:
                flush()
                title, paragraphs = detokenize(match.group(1)), []
                continue
            if not line.strip() or HEADING.match(line):
                continue
            paragraphs.append(detokenize(line))
    flush()
    chosen, total = [], 0
    for title, text in articles:
        if total >= limit_words:
            break
        chosen.append((title, text))
        total += len(text.split())
    return chosen, len(articles)


# --- running housestyle -------------------------------------------------------------------------

def environment(data):
    """This process's environment with the data folder added to HOUSESTYLE_ALLOW_PATHS: a benchmark
    style given with --style reads its corpora there, outside the repository, where a style may read
    only when allowed."""
    env = dict(os.environ)
    env["HOUSESTYLE_ALLOW_PATHS"] = ":".join([str(Path(data).resolve())] + [p for p in env.get("HOUSESTYLE_ALLOW_PATHS", "").split(":") if p])
    return env


def rewrite(housestyle, style, repo, files, jobs, env):
    """{path: [edit]} of one `housestyle rewrite --format json` over all files, and wall seconds."""
    command = [housestyle, "rewrite", style, *files, "--format", "json", "--no-train"]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.time()
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env)
    seconds = time.time() - started
    if result.returncode not in (0, 1) or not result.stdout.strip():
        sys.exit(f"harm: `{shlex.join(command)}` failed ({result.returncode}):\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    edits = {}
    for record in report["files"]:
        if "error" in record:
            sys.exit(f"harm: {record['path']}: {record['error']}")
        edits[os.path.realpath(os.path.join(repo, record["path"]))] = record["edits"]
    return edits, seconds


def is_learned(edit):
    return "learned" in edit["rule"].split("+") or edit["origin"] in LEARNED_ORIGINS


def context(text_bytes, start, end, span=6):
    """Up to `span` words either side of bytes start..end of the original, in the same paragraph,
    with the spacing next to the edit as it is."""
    before = text_bytes[:start].decode("utf-8", "replace").rsplit("\n\n", 1)[-1]
    after = text_bytes[end:].decode("utf-8", "replace").split("\n\n", 1)[0]
    left = re.search(r"(?:\S+\s+){0,%d}\S*\Z" % span, before).group(0)
    right = re.match(r"^\S*(?:\s+\S+){0,%d}" % span, after).group(0)
    return ("…" if len(left) < len(before.rstrip()) else "") + left, right + ("…" if len(right) < len(after.rstrip()) else "")


def measure(name, documents, edits_by_path):
    """Counts over one set. documents: list of (path, title, text)."""
    rows = {"name": name, "documents": len(documents), "words": 0, "learned": 0, "rules": 0,
            "topic": 0, "origins": Counter(), "edits": []}
    for path, title, text in documents:
        counts = Counter(w for w in words(text) if w not in STOP_WORDS)
        topic = {w for w, n in counts.items() if n >= 3} | {w for w in words(title) if w not in STOP_WORDS and w != "unk"}
        topic.discard("unk")
        data = text.encode("utf-8")
        rows["words"] += len(text.split())
        for edit in edits_by_path.get(os.path.realpath(path), []):
            if not is_learned(edit):
                rows["rules"] += 1
                continue
            rows["learned"] += 1
            rows["origins"][edit["origin"]] += 1
            hit = sorted({w for w in words(edit["original"]) if w in topic})
            rows["topic"] += bool(hit)
            if data[edit["start"]:edit["end"]].decode("utf-8", "replace") != edit["original"]:
                sys.exit(f"harm: {path}: edit offsets {edit['start']}..{edit['end']} do not hold {edit['original']!r}")
            left, right = context(data, edit["start"], edit["end"])
            rows["edits"].append({"document": title, "origin": edit["origin"], "confidence": edit["confidence"],
                                  "before": edit["original"], "after": edit["replacement"], "left": left,
                                  "right": right, "topic": hit, "reason": edit.get("reason", "")})
    return rows


def per_2000(rows):
    return rows["learned"] * 2000 / rows["words"] if rows["words"] else 0.0


def change(edit):
    return f"{edit['before'].strip().lower()} → {edit['after'].strip().lower() or '∅'}"


def examples(edits, limit):
    """Up to `limit` edits: one of each distinct change (those that hit a topic word first), then
    the rest one document at a time (topic-word edits first), so that neither one change nor one
    document fills the list."""
    ordered = sorted(edits, key=lambda e: not e["topic"])
    chosen, seen = [], set()
    for e in ordered:
        if len(chosen) < limit and change(e) not in seen:
            chosen.append(e)
            seen.add(change(e))
    by_document = {}
    for e in ordered:
        if not any(e is c for c in chosen):
            by_document.setdefault(e["document"], []).append(e)
    queues = list(by_document.values())
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    return chosen


def cell(text):
    """Text for a Markdown table cell, shown as it is (no emphasis, HTML or code)."""
    for a, b in [("\\", "\\\\"), ("|", "\\|"), ("*", "\\*"), ("_", "\\_"), ("`", "\\`"), ("<", "&lt;"), (">", "&gt;"), ("\n", " ")]:
        text = text.replace(a, b)
    return text


def shown(text):
    """An edit's side in bold, or ∅ when empty."""
    return f"**{cell(text.strip())}**" if text.strip() else "∅"


def manifest_metrics(repo, style):
    """calibration_* metrics anywhere in models/STYLE/manifest.json: {dotted name: value}."""
    path = Path(repo) / "models" / style / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = {}

    def walk(value, prefix):
        if isinstance(value, dict):
            for key, inner in value.items():
                name = f"{prefix}{key}"
                if str(key).startswith("calibration_") and not isinstance(inner, (dict, list)):
                    found[name] = inner
                else:
                    walk(inner, name + ".")
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, f"{prefix}{index}.")

    walk(manifest, "")
    return {name.removeprefix("metrics."): value for name, value in found.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--housestyle", default=str(ROOT / ".build-bench" / "release" / "housestyle"))
    parser.add_argument("--style", default="acme")
    parser.add_argument("--limit-words", type=int, default=DEFAULT_WORDS,
                        help=f"WikiText-2 test words to rewrite, in whole articles from the start (default {DEFAULT_WORDS}: all of it, 201,417 words)")
    parser.add_argument("--repo", default=str(ROOT), help="working directory of housestyle: holds styles/, corpora/, docs/ and models/ (default: this repository)")
    parser.add_argument("--data", default=str(ROOT / ".." / "shared" / "data"))
    parser.add_argument("--jobs", type=int, default=0, help="rewrite --jobs (default: the CLI's, one per core)")
    parser.add_argument("--examples", type=int, default=15)
    parser.add_argument("--no-train", action="store_true", help="use the model as it is; fail when it is missing or out of date instead of training it")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "harm.md"))
    args = parser.parse_args()

    wikitext = Path(args.data).resolve() / "wikitext-2" / "test.txt"
    if not wikitext.exists():
        print(f"harm: skipped: {wikitext} not found (../shared/data holds WikiText-2); nothing written")
        return 0
    housestyle = str(Path(args.housestyle).resolve())
    if not os.access(housestyle, os.X_OK):
        sys.exit(f"harm: error: no housestyle binary at {housestyle} (give --housestyle)")
    repo = Path(args.repo).resolve()
    started = time.time()

    # The model as `rewrite` would use it; keeps an up-to-date bundle (train says so and exits 0).
    if not args.no_train:
        train = subprocess.run([housestyle, "train", args.style], cwd=repo, capture_output=True, text=True, env=environment(args.data))
        if train.returncode != 0:
            sys.exit(f"harm: `housestyle train {args.style}` failed:\n{train.stderr[-2000:]}")

    # What the figures are of: read before the rewrites, compared after them.
    def stamp():
        manifest = repo / "models" / args.style / "manifest.json"
        return (os.stat(housestyle).st_mtime, manifest.stat().st_mtime if manifest.exists() else None)

    before = stamp()
    calibration = manifest_metrics(repo, args.style)
    sets = []
    with tempfile.TemporaryDirectory(prefix="housestyle-harm-") as tmp:
        # 1a. WikiText-2 articles, one file each.
        articles, all_articles = wikitext_articles(wikitext, args.limit_words)
        documents = []
        for index, (title, text) in enumerate(articles):
            path = os.path.join(tmp, f"wikitext-{index:03d}.md")
            Path(path).write_text(text, encoding="utf-8")
            documents.append((path, title, text))
        edits, seconds = rewrite(housestyle, args.style, repo, [d[0] for d in documents], args.jobs, environment(args.data))
        which = f"all {all_articles} articles" if len(articles) == all_articles else f"first {len(articles)} of {all_articles} articles"
        wiki = measure(f"WikiText-2 test, {which}", documents, edits)
        wiki["seconds"], wiki["kind"] = seconds, "out-of-domain"
        sets.append(wiki)

    # 1b. The repository's docs, one document per file (title: its first heading), and 2. the
    # style's own voice corpus (on-voice; mostly training files).
    def markdown_files(pattern, name, kind):
        documents = []
        for path in sorted(glob.glob(pattern, recursive=True)):
            text = Path(path).read_text(encoding="utf-8")
            heading = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("# ")), Path(path).stem)
            documents.append((path, heading, text))
        if documents:
            edits, seconds = rewrite(housestyle, args.style, repo, [d[0] for d in documents], args.jobs, environment(args.data))
            measured = measure(name(len(documents)), documents, edits)
            measured["seconds"], measured["kind"] = seconds, kind
            sets.append(measured)

    markdown_files(str(repo / "docs" / "*.md"), lambda n: f"docs/*.md ({n} files)", "out-of-domain")
    markdown_files(str(repo / "corpora" / args.style / "**" / "*.md"),
                   lambda n: f"corpora/{args.style}/**/*.md ({n} files, mostly training text)", "on-voice")

    changed = stamp() != before
    if changed:
        print("harm: warning: the housestyle binary or the model changed during the run; the figures mix them: re-run", file=sys.stderr)
    elapsed = time.time() - started
    markdown = report(args, sets, calibration, elapsed, repo, housestyle, before, changed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")

    for rows in sets:
        print(f"harm: {rows['name']}: {rows['words']} words, {rows['learned']} learned edits "
              f"({per_2000(rows):.2f} per 2,000 words, target ≤ 1), {rows['topic']} on topic words "
              f"(target 0), {rows['rules']} rule edits not counted, {rows['seconds']:.0f} s")
    print(f"harm: wrote {os.path.relpath(out, Path.cwd()) if out.is_absolute() else out} ({elapsed:.0f} s)")
    return 0


def report(args, sets, calibration, elapsed, repo, housestyle, stamps, changed):
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--", "Sources", "Package.swift"):
        commit += " with uncommitted changes to Sources"
    when = lambda t: datetime.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M") if t else "none"
    command = "python3 benchmarks/harm.py" + (f" --limit-words {args.limit_words}" if args.limit_words != DEFAULT_WORDS else "") + (f" --style {args.style}" if args.style != "acme" else "") + (" --no-train" if args.no_train else "")
    lines = [
        f"Generated by `{command}` on {datetime.date.today().isoformat()} ({elapsed:.0f} s) with the housestyle "
        f"built {when(stamps[0])} from commit {commit}; style `{args.style}`, model `models/{args.style}` as "
        f"`housestyle train {args.style}` left it ({when(stamps[1])})."
        + (" **The binary or the model changed during the run: these figures mix them.**" if changed else ""),
        "",
        "| text | kind | documents | words | applied learned edits | per 2,000 words (target ≤ 1) | on a topic word (target 0) | learned origins | rule edits (not counted) | rewrite s |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for rows in sets:
        rate = per_2000(rows)
        origins = ", ".join(f"{k} {v}" for k, v in rows["origins"].most_common()) or "–"
        words_hit = Counter(w for e in rows["edits"] for w in e["topic"]).most_common(4)
        topic = str(rows["topic"]) + (" (" + ", ".join(f"{cell(w)} {n}" for w, n in words_hit) + ")" if words_hit else "")
        topic = topic if rows["kind"] == "out-of-domain" else f"({topic})"
        mark = "" if rate <= 1 else " ✗"
        lines.append(f"| {cell(rows['name'])} | {rows['kind']} | {rows['documents']} | {rows['words']:,} | {rows['learned']} | "
                     f"**{rate:.2f}**{mark} | {topic} | {origins} | {rows['rules']} | {rows['seconds']:.1f} |")
    lines.append("")
    if calibration:
        lines += ["Held-out metrics of the training (`calibration_*` in `models/%s/manifest.json`):" % args.style, "",
                  "| metric | value |", "|---|---:|"]
        lines += [f"| `{name}` | {value:.4g} |" if isinstance(value, float) else f"| `{name}` | {value} |" for name, value in sorted(calibration.items())]
        lines.append("")
    else:
        lines += [f"`models/{args.style}/manifest.json` reports no `calibration_*` metrics (no held-out split of the "
                  "voice corpus), so the on-voice row above, over mostly training files, is the only on-voice figure.", ""]
    lines += [
        "Words are whitespace tokens. An edit counts when it is applied and its rule includes `learned` (origins "
        "pair, retrieval, thesaurus, vectors); rule edits are listed but not counted. A topic word is a word of the "
        "edit's original text, lowercased, that is not a stop word and occurs at least 3 times in its document, or "
        "is a word of the document's title (the article title; a docs file's first heading). The test is mechanical: "
        "a frequent general word (such as \"approximately\") counts too. The on-voice figure is in brackets because "
        "topic words are not a target there. WikiText-2 articles are the text between top-level "
        "` = Title = ` lines, with headings and empty lines dropped and the tokenisation undone (` @-@ ` → `-`, no "
        "space before punctuation); its `<unk>` tokens stay, as inline HTML that HouseStyle leaves alone. Each set "
        "is one `housestyle rewrite STYLE FILES... --format json --no-train` process.",
        "",
    ]
    out_of_domain = [e for rows in sets if rows["kind"] == "out-of-domain" for e in rows["edits"]]
    on_voice = [e for rows in sets if rows["kind"] == "on-voice" for e in rows["edits"]]
    for title, edits, limit in [("Out-of-domain learned edits", out_of_domain, args.examples),
                                ("On-voice learned edits", on_voice, max(5, args.examples // 3))]:
        total = len(edits)
        chosen = examples(edits, limit)
        lines.append(f"{title}: {len(chosen)} of {total}" + (" (one of each distinct change, those on a topic word first, then the rest one document at a time)" if total > len(chosen) else "") + ("." if chosen else ", none."))
        lines.append("")
        if chosen:
            kinds = Counter(change(e) for e in edits).most_common()
            lines += ["All of them by change (lowercased): " + ", ".join(f"{cell(k)} ×{n}" for k, n in kinds) + ".", ""]
        if chosen:
            lines += ["| document | origin | confidence | before → after, in context | topic word |", "|---|---|---:|---|---|"]
            for e in chosen:
                left, right = cell(e["left"]), cell(e["right"])
                # Bold sides are trimmed: keep the words around them apart.
                if left and not left[-1].isspace() and e["before"][:1].isspace():
                    left += " "
                if right and not right[0].isspace() and e["before"][-1:].isspace():
                    right = " " + right
                shown_change = f"{left}{shown(e['before'])} → {shown(e['after'])}{right}"
                lines.append(f"| {cell(e['document'])} | {e['origin']} | {e['confidence']:.2f} | {shown_change.strip()} | "
                             f"{', '.join(e['topic']) or '–'} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.exit(main())
