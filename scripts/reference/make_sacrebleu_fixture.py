#!/usr/bin/env python3
"""Writes Tests/HouseStyleTests/Fixtures/sacrebleu.json: small synthetic hypotheses and references
with sacreBLEU's corpus and sentence BLEU (13a, exp smoothing) and chrF (n=6, beta=2, word order 0),
and its 13a tokens, so that the Swift implementation is checked against the reference one.

Run once in a throwaway virtual environment; the output is committed:
    python3 -m venv /tmp/sbvenv && /tmp/sbvenv/bin/pip install sacrebleu==2.6.0
    /tmp/sbvenv/bin/python scripts/reference/make_sacrebleu_fixture.py Tests/HouseStyleTests/Fixtures/sacrebleu.json
"""
import json
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

# Each case: hypotheses, and per segment a list of references (one or more; may differ in number).
CASES = [
    ("punctuation and casing", [
        "The cat sat on the mat.",
        "Hello, world! How are you?",
        "it's a test -- isn't it?",
    ], [
        ["The cat is sitting on the mat."],
        ["hello, World! How are you doing?"],
        ["It's a test - isn't it?"],
    ]),
    ("numbers", [
        "The price rose 3.5% to $1,200.50 in 1990-2000.",
        "Call 555-0100 at 10:30, or 11.",
        "Version 2.0.1 shipped on 2024-03-05.",
    ], [
        ["The price rose by 3.5% to $1,200.50 in 1990-2000."],
        ["Call 555-0100 at 10:30 or at 11."],
        ["Version 2.0.1 was released on 2024-03-05."],
    ]),
    ("unicode", [
        "Café au lait costs 3 €, naïve “quotes” — dash…",
        "Straße und Größe: über 10 km.",
        "日本語のテキスト、です。",
        "e\u0301t\u00e9 a\u00a0b\u2009c 😀!",
    ], [
        ["Café au lait costs €3, naive \"quotes\" - dash...", "A café au lait costs 3 €."],
        ["Strasse und Grösse: über 10 km."],
        ["日本語のテキストです。"],
        ["\u00e9t\u00e9 a b c 😀 !"],
    ]),
    ("multiple references", [
        "He did not go to the market yesterday.",
        "She quickly ran home.",
        "We will not be coming back.",
        "The food was terrible and the service slow.",
    ], [
        ["He didn't go to the market yesterday.", "He did not go to market yesterday.", "Yesterday he stayed away from the market."],
        ["She ran home quickly.", "Quickly, she ran home."],
        ["We won't come back.", "We will not return."],
        ["The food was great and the service quick.", "Food was terrible; service was slow."],
    ]),
    ("variable number of references", [
        "this place is awful .",
        "the staff were rude to us .",
    ], [
        ["this place is great ."],
        ["the staff were friendly to us .", "the staff was very nice ."],
    ]),
    ("empty hypothesis", [
        "",
        "A short one.",
        "Another sentence with more words in it than the reference has.",
    ], [
        ["Something was here."],
        ["A short one."],
        ["Another sentence."],
    ]),
    ("entities, skipped and line-end hyphen", [
        "Fish &amp; chips &lt;b&gt; <skipped> well-\nknown &quot;dish&quot;",
        "x<y and a/b {c} [d] ~e~ `f` ^g^ _h_ |i| @j #k",
    ], [
        ["Fish & chips <b> well-known \"dish\""],
        ["x < y and a / b { c } [ d ] ~ e ~ ` f ` ^ g ^ _ h _ | i | @ j # k"],
    ]),
    ("periods and commas beside digits", [
        "a.b 1.b a.1 1,000. ,x x, ..., 3-4 a-b 5-",
        "Mr. Smith, Dr. Jones... and co.",
    ], [
        ["a . b 1 . b a . 1 1,000 . , x x , . . . , 3 - 4 a-b 5 -"],
        ["Mr Smith, Dr Jones and co."],
    ]),
]


def main(path):
    bleu = BLEU()
    sentence_bleu = BLEU(effective_order=True)
    chrf = CHRF()
    tokenizer = Tokenizer13a()
    cases = []
    for name, hypotheses, references in CASES:
        width = max(len(r) for r in references)
        streams = [[refs[i] if i < len(refs) else None for refs in references] for i in range(width)]
        cases.append({
            "name": name,
            "hypotheses": hypotheses,
            "references": references,
            "corpus_bleu": bleu.corpus_score(hypotheses, streams).score,
            "corpus_chrf": chrf.corpus_score(hypotheses, streams).score,
            "sentence_bleu": [sentence_bleu.sentence_score(h, r).score for h, r in zip(hypotheses, references)],
            "sentence_chrf": [chrf.sentence_score(h, r).score for h, r in zip(hypotheses, references)],
            "tokens_13a": [tokenizer(h.rstrip()).split() for h in hypotheses],
        })
    fixture = {
        "generator": "scripts/reference/make_sacrebleu_fixture.py",
        "sacrebleu_version": sacrebleu.__version__,
        "bleu_signature": str(bleu.get_signature()),
        "chrf_signature": str(chrf.get_signature()),
        "cases": cases,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/HouseStyleTests/Fixtures/sacrebleu.json")
