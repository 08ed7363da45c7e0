#!/usr/bin/env python3
"""Writes the layout fixtures of the encoders-onnx tests: one tiny random-weight CLIP-shaped model
exported three ways (Hugging Face split, Hugging Face/optimum combined model.onnx, OpenCLIP
textual/visual) plus a combined model.onnx whose texts and images share one batch axis, with a CLIP-style tokenizer.json and the embeddings PyTorch computes for a few texts
and one image, so the Java tests can check every layout gives the same numbers as Python.

Seeded and deterministic; needs Debian's python3-torch, python3-onnx and python3-pil; runs in
seconds. The Java tests only read what it writes (under src/test/resources/layouts), they never run
it. Run from anywhere:  /usr/bin/python3 encoders-onnx/tools/make_layout_fixtures.py
"""
import hashlib
import json
import os
import shutil

import numpy as np
import torch
from PIL import Image

SEED = 20261128
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "layouts")
WIDTH = 16          # transformer width of both towers
EMBED = 16          # shared embedding dimension
CONTEXT = 16        # text context length (CLIP's is 77)
IMAGE = 32          # crop size; HF layouts resize the shortest edge to 40 first
PATCH = 8
WORDS = ["a", "photo", "of", "red", "blue", "green", "cat", "dog", "circle", "square", "on", "the", "small", "big"]
TEXTS = ["a photo of a red cat", "blue square", "", "A BIG green circle on the small dog",
         "red " * 30]  # the last one is truncated
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


# ----------------------------------------------------------------------------- tokenizer

def bytes_to_unicode():
    """GPT-2/CLIP's reversible byte -> printable character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def build_tokenizer():
    chars = list(bytes_to_unicode().values())
    vocab = {}
    for c in chars:
        vocab[c] = len(vocab)
    for c in chars:
        vocab[c + "</w>"] = len(vocab)
    merges = []
    for w in WORDS:
        sym = list(w[:-1]) + [w[-1] + "</w>"]
        cur = sym[0]
        for s in sym[1:]:
            pair = (cur, s)
            if " ".join(pair) not in merges:
                merges.append(" ".join(pair))
            cur = cur + s
            if cur not in vocab:
                vocab[cur] = len(vocab)
    sot = len(vocab)
    eot = sot + 1
    vocab["<|startoftext|>"] = sot
    vocab["<|endoftext|>"] = eot
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": sot, "content": "<|startoftext|>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
            {"id": eot, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", eot], "cls": ["<|startoftext|>", sot],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
    return tok, vocab, merges, sot, eot


def bpe(word, ranks):
    sym = list(word[:-1]) + [word[-1] + "</w>"]
    while len(sym) > 1:
        pairs = [(ranks.get(sym[i] + " " + sym[i + 1], 1 << 30), i) for i in range(len(sym) - 1)]
        r, i = min(pairs)
        if r == 1 << 30:
            break
        sym = sym[:i] + [sym[i] + sym[i + 1]] + sym[i + 2:]
    return sym


def tokenize(text, vocab, merges, sot, eot, pad):
    """The ids the tokenizer.json above gives for plain ASCII words, start/end added, padded, truncated."""
    ranks = {m: i for i, m in enumerate(merges)}
    ids = [sot]
    for w in " ".join(text.split()).lower().split(" "):
        if w:
            ids += [vocab[s] for s in bpe(w, ranks)]
    ids.append(eot)
    if len(ids) > CONTEXT:
        ids = ids[:CONTEXT - 1] + [eot]
    mask = [1] * len(ids) + [0] * (CONTEXT - len(ids))
    ids = ids + [pad] * (CONTEXT - len(ids))
    return ids, mask


# ----------------------------------------------------------------------------- model

class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = torch.nn.LayerNorm(WIDTH)
        self.qkv = torch.nn.Linear(WIDTH, 3 * WIDTH)
        self.proj = torch.nn.Linear(WIDTH, WIDTH)
        self.ln2 = torch.nn.LayerNorm(WIDTH)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(WIDTH, 2 * WIDTH), torch.nn.GELU(), torch.nn.Linear(2 * WIDTH, WIDTH))

    def forward(self, x, bias):
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        att = torch.softmax(q @ k.transpose(1, 2) / (WIDTH ** 0.5) + bias, dim=-1)
        x = x + self.proj(att @ v)
        return x + self.mlp(self.ln2(x))


class TextTower(torch.nn.Module):
    def __init__(self, vocab_size, eot):
        super().__init__()
        self.eot = eot
        self.tok = torch.nn.Embedding(vocab_size, WIDTH)
        self.pos = torch.nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.1)
        self.block = Block()
        self.ln = torch.nn.LayerNorm(WIDTH)
        self.out = torch.nn.Linear(WIDTH, EMBED, bias=False)

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        x = self.tok(input_ids) + self.pos[:n]
        causal = torch.triu(torch.full((n, n), -1e4), diagonal=1)
        pad = (1.0 - attention_mask.to(torch.float32))[:, None, :] * -1e4
        x = self.ln(self.block(x, causal[None] + pad))
        # Pool at the first end token (padding may repeat it, as Hugging Face's CLIP tokenizer does).
        first = (input_ids == self.eot).to(torch.float32).argmax(dim=-1)
        onehot = (torch.arange(n)[None, :] == first[:, None]).to(torch.float32)
        return self.out((onehot[:, :, None] * x).sum(dim=1))


class VisionTower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, WIDTH, PATCH, PATCH, bias=False)
        self.cls = torch.nn.Parameter(torch.randn(WIDTH) * 0.1)
        self.pos = torch.nn.Parameter(torch.randn((IMAGE // PATCH) ** 2 + 1, WIDTH) * 0.1)
        self.block = Block()
        self.ln = torch.nn.LayerNorm(WIDTH)
        self.out = torch.nn.Linear(WIDTH, EMBED, bias=False)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], 1, WIDTH), x], dim=1) + self.pos
        x = self.ln(self.block(x, torch.zeros(1, 1, 1)))
        return self.out(x[:, 0])


class Combined(torch.nn.Module):
    """Like optimum's CLIP export: both towers, normalized embeds and the logits between them."""

    def __init__(self, text, vision):
        super().__init__()
        self.text = text
        self.vision = vision

    def forward(self, input_ids, attention_mask, pixel_values):
        t = self.text(input_ids, attention_mask)
        i = self.vision(pixel_values)
        t = t / t.norm(dim=-1, keepdim=True)
        i = i / i.norm(dim=-1, keepdim=True)
        logits_per_image = 100.0 * i @ t.T
        return logits_per_image, logits_per_image.T, t, i


class CombinedVisionFirst(Combined):
    """Combined with the vision tower run first, as Hugging Face's CLIPModel.forward orders it (so
    ONNX Runtime may re-use an image buffer for a text tensor of the "same" batch)."""

    def forward(self, input_ids, attention_mask, pixel_values):
        i = self.vision(pixel_values)
        t = self.text(input_ids, attention_mask)
        t = t / t.norm(dim=-1, keepdim=True)
        i = i / i.norm(dim=-1, keepdim=True)
        logits_per_text = 100.0 * t @ i.T
        return logits_per_text.T, logits_per_text, t, i


class OpenClipText(torch.nn.Module):
    def __init__(self, text):
        super().__init__()
        self.text = text

    def forward(self, text):
        return self.text(text, (text != 0).to(torch.int64))


# ----------------------------------------------------------------------------- preprocessing (PIL, as CLIPImageProcessor)

def preprocess(img, shortest, crop, round_offsets):
    img = img.convert("RGB")
    w, h = img.size
    if w <= h:
        nw, nh = shortest, int(shortest * h / w)
    else:
        nw, nh = int(shortest * w / h), shortest
    img = img.resize((nw, nh), resample=Image.BICUBIC)
    a = np.asarray(img).astype(np.float32)
    if round_offsets:
        top, left = int(round((nh - crop) / 2.0)), int(round((nw - crop) / 2.0))
    else:
        top, left = (nh - crop) // 2, (nw - crop) // 2
    a = a[top:top + crop, left:left + crop]
    a = (a * np.float32(1 / 255.0) - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    return a.transpose(2, 0, 1)[None].astype(np.float32)


def export(model, args, path, inputs, outputs, dynamic):
    torch.onnx.export(model, args, path, input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
                      opset_version=14, do_constant_folding=True)


def write_sums(d):
    lines = []
    for root, _, files in os.walk(d):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), d)
            if rel in ("SHA256SUMS", "expected.json"):
                continue
            with open(os.path.join(root, name), "rb") as f:
                lines.append(hashlib.sha256(f.read()).hexdigest() + "  " + rel)
    with open(os.path.join(d, "SHA256SUMS"), "w") as f:
        f.write("\n".join(sorted(lines, key=lambda l: l[66:])) + "\n")


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    tok, vocab, merges, sot, eot = build_tokenizer()
    text = TextTower(len(vocab), eot).eval()
    vision = VisionTower().eval()

    shutil.rmtree(OUT, ignore_errors=True)
    for d in ["split/onnx", "combined", "openclip", "combined_shared_batch"]:
        os.makedirs(os.path.join(OUT, d))

    # One test image, 60x45 with a diagonal gradient and a red disc, and its embeddings per layout.
    yy, xx = np.mgrid[0:45, 0:60]
    arr = np.stack([(xx * 4) % 256, (yy * 5) % 256, ((xx + yy) * 3) % 256], axis=-1).astype(np.uint8)
    arr[((xx - 30) ** 2 + (yy - 20) ** 2) < 100] = [220, 30, 30]
    Image.fromarray(arr).save(os.path.join(OUT, "image.png"))
    img = Image.open(os.path.join(OUT, "image.png"))

    hf_config = {"_name_or_path": "tessera/layout-fixture", "model_type": "clip", "projection_dim": EMBED,
                 "text_config": {"max_position_embeddings": CONTEXT, "hidden_size": WIDTH},
                 "vision_config": {"image_size": IMAGE, "patch_size": PATCH, "hidden_size": WIDTH}}
    pre = {"crop_size": {"height": IMAGE, "width": IMAGE}, "do_center_crop": True, "do_convert_rgb": True, "do_normalize": True,
           "do_rescale": True, "do_resize": True, "image_mean": MEAN, "image_std": STD, "resample": 3,
           "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 40}, "image_processor_type": "CLIPImageProcessor"}
    openclip_cfg = {"model_cfg": {"embed_dim": EMBED, "vision_cfg": {"image_size": IMAGE, "patch_size": PATCH, "width": WIDTH},
                                  "text_cfg": {"context_length": CONTEXT, "vocab_size": len(vocab), "width": WIDTH}},
                    "preprocess_cfg": {"mean": MEAN, "std": STD, "interpolation": "bicubic", "resize_mode": "shortest"}}

    ids_dummy = torch.tensor([tokenize("a cat", vocab, merges, sot, eot, eot)[0]] * 2)
    mask_dummy = (torch.arange(CONTEXT)[None] < 4).to(torch.int64).repeat(2, 1)
    pix_dummy = torch.zeros(2, 3, IMAGE, IMAGE)

    with torch.no_grad():
        # Split (Hugging Face): text_model.onnx / vision_model.onnx under onnx/, JSON at the top.
        export(text, (ids_dummy, mask_dummy), os.path.join(OUT, "split/onnx/text_model.onnx"), ["input_ids", "attention_mask"],
               ["text_embeds"], {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                 "text_embeds": {0: "batch"}})
        export(vision, (pix_dummy,), os.path.join(OUT, "split/onnx/vision_model.onnx"), ["pixel_values"], ["image_embeds"],
               {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})
        # Combined (optimum): one graph, both towers.
        export(Combined(text, vision), (ids_dummy, mask_dummy, pix_dummy), os.path.join(OUT, "combined/model.onnx"),
               ["input_ids", "attention_mask", "pixel_values"], ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
               {"input_ids": {0: "text_batch", 1: "sequence"}, "attention_mask": {0: "text_batch", 1: "sequence"},
                "pixel_values": {0: "image_batch"}, "logits_per_image": {0: "image_batch", 1: "text_batch"},
                "logits_per_text": {0: "text_batch", 1: "image_batch"}, "text_embeds": {0: "text_batch"},
                "image_embeds": {0: "image_batch"}})
        # Combined with ONE dynamic batch axis for texts and images (and a fixed sequence), as a plain
        # torch.onnx.export names it: ONNX Runtime plans buffers as if every "batch" were one size, so
        # N texts with one image fail ("Shape mismatch attempting to re-use buffer").
        export(CombinedVisionFirst(text, vision), (ids_dummy, mask_dummy, pix_dummy), os.path.join(OUT, "combined_shared_batch/model.onnx"),
               ["input_ids", "attention_mask", "pixel_values"], ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
               {"input_ids": {0: "batch"}, "attention_mask": {0: "batch"},
                "pixel_values": {0: "batch"}, "logits_per_image": {0: "batch", 1: "batch"},
                "logits_per_text": {0: "batch", 1: "batch"}, "text_embeds": {0: "batch"}, "image_embeds": {0: "batch"}})
        # OpenCLIP: textual.onnx (input "text", fixed context, pad 0) / visual.onnx (input "image").
        export(OpenClipText(text), (ids_dummy,), os.path.join(OUT, "openclip/textual.onnx"), ["text"], ["embedding"],
               {"text": {0: "batch"}, "embedding": {0: "batch"}})
        export(vision, (pix_dummy,), os.path.join(OUT, "openclip/visual.onnx"), ["image"], ["embedding"],
               {"image": {0: "batch"}, "embedding": {0: "batch"}})

        for d, cfg in [("split", hf_config), ("combined", hf_config), ("combined_shared_batch", hf_config)]:
            with open(os.path.join(OUT, d, "config.json"), "w") as f:
                json.dump(cfg, f, indent=2)
            with open(os.path.join(OUT, d, "preprocessor_config.json"), "w") as f:
                json.dump(pre, f, indent=2)
        with open(os.path.join(OUT, "openclip/open_clip_config.json"), "w") as f:
            json.dump(openclip_cfg, f, indent=2)
        for d in ["split", "combined", "openclip", "combined_shared_batch"]:
            with open(os.path.join(OUT, d, "tokenizer.json"), "w") as f:
                json.dump(tok, f, ensure_ascii=False)

        for d, pad, shortest, rnd in [("split", eot, 40, False), ("combined", eot, 40, False), ("openclip", 0, IMAGE, True),
                                      ("combined_shared_batch", eot, 40, False)]:
            toks = [tokenize(t, vocab, merges, sot, eot, pad) for t in TEXTS]
            ids = torch.tensor([t[0] for t in toks])
            mask = torch.tensor([t[1] for t in toks])
            t_emb = text(ids, mask)
            t_emb = t_emb / t_emb.norm(dim=-1, keepdim=True)
            px = torch.from_numpy(preprocess(img, shortest, IMAGE, rnd))
            i_emb = vision(px)
            i_emb = i_emb / i_emb.norm(dim=-1, keepdim=True)
            expected = {"seed": SEED, "texts": TEXTS, "token_ids": [t[0] for t in toks], "attention_mask": [t[1] for t in toks],
                        "text_embeds": t_emb.tolist(), "image": "../image.png", "image_embeds": i_emb.tolist()}
            write_sums(os.path.join(OUT, d))
            with open(os.path.join(OUT, d, "expected.json"), "w") as f:
                json.dump(expected, f, indent=1)
    # Resize fixtures: Pillow's exact output for a random image, down and up, every filter the encoder supports.
    rs = np.random.RandomState(SEED)
    src = Image.fromarray(rs.randint(0, 256, (23, 37, 3)).astype(np.uint8))
    os.makedirs(os.path.join(OUT, "resize"))
    src.save(os.path.join(OUT, "resize", "source.png"))
    cases = []
    for name, code in [("lanczos", 1), ("bilinear", 2), ("bicubic", 3), ("box", 4), ("hamming", 5)]:
        for (w, h) in [(16, 10), (80, 50), (37, 7), (5, 23)]:
            out = src.resize((w, h), resample=code, reducing_gap=None)
            fname = "%s_%dx%d.rgb" % (name, w, h)
            with open(os.path.join(OUT, "resize", fname), "wb") as f:
                f.write(np.asarray(out.convert("RGB")).tobytes())
            cases.append({"filter": code, "width": w, "height": h, "file": fname})
    with open(os.path.join(OUT, "resize", "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)

    # Decode fixtures: small images in many modes and formats with what Pillow makes of them
    # (exif_transpose + convert("RGB")), for the decoder test.
    from PIL import ImageOps
    os.makedirs(os.path.join(OUT, "decode"))
    yy, xx = np.mgrid[0:12, 0:16]
    base = np.stack([xx * 16, yy * 21, (xx * yy) % 256], axis=-1).astype(np.uint8)
    rgb = Image.fromarray(base)
    variants = {
        "rgb.png": (rgb, {}),
        "rgba.png": (Image.fromarray(np.dstack([base, (xx * 17).astype(np.uint8)])), {}),
        "gray.png": (rgb.convert("L"), {}),
        "gray_alpha.png": (rgb.convert("LA"), {}),
        "palette.png": (rgb.convert("P", palette=Image.ADAPTIVE, colors=16), {}),
        "palette.gif": (rgb.convert("P", palette=Image.ADAPTIVE, colors=16), {}),
        "bitmap.bmp": (rgb, {}),
        "lossless.webp": (rgb, {"lossless": True}),
        "lossy.webp": (rgb, {"quality": 90}),
        "rgb.jpg": (rgb, {"quality": 95}),
        "gray.jpg": (rgb.convert("L"), {"quality": 95}),
        "cmyk.jpg": (rgb.convert("CMYK"), {"quality": 95}),
    }
    for name, (im, kw) in variants.items():
        im.save(os.path.join(OUT, "decode", name), **kw)
    # 16-bit: RGB (Pillow keeps the high byte) and gray (Pillow clips at 255).
    import struct, zlib

    def png16(path, arr, color_type):
        h, w = arr.shape[:2]
        raw = b"".join(b"\x00" + arr[y].astype(">u2").tobytes() for y in range(h))
        def chunk(t, d):
            return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
                    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    png16(os.path.join(OUT, "decode", "rgb16.png"), base.astype(np.uint16) * 257 + 3, 2)
    png16(os.path.join(OUT, "decode", "gray16.png"), (xx * 20 + yy).astype(np.uint16), 0)
    # A JPEG carrying an Adobe RGB (1998)-compatible ICC profile (Debian's icc-profiles-free):
    # Pillow ignores the profile, so the decoder must too.
    with open("/usr/share/color/icc/compatibleWithAdobeRGB1998.icc", "rb") as f:
        rgb.save(os.path.join(OUT, "decode", "icc_adobe.jpg"), quality=95, icc_profile=f.read())
    # EXIF orientation 6 on a JPEG, written by Pillow.
    exif = Image.Exif()
    exif[0x0112] = 6
    rgb.save(os.path.join(OUT, "decode", "exif6.jpg"), quality=95, exif=exif.tobytes())
    names = sorted(os.listdir(os.path.join(OUT, "decode")))
    for name in names:
        im = ImageOps.exif_transpose(Image.open(os.path.join(OUT, "decode", name))).convert("RGB")
        with open(os.path.join(OUT, "decode", name + ".rgb"), "wb") as f:
            f.write(struct.pack("<II", im.width, im.height) + np.asarray(im).tobytes())

    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT) for f in fs)
    print("wrote", OUT, total, "bytes")


if __name__ == "__main__":
    main()
