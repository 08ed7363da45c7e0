#!/usr/bin/env python3
"""Writes the SigLIP-style fixture of the encoders-onnx tests (src/test/resources/families/siglip):
a tiny random-weight two-tower model shaped like Hugging Face's SigLIP exports, with the embeddings
PyTorch computes for a few texts and two images.

What makes it SigLIP and not CLIP, each a thing the encoder must read from the files:
- images are resized to an exact square (preprocessor_config.json "size": {"height", "width"}, as
  SiglipImageProcessor writes it) with no centre crop and mean = std = 0.5;
- the text graph takes input_ids only (no attention_mask input), texts are padded to the context
  length with the end token, and the tokenizer adds only an end token ("$A </s>"), no start token;
- the tokenizer is a SentencePiece-style Unigram model with a Metaspace pre-tokenizer;
- pooling happens inside the graphs (text: the last position through a head; images: attention
  pooling with a learned probe), whose outputs are last_hidden_state and pooler_output, as in the
  split text_model.onnx / vision_model.onnx exports; a combined model.onnx (no mask input, outputs
  text_embeds / image_embeds) holds the same towers.

Seeded and deterministic; needs Debian's python3-torch, python3-onnx and python3-pil; runs in
seconds. The Java tests only read what it writes, they never run it. Run from anywhere:
  /usr/bin/python3 encoders-onnx/tools/make_siglip_fixture.py
"""
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The same transformer block (width 16), ONNX export and SHA256SUMS as the layout fixtures. SigLIP's
# towers attend bidirectionally and its exported text graph gets no mask: the blocks get bias 0.
from make_layout_fixtures import Block, export, write_sums  # noqa: E402
from make_layout_fixtures import WIDTH as BLOCK_WIDTH  # noqa: E402

SEED = 20261204
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "families", "siglip")
WIDTH = 16          # hidden size of both towers; SigLIP has no separate projection, so also the embedding size
CONTEXT = 16        # text context length (SigLIP's is 64)
IMAGE = 32          # square input size (SigLIP's is 224)
PATCH = 8
MEAN = [0.5, 0.5, 0.5]
STD = [0.5, 0.5, 0.5]
WORDS = ["a", "photo", "of", "red", "blue", "green", "cat", "dog", "circle", "square", "on", "the", "small", "big"]
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
TEXTS = ["a photo of a red cat", "blue square", "", "A BIG green circle on the small dog", "zebra",
         "a  cat", "red " * 30]  # "zebra" falls back to letters; the last one is truncated
SPACE = "\u2581"   # SentencePiece's word-boundary mark


# ----------------------------------------------------------------------------- tokenizer (Unigram)

def build_tokenizer():
    """SigLIP's ids for the specials (<pad> 0, </s> 1, <unk> 2), whole words, then single letters
    with distinct scores, so every text has exactly one best segmentation."""
    vocab = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], [SPACE, -9.0]]
    for i, w in enumerate(WORDS):
        vocab.append([SPACE + w, -3.0 - 0.01 * i])
    for i, c in enumerate(LETTERS):
        vocab.append([c, -10.0 - 0.01 * i])
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(["<pad>", "</s>", "<unk>"])]
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Lowercase"},
            {"type": "Replace", "pattern": {"String": " "}, "content": SPACE}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": SPACE, "add_prefix_space": True,
                          "prepend_scheme": "always", "split": True},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 0}},
                                    {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
        "decoder": {"type": "Metaspace", "replacement": SPACE, "add_prefix_space": True,
                    "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab, "byte_fallback": False},
    }
    return tok, vocab


def unigram_ids(text, vocab):
    """The ids the tokenizer.json above gives (without the end token): lower-case, then
    metaspace_unigram."""
    return metaspace_unigram(text.lower(), vocab, 3)


def metaspace_unigram(s, vocab, specials):
    """Metaspace then Unigram, as the tokenizers library runs them on normalized text `s`: spaces
    to the mark, a mark in front, split before each mark, then the best-scoring segmentation of
    each piece (Viterbi) over the vocabulary after its first `specials` entries. Every character
    of the fixtures' texts is in the vocabulary, and scores are distinct, so the best is unique."""
    score = {p: sc for p, sc in vocab[specials:]}
    index = {p: i for i, (p, _) in enumerate(vocab)}
    s = s.replace(" ", SPACE)
    if not s:
        return []
    if not s.startswith(SPACE):
        s = SPACE + s
    pieces, cur = [], ""
    for ch in s:
        if ch == SPACE and cur:
            pieces.append(cur)
            cur = ""
        cur += ch
    pieces.append(cur)
    ids = []
    for p in pieces:
        best = [(-math.inf, None)] * (len(p) + 1)
        best[0] = (0.0, None)
        for end in range(1, len(p) + 1):
            for start in range(end):
                sub = p[start:end]
                if sub in score and best[start][0] > -math.inf and best[start][0] + score[sub] > best[end][0]:
                    best[end] = (best[start][0] + score[sub], start)
        assert best[len(p)][0] > -math.inf, p
        seg, end = [], len(p)
        while end > 0:
            seg.append(p[best[end][1]:end])
            end = best[end][1]
        ids += [index[t] for t in reversed(seg)]
    return ids


def tokenize(text, vocab):
    """SigLIP's processor: truncate to the context with the end token kept, pad with </s>."""
    ids = unigram_ids(text, vocab)[:CONTEXT - 1] + [1]
    return ids + [1] * (CONTEXT - len(ids))


# ----------------------------------------------------------------------------- model

class TextTower(torch.nn.Module):
    """SiglipTextTransformer in small: the last position's state through a linear head."""

    def __init__(self, vocab_size):
        super().__init__()
        self.tok = torch.nn.Embedding(vocab_size, WIDTH)
        self.pos = torch.nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.1)
        self.block = Block()
        self.ln = torch.nn.LayerNorm(WIDTH)
        self.head = torch.nn.Linear(WIDTH, WIDTH)

    def forward(self, input_ids):
        n = input_ids.shape[1]
        x = self.ln(self.block(self.tok(input_ids) + self.pos[:n], 0.0))
        return x, self.head(x[:, -1, :])


class VisionTower(torch.nn.Module):
    """SiglipVisionTransformer in small: patches, no class token, attention-pooling head."""

    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, WIDTH, PATCH, PATCH)
        self.pos = torch.nn.Parameter(torch.randn((IMAGE // PATCH) ** 2, WIDTH) * 0.1)
        self.block = Block()
        self.ln = torch.nn.LayerNorm(WIDTH)
        self.probe = torch.nn.Parameter(torch.randn(1, 1, WIDTH))
        self.q = torch.nn.Linear(WIDTH, WIDTH)
        self.kv = torch.nn.Linear(WIDTH, 2 * WIDTH)
        self.o = torch.nn.Linear(WIDTH, WIDTH)
        self.head_ln = torch.nn.LayerNorm(WIDTH)
        self.head_mlp = torch.nn.Sequential(torch.nn.Linear(WIDTH, 2 * WIDTH), torch.nn.GELU(), torch.nn.Linear(2 * WIDTH, WIDTH))

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2) + self.pos
        x = self.ln(self.block(x, 0.0))
        q = self.q(self.probe.expand(x.shape[0], 1, WIDTH))
        k, v = self.kv(x).chunk(2, dim=-1)
        p = self.o(torch.softmax(q @ k.transpose(1, 2) / (WIDTH ** 0.5), dim=-1) @ v)
        p = p + self.head_mlp(self.head_ln(p))
        return x, p[:, 0]


class Combined(torch.nn.Module):
    """Like the combined SigLIP export: both towers, normalized embeds, logits with scale and bias."""

    def __init__(self, text, vision):
        super().__init__()
        self.text = text
        self.vision = vision

    def forward(self, input_ids, pixel_values):
        t = self.text(input_ids)[1]
        i = self.vision(pixel_values)[1]
        t = t / t.norm(dim=-1, keepdim=True)
        i = i / i.norm(dim=-1, keepdim=True)
        logits_per_text = 10.0 * t @ i.T - 10.0
        return logits_per_text.T, logits_per_text, t, i


# ----------------------------------------------------------------------------- preprocessing

def preprocess(img):
    """SiglipImageProcessor with Pillow: convert RGB, resize to IMAGE x IMAGE (bicubic, no crop),
    rescale in float64 then float32, normalize with 0.5 / 0.5."""
    img = img.convert("RGB").resize((IMAGE, IMAGE), resample=Image.BICUBIC, reducing_gap=None)
    a = (np.asarray(img).astype(np.float64) * (1 / 255.0)).astype(np.float32)
    a = (a - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    return a.transpose(2, 0, 1).astype(np.float32)


def main():
    assert BLOCK_WIDTH == WIDTH
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    tok, vocab = build_tokenizer()
    text = TextTower(len(vocab)).eval()
    vision = VisionTower().eval()
    shutil.rmtree(OUT, ignore_errors=True)
    for d in ["split/onnx", "combined", "expected"]:
        os.makedirs(os.path.join(OUT, d))

    # Two images: a wide one (60x45 gradient with a disc) and a tall one (21x50 stripes); both are
    # squashed to a square, which a CLIP-style crop would not do.
    yy, xx = np.mgrid[0:45, 0:60]
    wide = np.stack([(xx * 4) % 256, (yy * 5) % 256, ((xx + yy) * 3) % 256], axis=-1).astype(np.uint8)
    wide[((xx - 30) ** 2 + (yy - 20) ** 2) < 100] = [220, 30, 30]
    yy, xx = np.mgrid[0:50, 0:21]
    tall = np.stack([(yy * 9) % 256, (xx * 12) % 256, np.where((yy // 5) % 2 == 0, 240, 20)], axis=-1).astype(np.uint8)
    images = {"wide.png": wide, "tall.png": tall}
    for name, arr in images.items():
        Image.fromarray(arr).save(os.path.join(OUT, "expected", name))

    config = {"_name_or_path": "tessera/siglip-fixture", "model_type": "siglip",
              "text_config": {"model_type": "siglip_text_model", "max_position_embeddings": CONTEXT,
                              "hidden_size": WIDTH, "vocab_size": len(vocab), "pad_token_id": 1, "eos_token_id": 1},
              "vision_config": {"model_type": "siglip_vision_model", "image_size": IMAGE, "patch_size": PATCH,
                                "hidden_size": WIDTH}}
    # As SiglipImageProcessor.save_pretrained writes it: no crop_size, no do_center_crop.
    pre = {"do_convert_rgb": None, "do_normalize": True, "do_rescale": True, "do_resize": True,
           "image_mean": MEAN, "image_processor_type": "SiglipImageProcessor", "image_std": STD,
           "processor_class": "SiglipProcessor", "resample": 3, "rescale_factor": 0.00392156862745098,
           "size": {"height": IMAGE, "width": IMAGE}}
    tokenizer_config = {"model_max_length": CONTEXT, "pad_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>",
                        "tokenizer_class": "SiglipTokenizer", "do_lower_case": True}

    ids_dummy = torch.tensor([tokenize("a cat", vocab)] * 2)
    pix_dummy = torch.zeros(2, 3, IMAGE, IMAGE)
    with torch.no_grad():
        export(text, (ids_dummy,), os.path.join(OUT, "split/onnx/text_model.onnx"), ["input_ids"],
               ["last_hidden_state", "pooler_output"],
               {"input_ids": {0: "batch_size", 1: "sequence_length"}, "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
                "pooler_output": {0: "batch_size"}})
        export(vision, (pix_dummy,), os.path.join(OUT, "split/onnx/vision_model.onnx"), ["pixel_values"],
               ["last_hidden_state", "pooler_output"],
               {"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}, "pooler_output": {0: "batch_size"}})
        export(Combined(text, vision), (ids_dummy, pix_dummy), os.path.join(OUT, "combined/model.onnx"),
               ["input_ids", "pixel_values"], ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
               {"input_ids": {0: "text_batch_size", 1: "sequence_length"}, "pixel_values": {0: "image_batch_size"},
                "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"},
                "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
                "text_embeds": {0: "text_batch_size"}, "image_embeds": {0: "image_batch_size"}})
        for d in ["split", "combined"]:
            for name, obj in [("config.json", config), ("preprocessor_config.json", pre),
                              ("tokenizer_config.json", tokenizer_config), ("tokenizer.json", tok)]:
                with open(os.path.join(OUT, d, name), "w", encoding="utf-8") as f:
                    json.dump(obj, f, indent=2, ensure_ascii=False)
            write_sums(os.path.join(OUT, d))

        ids = torch.tensor([tokenize(t, vocab) for t in TEXTS])
        t_emb = text(ids)[1]
        t_emb = t_emb / t_emb.norm(dim=-1, keepdim=True)
        entries = []
        i_embs = []
        for name in images:
            x = preprocess(Image.open(os.path.join(OUT, "expected", name)))
            stem = name.rsplit(".", 1)[0]
            x.astype("<f4").tofile(os.path.join(OUT, "expected", stem + ".pixel_values.f32"))
            e = vision(torch.from_numpy(x[None]))[1]
            i_embs.append((e / e.norm(dim=-1, keepdim=True))[0].tolist())
            entries.append({"file": name, "pixel_values": stem + ".pixel_values.f32"})
        expected = {"seed": SEED, "generated_by": "encoders-onnx/tools/make_siglip_fixture.py",
                    "context_length": CONTEXT, "image_size": IMAGE,
                    "texts": TEXTS, "token_ids": ids.tolist(), "text_embeds": t_emb.tolist(),
                    "images": entries, "image_embeds": i_embs,
                    "note": "embeddings are PyTorch's pooler outputs, L2-normalized; pixel_values are "
                            "little-endian float32 [3, %d, %d]" % (IMAGE, IMAGE)}
        with open(os.path.join(OUT, "expected", "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT) for f in fs)
    print("wrote", OUT, total, "bytes")


if __name__ == "__main__":
    main()
