#!/usr/bin/env python3
"""Writes the 16-bit TIFF fixtures of ImageDecoderTest (src/test/resources/layouts/decode):
gray16.tif (one 16-bit sample per pixel, values up to 1,961) and rgb16.tif (three 16-bit samples,
values above 255 in every channel), each with Pillow's RGB decode beside it (NAME.rgb: width and
height as little-endian int32, then the RGB bytes), as make_layout_fixtures.py does for the other
formats. Pillow is the reference: it clips 16-bit gray at 255 and keeps the high byte of 16-bit RGB.

Both files are written by hand (baseline TIFF, little-endian, uncompressed, one strip) so the
fixture does not depend on which TIFF writer a Pillow build has. Seeded and deterministic:
rerunning rewrites the same bytes.
"""
import os
import struct

import numpy as np
from PIL import Image, ImageOps

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "layouts", "decode")


def tiff16(path, arr):
    """A little-endian baseline TIFF of a uint16 array of shape (h, w) or (h, w, 3)."""
    h, w = arr.shape[:2]
    spp = 1 if arr.ndim == 2 else arr.shape[2]
    data = arr.astype("<u2").tobytes()
    entries = []  # (tag, type, count, value-or-offset)
    n_entries = 10
    ifd_offset = 8
    extra_offset = ifd_offset + 2 + 12 * n_entries + 4
    bits_offset = extra_offset
    extra = b""
    if spp == 3:
        extra += struct.pack("<3H", 16, 16, 16)
    data_offset = extra_offset + len(extra)
    entries.append((256, 4, 1, w))  # ImageWidth
    entries.append((257, 4, 1, h))  # ImageLength
    entries.append((258, 3, spp, bits_offset if spp == 3 else 16))  # BitsPerSample
    entries.append((259, 3, 1, 1))  # Compression: none
    entries.append((262, 3, 1, 2 if spp == 3 else 1))  # Photometric: RGB / BlackIsZero
    entries.append((273, 4, 1, data_offset))  # StripOffsets
    entries.append((277, 3, 1, spp))  # SamplesPerPixel
    entries.append((278, 4, 1, h))  # RowsPerStrip
    entries.append((279, 4, 1, len(data)))  # StripByteCounts
    entries.append((284, 3, 1, 1))  # PlanarConfiguration: chunky
    assert len(entries) == n_entries
    ifd = struct.pack("<H", n_entries)
    for tag, typ, count, value in entries:
        if typ == 3 and count == 1:
            ifd += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, typ, count, value)
    ifd += struct.pack("<I", 0)
    with open(path, "wb") as f:
        f.write(b"II" + struct.pack("<HI", 42, ifd_offset) + ifd + extra + data)


def reference(name):
    path = os.path.join(OUT, name)
    im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    with open(path + ".rgb", "wb") as f:
        f.write(struct.pack("<II", im.width, im.height) + np.asarray(im).tobytes())
    print(name, Image.open(path).mode, "->", im.mode, im.size)


def main():
    rng = np.random.default_rng(17)
    yy, xx = np.mgrid[0:24, 0:31]
    tiff16(os.path.join(OUT, "gray16.tif"), (xx * 60 + yy * 7).astype(np.uint16))
    rgb = rng.integers(0, 65536, size=(24, 31, 3), dtype=np.uint16)
    rgb[:4] = 300  # a band just above 255 in every channel: the high byte is 1
    tiff16(os.path.join(OUT, "rgb16.tif"), rgb)
    reference("gray16.tif")
    reference("rgb16.tif")


if __name__ == "__main__":
    main()
