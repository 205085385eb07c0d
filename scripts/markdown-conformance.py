#!/usr/bin/env python3
"""Checks that rewriting Markdown changes prose text and nothing else, with an independent parser.

Each document is rewritten by `housestyle filter STYLE --jsonl` (Markdown input; a few processes
for everything) with an aggressive rules-only test style, scripts/conformance-style.yaml. The
input and the output are parsed with markdown-it-py: its gfm-like preset with GFM task lists,
single-tilde strikethrough, GFM's own autolink rule in place of linkify's fuzzy one, and YAML front
matter. Only the content of text tokens may differ; each other difference is a violation:

  structure         block and inline tokens: types, tags, nesting, markup, attributes, line ranges
  code              fenced and indented code (content and info string), inline code
  html              raw HTML blocks and inline HTML
  front-matter      YAML front matter
  link-destination  link and image destinations, and those of reference definitions
  link-title        link, image and reference definition titles
  reference-label   every link of the input is still there with its destination (a reference link
                    whose label was edited no longer resolves); definitions keep their labels
  autolink/url      <autolinks>, GFM bare URLs and URL-looking text (http(s)://, ftp://, mailto:, www.)
  entity/escape     entity and numeric character references, backslash escapes
  softbreak         the number of line breaks inside paragraphs
  hardbreak         the number of hard line breaks
  line-count        the number of lines of the document
  not-idempotent    rewriting the output again changes it
  crlf, cr          the document with CRLF or CR-only line endings does not give the LF output with
                    those line endings, or gets its edits at other line:column positions
  refused           the tool answered a document with an error
  crash             the tool died, hung or answered nonsense
Documents that markdown-it is known to parse unlike cmark and GitHub (lines after a link
reference definition) are listed as 'unsure' and their parses are not compared.

Documents: every example of the CommonMark and GFM specifications (../shared/data/commonmark/;
skipped with a message when absent), and the repository's own Markdown: README.md, docs/*.md,
examples/*.md and every corpora/ document (all read as Markdown). With --fuzz N, also N mutants of
the spec examples (lines spliced from two examples, then Markdown punctuation and words of the style
inserted or characters deleted; --seed S gives the same mutants every time), checked for crashes,
refusals and idempotence, or with --fuzz-all-checks for everything (best with --referee cmark-gfm:
markdown-it also differs from cmark on lazy lines in nested containers).

Usage (after `bash scripts/setup.sh`, which installs markdown-it-py into .deps/markdown-it):

  python3 scripts/markdown-conformance.py                       # spec + repository, every check
  python3 scripts/markdown-conformance.py --fuzz 5000 --seed 7  # and 5,000 mutants
  python3 scripts/markdown-conformance.py --example commonmark:481 --example docs/stages.md
  python3 scripts/markdown-conformance.py --show 3 --minimize   # shrink the inputs shown

The binary (--housestyle, default .build/debug/housestyle) is copied to a temporary folder first, so
a rebuild during the run does no harm. Exit status 0 when nothing is violated, 1 otherwise, 2 when
the check cannot run (no binary, an invalid style).
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT.parent / "shared" / "data" / "commonmark"
SPEC_FILES = [("commonmark", "commonmark-spec.txt"), ("gfm", "gfm-spec.txt")]
REPOSITORY_GLOBS = ["README.md", "docs/*.md", "examples/*.md", "corpora/**/*.md", "corpora/**/*.txt"]

sys.path.insert(0, str(ROOT / ".deps" / "markdown-it"))
sys.path.insert(0, str(ROOT / ".deps" / "pytools"))
try:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
    import yaml
except ImportError as error:
    sys.exit(f"markdown-conformance: error: {error}; `bash scripts/setup.sh` installs markdown-it-py and PyYAML")

# Kinds of violation, in the order the summary lists them.
KINDS = [
    "crash", "refused", "structure", "code", "html", "front-matter", "link-destination",
    "link-title", "reference-label", "autolink/url", "entity/escape", "softbreak", "hardbreak",
    "line-count", "not-idempotent", "crlf", "cr",
]
# The kinds that come from comparing markdown-it's parses, which a referee can overrule.
PARSE_KINDS = set(KINDS) - {"crash", "refused", "line-count", "not-idempotent", "crlf", "cr"}
# Kinds that are reported but are not violations.
NOTES = ["unsure"]
LINE_ENDINGS = {"crlf": "\r\n", "cr": "\r"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")
URL_TEXT = re.compile(r"(?:\b(?:https?|ftp)://|\bmailto:|(?<![\w.-])www\.)[^\s<>]*")
URL_TRAILING_PUNCTUATION = ".,:;!?*_~'\"’”»)]}"


# Documents ---------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Document:
    """A Markdown text to rewrite: `name` is `commonmark:12`, a repository path or `fuzz:S:N`."""
    name: str
    section: str
    text: str


def read_spec_examples(path: Path, prefix: str) -> list[Document]:
    """The examples of a CommonMark-style spec file (format in ../shared/data/commonmark/SOURCE.md)."""
    fence = "`" * 32
    examples: list[Document] = []
    section = ""
    lines: list[str] | None = None  # the Markdown of the open example, until its "." line
    in_html = False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if lines is None:
            if stripped.startswith(fence + " example"):
                lines, in_html = [], False
            elif stripped.startswith("#"):
                section = stripped.lstrip("#").strip()
        elif stripped == fence:
            name = f"{prefix}:{len(examples) + 1}"
            examples.append(Document(name, section, "".join(lines).replace("→", "\t")))
            lines = None
        elif stripped == "." and not in_html:
            in_html = True
        elif not in_html:
            lines.append(line)
    return examples


def read_repository_documents(root: Path) -> tuple[list[Document], list[str]]:
    """The repository's own Markdown and text corpora, and the paths skipped as not UTF-8."""
    documents, skipped = [], []
    paths = sorted({path for pattern in REPOSITORY_GLOBS for path in root.glob(pattern) if path.is_file()})
    for path in paths:
        relative = str(path.relative_to(root))
        try:
            documents.append(Document(relative, "repository", path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as error:
            skipped.append(f"{relative}: not valid UTF-8 at byte {error.start}")
    return documents, skipped


# Running housestyle ------------------------------------------------------------------------------

class HarnessError(Exception):
    """The check itself cannot run (no binary, an invalid style)."""


@dataclasses.dataclass
class Outcome:
    """What housestyle made of one document: its text and edits, an error, or a crash."""
    text: str | None = None
    edits: list[dict] = dataclasses.field(default_factory=list)
    error: str | None = None
    crash: str | None = None


class Housestyle:
    """Runs `housestyle filter STYLE --jsonl` over many documents, a few processes at a time.

    A process that dies or hangs is run again from the first document it did not answer; a batch
    that fails before answering anything is halved until the failing document is found alone, so
    the crash is blamed on the right document however the tool buffers its output.
    """

    def __init__(self, binary: Path, style: Path, timeout: float):
        self.binary, self.style, self.timeout = binary, style, timeout
        self.processes = 0

    def rewrite(self, texts: Sequence[str]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(texts)
        jobs = max(1, min(os.cpu_count() or 1, 4))
        size = max(200, -(-len(texts) // jobs))  # a process starts in about 0.1 s: not for a handful
        chunks = [list(range(start, min(start + size, len(texts)))) for start in range(0, len(texts), size)]
        with ThreadPoolExecutor(jobs) as pool:
            for future in [pool.submit(self._rewrite_batch, chunk, texts, outcomes) for chunk in chunks]:
                future.result()
        return outcomes  # type: ignore[return-value]

    def _rewrite_batch(self, indexes: list[int], texts: Sequence[str], outcomes: list[Outcome | None]) -> None:
        pending = indexes
        while pending:
            answers, failure = self._run([texts[i] for i in pending])
            for index, answer in zip(pending, answers):
                outcomes[index] = answer
            pending = pending[len(answers):]
            if failure is None or not pending or answers:
                continue  # done, or again from the first document not answered
            if len(pending) == 1:
                outcomes[pending[0]] = Outcome(crash=failure)
                return
            # The tool writes each answer as it goes, so the first document is the likely culprit;
            # if it is not, halve the rest (in case the output was held back).
            first, rest = pending[:1], pending[1:]
            self._rewrite_batch(first, texts, outcomes)
            if outcomes[first[0]].crash is None:  # type: ignore[union-attr]
                half = max(1, len(rest) // 2)
                self._rewrite_batch(rest[:half], texts, outcomes)
                rest = rest[half:]
            pending = rest

    def _run(self, texts: list[str]) -> tuple[list[Outcome], str | None]:
        """One process over `texts`: the answers it gave in order, and why it stopped early, if it did."""
        records = "".join(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n" for i, text in enumerate(texts))
        self.processes += 1
        command = [str(self.binary), "filter", str(self.style), "--jsonl", "--no-train"]
        timeout = self.timeout + 0.01 * len(texts)
        try:
            process = subprocess.run(command, input=records.encode(), capture_output=True, timeout=timeout)
            stdout, stderr, status = process.stdout, process.stderr, process.returncode
        except subprocess.TimeoutExpired as expired:
            stdout, stderr, status = expired.stdout or b"", expired.stderr or b"", None
        answers: list[Outcome] = []
        for line in stdout.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                break
            if not isinstance(record, dict) or record.get("id") != len(answers):
                break
            if isinstance(record.get("text"), str):
                answers.append(Outcome(text=record["text"], edits=record.get("edits", [])))
            else:
                answers.append(Outcome(error=str(record.get("error"))))
            if len(answers) == len(texts):
                break
        if status == 2 and not answers:
            raise HarnessError(f"housestyle could not run: {stderr.decode(errors='replace').strip()}")
        if len(answers) == len(texts) and status in (0, 1):
            return answers, None
        if status is None:
            reason = f"no answer within {timeout:.0f} s"
        elif status < 0:
            reason = f"killed by {signal.Signals(-status).name}"
        elif len(answers) < len(texts):
            reason = f"exit status {status} without an answer"
        else:
            reason = f"exit status {status}"
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        return answers, reason + (": " + " / ".join(tail) if tail else "")


def private_copy(binary: Path, folder: Path) -> Path:
    """A copy of the binary that a relink of the original cannot change under the check."""
    if not binary.is_file():
        raise HarnessError(f"no housestyle binary at {binary}; build it or give --housestyle PATH")
    copy = folder / "housestyle"
    shutil.copy2(binary, copy)
    return copy


# Comparing parses --------------------------------------------------------------------------------

def markdown_parser() -> MarkdownIt:
    """markdown-it-py's gfm-like preset, closer to GFM: GitHub's autolink rule rather than
    linkify's fuzzy one (GFM links www.x.org, not a bare example.com), task lists, single-tilde
    strikethrough, and escapes and entities kept as tokens of their own."""
    parser = MarkdownIt("gfm-like2", {"typographer": False})
    parser.disable(["linkify", "text_join"])
    return parser.use(gfm_autolink_plugin)


PARSER = markdown_parser()
# The front matter plugin also takes `---Foo` ... `----` for front matter, which no site generator
# does: it parses only documents that open with a `---` line and have a closing `---` line.
PARSER_WITH_FRONT_MATTER = markdown_parser().use(front_matter_plugin)
FRONT_MATTER = re.compile(r"---[ \t]*(?:\r\n|\r|\n)(?:.*?(?:\r\n|\r|\n))??---[ \t]*(?:\r\n|\r|\n|$)", re.DOTALL)
COMMONMARK_RENDERER = MarkdownIt("commonmark")  # for --referee: CommonMark alone, as cmark renders it


@dataclasses.dataclass(frozen=True)
class Entry:
    """One item of a stream: a value to compare, and the input line it came from (for messages)."""
    value: object
    line: int


@dataclasses.dataclass(frozen=True)
class Link:
    kind: str  # "link" or "image"
    href: str
    title: str
    markup: str  # "autolink" for <...> and GFM bare URLs


class Digest:
    """What a rewrite must keep of a document, as streams in document order."""

    def __init__(self, text: str, front_matter: bool):
        self.line_breaks = len(LINE_BREAK.findall(text))
        environment: dict = {}
        tokens = (PARSER_WITH_FRONT_MATTER if front_matter else PARSER).parse(text, environment)
        self.references = {label: (reference["href"], reference.get("title", ""))
                           for label, reference in environment.get("references", {}).items()}
        self.streams: dict[str, list[Entry]] = collections.defaultdict(list)
        self.breaks = collections.Counter()
        for token in tokens:
            line = token.map[0] + 1 if token.map else 0
            self._block(token, line)
            if token.type == "inline":
                self._inline(token.children or [], line)
        self.unlike_cmark = parses_unlike_cmark(text, tokens, environment)

    def _block(self, token: Token, line: int) -> None:
        info = "" if token.type == "fence" else token.info
        skeleton = (token.type, token.tag, token.nesting, token.level, tuple(token.map or ()), token.markup,
                    info, sorted(token.attrs.items()), token.hidden)
        if token.type == "inline":
            skeleton += (tuple(self._inline_skeleton(token.children or [])),)
        self.streams["structure"].append(Entry(skeleton, line))
        if token.type in ("fence", "code_block"):
            self.streams["code"].append(Entry((token.type, token.info, token.content), line))
        elif token.type == "html_block":
            self.streams["html"].append(Entry(token.content, line))
        elif token.type == "front_matter":
            self.streams["front-matter"].append(Entry(token.content, line))

    @staticmethod
    def _inline_skeleton(children: list[Token]) -> Iterable[tuple]:
        """Inline tokens other than those a stream of their own compares (text, breaks, code,
        HTML, links, escapes): emphasis, strikethrough and the like."""
        for child in children:
            if child.type not in ("text", "softbreak", "hardbreak", "code_inline", "html_inline", "text_special",
                                  "link_open", "link_close", "image"):
                yield child.type, child.tag, child.nesting, child.markup, sorted(child.attrs.items())

    def _inline(self, children: list[Token], line: int) -> None:
        for child in children:
            kind = child.type
            if kind == "text":
                for match in URL_TEXT.finditer(child.content):
                    self.streams["urls"].append(Entry(match.group().rstrip(URL_TRAILING_PUNCTUATION), line))
            elif kind in ("softbreak", "hardbreak"):
                self.breaks[kind] += 1
            elif kind == "code_inline":
                self.streams["code"].append(Entry((kind, child.markup, child.content), line))
            elif kind == "html_inline":
                self.streams["html"].append(Entry(child.content, line))
            elif kind == "text_special" and child.content != child.markup:
                # A real escape or entity; a backslash before a letter (`\\f`) is only text.
                self.streams["entity/escape"].append(Entry((child.markup, child.info, child.content), line))
            elif kind == "link_open":
                link = Link("link", str(child.attrs.get("href", "")), str(child.attrs.get("title", "")), child.markup)
                self.streams["links"].append(Entry(link, line))
            elif kind == "image":
                link = Link("image", str(child.attrs.get("src", "")), str(child.attrs.get("title", "")), "")
                self.streams["links"].append(Entry(link, line))
                self._inline(child.children or [], line)  # the alt text


def parses_unlike_cmark(text: str, tokens: list[Token], environment: dict) -> bool:
    """Whether markdown-it splits blocks where cmark, commonmark.js and GitHub do not.

    They read a link reference definition as the start of a paragraph and take it out
    afterwards, so a following line that cannot interrupt a paragraph (indented code, most
    HTML) continues it; markdown-it ends the definition there and starts a new block
    (pulldown-cmark/pulldown-cmark#782). Told by parsing the text again with each definition
    made into plain text: if its paragraph then runs past the definition where the first parse
    starts something else, the parsers disagree."""
    starts: dict[int, str] = {}  # line -> the outermost block that starts there
    for token in tokens:
        if token.map and token.nesting >= 0:
            starts.setdefault(token.map[0], token.type)
    lines = LINE_BREAK.split(text)  # as markdown-it counts lines
    for reference in environment.get("references", {}).values():
        first, end = reference.get("map") or (0, 0)
        if end >= len(lines) or not lines[end].strip() or starts.get(end, "paragraph_open") == "paragraph_open":
            continue
        plain = lines[:first] + [lines[first].replace("[", "x", 1)] + lines[first + 1:]
        for token in PARSER.parse("\n".join(plain)):
            if token.type == "paragraph_open" and token.map and token.map[0] <= first and token.map[1] > end:
                return True
    return False


def parsers_agree(referee: str, text: str) -> bool:
    """Whether the referee (cmark or cmark-gfm, without extensions) renders `text` as markdown-it does."""
    try:
        process = subprocess.run([referee, "--unsafe"], input=text.encode(), capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise HarnessError(f"the referee {referee} did not run: {error}") from error
    return process.stdout.decode(errors="replace").strip() == COMMONMARK_RENDERER.render(text).strip()


def describe(value: object) -> str:
    """A structure entry as people read it: `paragraph_open p lines 1-2`, `inline [em_open *]`."""
    if not isinstance(value, tuple) or len(value) < 9:
        return repr(value)
    kind, tag, _, _, span, markup, info, attributes, _ = value[:9]
    words = [kind, tag, f"lines {span[0] + 1}-{span[1]}" if span else "", repr(markup) if markup else "",
             repr(info) if info else "", " ".join(f"{key}={val!r}" for key, val in attributes)]
    if len(value) > 9:
        words.append("[" + ", ".join(f"{child[0]} {child[3]}".strip() for child in value[9]) + "]")
    return " ".join(word for word in words if word)


@dataclasses.dataclass
class Violation:
    kind: str
    detail: str
    line: int = 0  # in the input; 0 when unknown


def first_difference(before: list[Entry], after: list[Entry]) -> tuple[int, object, object] | None:
    """(line, before value, after value) at the first entry that differs, or None."""
    for index in range(max(len(before), len(after))):
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if old is None or new is None or old.value != new.value:
            line = (old or new).line  # type: ignore[union-attr]
            return line, old.value if old else "(nothing)", new.value if new else "(nothing)"
    return None


def compare(before_text: str, after_text: str) -> list[Violation]:
    """Everything a rewrite of `before_text` into `after_text` changed that it must not."""
    front_matter = FRONT_MATTER.match(before_text) is not None  # the input's decides for both
    before, after = Digest(before_text, front_matter), Digest(after_text, front_matter)
    violations = []
    if before.line_breaks != after.line_breaks:
        violations.append(Violation("line-count", f"{before.line_breaks} line breaks became {after.line_breaks}"))
    if before.unlike_cmark:
        return violations + [Violation("unsure", "markdown-it parses the lines after a link reference "
                                                 "definition unlike cmark: no token comparison")]
    for stream in ("structure", "code", "html", "front-matter", "entity/escape"):
        difference = first_difference(before.streams[stream], after.streams[stream])
        if difference:
            line, old, new = difference
            show = describe if stream == "structure" else repr
            violations.append(Violation(stream, f"{show(old)} became {show(new)}", line))
    difference = first_difference(before.streams["urls"], after.streams["urls"])
    if difference:
        line, old, new = difference
        violations.append(Violation("autolink/url", f"URL text {old!r} became {new!r}", line))
    violations += compare_links(before, after)
    for kind in ("softbreak", "hardbreak"):
        if before.breaks[kind] != after.breaks[kind]:
            violations.append(Violation(kind, f"{before.breaks[kind]} {kind}s became {after.breaks[kind]}"))
    return violations


def compare_links(before: Digest, after: Digest) -> list[Violation]:
    """Links, images and reference definitions: each kept, with its destination and title."""
    violations = []
    if before.references.keys() != after.references.keys():
        lost = sorted(before.references.keys() - after.references.keys())
        gained = sorted(after.references.keys() - before.references.keys())
        violations.append(Violation("reference-label", f"reference definitions {lost} became {gained}"))
    for label in before.references.keys() & after.references.keys():
        (old_href, old_title), (new_href, new_title) = before.references[label], after.references[label]
        if old_href != new_href:
            violations.append(Violation("link-destination", f"definition [{label}]: {old_href!r} became {new_href!r}"))
        if old_title != new_title:
            violations.append(Violation("link-title", f"definition [{label}] title {old_title!r} became {new_title!r}"))
    targets = set(before.references.values())
    old_links, new_links = before.streams["links"], after.streams["links"]
    if len(old_links) != len(new_links):
        # A link vanished (or appeared): say which, and what kind of link it was.
        new_values = collections.Counter(entry.value for entry in new_links)
        for entry in old_links:
            link = entry.value
            if new_values[link] > 0:
                new_values[link] -= 1
                continue
            if (link.href, link.title) in targets:
                kind = "reference-label"
            elif link.markup == "autolink":
                kind = "autolink/url"
            else:
                kind = "structure"
            return violations + [Violation(kind, f"{link.kind} to {link.href!r} is gone", entry.line)]
        extra = next(iter(+new_values))
        return violations + [Violation("structure", f"a new {extra.kind} to {extra.href!r}")]
    for old, new in zip(old_links, new_links):
        link, changed = old.value, new.value
        if link.href != changed.href:
            if link.markup == "autolink" or changed.markup == "autolink":
                kind = "autolink/url"
            elif (link.href, link.title) in targets:
                kind = "reference-label"  # another label, so another definition
            else:
                kind = "link-destination"
            violations.append(Violation(kind, f"{link.kind} to {link.href!r} now goes to {changed.href!r}", old.line))
        elif link.title != changed.title:
            violations.append(Violation("link-title", f"{link.kind} title {link.title!r} became {changed.title!r}", old.line))
        elif link.markup != changed.markup:
            violations.append(Violation("structure", f"{link.kind} to {link.href!r} changed its kind", old.line))
    return violations


# Checking documents ------------------------------------------------------------------------------

@dataclasses.dataclass
class Finding:
    """A violation found on a document, with what the tool made of it, once and twice."""
    document: Document
    violation: Violation
    output: str | None
    again: str | None


@dataclasses.dataclass
class Evaluation:
    findings: list[Finding]
    changed: int  # documents the first pass changed: an aggressive style changes most


@dataclasses.dataclass(frozen=True)
class Checks:
    """What `evaluate` checks besides crashes, refusals and idempotence."""
    structure: bool = True  # compare the parses of input and output
    line_endings: bool = True  # CRLF and CR-only variants
    referee: str | None = None  # a CommonMark renderer (cmark-gfm) to confirm parse differences with


# What mutants are checked for unless --fuzz-all-checks: crashes, refusals, idempotence.
FUZZ_CHECKS = Checks(structure=False, line_endings=False)


def with_line_ending(text: str, ending: str) -> str:
    """`text` (which has LF line endings) with `ending` instead."""
    return text.replace("\n", ending)


def edit_places(outcome: Outcome) -> list[tuple]:
    """Where and how each edit changed the text, independent of the line endings."""
    return [(edit.get("line"), edit.get("column"), LINE_BREAK.sub("\n", str(edit.get("replacement"))))
            for edit in outcome.edits]


def describe_edits(outcome: Outcome) -> str:
    """The first few edits of a rewrite, as `line:column 'original' -> 'replacement' [rule]`."""
    return "; ".join(f"{edit.get('line')}:{edit.get('column')} {edit.get('original')!r} -> "
                     f"{edit.get('replacement')!r} [{edit.get('rule')}]" for edit in outcome.edits[:4])


def first_changed_line(before: str, after: str) -> int:
    """The 1-based number of the first line that differs."""
    for number, (old, new) in enumerate(zip(before.splitlines(), after.splitlines()), 1):
        if old != new:
            return number
    return min(len(before.splitlines()), len(after.splitlines())) + 1


def evaluate(documents: Sequence[Document], housestyle: Housestyle, checks: Checks) -> Evaluation:
    """Rewrites every document (and its variants) and returns everything that went wrong."""
    texts = [document.text for document in documents]
    # Line ending -> {index of a document: index of its variant in texts}; a document that has a CR
    # already has no variants.
    variants: dict[str, dict[int, int]] = {name: {} for name in LINE_ENDINGS} if checks.line_endings else {}
    for name, positions in variants.items():
        for index, document in enumerate(documents):
            if "\r" not in document.text:
                positions[index] = len(texts)
                texts.append(with_line_ending(document.text, LINE_ENDINGS[name]))
    outcomes = housestyle.rewrite(texts)
    rewritten = [index for index in range(len(documents)) if outcomes[index].text is not None]
    second = dict(zip(rewritten, housestyle.rewrite([outcomes[index].text for index in rewritten])))

    findings = []
    for index, document in enumerate(documents):
        first, again = outcomes[index], second.get(index)
        found = check_document(document, first, again, checks)
        for name, positions in variants.items():
            if index in positions and first.text is not None:
                found += check_line_ending(name, first, outcomes[positions[index]])
        if checks.referee and any(violation.kind in PARSE_KINDS for violation in found) \
                and not parsers_agree(checks.referee, document.text):
            found = [violation for violation in found if violation.kind not in PARSE_KINDS]
            found.append(Violation("unsure", f"markdown-it and {checks.referee} parse the input differently"))
        findings += [Finding(document, violation, first.text, again.text if again else None) for violation in found]
    changed = sum(outcomes[index].text not in (None, document.text) for index, document in enumerate(documents))
    return Evaluation(findings, changed)


def check_document(document: Document, first: Outcome, second: Outcome | None, checks: Checks) -> list[Violation]:
    """The violations of a document's rewrite (`first`) and of the rewrite of that (`second`)."""
    if first.crash:
        return [Violation("crash", first.crash)]
    if first.error is not None:
        return [Violation("refused", first.error)]
    assert first.text is not None and second is not None
    violations = compare(document.text, first.text) if checks.structure else []
    if second.crash:
        violations.append(Violation("crash", f"second pass: {second.crash}"))
    elif second.error is not None:
        violations.append(Violation("refused", f"second pass: {second.error}"))
    elif second.text != first.text:
        violations.append(Violation("not-idempotent", f"second pass: {describe_edits(second)}",
                                    first_changed_line(first.text, second.text or "")))
    return violations


def check_line_ending(name: str, lf: Outcome, variant: Outcome) -> list[Violation]:
    """The variant of a document with other line endings must get the same edits."""
    assert lf.text is not None
    if variant.crash or variant.error is not None:
        return [Violation(name, f"{name} version: {variant.crash or variant.error}")]
    expected = with_line_ending(lf.text, LINE_ENDINGS[name])
    if variant.text != expected:
        got = LINE_BREAK.sub("\n", variant.text or "")
        return [Violation(name, f"{name} output differs from the LF output; edits: {describe_edits(variant)}",
                          first_changed_line(lf.text, got))]
    if edit_places(variant) != edit_places(lf):
        return [Violation(name, f"same output, edits placed differently: {describe_edits(variant)} "
                                f"(LF: {describe_edits(lf)})")]
    return []


# Fuzzing -----------------------------------------------------------------------------------------

MARKDOWN_CHARACTERS = list("*_[]()<>!`'\"\n-#>|:/\\&~. \t")
RULE_TRIGGERS = ["do not", "it is", "color", " - ", "--", "...", "Tea, coffee or milk", "simply simply",
                 "https://example.com/foo", "www.example.com", "foo@bar.com", "mailto:foo@bar.com",
                 "ftp://foo.bar.baz", "“", "é"]


def style_words(style: Path) -> list[str]:
    """The words and phrases the style rewrites (its own, not its parent's), to put in mutants."""
    data = yaml.safe_load(style.read_text(encoding="utf-8")) or {}
    words = [variant for term in data.get("terms", []) for variant in term.get("instead_of", [])]
    words += [entry.get("word") if isinstance(entry, dict) else entry for entry in data.get("avoid", [])]
    return [word for word in words if isinstance(word, str) and word]


def mutants(examples: Sequence[Document], count: int, seed: int, words: Sequence[str]) -> list[Document]:
    """`count` mutated spec examples: lines spliced from another example, then a few characters
    or words inserted or deleted. The same seed gives the same mutants."""
    generator = random.Random(seed)
    insertions = MARKDOWN_CHARACTERS + list(words) + RULE_TRIGGERS
    documents = []
    for number in range(1, count + 1):
        base, other = generator.choice(examples), generator.choice(examples)
        lines, donor = base.text.splitlines(keepends=True), other.text.splitlines(keepends=True)
        if generator.random() < 0.5 and donor:
            start = generator.randrange(len(donor))
            spliced = donor[start:start + generator.randint(1, 4)]
            at = generator.randint(0, len(lines))
            lines[at:at] = spliced
        text = "".join(lines)
        for _ in range(generator.randint(1, 4)):
            at = generator.randint(0, len(text))
            if generator.random() < 0.35 and text:
                at = min(at, len(text) - 1)
                text = text[:at] + text[at + 1:]
            else:
                text = text[:at] + generator.choice(insertions) + text[at:]
        documents.append(Document(f"fuzz:{seed}:{number}", f"mutant of {base.name} and {other.name}", text))
    return documents


# Shrinking reproducers ---------------------------------------------------------------------------

def minimize(document: Document, kind: str, housestyle: Housestyle, checks: Checks, budget: float) -> Document:
    """A shorter document that still shows `kind`: delete chunks of lines, then of characters,
    halving the chunk size (ddmin-like), while the violation stays. Stops after `budget` seconds."""
    deadline = time.monotonic() + budget
    text = document.text
    for unit in ("lines", "characters"):
        pieces = text.splitlines(keepends=True) if unit == "lines" else list(text)
        size = max(1, len(pieces) // 2)
        while size >= 1 and time.monotonic() < deadline:
            candidates = ["".join(pieces[:start] + pieces[start + size:]) for start in range(0, len(pieces), size)]
            candidates = [candidate for candidate in candidates if candidate.strip()]
            trial = [Document(document.name, document.section, candidate) for candidate in candidates]
            shown = {finding.document.text for finding in evaluate(trial, housestyle, checks).findings
                     if finding.violation.kind == kind}
            smaller = [candidate for candidate in candidates if candidate in shown]
            if smaller:
                text = min(smaller, key=len)
                pieces = text.splitlines(keepends=True) if unit == "lines" else list(text)
                size = min(size, max(1, len(pieces) // 2))
            else:
                size //= 2
    return Document(document.name, document.section, text)


class Shrinker:
    """Shrinks shown examples with `minimize`, each within a time budget."""

    def __init__(self, housestyle: Housestyle, checks: Checks, budget: float):
        self.housestyle, self.checks, self.budget = housestyle, checks, budget

    def __call__(self, document: Document, kind: str) -> Document:
        return minimize(document, kind, self.housestyle, self.checks, self.budget)

    def outputs(self, document: Document) -> tuple[str | None, str | None]:
        """The first pass's output and the second's."""
        first = self.housestyle.rewrite([document.text])[0]
        if first.text is None:
            return None, None
        return first.text, self.housestyle.rewrite([first.text])[0].text


# Reporting ---------------------------------------------------------------------------------------

def excerpt(text: str, line: int, long: int = 12, context: int = 2) -> str:
    """The whole text when it is short, else the lines around `line`."""
    lines = text.splitlines(keepends=True)
    if len(lines) <= long or line <= 0:
        return repr(text) if len(lines) <= long else repr("".join(lines[:long])) + " ..."
    start, end = max(0, line - 1 - context), min(len(lines), line + context)
    return f"lines {start + 1}-{end}: {''.join(lines[start:end])!r}"


def report(findings: list[Finding], show: int, shrink: Shrinker | None) -> None:
    """A table of documents per kind, then the shortest `show` distinct inputs of each kind."""
    by_kind: dict[str, dict[str, Finding]] = collections.defaultdict(dict)
    for finding in sorted(findings, key=lambda finding: (len(finding.document.text), finding.document.name)):
        by_kind[finding.violation.kind].setdefault(finding.document.name, finding)
    print(f"\n{'kind':<18} {'documents':>9}  {'spec':>5}  {'repository':>10}  {'fuzz':>5}")
    for kind in KINDS:
        origin = collections.Counter(origin_of(name) for name in by_kind.get(kind, {}))
        print(f"{kind:<18} {sum(origin.values()):>9}  {origin['spec']:>5}  {origin['repository']:>10}  {origin['fuzz']:>5}")
    violating = {finding.document.name for finding in findings if finding.violation.kind in KINDS}
    print(f"{'total':<18} {len(violating):>9}  documents with a violation")
    for kind in NOTES:
        if by_kind.get(kind):
            print(f"{kind:<18} {len(by_kind[kind]):>9}  documents not compared: markdown-it parses them unlike cmark")
    for kind in KINDS:
        if not by_kind.get(kind) or show <= 0:
            continue
        distinct: dict[str, Finding] = {}  # the two specs share most examples: show each input once
        for finding in by_kind[kind].values():
            distinct.setdefault(finding.document.text, finding)
        print(f"\n== {kind}: {len(by_kind[kind])} documents, {len(distinct)} distinct inputs ==")
        for finding in list(distinct.values())[:show]:
            document, violation, output = finding.document, finding.violation, finding.output
            where = f" line {violation.line}" if violation.line else ""
            print(f"{document.name} ({document.section}){where}: {violation.detail}")
            print(f"  input:  {excerpt(document.text, violation.line)}")
            print(f"  output: {excerpt(output, violation.line) if output is not None else '(none)'}")
            if kind == "not-idempotent" and finding.again is not None:
                print(f"  again:  {excerpt(finding.again, violation.line)}")
            smaller = shrink(document, kind) if shrink else None
            if shrink and smaller and smaller.text != document.text:
                output, again = shrink.outputs(smaller)
                print(f"  minimal input:  {smaller.text!r}")
                print(f"  minimal output: {output!r}" + (f" -> again: {again!r}" if kind == "not-idempotent" else ""))


def origin_of(name: str) -> str:
    prefix = name.split(":", 1)[0]
    return "fuzz" if prefix == "fuzz" else "spec" if prefix in dict(SPEC_FILES) else "repository"


# Main --------------------------------------------------------------------------------------------

def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--housestyle", type=Path, default=ROOT / ".build" / "debug" / "housestyle",
                        help="the housestyle binary (default: .build/debug/housestyle)")
    parser.add_argument("--style", type=Path, default=ROOT / "scripts" / "conformance-style.yaml",
                        help="the style to rewrite with (default: scripts/conformance-style.yaml)")
    parser.add_argument("--spec-dir", type=Path, default=SPEC_DIR, help="folder of the spec files")
    parser.add_argument("--spec", action=argparse.BooleanOptionalAction, default=True,
                        help="check every CommonMark and GFM spec example (default: on)")
    parser.add_argument("--repository", action=argparse.BooleanOptionalAction, default=True,
                        help="check the repository's own Markdown and corpora (default: on)")
    parser.add_argument("--line-endings", action=argparse.BooleanOptionalAction, default=True,
                        help="also rewrite each document with CRLF and CR-only line endings (default: on)")
    parser.add_argument("--fuzz", type=int, default=0, metavar="N", help="also check N mutants of the spec examples")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the mutants (default: 1)")
    parser.add_argument("--fuzz-all-checks", action="store_true",
                        help="check mutants for everything, not only crashes, refusals and idempotence")
    parser.add_argument("--example", action="append", default=[], metavar="NAME",
                        help="check only this document (commonmark:12, gfm:7, docs/stages.md); repeatable")
    parser.add_argument("--referee", metavar="PROGRAM",
                        help="a CommonMark renderer (cmark-gfm, from Debian) that confirms each parse "
                             "difference: where it and markdown-it disagree on the input, the finding "
                             "becomes 'unsure'. For --fuzz-all-checks; markdown-it differs from cmark in "
                             "corners (lazy continuation lines in nested containers)")
    parser.add_argument("--show", type=int, default=3, metavar="N", help="examples shown per kind (default: 3)")
    parser.add_argument("--minimize", action="store_true", help="shrink each shown example to a minimal input")
    parser.add_argument("--timeout", type=float, default=10, metavar="SECONDS",
                        help="time a housestyle process may take, besides 10 ms per document (default: 10)")
    return parser.parse_args()


def main() -> int:
    options = arguments()
    started = time.monotonic()
    checks = Checks(line_endings=options.line_endings, referee=options.referee)
    examples: list[Document] = []
    if options.spec_dir.is_dir():
        for prefix, file in SPEC_FILES:
            examples += read_spec_examples(options.spec_dir / file, prefix)
    elif options.spec or options.fuzz:
        print(f"markdown-conformance: skipping the spec examples and the fuzz: no folder {options.spec_dir} "
              "(the CommonMark and GFM specification texts, see SOURCE.md there)")
    documents = examples if options.spec else []
    if options.repository:
        repository, skipped = read_repository_documents(ROOT)
        documents = documents + repository
        for message in skipped:
            print(f"markdown-conformance: skipping {message}")
    if options.example:
        documents = [document for document in documents if document.name in options.example]
    fuzzed = mutants(examples, options.fuzz, options.seed, style_words(options.style)) if examples else []
    try:
        with tempfile.TemporaryDirectory(prefix="hs-conformance-") as folder:
            binary = private_copy(options.housestyle.resolve(), Path(folder))
            housestyle = Housestyle(binary, options.style.resolve(), options.timeout)
            checked = evaluate(documents, housestyle, checks)
            fuzz_checks = checks if options.fuzz_all_checks else FUZZ_CHECKS
            fuzz = evaluate(fuzzed, housestyle, fuzz_checks) if fuzzed else Evaluation([], 0)
            findings = checked.findings + fuzz.findings
            origin = collections.Counter(origin_of(document.name) for document in documents)
            print(f"markdown-conformance: {options.housestyle} with {options.style}")
            print(f"  {origin['spec']} spec examples and {origin['repository']} repository documents "
                  f"({checked.changed} changed by the rewrite), {len(fuzzed)} mutants (seed {options.seed}, "
                  f"{fuzz.changed} changed); line endings {'LF, CRLF, CR' if checks.line_endings else 'LF'}; "
                  f"{housestyle.processes} housestyle processes, {time.monotonic() - started:.1f} s")
            shrink = Shrinker(housestyle, checks, budget=20) if options.minimize else None
            report(findings, options.show, shrink)
    except HarnessError as error:
        print(f"markdown-conformance: error: {error}", file=sys.stderr)
        return 2
    failed = any(finding.violation.kind in KINDS for finding in findings)
    print(f"\nmarkdown-conformance: {'FAIL' if failed else 'ok'} ({time.monotonic() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
