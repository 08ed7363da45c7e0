#!/usr/bin/env python3
"""Times CLIP image preprocessing with Pillow + NumPy, step for step as CLIPImageProcessor does it
(open, exif_transpose, convert RGB, bicubic resize of the shortest edge, centre crop, rescale,
normalize, CHW float32). PreprocessBenchmark (src/test/java) runs this next to the Java version on
the same file in the same run. Usage: time_pil_preprocess.py IMAGE [ITERATIONS] [SHORTEST_EDGE] [CROP]
Prints one line: 'pil ms_per_image=<mean> median_ms=<median> min_ms=<min> iterations=<n>'."""
import sys
import time

import numpy as np
from PIL import Image, ImageOps

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


def preprocess(path, size, crop):
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
    w, h = im.size
    nw, nh = (size, int(size * h / w)) if w <= h else (int(size * w / h), size)
    im = im.resize((nw, nh), resample=Image.BICUBIC)
    a = np.asarray(im)
    top, left = (nh - crop) // 2, (nw - crop) // 2
    a = a[top:top + crop, left:left + crop].astype(np.float32) * np.float32(1 / 255.0)
    return ((a - MEAN) / STD).transpose(2, 0, 1).copy()


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 224
    crop = int(sys.argv[4]) if len(sys.argv) > 4 else 224
    for _ in range(max(3, n // 5)):  # warm-up: file cache, allocator
        preprocess(path, size, crop)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        preprocess(path, size, crop)
        times.append((time.perf_counter() - t) * 1000)
    median = sorted(times)[n // 2]
    print("pil ms_per_image=%.3f median_ms=%.3f min_ms=%.3f iterations=%d"
          % (sum(times) / n, median, min(times), n))


if __name__ == "__main__":
    main()
