#!/usr/bin/env python3
"""Checks schema/style.schema.json with an independent validator (Python jsonschema).

1. The schema is a valid draft 2020-12 schema.
2. Every shipped style (styles/*.yaml), every example package's style and the complete example
   in docs/style-file.md validate against it, and the style files start with the
   yaml-language-server comment.
3. With a built housestyle binary (argument 1 or $HOUSESTYLE): the schema and
   `housestyle validate` agree on every case below, valid or invalid.

Exit status 0 when everything holds, 1 otherwise. Needs jsonschema and PyYAML (scripts/setup.sh
installs them into .deps/pytools when the system Python lacks them).
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / ".deps" / "pytools"))
import jsonschema  # noqa: E402
import yaml  # noqa: E402


class YAML12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where yes/no/on/off are booleans; housestyle reads YAML 1.2,
    where only true/false are. Resolve booleans the 1.2 way so both see the same values."""


YAML12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YAML12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/style.schema.json"

# (name, style file text, valid?) -- each invalid case has exactly one mistake.
CASES = [
    ("minimal", "version: 1\n", True),
    ("every key", """\
version: 1
name: every-key
locale: en-GB
description: all of it
corpus: {voice: [a/**/*.md], contrast: [b/*.txt], pairs: [c.tsv]}
terms:
  - {use: sign in, instead_of: [log in], case_sensitive: true, note: verb, level: error}
avoid: [simply, {word: utilize, instead: use, note: plain, case_sensitive: true, report_only: true, level: suggestion}]
levels: {terms: warning, avoid: error, spelling: suggestion, contractions: warning, punctuation: error, smart_quotes: suggestion, learned: suggestion}
spelling: en-US
contractions: avoid
punctuation: {quotes: straight, oxford_comma: false, dashes: em, ellipsis: dots}
rewrite: {confidence: 0, min_similarity: 1, preserve: [numbers, urls, code, entities, negation]}
model: {base: models/base, epochs: 1, lora_rank: 64, learning_rate: 1.0e-6, batch_size: 1, seed: 0, max_sentences: 1}
learned: {sources: [pairs, retrieval, thesaurus, vectors], never: [leverage, utilize -> use, e-mail->email], target_precision: 1}
stages:
  pre: [normalize, {markdown: }, segment]
  post: [terms, {smart_quotes: }, learned, {command: [./tools/x, --y], timeout: 0.5, name: x}]
""", True),
    ("yes is a string in YAML 1.2", "version: 1\nname: yes\n", True),
    ("missing version", "name: x\n", False),
    ("version 2", "version: 2\n", False),
    ("version as string", "version: '1'\n", False),
    ("unknown top-level key", "version: 1\ncontractons: prefer\n", False),
    ("unknown corpus key", "version: 1\ncorpus: {voices: [a.md]}\n", False),
    ("corpus glob empty string", "version: 1\ncorpus: {voice: ['  ']}\n", False),
    ("empty name", "version: 1\nname: ''\n", False),
    ("name with a slash", "version: 1\nname: ../../x\n", False),
    ("name ..", "version: 1\nname: '..'\n", False),
    ("bad locale", "version: 1\nlocale: english_GB\n", False),
    ("locale as number", "version: 1\nlocale: 12\n", False),
    ("spelling british", "version: 1\nspelling: british\n", False),
    ("contractions true", "version: 1\ncontractions: true\n", False),
    ("quotes fancy", "version: 1\npunctuation: {quotes: fancy}\n", False),
    ("oxford_comma yes", "version: 1\npunctuation: {oxford_comma: yes}\n", False),
    ("dashes hyphen", "version: 1\npunctuation: {dashes: hyphen}\n", False),
    ("ellipsis unicode", "version: 1\npunctuation: {ellipsis: unicode}\n", False),
    ("unknown punctuation key", "version: 1\npunctuation: {commas: on}\n", False),
    ("confidence above 1", "version: 1\nrewrite: {confidence: 2}\n", False),
    ("min_similarity below 0", "version: 1\nrewrite: {min_similarity: -0.1}\n", False),
    ("confidence as string", "version: 1\nrewrite: {confidence: high}\n", False),
    ("preserve unknown kind", "version: 1\nrewrite: {preserve: [dates]}\n", False),
    ("epochs 0", "version: 1\nmodel: {epochs: 0}\n", False),
    ("epochs fractional", "version: 1\nmodel: {epochs: 1.5}\n", False),
    ("lora_rank 65", "version: 1\nmodel: {lora_rank: 65}\n", False),
    ("lora_rank 0", "version: 1\nmodel: {lora_rank: 0}\n", False),
    ("learning_rate 0", "version: 1\nmodel: {learning_rate: 0}\n", False),
    ("batch_size 0", "version: 1\nmodel: {batch_size: 0}\n", False),
    ("seed negative", "version: 1\nmodel: {seed: -1}\n", False),
    ("max_sentences 0", "version: 1\nmodel: {max_sentences: 0}\n", False),
    ("empty base", "version: 1\nmodel: {base: ' '}\n", False),
    ("unknown model key", "version: 1\nmodel: {epoch: 3}\n", False),
    ("learned sources empty", "version: 1\nlearned: {sources: []}\n", True),
    ("learned unknown source", "version: 1\nlearned: {sources: [pair]}\n", False),
    ("learned sources a string", "version: 1\nlearned: {sources: pairs}\n", False),
    ("learned never blank replacement", "version: 1\nlearned: {never: ['utilize -> ']}\n", False),
    ("learned never blank word", "version: 1\nlearned: {never: ['-> use']}\n", False),
    ("learned never two arrows", "version: 1\nlearned: {never: [a -> b -> c]}\n", False),
    ("learned never a number", "version: 1\nlearned: {never: [3]}\n", False),
    ("learned target_precision 0", "version: 1\nlearned: {target_precision: 0}\n", False),
    ("learned target_precision above 1", "version: 1\nlearned: {target_precision: 1.01}\n", False),
    ("unknown learned key", "version: 1\nlearned: {source: [pairs]}\n", False),
    ("term without use", "version: 1\nterms: [{instead_of: [a]}]\n", False),
    ("term without instead_of", "version: 1\nterms: [{use: a}]\n", False),
    ("term with empty instead_of", "version: 1\nterms: [{use: a, instead_of: []}]\n", False),
    ("term case_sensitive string", "version: 1\nterms: [{use: a, instead_of: [b], case_sensitive: 'no'}]\n", False),
    ("term unknown key", "version: 1\nterms: [{use: a, instead_of: [b], notes: x}]\n", False),
    ("terms a mapping", "version: 1\nterms: {use: a}\n", False),
    ("avoid entry without word", "version: 1\navoid: [{instead: use}]\n", False),
    ("avoid entry a list", "version: 1\navoid: [[simply]]\n", False),
    ("avoid empty word", "version: 1\navoid: ['']\n", False),
    ("term level critical", "version: 1\nterms: [{use: a, instead_of: [b], level: critical}]\n", False),
    ("avoid level info", "version: 1\navoid: [{word: a, level: info}]\n", False),
    ("avoid report_only string", "version: 1\navoid: [{word: a, report_only: 'yes'}]\n", False),
    ("levels unknown stage", "version: 1\nlevels: {markdown: error}\n", False),
    ("levels bad level", "version: 1\nlevels: {spelling: fatal}\n", False),
    ("levels a list", "version: 1\nlevels: [error]\n", False),
    ("unknown stage", "version: 1\nstages: {post: [smartquotes]}\n", False),
    ("unknown stages key", "version: 1\nstages: {middle: [terms]}\n", False),
    ("stage with two ids", "version: 1\nstages: {post: [{terms: {}, avoid: {}}]}\n", False),
    ("stage options a list", "version: 1\nstages: {post: [{markdown: [a]}]}\n", False),
    ("built-in stage with options", "version: 1\nstages: {pre: [{markdown: {front_matter: true}}]}\n", False),
    ("command without timeout", "version: 1\nstages: {post: [{command: [./x]}]}\n", False),
    ("command empty", "version: 1\nstages: {post: [{command: [], timeout: 1}]}\n", False),
    ("command timeout 0", "version: 1\nstages: {post: [{command: [./x], timeout: 0}]}\n", False),
    ("command unknown key", "version: 1\nstages: {post: [{command: [./x], timeout: 1, env: {}}]}\n", False),
    ("stage a number", "version: 1\nstages: {pre: [3]}\n", False),
    ("root a list", "- version: 1\n", False),
]

failures = []


def fail(message):
    failures.append(message)
    print(f"schema-test: FAIL: {message}", file=sys.stderr)


def schema_errors(validator, instance):
    return sorted(validator.iter_errors(instance), key=lambda error: list(error.path))


schema = json.loads((root / "schema" / "style.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

# Shipped styles and the documented example.
shipped = sorted((root / "styles").glob("*.yaml"))
if not shipped:
    fail("no shipped styles in styles/")
for path in shipped:
    text = path.read_text()
    if not text.startswith(SCHEMA_COMMENT + "\n"):
        fail(f"{path.relative_to(root)}: does not start with '{SCHEMA_COMMENT}'")
    for error in schema_errors(validator, yaml.load(text, Loader=YAML12Loader)):
        fail(f"{path.relative_to(root)}: {'.'.join(map(str, error.path))}: {error.message}")
# Styles of the example packages: valid too, and pointing at the schema from where they are.
for path in sorted(root.glob("examples/*/styles/*.yaml")):
    text = path.read_text()
    relative = os.path.relpath(root / "schema" / "style.schema.json", path.parent)
    if not text.startswith(f"# yaml-language-server: $schema={relative}\n"):
        fail(f"{path.relative_to(root)}: does not start with '# yaml-language-server: $schema={relative}'")
    for error in schema_errors(validator, yaml.load(text, Loader=YAML12Loader)):
        fail(f"{path.relative_to(root)}: {'.'.join(map(str, error.path))}: {error.message}")
doc = (root / "docs" / "style-file.md").read_text()
example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", doc, re.S)
if not example:
    fail("docs/style-file.md: no '## A complete example' yaml block")
else:
    for error in schema_errors(validator, yaml.load(example.group(1), Loader=YAML12Loader)):
        fail(f"docs/style-file.md example: {'.'.join(map(str, error.path))}: {error.message}")

# The schema and the decoder agree.
binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HOUSESTYLE")
checked = 0
with tempfile.TemporaryDirectory(prefix="housestyle-schema-") as folder:
    styles = pathlib.Path(folder) / "styles"
    styles.mkdir()
    for index, (name, source, valid) in enumerate(CASES):
        schema_valid = not schema_errors(validator, yaml.load(source, Loader=YAML12Loader))
        if schema_valid != valid:
            fail(f"case '{name}': the schema says {'valid' if schema_valid else 'invalid'}, expected {'valid' if valid else 'invalid'}")
        if not binary:
            continue
        path = styles / f"case{index}.yaml"
        path.write_text(source)
        run = subprocess.run([binary, "validate", "--skip-corpus-check", str(path)], capture_output=True, text=True)
        if run.returncode not in (0, 1):
            fail(f"case '{name}': housestyle validate exited {run.returncode}: {run.stderr.strip()}")
        elif (run.returncode == 0) != valid:
            fail(f"case '{name}': housestyle validate says {'valid' if run.returncode == 0 else 'invalid'}, "
                 f"expected {'valid' if valid else 'invalid'}: {run.stderr.strip()}")
        checked += 1

if not binary:
    print("schema-test: no housestyle binary given: skipped the agreement with `housestyle validate`", file=sys.stderr)
print(f"schema-test: {len(shipped)} shipped styles, the documented example, {len(CASES)} cases "
      f"({checked} also run through housestyle validate): {len(failures)} failures", file=sys.stderr)
sys.exit(1 if failures else 0)
