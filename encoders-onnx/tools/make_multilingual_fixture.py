#!/usr/bin/env python3
"""Writes the multilingual fixture of the encoders-onnx tests (src/test/resources/families/
multilingual): a tiny random-weight model shaped like Multilingual-CLIP (M-CLIP) exports, with the
embeddings PyTorch computes for texts in several languages and one image.

What makes it multilingual CLIP and not CLIP, each a thing the encoder must read from the files:
- an XLM-R-style SentencePiece tokenizer.json: NFKC, runs of spaces collapsed, Metaspace, a Unigram
  model over pieces of several scripts, "<s> $A </s>" (ids 0 and 2), no lower-casing;
- padding with "<pad>" (id 1), named only by tokenizer_config.json's pad_token (tokenizer.json has
  "padding": null, as XLM-R's does), and the context length only by its model_max_length;
- an XLM-R-style text tower (position ids counted from the padding id, attention over the mask)
  with mean pooling over the attention mask and its own linear projection into the image space,
  inside text_model.onnx; the vision tower is the CLIP-shaped one of the layout fixtures.

Seeded and deterministic; needs Debian's python3-torch, python3-onnx and python3-pil; runs in
seconds. The Java tests only read what it writes, they never run it. Run from anywhere:
  /usr/bin/python3 encoders-onnx/tools/make_multilingual_fixture.py
"""
import json
import os
import shutil
import sys
import unicodedata

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The CLIP-shaped vision tower, its preprocessing, the transformer block (width 16), the ONNX export
# and SHA256SUMS of the layout fixtures.
from make_layout_fixtures import Block, VisionTower, export, preprocess, write_sums  # noqa: E402
from make_layout_fixtures import EMBED, IMAGE, MEAN, STD, WIDTH  # noqa: E402
from make_siglip_fixture import SPACE, metaspace_unigram  # noqa: E402  (Metaspace + Unigram Viterbi)

SEED = 20261205
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "families", "multilingual")
CONTEXT = 16
PAD = 1
WORDS = ["a", "photo", "of", "red", "cat", "un", "chat", "rouge", "eine", "rote", "Katze", "кот", "красный",
         "猫", "一只", "红色", "的", "café", "gato", "rojo"]
CHARS = sorted(set("".join(WORDS)) | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
TEXTS = ["a photo of a red cat", "un chat rouge", "eine rote Katze", "красный кот", "一只红色的猫", "un gato rojo",
         "", "Café  au lait", "ｃａｔ", "cat " * 30]  # fullwidth letters go through NFKC; the last is truncated


def build_tokenizer():
    vocab = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], [SPACE, -9.0]]
    for i, w in enumerate(WORDS):
        vocab.append([SPACE + w, -3.0 - 0.01 * i])
    for i, w in enumerate(["一只", "红色", "的", "猫"]):      # Chinese has no spaces between words
        vocab.append([w, -3.5 - 0.01 * i])
    for i, c in enumerate(CHARS):
        vocab.append([c, -10.0 - 0.01 * i])
    seen, unique = set(), []
    for p, s in vocab:
        if p not in seen:
            seen.add(p)
            unique.append([p, s])
    vocab = unique
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(["<s>", "<pad>", "</s>", "<unk>"])]
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": SPACE, "add_prefix_space": True,
                          "prepend_scheme": "always", "split": True},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                    {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 0}},
                                    {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                                              "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}},
        "decoder": {"type": "Metaspace", "replacement": SPACE, "add_prefix_space": True,
                    "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False},
    }
    return tok, vocab


def unigram_ids(text, vocab):
    """NFKC, runs of spaces to one, then Metaspace and Unigram (the SigLIP fixture's code)."""
    s = unicodedata.normalize("NFKC", text)
    while "  " in s:
        s = s.replace("  ", " ")
    return metaspace_unigram(s, vocab, 4)


def tokenize(text, vocab):
    """XLM-R with truncation and padding="max_length": <s>, tokens, </s>, then <pad>."""
    ids = [0] + unigram_ids(text, vocab)[:CONTEXT - 2] + [2]
    mask = [1] * len(ids) + [0] * (CONTEXT - len(ids))
    return ids + [PAD] * (CONTEXT - len(ids)), mask


class TextTower(torch.nn.Module):
    """XLM-R in small, mean-pooled over the mask, then M-CLIP's linear projection."""

    def __init__(self, vocab_size):
        super().__init__()
        self.tok = torch.nn.Embedding(vocab_size, WIDTH)
        self.pos = torch.nn.Embedding(CONTEXT + 2, WIDTH)
        self.block = Block()
        self.ln = torch.nn.LayerNorm(WIDTH)
        self.proj = torch.nn.Linear(WIDTH, EMBED)

    def forward(self, input_ids, attention_mask):
        keep = (input_ids != PAD).to(torch.int64)
        positions = torch.cumsum(keep, dim=1) * keep + PAD     # XLM-R's create_position_ids_from_input_ids
        x = self.tok(input_ids) + self.pos(positions)
        m = attention_mask.to(torch.float32)
        x = self.ln(self.block(x, (1.0 - m)[:, None, :] * -1e4))
        pooled = (x * m[:, :, None]).sum(dim=1) / m.sum(dim=1, keepdim=True)
        return self.proj(pooled)


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    tok, vocab = build_tokenizer()
    text = TextTower(len(vocab)).eval()
    vision = VisionTower().eval()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "model"))
    os.makedirs(os.path.join(OUT, "expected"))

    yy, xx = np.mgrid[0:45, 0:60]
    arr = np.stack([(xx * 4) % 256, (yy * 5) % 256, ((xx + yy) * 3) % 256], axis=-1).astype(np.uint8)
    arr[((xx - 30) ** 2 + (yy - 20) ** 2) < 100] = [220, 30, 30]
    Image.fromarray(arr).save(os.path.join(OUT, "expected", "image.png"))

    # As M-CLIP's config.json: its own model type, no text_config (so no context length in it).
    config = {"_name_or_path": "tessera/mclip-fixture", "model_type": "M-CLIP", "modelBase": "xlm-roberta-fixture",
              "transformerDimensions": WIDTH, "numDims": EMBED}
    pre = {"crop_size": {"height": IMAGE, "width": IMAGE}, "do_center_crop": True, "do_convert_rgb": True,
           "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": MEAN, "image_std": STD,
           "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 40},
           "image_processor_type": "CLIPImageProcessor"}
    tokenizer_config = {"model_max_length": CONTEXT, "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>",
                        "unk_token": "<unk>", "cls_token": "<s>", "sep_token": "</s>",
                        "tokenizer_class": "XLMRobertaTokenizer"}
    ids_dummy = torch.tensor([tokenize("a cat", vocab)[0]] * 2)
    mask_dummy = torch.tensor([tokenize("a cat", vocab)[1]] * 2)
    with torch.no_grad():
        export(text, (ids_dummy, mask_dummy), os.path.join(OUT, "model", "text_model.onnx"),
               ["input_ids", "attention_mask"], ["text_embeds"],
               {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                "text_embeds": {0: "batch"}})
        export(vision, (torch.zeros(2, 3, IMAGE, IMAGE),), os.path.join(OUT, "model", "vision_model.onnx"),
               ["pixel_values"], ["image_embeds"], {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})
        for name, obj in [("config.json", config), ("preprocessor_config.json", pre),
                          ("tokenizer_config.json", tokenizer_config), ("tokenizer.json", tok)]:
            with open(os.path.join(OUT, "model", name), "w", encoding="utf-8") as f:
                json.dump(obj, f, indent=2, ensure_ascii=False)
        write_sums(os.path.join(OUT, "model"))

        toks = [tokenize(t, vocab) for t in TEXTS]
        t_emb = text(torch.tensor([t[0] for t in toks]), torch.tensor([t[1] for t in toks]))
        t_emb = t_emb / t_emb.norm(dim=-1, keepdim=True)
        px = preprocess(Image.open(os.path.join(OUT, "expected", "image.png")), 40, IMAGE, False)
        i_emb = vision(torch.from_numpy(px))
        i_emb = i_emb / i_emb.norm(dim=-1, keepdim=True)
        expected = {"seed": SEED, "generated_by": "encoders-onnx/tools/make_multilingual_fixture.py",
                    "context_length": CONTEXT, "texts": TEXTS, "token_ids": [t[0] for t in toks],
                    "attention_mask": [t[1] for t in toks], "text_embeds": t_emb.tolist(),
                    "image": "image.png", "image_embeds": i_emb.tolist()}
        with open(os.path.join(OUT, "expected", "expected.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, indent=1, ensure_ascii=False)
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT) for f in fs)
    print("wrote", OUT, total, "bytes")


if __name__ == "__main__":
    main()
