#!/usr/bin/env python3
"""Writes the ten photo-like JPEGs PreprocessBenchmark -Dphotos=DIR was measured on (README,
"Speed"): smooth colour fields at three scales plus fine noise, 640x480 to 6028x3391, Pillow quality
90 (4:2:0), about 0.3 bytes a pixel like camera photos. Seeded; Debian's python3-pil and numpy.
Usage: make_bench_photos.py DIR"""
import os
import sys

import numpy as np
from PIL import Image

SIZES = [(6028, 3391), (2560, 1600), (4032, 3024), (3024, 4032), (1920, 1080), (1024, 768),
         (800, 600), (640, 480), (1600, 1200), (3000, 2000)]


def photo(w, h, seed):
    r = np.random.default_rng(seed)
    out = np.zeros((h, w, 3), np.float32)
    for scale, amp in ((64, 90), (16, 40), (4, 20)):
        f = r.random((h // scale + 2, w // scale + 2, 3)).astype(np.float32)
        im = Image.fromarray((f * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        out += (np.asarray(im, np.float32) - 128) * amp / 128
    out += r.normal(0, 6, (h, w, 3)).astype(np.float32)
    out += 128
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, (w, h) in enumerate(SIZES):
        photo(w, h, i).save(os.path.join(out, "p%02d_%dx%d.jpg" % (i, w, h)), quality=90)


if __name__ == "__main__":
    main()
