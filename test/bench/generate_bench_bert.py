#!/usr/bin/env python3
"""A real-size random-weight BERT (768 wide, 12 layers, bert-base-uncased's shapes) for `npm run bench`.

Writes OUT/{config.json, model.safetensors, onnx/model.onnx} from one set of weights: the safetensors
for Poolscope's weights route, and the ONNX export (torch.onnx, last_hidden_state, as optimum exports
feature-extraction models) for the transformers.js route, so both routes are timed on the same weights.
The bench copies a real bert-base-uncased tokenizer next to them from ../shared/model-assets.

    /usr/bin/python3 test/bench/generate_bench_bert.py OUT [--layers 12] [--hidden 768] [--seed 7]
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from generate_checkpoints import BertRef, safetensors_bytes  # noqa: E402


class LastHidden(torch.nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids)[0][-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--hidden", type=int, default=768)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    h = args.hidden
    cfg = {"model_type": "bert", "architectures": ["BertModel"], "vocab_size": 30522, "hidden_size": h,
           "num_hidden_layers": args.layers, "num_attention_heads": h // 64, "intermediate_size": 4 * h,
           "max_position_embeddings": 512, "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
           "pad_token_id": 0, "_poolscope_bench": f"random weights, seed {args.seed}; test/bench/generate_bench_bert.py"}
    torch.manual_seed(args.seed)
    model = BertRef(cfg).eval()
    with torch.no_grad():
        for p_ in model.parameters():
            if p_.dim() > 1:
                p_.normal_(0.0, 0.02)
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(args.out, "model.safetensors"), "wb") as f:
        f.write(safetensors_bytes(dict(model.state_dict())))
    ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102]])
    torch.onnx.export(
        LastHidden(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), os.path.join(args.out, "onnx", "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state"],
        dynamic_axes={k: {0: "batch_size", 1: "sequence_length"} for k in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")},
        opset_version=14, do_constant_folding=True,
    )
    print(f"wrote a {h}-wide, {args.layers}-layer random BERT to {args.out}")


if __name__ == "__main__":
    main()
