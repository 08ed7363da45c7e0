#!/usr/bin/python3
"""Make Tessera's tiny CLIP: synthetic data, training, ONNX export, references.

Run from the repository root:   /usr/bin/python3 tools/tiny-clip/make_tiny_clip.py

Needs only Debian's python3-torch (1.13), python3-onnx (1.12), python3-pil (9.4)
and python3-numpy. No network. Seeded and single-process (2 torch threads), so a
second run writes the same files. See README.md beside this file for the rules.
"""
import argparse
import hashlib
import io
import json
import math
import os
import random
import sys
import time
import unicodedata

import numpy as np
from PIL import Image, ImageDraw, ImageOps

import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20240611
THREADS = 2

# ----------------------------------------------------------------------------
# Synthetic world: shapes x colours x backgrounds x sizes x positions
# ----------------------------------------------------------------------------
SHAPES = ["circle", "square", "triangle", "star", "cross", "ring", "diamond", "hexagon"]
COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 160, 50),
    "blue": (30, 70, 220),
    "yellow": (240, 210, 30),
    "orange": (245, 130, 20),
    "purple": (130, 50, 180),
    "pink": (240, 120, 190),
    "cyan": (30, 200, 210),
}
BACKGROUNDS = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "gray": (128, 128, 128),
}
SIZES = {"small": 0.16, "large": 0.30}   # radius r as a fraction of S = min(width, height)
SAFE = 0.86                              # side of the central square (fraction of S) that holds the whole shape

# {article} is "an" before a word starting with a vowel (a, e, i, o, u), else "a".
TEMPLATES = [
    "{a} {size} {colour} {shape} on {a2} {bg} background",
    "a photo of {a} {size} {colour} {shape}",
    "{a} {colour} {shape}",
    "a picture of {a} {colour} {shape} on {bg}",
    "{size} {colour} {shape}, {bg} background",
    "an image of {a} {size} {colour} {shape} on {a2} {bg} background",
    "the {shape} is {colour}",
    "a drawing of a {shape}",
    "{a} {colour} shape on {a2} {bg} background",
    "a {size} {shape} in {colour}",
]
# which attributes each template states (the others are left open)
TEMPLATE_ATTRS = [
    ("size", "colour", "shape", "bg"),
    ("size", "colour", "shape"),
    ("colour", "shape"),
    ("colour", "shape", "bg"),
    ("size", "colour", "shape", "bg"),
    ("size", "colour", "shape", "bg"),
    ("colour", "shape"),
    ("shape",),
    ("colour", "bg"),
    ("size", "colour", "shape"),
]
FULL_TEMPLATE = 0  # captions of the held-out retrieval set

# Words the tokenizer knows as whole tokens (template words, attributes, and a few more).
EXTRA_WORDS = ["big", "tiny", "with", "and", "in", "this", "is", "there", "shows", "colored",
               "plain", "simple", "center", "left", "right", "top", "bottom", "corner", "dark",
               "light", "bright", "one", "two", "three", "shapes", "circles", "squares", "stars",
               "it", "of", "what", "a", "an", "the", "photo", "picture", "image", "drawing",
               "background", "shape", "on"]


def article(word):
    return "an" if word[0] in "aeiou" else "a"


def caption(template_index, size, colour, shape, bg):
    first = {
        0: size, 1: size, 2: colour, 3: colour, 5: size, 8: colour,
    }.get(template_index, "x")
    return TEMPLATES[template_index].format(a=article(first), a2=article(bg), size=size,
                                            colour=colour, shape=shape, bg=bg)


def rnd(v):
    """Round half up to an int pixel coordinate (the Java port does Math.floor(v + 0.5))."""
    return int(math.floor(v + 0.5))


def shape_polygon(shape, cx, cy, r):
    """Vertices (ints) of the filled polygon for a polygon shape, angles in degrees, y down."""
    def pts(radii_angles):
        return [(rnd(cx + rr * math.cos(math.radians(a))), rnd(cy + rr * math.sin(math.radians(a))))
                for rr, a in radii_angles]
    if shape == "square":
        h = 0.85 * r
        return [(rnd(cx - h), rnd(cy - h)), (rnd(cx + h), rnd(cy - h)),
                (rnd(cx + h), rnd(cy + h)), (rnd(cx - h), rnd(cy + h))]
    if shape == "triangle":
        return pts([(r, -90), (r, 30), (r, 150)])
    if shape == "star":
        return pts([(r if i % 2 == 0 else 0.45 * r, -90 + 36 * i) for i in range(10)])
    if shape == "diamond":
        return [(rnd(cx), rnd(cy - r)), (rnd(cx + 0.75 * r), rnd(cy)),
                (rnd(cx), rnd(cy + r)), (rnd(cx - 0.75 * r), rnd(cy))]
    if shape == "hexagon":
        return pts([(r, 60 * i) for i in range(6)])
    if shape == "cross":
        w = 0.3 * r
        xs = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w),
              (-r, w), (-r, -w), (-w, -w)]
        return [(rnd(cx + dx), rnd(cy + dy)) for dx, dy in xs]
    raise ValueError(shape)


def draw_scene(width, height, shape, colour, bg, size, u, v, jitter=(0, 0, 0)):
    """Draw one scene. u, v in [0, 1] place the shape's centre inside the safe box."""
    s = min(width, height)
    r = SIZES[size] * s
    side = SAFE * s
    x0 = (width - side) / 2.0 + r
    y0 = (height - side) / 2.0 + r
    cx = x0 + u * (side - 2 * r)
    cy = y0 + v * (side - 2 * r)
    fill = tuple(max(0, min(255, c + j)) for c, j in zip(COLOURS[colour], jitter))
    bgc = BACKGROUNDS[bg]
    img = Image.new("RGB", (width, height), bgc)
    d = ImageDraw.Draw(img)
    if shape == "circle":
        d.ellipse([rnd(cx - r), rnd(cy - r), rnd(cx + r), rnd(cy + r)], fill=fill)
    elif shape == "ring":
        d.ellipse([rnd(cx - r), rnd(cy - r), rnd(cx + r), rnd(cy + r)], fill=fill)
        ri = 0.55 * r
        d.ellipse([rnd(cx - ri), rnd(cy - ri), rnd(cx + ri), rnd(cy + ri)], fill=bgc)
    else:
        d.polygon(shape_polygon(shape, cx, cy, r), fill=fill)
    return img


ALL_COMBOS = [(sh, co, bg, sz) for sh in SHAPES for co in COLOURS for bg in BACKGROUNDS for sz in SIZES]
TRAIN_CANVASES = [(80, 80), (96, 80), (80, 96), (128, 96), (72, 72), (100, 100)]

# ----------------------------------------------------------------------------
# Tokenizer: CLIP's tokenizer.json structure over our own small vocabulary
# ----------------------------------------------------------------------------
CONTEXT_LENGTH = 16
SOT = "<|startoftext|>"
EOT = "<|endoftext|>"
SPLIT_PATTERN = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]"
                 r"|[^\s\p{L}\p{N}]+")
# Unicode White_Space (what \s means in the Rust regex crate)
WHITESPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | \
    {chr(c) for c in range(0x2000, 0x200B)}


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()


def _is_letter(c):
    return unicodedata.category(c).startswith("L")


def _is_number(c):
    return unicodedata.category(c).startswith("N")


def normalize(text):
    text = unicodedata.normalize("NFC", text)
    out, i = [], 0
    while i < len(text):                 # Replace(Regex \s+ -> " ")
        if text[i] in WHITESPACE:
            while i < len(text) and text[i] in WHITESPACE:
                i += 1
            out.append(" ")
        else:
            out.append(text[i])
            i += 1
    return "".join(out).lower()


def pre_split(text):
    """The matches of SPLIT_PATTERN, left to right (Split with invert=true, behavior Removed)."""
    pieces, i, n = [], 0, len(text)
    while i < n:
        matched = None
        for lit in (SOT, EOT, "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"):
            if text.startswith(lit, i):
                matched = lit
                break
        if matched is None:
            c = text[i]
            j = i + 1
            if _is_letter(c):
                while j < n and _is_letter(text[j]):
                    j += 1
                matched = text[i:j]
            elif _is_number(c):
                matched = c
            elif c not in WHITESPACE:
                while j < n and not (_is_letter(text[j]) or _is_number(text[j]) or text[j] in WHITESPACE):
                    j += 1
                matched = text[i:j]
        if matched is None:
            i += 1
        else:
            pieces.append(matched)
            i += len(matched)
    return pieces


class Tokenizer:
    def __init__(self, words):
        base = list(BYTE_ENCODER.values())
        vocab = base + [c + "</w>" for c in base]
        # learn BPE merges on the word list until every word is one token
        corpus = []
        for w in sorted(set(words)):
            sym = [BYTE_ENCODER[b] for b in w.encode("utf-8")]
            sym[-1] += "</w>"
            corpus.append(sym)
        merges = []
        while True:
            counts = {}
            for sym in corpus:
                for a, b in zip(sym, sym[1:]):
                    counts[(a, b)] = counts.get((a, b), 0) + 1
            if not counts:
                break
            # the most frequent pair; ties go to the smallest pair of strings
            top = max(counts.values())
            best = min(p for p, c in counts.items() if c == top)
            merges.append(best)
            vocab.append(best[0] + best[1])
            new_corpus = []
            for sym in corpus:
                out, k = [], 0
                while k < len(sym):
                    if k + 1 < len(sym) and (sym[k], sym[k + 1]) == best:
                        out.append(sym[k] + sym[k + 1])
                        k += 2
                    else:
                        out.append(sym[k])
                        k += 1
                new_corpus.append(out)
            corpus = new_corpus
        vocab += [SOT, EOT]
        assert len(set(vocab)) == len(vocab)
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.merges = merges
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.sot_id = self.vocab[SOT]
        self.eot_id = self.vocab[EOT]
        for w in set(words):
            assert len(self.bpe(w)) == 1, (w, self.bpe(w))

    def bpe(self, piece):
        """HF BPE on one pre-token: lowest merge rank first, leftmost on ties."""
        sym = [BYTE_ENCODER[b] for b in piece.encode("utf-8")]
        sym[-1] += "</w>"
        while len(sym) > 1:
            best, pos = None, -1
            for k in range(len(sym) - 1):
                r = self.ranks.get((sym[k], sym[k + 1]))
                if r is not None and (best is None or r < best):
                    best, pos = r, k
            if best is None:
                break
            sym = sym[:pos] + [sym[pos] + sym[pos + 1]] + sym[pos + 2:]
        return sym

    def encode(self, text):
        """ids and attention mask exactly as the tokenizer.json does (truncate, add specials, pad)."""
        ids = []
        for piece in pre_split(normalize(text)):
            if piece in (SOT, EOT):
                ids.append(self.vocab[piece])
                continue
            ids += [self.vocab[t] for t in self.bpe(piece)]
        ids = [self.sot_id] + ids[:CONTEXT_LENGTH - 2] + [self.eot_id]
        mask = [1] * len(ids) + [0] * (CONTEXT_LENGTH - len(ids))
        ids = ids + [self.eot_id] * (CONTEXT_LENGTH - len(ids))
        return ids, mask

    def to_json(self):
        added = []
        for t in (SOT, EOT):
            added.append({"id": self.vocab[t], "content": t, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True})
        return {
            "version": "1.0",
            "truncation": {"direction": "Right", "max_length": CONTEXT_LENGTH,
                           "strategy": "LongestFirst", "stride": 0},
            "padding": {"strategy": {"Fixed": CONTEXT_LENGTH}, "direction": "Right",
                        "pad_to_multiple_of": None, "pad_id": self.eot_id, "pad_type_id": 0,
                        "pad_token": EOT},
            "added_tokens": added,
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": SPLIT_PATTERN}, "behavior": "Removed",
                 "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                 "use_regex": False}]},
            "post_processor": {"type": "RobertaProcessing", "sep": [EOT, self.eot_id],
                               "cls": [SOT, self.sot_id], "trim_offsets": False,
                               "add_prefix_space": False},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                        "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": EOT,
                      "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
                      "fuse_unk": False, "byte_fallback": False, "vocab": self.vocab,
                      "merges": [a + " " + b for a, b in self.merges]},
        }


# ----------------------------------------------------------------------------
# Image preprocessing exactly as HF CLIPImageProcessor (PIL path)
# ----------------------------------------------------------------------------
RESIZE_SHORTEST = 72
CROP = 64
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


def load_image(path):
    """What transformers' load_image does: open, apply EXIF orientation, then the processor
    converts with Image.convert("RGB") (alpha dropped, not composited)."""
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    return img


def resize_crop_u8(img):
    """convert RGB, shortest edge -> 72 (bicubic, PIL), centre crop 64: uint8 HWC."""
    if img.mode != "RGB":
        img = img.convert("RGB")
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = RESIZE_SHORTEST, int(RESIZE_SHORTEST * long / short)
    oh, ow = (new_long, new_short) if w <= h else (new_short, new_long)
    img = img.resize((ow, oh), resample=Image.BICUBIC, reducing_gap=None)
    a = np.asarray(img, dtype=np.uint8)
    top = (oh - CROP) // 2
    left = (ow - CROP) // 2
    return a[top:top + CROP, left:left + CROP, :]


def normalize_u8(a):
    """uint8 HWC (or NHWC) -> float32 CHW (or NCHW): rescale 1/255 then (x - mean) / std."""
    x = a.astype(np.float64) * (1 / 255)
    x = x.astype(np.float32)
    x = (x - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)
    return np.ascontiguousarray(np.moveaxis(x, -1, -3).astype(np.float32))


def preprocess(img):
    return normalize_u8(resize_crop_u8(img))


# ----------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------
DIM = 64        # projection dim
WIDTH = 64      # text width
HEADS = 4
LAYERS = 2


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)

    def forward(self, x, bias):
        b, t, d = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d // self.heads)) + bias
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, t, d)
        x = x + self.out(y)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class TextTower(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, WIDTH)
        self.pos = nn.Parameter(torch.randn(CONTEXT_LENGTH, WIDTH) * 0.02)
        self.blocks = nn.ModuleList([Block(WIDTH, HEADS) for _ in range(LAYERS)])
        self.ln = nn.LayerNorm(WIDTH)
        self.proj = nn.Linear(WIDTH, DIM, bias=False)
        causal = torch.full((CONTEXT_LENGTH, CONTEXT_LENGTH), -1e4).triu(1)
        self.register_buffer("causal", causal)

    def forward(self, input_ids, attention_mask):
        t = input_ids.shape[1]
        x = self.tok(input_ids) + self.pos[:t]
        keymask = (1.0 - attention_mask.to(torch.float32)) * -1e4       # [b, t]
        bias = self.causal[:t, :t].unsqueeze(0).unsqueeze(0) + keymask[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, bias)
        x = self.ln(x)
        # CLIP: features at the end token, the highest id (argmax, first occurrence)
        end = input_ids.to(torch.int32).argmax(dim=-1)
        x = x[torch.arange(x.shape[0]), end]
        return self.proj(x)


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class VisionTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv_bn(3, 24, 2), conv_bn(24, 48, 2), conv_bn(48, 64, 2),
                                  conv_bn(64, 96, 2), conv_bn(96, 128, 1))
        self.proj = nn.Linear(128, DIM, bias=False)

    def forward(self, pixel_values):
        x = self.body(pixel_values)
        return self.proj(x.mean(dim=(2, 3)))


class TextExport(nn.Module):
    def __init__(self, t):
        super().__init__()
        self.t = t

    def forward(self, input_ids, attention_mask):
        return self.t(input_ids, attention_mask)


# ----------------------------------------------------------------------------
# Data for training
# ----------------------------------------------------------------------------
def render_set(rng, combos, per_combo, canvases, jitter):
    imgs, attrs = [], []
    for ci, (sh, co, bg, sz) in enumerate(combos):
        for _ in range(per_combo):
            w, h = canvases[rng.randrange(len(canvases))]
            j = tuple(rng.randint(-jitter, jitter) for _ in range(3)) if jitter else (0, 0, 0)
            img = draw_scene(w, h, sh, co, bg, sz, rng.random(), rng.random(), j)
            imgs.append(resize_crop_u8(img))
            attrs.append(ci)
    return np.stack(imgs), np.array(attrs)


COMBO_ARRAY = np.array([[SHAPES.index(sh), list(COLOURS).index(co), list(BACKGROUNDS).index(bg),
                         list(SIZES).index(sz)] for sh, co, bg, sz in ALL_COMBOS])
ATTR_KEYS = ("shape", "colour", "bg", "size")


def match_matrix(text_combo, text_template, img_combo):
    """m[i, j] = 1 where caption i is true of image j (it states only some attributes)."""
    t = COMBO_ARRAY[text_combo]                              # [n, 4]
    stated = np.array([[k in TEMPLATE_ATTRS[ti] for k in ATTR_KEYS] for ti in text_template])
    im = COMBO_ARRAY[img_combo]                              # [m, 4]
    eq = (t[:, None, :] == im[None, :, :]) | ~stated[:, None, :]
    return eq.all(axis=2).astype(np.float32)


def encode_batch(tok, texts):
    ids, masks = zip(*(tok.encode(t) for t in texts))
    return torch.tensor(ids, dtype=torch.int64), torch.tensor(masks, dtype=torch.int64)


def train(tok, args, log, check=None):
    rng = random.Random(SEED + 1)
    t0 = time.time()
    imgs_u8, img_combo = render_set(rng, ALL_COMBOS, args.per_combo, TRAIN_CANVASES, jitter=12)
    log(f"rendered {len(imgs_u8)} training images in {time.time() - t0:.1f}s")
    imgs = torch.from_numpy(normalize_u8(imgs_u8))
    text = TextTower(len(tok.vocab))
    vision = VisionTower()
    logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    params = list(text.parameters()) + list(vision.parameters()) + [logit_scale]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.steps
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    by_combo = [np.nonzero(img_combo == c)[0] for c in range(len(ALL_COMBOS))]
    t0 = time.time()
    for step in range(steps):
        combos = rng.sample(range(len(ALL_COMBOS)), args.batch)
        idx = [int(by_combo[c][rng.randrange(len(by_combo[c]))]) for c in combos]
        texts, tis = [], []
        for c in combos:
            ti = rng.randrange(len(TEMPLATES))
            sh, co, bg, sz = ALL_COMBOS[c]
            texts.append(caption(ti, sz, co, sh, bg))
            tis.append(ti)
        m = torch.from_numpy(match_matrix(combos, tis, img_combo[idx]))
        ids, mask = encode_batch(tok, texts)
        x = imgs[idx]
        te = F.normalize(text(ids, mask), dim=-1)
        ie = F.normalize(vision(x), dim=-1)
        logits = logit_scale.clamp(max=math.log(100)).exp() * te @ ie.t()
        loss_t = -(F.log_softmax(logits, dim=1) * (m / m.sum(1, keepdim=True))).sum(1).mean()
        loss_i = -(F.log_softmax(logits.t(), dim=1) * (m.t() / m.t().sum(1, keepdim=True))).sum(1).mean()
        loss = (loss_t + loss_i) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            extra = ""
            if check is not None and step % args.eval_every == 0 and step > 0:
                text.eval(); vision.eval()
                extra = f" held-out recall@1 {check(text, vision):.3f}"
                text.train(); vision.train()
            log(f"step {step:5d} loss {loss.item():.4f} scale {logit_scale.exp().item():.1f} "
                f"({time.time() - t0:.0f}s){extra}")
    text.eval()
    vision.eval()
    return text, vision, logit_scale


def recall_at_1(text, vision, tok, imgs_f32, captions):
    with torch.no_grad():
        ids, mask = encode_batch(tok, captions)
        te = F.normalize(text(ids, mask), dim=-1)
        ie = F.normalize(vision(torch.from_numpy(imgs_f32)), dim=-1)
        best = (te @ ie.t()).argmax(dim=1)
    return float((best == torch.arange(len(captions))).float().mean())


# ----------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------
OPSET = 14


def export(text, vision, out_dir, log):
    import onnx
    ids = torch.full((2, CONTEXT_LENGTH), 7, dtype=torch.int64)
    mask = torch.ones((2, CONTEXT_LENGTH), dtype=torch.int64)
    tp = os.path.join(out_dir, "text_model.onnx")
    vp = os.path.join(out_dir, "vision_model.onnx")
    with torch.no_grad():
        torch.onnx.export(TextExport(text), (ids, mask), tp, input_names=["input_ids", "attention_mask"],
                          output_names=["text_embeds"], opset_version=OPSET, do_constant_folding=True,
                          dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                        "attention_mask": {0: "batch_size", 1: "sequence_length"},
                                        "text_embeds": {0: "batch_size"}})
        torch.onnx.export(vision, (torch.zeros(2, 3, CROP, CROP),), vp, input_names=["pixel_values"],
                          output_names=["image_embeds"], opset_version=OPSET, do_constant_folding=True,
                          dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    for p in (tp, vp):
        m = onnx.load(p)
        onnx.checker.check_model(m, full_check=True)
        # strip the producer version so the bytes depend on the graph, not the torch build
        log(f"onnx check ok: {os.path.basename(p)} opset {m.opset_import[0].version} "
            f"inputs {[i.name for i in m.graph.input]} outputs {[o.name for o in m.graph.output]} "
            f"{os.path.getsize(p)} bytes")


# ----------------------------------------------------------------------------
# Reference inputs
# ----------------------------------------------------------------------------
def scene_for(rng, w, h):
    sh = SHAPES[rng.randrange(len(SHAPES))]
    co = list(COLOURS)[rng.randrange(len(COLOURS))]
    bg = list(BACKGROUNDS)[rng.randrange(len(BACKGROUNDS))]
    sz = list(SIZES)[rng.randrange(len(SIZES))]
    return draw_scene(w, h, sh, co, bg, sz, rng.random(), rng.random()), (sh, co, bg, sz)


def make_reference_images(ref_dir, rng):
    """Writes the test images; returns [(file, description)]."""
    out = []

    def save(name, img, desc, **kw):
        img.save(os.path.join(ref_dir, "images", name), **kw)
        out.append((name, desc))

    def sc(w, h):
        return scene_for(rng, w, h)

    img, s = sc(64, 64); save("rgb_64x64.png", img, "RGB PNG, 64x64 (upscaled to 72)")
    img, s = sc(17, 23); save("rgb_17x23.png", img, "RGB PNG, 17x23 (tiny, upscaled)")
    img, s = sc(72, 72); save("rgb_72x72.png", img, "RGB PNG, exactly the resize size")
    img, s = sc(300, 200); save("rgb_300x200.jpg", img, "RGB JPEG q90 4:2:0", quality=90)
    img, s = sc(200, 301); save("rgb_200x301.jpg", img, "RGB JPEG q95, odd height", quality=95)
    img, s = sc(1024, 768); save("rgb_1024x768.jpg", img, "RGB JPEG q85, large", quality=85)
    img, s = sc(400, 50); save("rgb_400x50.png", img, "RGB PNG, extreme aspect ratio")
    img, s = sc(333, 222); save("rgb_333x222.bmp", img, "RGB BMP 24-bit")
    img, s = sc(160, 120); save("rgb_160x120.webp", img, "RGB WebP lossless", lossless=True)
    # RGBA: alpha varies; colour channels under transparent pixels are kept (not black, not white)
    img, s = sc(256, 256)
    a = np.array(img.convert("RGBA"))
    yy, xx = np.mgrid[0:256, 0:256]
    a[..., 3] = np.clip((xx + yy) // 2, 0, 255).astype(np.uint8)
    a[:40, :40, 3] = 0
    save("rgba_256x256.png", Image.fromarray(a, "RGBA"), "RGBA PNG, alpha gradient; alpha is ignored")
    img, s = sc(120, 90)
    a = np.array(img.convert("RGBA"))
    a[::2, :, 3] = 128
    save("rgba_120x90.png", Image.fromarray(a, "RGBA"), "RGBA PNG, half-transparent rows")
    img, s = sc(150, 100); save("gray_L_150x100.png", img.convert("L"), "grayscale L PNG")
    img, s = sc(90, 160); save("gray_L_90x160.jpg", img.convert("L"), "grayscale JPEG", quality=90)
    img, s = sc(80, 80)
    la = img.convert("LA")
    la.putalpha(Image.linear_gradient("L").resize((80, 80)))
    save("gray_LA_80x80.png", la, "gray + alpha PNG (LA); alpha is ignored")
    img, s = sc(128, 96)
    save("palette_P_128x96.png", img.convert("P", palette=Image.ADAPTIVE, colors=16), "palette PNG, 16 colours")
    img, s = sc(100, 100)
    p = img.convert("P", palette=Image.ADAPTIVE, colors=8)
    save("palette_P_100x100.gif", p, "palette GIF with a transparent index (ignored)", transparency=0)
    img, s = sc(128, 128)
    g16 = (np.asarray(img.convert("L"), dtype=np.uint16) * 257).astype(np.uint16)
    save("gray16_128x128.png", Image.fromarray(g16), "16-bit grayscale PNG (PIL opens as mode I; "
         "convert('RGB') clips values above 255 to 255)")
    img, s = sc(128, 128)
    g16 = (np.asarray(img.convert("L"), dtype=np.uint16)).astype(np.uint16)
    save("gray16_low_128x128.png", Image.fromarray(g16), "16-bit grayscale PNG with values 0..255 "
         "(PIL keeps them as they are)")
    img, s = sc(240, 180); save("cmyk_240x180.jpg", img.convert("CMYK"), "CMYK JPEG (Adobe, inverted)",
                                quality=95)
    img, s = sc(300, 200)
    exif = Image.Exif()
    exif[0x0112] = 6
    save("exif_orientation6_300x200.jpg", img, "RGB JPEG stored 300x200 with EXIF Orientation=6: "
         "shown 200x300 (rotated 90 degrees clockwise)", quality=92, exif=exif.tobytes())
    img, s = sc(200, 150)
    exif = Image.Exif()
    exif[0x0112] = 3
    save("exif_orientation3_200x150.jpg", img, "RGB JPEG with EXIF Orientation=3 (rotated 180)",
         quality=92, exif=exif.tobytes())
    return out


REFERENCE_TEXTS = [
    "",
    "a red circle",
    "a large blue star on a white background",
    "A LARGE BLUE STAR ON A WHITE BACKGROUND",
    "  a   small\tgreen \n square  ",
    "a photo of a small blue star.",
    "red, green, and blue!",
    "a purple unicorn",
    "an image of a small orange hexagon on a gray background with two three one big tiny stars",
    "it's a ring",
    "don't stop: 123 circles",
    "café crème",
    "the triangle is yellow",
    "a pink diamond on black",
    "cyan cross, gray background",
    "a drawing of a hexagon",
    "a 🙂 star",
    "squares and circles and stars",
    "Yellow   Triangle",
    "zebra",
    "circle",
]


def f32_write(path, arr):
    np.asarray(arr, dtype="<f4").tofile(path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def write_sums(d):
    files = []
    for root, _, names in os.walk(d):
        for n in names:
            if n != "SHA256SUMS":
                files.append(os.path.relpath(os.path.join(root, n), d))
    with open(os.path.join(d, "SHA256SUMS"), "w") as f:
        for rel in sorted(files):
            f.write(f"{sha256(os.path.join(d, rel))}  {rel}\n")


def dump_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="models", help="parent folder of tiny-clip/ and tiny-clip-reference/")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--per-combo", type=int, default=24)
    ap.add_argument("--threads", type=int, default=THREADS)
    ap.add_argument("--eval-every", type=int, default=500)
    args = ap.parse_args()

    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    random.seed(SEED)
    torch.use_deterministic_algorithms(True)

    def log(msg):
        print(f"[{time.time() - t_start:6.1f}s] {msg}", flush=True)

    model_dir = os.path.join(args.out, "tiny-clip")
    ref_dir = os.path.join(args.out, "tiny-clip-reference")
    for d in (model_dir, ref_dir):
        os.makedirs(d, exist_ok=True)
        for root, _, names in os.walk(d, topdown=False):
            for n in names:
                os.remove(os.path.join(root, n))
    for sub in ("images", "tensors", "retrieval"):
        os.makedirs(os.path.join(ref_dir, sub), exist_ok=True)

    # --- vocabulary and tokenizer
    words = set(EXTRA_WORDS) | set(SHAPES) | set(COLOURS) | set(BACKGROUNDS) | set(SIZES)
    for t in TEMPLATES:
        for w in t.replace(",", " ").split():
            if not w.startswith("{"):
                words.add(w)
    words = sorted(words)
    tok = Tokenizer(words)
    log(f"vocabulary: {len(words)} words, {len(tok.merges)} merges, {len(tok.vocab)} tokens; "
        f"sot {tok.sot_id} eot {tok.eot_id}")

    # --- held-out retrieval set (its own seed; 40 distinct combos; never used in training)
    hrng = random.Random(SEED + 2)
    held_combos = hrng.sample(ALL_COMBOS, 40)
    held_imgs, held_caps, held_files = [], [], []
    for i, (sh, co, bg, sz) in enumerate(held_combos):
        img = draw_scene(80, 80, sh, co, bg, sz, hrng.random(), hrng.random())
        name = f"retrieval_{i:02d}.png"
        img.save(os.path.join(ref_dir, "retrieval", name))
        held_imgs.append(preprocess(img))
        held_caps.append(caption(FULL_TEMPLATE, sz, co, sh, bg))
        held_files.append(name)
    held_imgs = np.stack(held_imgs)
    # a bigger held-out check: every combo once, other positions
    all_imgs = np.stack([preprocess(draw_scene(80, 80, sh, co, bg, sz, hrng.random(), hrng.random()))
                         for sh, co, bg, sz in ALL_COMBOS])
    all_caps = [caption(FULL_TEMPLATE, sz, co, sh, bg) for sh, co, bg, sz in ALL_COMBOS]

    # --- train
    text, vision, logit_scale = train(tok, args, log,
                                      check=lambda t, v: recall_at_1(t, v, tok, all_imgs, all_caps))
    r40 = recall_at_1(text, vision, tok, held_imgs, held_caps)
    rall = recall_at_1(text, vision, tok, all_imgs, all_caps)
    log(f"held-out text->image recall@1: {r40:.3f} on the 40-image retrieval set, "
        f"{rall:.3f} on all {len(ALL_COMBOS)} combinations")

    # --- export model directory
    export(text, vision, model_dir, log)
    dump_json(os.path.join(model_dir, "tokenizer.json"), tok.to_json())
    dump_json(os.path.join(model_dir, "preprocessor_config.json"), {
        "crop_size": {"height": CROP, "width": CROP},
        "do_center_crop": True,
        "do_convert_rgb": True,
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "feature_extractor_type": "CLIPFeatureExtractor",
        "image_mean": MEAN,
        "image_processor_type": "CLIPImageProcessor",
        "image_std": STD,
        "resample": 3,
        "rescale_factor": 1 / 255,
        "size": {"shortest_edge": RESIZE_SHORTEST},
    })
    dump_json(os.path.join(model_dir, "config.json"), {
        "name": "tessera/tiny-clip",
        "model_type": "clip",
        "architectures": ["CLIPModel"],
        "projection_dim": DIM,
        "logit_scale": round(float(logit_scale.exp()), 4),
        "text_config": {"model_type": "clip_text_model", "vocab_size": len(tok.vocab),
                        "max_position_embeddings": CONTEXT_LENGTH, "hidden_size": WIDTH,
                        "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
                        "bos_token_id": tok.sot_id, "eos_token_id": tok.eot_id,
                        "pad_token_id": tok.eot_id, "projection_dim": DIM},
        "vision_config": {"model_type": "clip_vision_model", "image_size": CROP, "num_channels": 3,
                          "projection_dim": DIM},
        "comment": "Tessera's own tiny CLIP-style model, trained on synthetic shapes by "
                   "tools/tiny-clip/make_tiny_clip.py. Not a ViT: a small CNN and a 2-layer text "
                   "transformer. Outputs are projected, not normalized.",
    })
    write_sums(model_dir)

    # --- references
    rrng = random.Random(SEED + 3)
    images = make_reference_images(ref_dir, rrng)
    img_entries = []
    tensors = []
    for name, desc in images:
        src = Image.open(os.path.join(ref_dir, "images", name))
        opened = (src.mode, src.size)
        img = load_image(os.path.join(ref_dir, "images", name))
        x = preprocess(img)
        tensors.append(x)
        stem = name.rsplit(".", 1)[0]
        f32_write(os.path.join(ref_dir, "tensors", stem + ".pixel_values.f32"), x)
        img_entries.append({"file": "images/" + name, "description": desc,
                            "pil_mode": opened[0], "stored_size": list(opened[1]),
                            "oriented_size": list(img.size),
                            "resized_size": None,
                            "pixel_values": "tensors/" + stem + ".pixel_values.f32"})
        w, h = img.size
        short, long = (w, h) if w <= h else (h, w)
        nl = int(RESIZE_SHORTEST * long / short)
        img_entries[-1]["resized_size"] = [RESIZE_SHORTEST, nl] if w <= h else [nl, RESIZE_SHORTEST]
    with torch.no_grad():
        ie = vision(torch.from_numpy(np.stack(tensors))).numpy()
        # batch of 1 must give the same numbers
        one = vision(torch.from_numpy(tensors[0][None])).numpy()
        assert np.allclose(one[0], ie[0], atol=1e-5)
    ie_n = ie / np.linalg.norm(ie, axis=1, keepdims=True)
    f32_write(os.path.join(ref_dir, "image_embeds.f32"), ie)
    f32_write(os.path.join(ref_dir, "image_embeds_normalized.f32"), ie_n)
    for i, e in enumerate(img_entries):
        e["index"] = i

    text_entries = []
    ids_all, mask_all = [], []
    for t in REFERENCE_TEXTS:
        ids, mask = tok.encode(t)
        ids_all.append(ids)
        mask_all.append(mask)
        text_entries.append({"text": t, "input_ids": ids, "attention_mask": mask,
                             "tokens": [next(k for k, v in tok.vocab.items() if v == i) for i in ids]})
    with torch.no_grad():
        te = text(torch.tensor(ids_all), torch.tensor(mask_all)).numpy()
    te_n = te / np.linalg.norm(te, axis=1, keepdims=True)
    f32_write(os.path.join(ref_dir, "text_embeds.f32"), te)
    f32_write(os.path.join(ref_dir, "text_embeds_normalized.f32"), te_n)

    # the model's own numbers for the retrieval set, so Java can check its recall against ours
    dump_json(os.path.join(ref_dir, "reference.json"), {
        "model": "tessera/tiny-clip",
        "model_dir": "models/tiny-clip",
        "generated_by": "tools/tiny-clip/make_tiny_clip.py",
        "seed": SEED,
        "dim": DIM,
        "context_length": CONTEXT_LENGTH,
        "special_tokens": {SOT: tok.sot_id, EOT: tok.eot_id, "pad": tok.eot_id},
        "preprocessing": {
            "steps": [
                "open with PIL; apply EXIF orientation (ImageOps.exif_transpose), as transformers' load_image does",
                "convert to RGB with PIL Image.convert('RGB') when the mode is not RGB: alpha is dropped "
                "(colour channels kept as stored, no compositing); L/I;16 gray is copied to R, G and B "
                "(16-bit: values above 255 are clipped to 255, not scaled); P uses the palette colours; "
                "CMYK uses R = (255-C)(255-K)/255 without ICC",
                "resize so that the shortest edge is 72: short=min(w,h), long=max(w,h), "
                "new_long=int(72*long/short) (truncation); PIL Image.resize(BICUBIC, reducing_gap=None) on 8-bit RGB",
                "centre crop 64x64: top=(h-64)//2, left=(w-64)//2",
                "x = float32(u8 * (1/255)); x = (x - mean) / std per channel",
                "layout CHW float32",
            ],
            "image_mean": MEAN, "image_std": STD, "resize_shortest_edge": RESIZE_SHORTEST,
            "crop": CROP,
        },
        "files": {
            "pixel_values": "little-endian float32, shape [3, 64, 64], C order",
            "image_embeds.f32": f"little-endian float32 [{len(img_entries)}, {DIM}], raw projected output, "
                                "rows in images[] order",
            "image_embeds_normalized.f32": "the same rows L2-normalized",
            "text_embeds.f32": f"little-endian float32 [{len(text_entries)}, {DIM}], raw projected output, "
                               "rows in texts[] order",
            "text_embeds_normalized.f32": "the same rows L2-normalized",
        },
        "images": img_entries,
        "texts": text_entries,
        "retrieval": {
            "description": "40 generated images (80x80 PNG) with distinct (shape, colour, background, size); "
                           "never used in training. Query each caption; the right hit is the image with "
                           "the same index.",
            "python_recall_at_1": r40,
            "python_recall_at_1_all_combinations": rall,
            "items": [{"file": "retrieval/" + f, "caption": c} for f, c in zip(held_files, held_caps)],
        },
    })
    write_sums(ref_dir)
    log("done")


if __name__ == "__main__":
    main()
