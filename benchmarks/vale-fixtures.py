#!/usr/bin/env python3
"""Converted Vale rules against Vale's own fixtures (issue 15).

Each errata-ai package repository tests its rules with cucumber: features/rules.feature lists, per
scenario, the alerts `vale --output=line` must print (`test.md:LINE:COL:Package.Rule:message`) for
the files in fixtures/<Scenario>/, which a .vale.ini there may narrow to some rules. This script
converts each package with `housestyle import vale`, checks the same files with
`housestyle check --format json`, and sorts every expected alert:

  found            housestyle reports the rule at that line and column (strict) / at that line (line)
  not converted    missed; the import lists the rule as not converted (the reason's category given)
  token not conv.  missed; the rule is partly converted and a token the import lists as not converted
                   matches at that place (tried with Python's re, which reads most of Vale's syntax)
  not enabled      missed; the fixture's .vale.ini, imported, switches the rule off or below MinAlertLevel
  missed, conv.    missed although the rule (or the token) was converted: a converter or matcher bug,
                   or a difference by design (see docs/import-vale.md)
  stale            the fixture text has no such line or column, or none of the words the message
                   quotes is on that line: the fixture and rules.feature are of different versions
  no fixture       the scenario's fixture folder is absent

and counts extra findings: findings of the rules a scenario runs that match no expected alert (at
that rule and line), that is alerts Vale's own test says Vale does not give.

A scenario whose fixture has a .vale.ini runs the style imported from that .vale.ini, its
StylesPath pointed at the package folder of --packages (keys naming rules the package has no file
for are dropped and listed); without one, or when the .vale.ini names no rule of the package, the
whole package's style. Expected alerts of rules the .vale.ini does not turn on are checked against
the whole package's style (and marked).

  python3 benchmarks/vale-fixtures.py --housestyle .build/release/housestyle \
      --packages ../shared/data/vale --fixtures /tmp/vale-fixtures --out /tmp/vale-fixtures.md

--fixtures is laid out as the package repositories are: DIR/<Package>/features/rules.feature and
DIR/<Package>/fixtures/<Scenario>/...; clone the repositories there (github.com/errata-ai/<Package>).
Without that folder the script says so and exits 0. Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PACKAGES = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]
READ_EXTENSIONS = (".md", ".markdown", ".txt")
COLUMNS = ["found", "found_line", "not_converted", "token_not_converted", "not_enabled", "missed_converted", "stale", "no_fixture"]


def parse_feature(text):
    """Scenarios of a rules.feature: [{'name', 'fixture', 'expected': [(file, line, col, rule, message)]}]."""
    scenarios, current, inside = [], None, False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("Scenario:"):
            current = {"name": line[len("Scenario:"):].strip(), "fixture": None, "expected": []}
            scenarios.append(current)
        elif current is not None and line.startswith("When I test"):
            match = re.search(r'"(.*)"', line)
            current["fixture"] = match.group(1) if match else None
        elif line == '"""':
            inside = not inside
        elif inside and current is not None and line:
            parts = line.split(":", 4)
            if len(parts) == 5 and parts[1].isdigit() and parts[2].isdigit():
                current["expected"].append((parts[0], int(parts[1]), int(parts[2]), parts[3], parts[4]))
    return scenarios


def parse_import_report(stderr):
    """Per rule, from `housestyle import vale`'s stderr: its state and the reasons and patterns given.

    Returns {rule: {'state': 'not converted'|'partly converted'|'switched off'|'below minimum',
    'reasons': [...], 'patterns': [...]}}; rules not named are converted."""
    rules = {}
    line_re = re.compile(r"^.*?:\d+:\d+: (not converted|partly converted|note): (\S+) \(([^)]*)\): (.*)$")
    for line in stderr.splitlines():
        match = line_re.match(line)
        if not match:
            continue
        kind, rule, _check, why = match.groups()
        entry = rules.setdefault(rule, {"state": None, "reasons": [], "patterns": []})
        if "switched off in .vale.ini" in why:
            entry["state"] = "switched off"
        elif "below MinAlertLevel" in why:
            entry["state"] = "below minimum"
        elif kind == "not converted":
            entry["state"] = "not converted"
        elif kind == "partly converted" and entry["state"] != "not converted":
            entry["state"] = "partly converted"
        if kind == "note":
            continue
        entry["reasons"].append(why)
        pattern = re.match(r"'(.*?)'(?: is (?:not a list of words|a regular expression)|: )", why)
        if pattern:
            entry["patterns"].append(pattern.group(1))
    for entry in rules.values():
        if entry["state"] is None:
            entry["state"] = "converted"
    return rules


def reason_category(reasons):
    """A short category of why a rule was not converted."""
    text = " ".join(reasons)
    if "housestyle has no such rule" in text:
        return "a check housestyle has no rule for (capitalization, repetition...)"
    if "its scope is" in text:
        return "scope (headings, lists...)"
    if "is a regular expression" in text:
        return "raw regular expression"
    for construct, name in [("lookahead", "lookaround"), ("lookbehind", "lookaround"), ("anchor", "anchor"),
                            ("character class", "character class (\\d, \\s, \\w)"), ("character range", "character set/range"),
                            ("negated character set", "character set/range"), ("not a letter or digit", "starts/ends with punctuation"),
                            ("repetition", "repetition (+, *, {n})"), ("any character", "any character (.)")]:
        if construct in text:
            return "pattern: " + name
    return "other: " + (reasons[0][:60] if reasons else "?")


def vale_regex(pattern):
    """`pattern` (Vale's Go/regexp2 syntax) compiled by Python's re, case-insensitively; None if re cannot read it."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


def token_matches_at(patterns, line_text, column):
    """('column', pattern) when one of `patterns` matches `line_text` over 1-based `column` (or
    starting at the space before it), ('line', pattern) when one matches elsewhere on the line only,
    else (None, None)."""
    elsewhere = None
    for pattern in patterns:
        for candidate in (pattern, r"\b(?:" + pattern + r")\b"):
            compiled = vale_regex(candidate)
            if compiled is None:
                continue
            for match in compiled.finditer(line_text):
                if match.start() <= column - 1 < max(match.end(), match.start() + 1) or match.start() == column:
                    return "column", pattern
                elsewhere = elsewhere or pattern
    return ("line", elsewhere) if elsewhere else (None, None)


def quoted(message):
    """The strings a message quotes ('...'), stripped."""
    # An opening quote follows a space or '(' (not the apostrophe of "Don't"); a closing one is
    # followed by no letter (not the apostrophe of 'it's').
    found = re.findall(r"(?:^|(?<=[\s(]))'(.+?)'(?![A-Za-z])", message)
    return [q.strip() for q in found if q.strip()]


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def import_style(housestyle, source, output):
    """Runs `housestyle import vale SOURCE -o OUTPUT`; returns (ok, stderr)."""
    result = run([housestyle, "import", "vale", source, "-o", output, "--force"])
    return result.returncode == 0, result.stderr


def check(housestyle, style, files):
    """Findings of `housestyle check STYLE FILES --format json` as dicts (path made a base name)."""
    result = run([housestyle, "check", style, *files, "--format", "json", "--fail-level", "error", "--no-train"])
    if result.returncode not in (0, 1):
        raise RuntimeError(f"housestyle check {style} failed ({result.returncode}): {result.stderr.strip()[:400]}")
    findings = json.loads(result.stdout or "[]")
    for finding in findings:
        finding["file"] = os.path.basename(finding["path"])
    return findings


def mirror_config(config_path, package, packages_dir, work):
    """A copy of a fixture's .vale.ini with StylesPath set to the package folder; keys naming rules
    of the package that have no file are dropped. Returns (path or None, notes, enabled rule names)."""
    styles_path = os.path.join(packages_dir, package)
    rule_folder = os.path.join(styles_path, package)
    lines, notes, enabled, names_package = [], [], set(), False
    with open(config_path, encoding="utf-8") as handle:
        text = handle.read()
    for raw in text.splitlines():
        stripped = raw.strip()
        key, _, value = stripped.partition("=")
        key, value = key.strip(), value.strip()
        if key == "StylesPath":
            lines.append(f"StylesPath = {styles_path}")
            continue
        if key == "BasedOnStyles":
            styles = [s.strip() for s in value.split(",") if s.strip()]
            if package in styles:
                names_package = True
            kept = [s for s in styles if os.path.isdir(os.path.join(styles_path, s)) or s == "Vale"]
            for dropped in set(styles) - set(kept):
                notes.append(f"BasedOnStyles names '{dropped}', which is not in the package folder: left out")
            if kept:
                lines.append("BasedOnStyles = " + ", ".join(kept))
            continue
        if "." in key and not key.startswith("["):
            style, _, rule = key.partition(".")
            if style != package or not os.path.isfile(os.path.join(rule_folder, rule + ".yml")):
                notes.append(f"'{key}' names no rule file of {package}: left out")
                continue
            names_package = True
            if value.lower() not in ("no", "off", "false"):
                enabled.add(key)
        lines.append(raw)
    if not names_package:
        return None, notes + [".vale.ini turns on no rule of the package (it is for another version or style)"], enabled
    mirrored = os.path.join(work, ".vale.ini")
    with open(mirrored, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return mirrored, notes, enabled


def evaluate_package(package, args, work):
    feature_path = os.path.join(args.fixtures, package, "features", "rules.feature")
    if not os.path.isfile(feature_path):
        return None
    with open(feature_path, encoding="utf-8") as handle:
        scenarios = parse_feature(handle.read())
    rule_folder = os.path.join(args.packages, package, package)
    whole_style = os.path.join(work, package + ".yaml")
    ok, stderr = import_style(args.housestyle, rule_folder, whole_style)
    if not ok:
        raise RuntimeError(f"housestyle import vale {rule_folder} failed: {stderr.strip()[:400]}")
    whole_report = parse_import_report(stderr)
    all_rules = {f"{package}.{name[:-4]}" for name in os.listdir(rule_folder) if name.endswith(".yml")}

    counts = dict.fromkeys(COLUMNS, 0)
    counts["expected"] = counts["extra"] = counts["scenarios"] = counts["with_fixture"] = 0
    details, extras, untested, notes = [], [], [], []
    for scenario in scenarios:
        counts["scenarios"] += 1
        counts["expected"] += len(scenario["expected"])
        fixture = os.path.join(args.fixtures, package, "fixtures", scenario["fixture"] or "")
        if not scenario["fixture"] or not os.path.isdir(fixture):
            counts["no_fixture"] += len(scenario["expected"])
            continue
        counts["with_fixture"] += 1
        named = {e[0] for e in scenario["expected"]}
        files = sorted({name for name in os.listdir(fixture) if name.endswith(READ_EXTENSIONS)} | named)
        present = [os.path.join(fixture, name) for name in files if os.path.isfile(os.path.join(fixture, name))]
        texts = {}
        for path in present:
            with open(path, encoding="utf-8") as handle:
                texts[os.path.basename(path)] = handle.read().split("\n")
        whole_findings = check(args.housestyle, whole_style, present) if present else []

        # The rules the scenario runs, as Vale's test does: its .vale.ini, else the package.
        config = os.path.join(fixture, ".vale.ini")
        scenario_findings, scenario_report, enabled = whole_findings, whole_report, all_rules
        # Whether the findings are those of the rules Vale runs here (its .vale.ini mirrored, or none).
        mirrored_ok = not os.path.isfile(os.path.join(fixture, ".vale.ini"))
        if os.path.isfile(config):
            scenario_work = os.path.join(work, package + "-" + scenario["fixture"])
            os.makedirs(scenario_work, exist_ok=True)
            mirrored, config_notes, ini_rules = mirror_config(config, package, args.packages, scenario_work)
            notes += [f"{scenario['fixture']}/.vale.ini: {note}" for note in config_notes]
            if mirrored:
                style = os.path.join(scenario_work, "style.yaml")
                ok, config_stderr = import_style(args.housestyle, mirrored, style)
                if ok:
                    scenario_report = parse_import_report(config_stderr)
                    scenario_findings = check(args.housestyle, style, present) if present else []
                    enabled = ini_rules if ini_rules else all_rules
                    mirrored_ok = True
                else:
                    notes.append(f"{scenario['fixture']}/.vale.ini: the import failed, the whole package is run: {config_stderr.strip()[:200]}")

        # Strict matches first, so that a finding at another column of the line is not taken for an
        # alert found strictly elsewhere on it.
        used, outcome = set(), {}
        for pass_ in ("strict", "line"):
            for index, (name, line, column, rule, _message) in enumerate(scenario["expected"]):
                if index in outcome:
                    continue
                findings = scenario_findings if rule in enabled else whole_findings
                for finding in findings:
                    if (id(finding) not in used and finding["file"] == name and finding["rule"] == rule and finding["line"] == line
                            and (pass_ == "line" or finding["column"] == column)):
                        used.add(id(finding))
                        outcome[index] = (pass_, finding)
                        break
        tested = enabled if enabled is not all_rules else {e[3] for e in scenario["expected"]}
        stale_places, scenario_start, skipped = set(), len(details), 0
        for index, (name, line, column, rule, message) in enumerate(scenario["expected"]):
            lines = texts.get(name)
            line_text = lines[line - 1] if lines is not None and 0 < line <= len(lines) else None
            in_scenario = rule in enabled
            findings = scenario_findings if in_scenario else whole_findings
            report = (scenario_report if in_scenario else whole_report).get(rule, {"state": "converted", "reasons": [], "patterns": []})
            where = f"{scenario['fixture']}/{name}:{line}:{column} {rule}"
            skew = "" if in_scenario else " (rule not turned on by the stored .vale.ini: whole package run)"
            if rule not in all_rules:
                counts["stale"] += 1
                stale_places.add((name, line, column))
                same = [f"{f['rule']}" for f in findings if f["file"] == name and f["line"] == line and f["column"] == column]
                details.append(("stale", where, f"the package has no rule {rule} at the pinned commit (renamed or removed); "
                                f"housestyle at that place: {same or 'nothing'}"))
                continue
            if line_text is None or column > len(line_text) + 1:
                counts["stale"] += 1
                stale_places.add((name, line, column))
                details.append(("stale", where, "the fixture has no such line or column" + skew))
                continue
            if index in outcome:
                kind, chosen = outcome[index]
                counts["found" if kind == "strict" else "found_line"] += 1
                if kind == "line":
                    details.append(("found_line", where, f"reported at column {chosen['column']}" + skew))
                continue
            state = report["state"]
            if state == "not converted":
                counts["not_converted"] += 1
                details.append(("not_converted", where, reason_category(report["reasons"]) + skew))
            elif state in ("switched off", "below minimum"):
                counts["not_enabled"] += 1
                details.append(("not_enabled", where, state + skew))
            elif state == "partly converted" and token_matches_at(report["patterns"], line_text, column)[0]:
                counts["token_not_converted"] += 1
                at, pattern = token_matches_at(report["patterns"], line_text, column)
                reasons = [r for r in report["reasons"] if r.startswith(f"'{pattern}'")] or report["reasons"]
                details.append(("token_not_converted", where, f"'{pattern}': " + reason_category(reasons)
                                + ("" if at == "column" else " (the token matches on that line, at another column: fixture version?)") + skew))
            elif quoted(message) and not any(q.lower() in line_text.lower() for q in quoted(message)):
                counts["stale"] += 1
                stale_places.add((name, line, column))
                details.append(("stale", where, f"none of {quoted(message)} is on the line: {line_text.strip()[:70]!r}" + skew))
            else:
                counts["missed_converted"] += 1
                others = [f"{f['rule']}@{f['column']}" for f in findings if f["file"] == name and f["line"] == line]
                details.append(("missed_converted", where, f"{message!r}; line: {line_text.strip()[:80]!r}; "
                                f"housestyle on that line: {others or 'nothing'}" + skew))
        # Extra findings: of the rules the scenario tests (those its .vale.ini turns on, else those
        # its expected alerts name), matching no expected alert; the others are listed, not counted.
        # A scenario whose every expected alert is stale is of another version than its fixture:
        # its findings say nothing about Vale.
        checked = len(scenario["expected"]) > sum(1 for (k, _w, _y) in details[scenario_start:] if k == "stale")
        for finding in scenario_findings:
            if not checked:
                break
            if id(finding) in used or (finding["file"], finding["line"], finding["column"]) in stale_places:
                continue
            text = (f"{scenario['fixture']}/{finding['file']}:{finding['line']}:{finding['column']} "
                    f"{finding['rule']} ({finding['level']}): {finding['message'][:110]}")
            if finding["rule"] in tested:
                counts["extra"] += 1
                extras.append(text)
            elif mirrored_ok:
                untested.append(text)
            else:
                skipped += 1
        if skipped:
            notes.append(f"{scenario['fixture']}: {skipped} findings of rules the scenario does not test are not listed: "
                         "its .vale.ini could not be mirrored, so the whole package ran")
    return {"counts": counts, "details": details, "extras": extras, "untested": untested, "notes": notes}


def table(results):
    header = ("| package | scenarios (fixture found) | expected alerts | found: line and column | found: line only | "
              "missed: rule not converted | missed: token not converted | missed: not enabled | "
              "missed although converted | stale expectation | no fixture | extra findings |")
    rows = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    total = {}
    for package, result in results.items():
        if result is None:
            rows.append(f"| {package} | no rules.feature | | | | | | | | | | |")
            continue
        c = result["counts"]
        for key, value in c.items():
            total[key] = total.get(key, 0) + value
        rows.append(f"| {package} | {c['scenarios']} ({c['with_fixture']}) | {c['expected']} | {c['found']} | {c['found_line']} | "
                    f"{c['not_converted']} | {c['token_not_converted']} | {c['not_enabled']} | {c['missed_converted']} | "
                    f"{c['stale']} | {c['no_fixture']} | {c['extra']} |")
    if total:
        t = total
        rows.append(f"| **all** | {t['scenarios']} ({t['with_fixture']}) | {t['expected']} | {t['found']} | {t['found_line']} | "
                    f"{t['not_converted']} | {t['token_not_converted']} | {t['not_enabled']} | {t['missed_converted']} | "
                    f"{t['stale']} | {t['no_fixture']} | {t['extra']} |")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--housestyle", required=True, help="the housestyle binary")
    parser.add_argument("--packages", required=True, help="folder of the packages: PACKAGES/<Package>/<Package>/*.yml")
    parser.add_argument("--fixtures", required=True, help="folder of the package repositories' features/ and fixtures/")
    parser.add_argument("--package", action="append", help="only this package (repeatable)")
    parser.add_argument("--out", help="write the table and the lists as Markdown here")
    args = parser.parse_args()
    if not os.path.isdir(args.fixtures):
        print(f"vale-fixtures: skipped: no fixtures folder {args.fixtures} (clone github.com/errata-ai/<Package> there)")
        return 0
    if not os.path.isdir(args.packages):
        print(f"vale-fixtures: skipped: no packages folder {args.packages}")
        return 0
    work = tempfile.mkdtemp(prefix="vale-fixtures-")
    try:
        results = {}
        for package in args.package or PACKAGES:
            if not os.path.isdir(os.path.join(args.packages, package, package)):
                print(f"vale-fixtures: {package}: no rule folder in {args.packages}: skipped", file=sys.stderr)
                continue
            results[package] = evaluate_package(package, args, work)
            if results[package] is None:
                print(f"vale-fixtures: {package}: no features/rules.feature in {args.fixtures}: skipped", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = [table(results), ""]
    labels = {"found_line": "found at another column", "not_converted": "missed: rule not converted",
              "token_not_converted": "missed: token not converted", "not_enabled": "missed: not enabled",
              "missed_converted": "missed although converted", "stale": "stale expectation"}
    for package, result in results.items():
        if result is None:
            continue
        lines.append(f"### {package}")
        lines.append("")
        for kind, label in labels.items():
            for (k, where, why) in result["details"]:
                if k == kind:
                    lines.append(f"- {label}: `{where}`: {why}")
        for extra in result["extras"]:
            lines.append(f"- extra finding: `{extra}`")
        for other in result["untested"]:
            lines.append(f"- other finding (a rule the scenario does not test; not counted): `{other}`")
        for note in result["notes"]:
            lines.append(f"- note: {note}")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
