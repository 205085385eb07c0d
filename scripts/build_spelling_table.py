#!/usr/bin/env python3
"""Builds HouseStyle's en-GB <-> en-US spelling table from Debian's SCOWL word lists.

SCOWL (package `scowl`, /usr/share/dict/scowl) lists British-only and American-only words in
separate files. A pair is kept when an explicit variant rule (ise/ize, our/or, re/er, ll/l,
ogue/og, yse/yze, ae/e, oe/e, ence/ense, mme/m) maps the British word onto exactly one
American word of the lists. Words whose variant depends on meaning (practice/practise,
program/programme, ...) are never paired. Output: one `british<TAB>american` line a pair,
sorted, so the table is the same on every machine with the same SCOWL.

Usage: build_spelling_table.py OUTPUT [--scowl DIR] [--max-level N]
"""
import argparse
import os
import re
import sys

LEVELS = [10, 20, 35, 40, 50, 55, 60, 70]

# Words never changed automatically: the right spelling depends on meaning (or the word is
# simply different in the two varieties' everyday sense). Inflections are excluded too.
MEANING_DEPENDENT = """
practice practise program programme story storey draft draught license licence check cheque
tire tyre meter metre curb kerb disk disc ton tonne annex annexe prophecy prophesy advice advise
device devise dependant dependent ensure insure inquiry enquiry inquire enquire gaol jail plow plough
pajamas pyjamas mold mould smolder smoulder aging ageing judgment judgement acknowledgment
acknowledgement fulfil fulfill enrol enroll instil instill distil distill skilful skillful wilful willful
install instal
""".split()

RULES = [
    # (British suffix pattern, American replacement) applied at the end of the word.
    (r"isation(s?)$", r"ization\1"), (r"ise$", "ize"), (r"ises$", "izes"), (r"ised$", "ized"),
    (r"ising$", "izing"), (r"iser(s?)$", r"izer\1"), (r"isable$", "izable"),
    (r"yse$", "yze"), (r"yses$", "yzes"), (r"ysed$", "yzed"), (r"ysing$", "yzing"),
    (r"our(s?)$", r"or\1"), (r"oured$", "ored"), (r"ouring$", "oring"), (r"ourite(s?)$", r"orite\1"),
    (r"ourful$", "orful"), (r"ourless$", "orless"), (r"ourable$", "orable"), (r"ourably$", "orably"),
    (r"our(er|ers)$", r"or\1"),
    (r"tre(s?)$", r"ter\1"), (r"bre(s?)$", r"ber\1"), (r"tred$", "tered"), (r"bred$", "bered"),
    (r"lled$", "led"), (r"lling$", "ling"), (r"ller(s?)$", r"ler\1"),
    (r"ogue(s?)$", r"og\1"), (r"ogued$", "oged"),
    (r"ence(s?)$", r"ense\1"),
    (r"mme(s?)$", r"m\1"),
]
# Inside a word only: a final "ae"/"oe" is a Latin or Greek plural (patinae), not a variant.
INFIX_RULES = [("ae", "e"), ("oe", "e")]

# Pairs no suffix rule derives; kept only when both words are in the lists, like the rest.
EXPLICIT = {
    "grey": "gray", "greys": "grays", "greyed": "grayed", "greying": "graying",
    "aluminium": "aluminum", "manoeuvre": "maneuver", "manoeuvres": "maneuvers",
    "manoeuvred": "maneuvered", "manoeuvring": "maneuvering", "sceptic": "skeptic",
    "sceptics": "skeptics", "sceptical": "skeptical", "scepticism": "skepticism",
    "jewellery": "jewelry", "moustache": "mustache", "moustaches": "mustaches",
    "sulphur": "sulfur", "artefact": "artifact", "artefacts": "artifacts", "cosy": "cozy",
}


def inflections(word):
    forms = {word, word + "s", word + "es", word + "d", word + "ed", word + "ing", word + "r", word + "rs"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    return forms


def read_words(directory, prefix, max_level):
    words = set()
    for level in LEVELS:
        if level > max_level:
            break
        path = os.path.join(directory, f"{prefix}.{level}")
        if os.path.exists(path):
            with open(path, encoding="latin-1") as handle:
                words.update(line.strip() for line in handle if line.strip())
    return words


def candidates(word):
    found = set()
    for pattern, replacement in RULES:
        if re.search(pattern, word):
            found.add(re.sub(pattern, replacement, word))
    for british, american in INFIX_RULES:
        start = word.find(british)
        while start != -1 and start + len(british) < len(word):
            found.add(word[:start] + american + word[start + len(british):])
            start = word.find(british, start + 1)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--scowl", default="/usr/share/dict/scowl")
    parser.add_argument("--max-level", type=int, default=70)
    args = parser.parse_args()
    if not os.path.isdir(args.scowl):
        sys.exit(f"build_spelling_table: {args.scowl} not found; install the Debian package scowl")
    british = read_words(args.scowl, "british-words", args.max_level)
    american = read_words(args.scowl, "american-words", args.max_level)
    blocked = set()
    for word in MEANING_DEPENDENT:
        blocked |= inflections(word)
    pairs = {}
    for word in sorted(british):
        if word in blocked or not word.isalpha() or not word.islower():
            continue
        found = {EXPLICIT[word]} if word in EXPLICIT else candidates(word)
        matches = sorted(c for c in found if c in american and c not in blocked)
        if len(matches) == 1:
            pairs[word] = matches[0]
    # One-to-one only: an American word claimed by two British words is ambiguous.
    claimed = {}
    for gb, us in pairs.items():
        claimed.setdefault(us, []).append(gb)
    rows = sorted((gb, us) for gb, us in pairs.items() if len(claimed[us]) == 1)
    temporary = args.output + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        for gb, us in rows:
            handle.write(f"{gb}\t{us}\n")
    os.replace(temporary, args.output)
    print(f"build_spelling_table: {len(rows)} pairs -> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
