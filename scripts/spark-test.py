#!/usr/bin/env python3
"""Checks examples/spark/rewrite_corpus.py in Spark local mode (run by scripts/spark-test.sh).

Writes 3,000 synthetic records plus malformed ones, trains a copy of the acme style (`spark`: acme
with a small voice-scorer budget, so a debug build trains it in seconds) on the driver, runs the
Spark job with that style and its trained model copied into a read-only bundle, and checks that:
- every record comes back exactly once;
- each is rewritten exactly as `housestyle filter --jsonl` rewrites the same input without Spark,
  and for a sample, exactly as `housestyle filter` rewrites that record's text on its own;
- a line that is not JSON and a record without text come back as error records.
"""
import json
import os
import pathlib
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import time

root = pathlib.Path(__file__).resolve().parent.parent
binary = os.path.abspath(sys.argv[1])
RECORDS = 3000
SAMPLE = 20

OPENINGS = ["In order to", "Before you", "To", "If you want to", "Prior to the release, to"]
VERBS = ["log in to", "utilize", "set up", "make use of", "simply open", "configure"]
OBJECTS = ["the acme cloud console", "your tenant", "the API token page", "a storage container",
           "the Acme dashboard", "“the settings”", "the `config.yaml` file", "https://example.com/a_b"]
ENDINGS = ["it is very easy.", "you do not need an e-mail.", "we leverage a robust backend.",
           "this takes 3 minutes.", "it works – really.", "nothing changes…", "obviously, done."]


def make_records(count, seed=7):
    rng = random.Random(seed)
    records = []
    for index in range(count):
        sentences = [f"{rng.choice(OPENINGS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(ENDINGS)}"
                     for _ in range(rng.randint(1, 3))]
        text = " ".join(sentences)
        if index % 97 == 0:
            text = f"# Heading {index}\n\n{text}\n\n```\nsimply utilize code\n```\n"
        if index % 101 == 0:
            text = ""
        records.append({"id": f"r{index}" if index % 2 else index, "text": text})
    return records


def make_repository(folder):
    """A copy of styles/ and corpora/ with styles/spark.yaml: acme, trained on a small budget."""
    repository = folder / "repository"
    shutil.copytree(root / "styles", repository / "styles")
    shutil.copytree(root / "corpora", repository / "corpora")
    acme = (root / "styles/acme.yaml").read_text(encoding="utf-8")
    spark = acme.replace("\nname: acme\n", "\nname: spark\n", 1).replace("\n  epochs: 3\n", "\n  epochs: 1\n  max_sentences: 300\n", 1)
    if "name: spark" not in spark or "max_sentences: 300" not in spark:
        sys.exit("spark-test: error: styles/acme.yaml no longer has 'name: acme' and '  epochs: 3' lines to adapt")
    (repository / "styles/spark.yaml").write_text(spark, encoding="utf-8")
    return repository


def run_filter(lines, repository):
    """housestyle filter spark --jsonl over `lines`, without Spark."""
    run = subprocess.run([binary, "filter", "spark", "--jsonl"], input="".join(line + "\n" for line in lines),
                         capture_output=True, text=True, cwd=repository)
    if run.returncode not in (0, 1):
        sys.exit(f"spark-test: error: housestyle filter exited {run.returncode}: {run.stderr}")
    return [json.loads(line) for line in run.stdout.splitlines()]


def main():
    failures = []
    records = make_records(RECORDS)
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    malformed = ["this line is not JSON", json.dumps({"id": "no-text", "body": "utilize"})]
    with tempfile.TemporaryDirectory(prefix="housestyle-spark-") as folder:
        folder = pathlib.Path(folder)
        # Train once on the driver; executors only read the bundle (styles/ + models/, no corpora).
        repository = make_repository(folder)
        trained = subprocess.run([binary, "train", "spark"], capture_output=True, text=True, cwd=repository)
        if trained.returncode != 0:
            sys.exit(f"spark-test: error: housestyle train spark exited {trained.returncode}: {trained.stderr}")
        # The bundle every executor reads: the style files (and models/, once trained), read-only.
        bundle = folder / "bundle"
        shutil.copytree(repository / "styles", bundle / "styles")
        shutil.copytree(repository / "models", bundle / "models")
        for path in sorted(bundle.rglob("*"), reverse=True) + [bundle]:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(line + "\n" for line in lines[:1500] + malformed + lines[1500:]), encoding="utf-8")
        output = folder / "out"
        started = time.monotonic()
        job = subprocess.run(
            [sys.executable, str(root / "examples/spark/rewrite_corpus.py"), "--master", "local[2]",
             "--partitions", "6", "--style", str(bundle / "styles/spark.yaml"), "--housestyle", binary,
             "--input", str(corpus), "--output", str(output)],
            capture_output=True, text=True, cwd=folder)
        seconds = time.monotonic() - started
        if job.returncode != 0:
            sys.exit(f"spark-test: error: the Spark job failed ({job.returncode}):\n{job.stderr[-4000:]}")
        parts = sorted(output.glob("part-*"))
        results = [json.loads(line) for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
        for path in bundle.rglob("*"):
            path.chmod(path.stat().st_mode | stat.S_IWUSR)

        expected = {json.dumps(record["id"]): record for record in run_filter(lines, repository)}
        # A sample, each rewritten on its own by plain `housestyle filter` (stdin to stdout).
        alone = {}
        for record in random.Random(1).sample(records, SAMPLE):
            alone[json.dumps(record["id"])] = subprocess.run(
                [binary, "filter", "spark"], input=record["text"], capture_output=True, text=True, cwd=repository)

    by_id = {}
    for result in results:
        by_id.setdefault(json.dumps(result.get("id")), []).append(result)
    for key, record in expected.items():
        found = by_id.get(key, [])
        if len(found) != 1:
            failures.append(f"record {key} came back {len(found)} times")
        elif found[0] != record:
            a, b = json.dumps(found[0]), json.dumps(record)
            at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            failures.append(f"record {key}: Spark gave ...{a[max(0, at - 150):at + 150]}, housestyle alone ...{b[max(0, at - 150):at + 150]}")
    if len(expected) != RECORDS:
        failures.append(f"housestyle filter gave {len(expected)} records for {RECORDS} distinct ids")
    if len(results) != RECORDS + len(malformed):
        failures.append(f"{len(results)} records came back for {RECORDS + len(malformed)} input lines")
    errors = {json.dumps(result.get("id")): result.get("error") for result in results if "error" in result}
    wanted_errors = {"null": "not a JSON object", '"no-text"': "record has no string field 'text'"}
    if errors != wanted_errors:
        failures.append(f"error records {errors}, expected {wanted_errors}")
    changed = sum(1 for result in results if "text" in result and result.get("edits"))
    if changed < RECORDS // 2:
        failures.append(f"only {changed} of {RECORDS} records were changed: the style did not run")

    for key, run in alone.items():
        spark_text = by_id.get(key, [{}])[0].get("text")
        if run.returncode != 0 or run.stdout != spark_text:
            failures.append(f"record {key}: housestyle filter alone gave {run.stdout!r} (exit {run.returncode}), Spark {spark_text!r}")

    for failure in failures[:20]:
        print(f"spark-test: FAIL: {failure}", file=sys.stderr)
    print(f"spark-test: {len(results)} records back from {len(parts)} partitions in {seconds:.1f} s "
          f"({changed} rewritten, {len(errors)} error records, {SAMPLE} checked one by one): "
          f"{len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
