#!/usr/bin/env python3
"""Writes the committed benchmark photo set (src/test/resources/bench/photos/) from Debian 12 packages:
real, public-domain or CC0 photographs, never synthetic ones. Usage: copy_bench_photos.py [OUT_DIR]

- eight files of the scikit-image data set (python3-skimage 0.19.3-8), copied byte for byte;
- SciPy's raccoon face (python3-scipy 1.10.1-2, scipy/misc/face.dat: the 1024x768 RGB samples,
  bz2-compressed), written losslessly as PNG by Pillow (the same samples, no resampling).

Also writes pillow_rgb.sha256: the SHA-256 of Pillow's RGB samples of each PNG. Every source and
every output is checked against the SHA-256 below, so a different package version
fails here instead of silently changing the set. Licences: see bench/photos/README.md."""
import bz2
import hashlib
import os
import shutil
import sys

SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
SCIPY_FACE = "/usr/lib/python3/dist-packages/scipy/misc/face.dat"

# name -> SHA-256 of the file as shipped (copied unchanged)
COPIED = {
    "astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "camera.png": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
    "chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "hubble_deep_field.jpg": "3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4",
    "ihc.png": "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef",
    "retina.jpg": "38a07f36f27f095e818aea7b96d34202c05176d30253c66733f2e00379e9e0e6",
    "rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
}
FACE_DAT_SHA256 = "9d8b0b4d081313e2b485748c770472e5a95ed1738146883d84c7030493e82886"
FACE_PNG_SHA256 = "8427488f1cdfc147a3e10ce539aa1c6537ba64f63829e1b3495aa2c02cc249a7"  # Pillow 9.4 / zlib 1.2.13; the samples are what counts


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check(path, expected):
    got = sha256(path)
    if expected is not None and got != expected:
        sys.exit("%s has SHA-256 %s, expected %s: install python3-skimage 0.19.3-8 and "
                 "python3-scipy 1.10.1-2 (Debian 12), or update the digests here" % (path, got, expected))
    return got


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "bench", "photos")
    os.makedirs(out, exist_ok=True)
    sums = {}
    for name, digest in COPIED.items():
        src = os.path.join(SKIMAGE, name)
        check(src, digest)
        shutil.copyfile(src, os.path.join(out, name))
        sums[name] = check(os.path.join(out, name), digest)
    import numpy as np
    from PIL import Image
    check(SCIPY_FACE, FACE_DAT_SHA256)
    with open(SCIPY_FACE, "rb") as f:
        face = np.frombuffer(bz2.decompress(f.read()), dtype=np.uint8).reshape(768, 1024, 3)
    Image.fromarray(face).save(os.path.join(out, "face.png"), optimize=False, compress_level=6)
    sums["face.png"] = check(os.path.join(out, "face.png"), FACE_PNG_SHA256)
    with open(os.path.join(out, "SHA256SUMS"), "w") as f:
        for name in sorted(sums):
            f.write("%s  %s\n" % (sums[name], name))
    # What Pillow decodes the PNGs to (exif_transpose + convert("RGB"), the samples row by row):
    # PngFastPathTest checks the decoder against these. JPEG decoders differ by a level or two, so
    # the JPEGs have no entry.
    from PIL import ImageOps
    with open(os.path.join(out, "pillow_rgb.sha256"), "w") as f:
        for name in sorted(sums):
            if name.endswith(".png"):
                with Image.open(os.path.join(out, name)) as im:
                    rgb = np.asarray(ImageOps.exif_transpose(im).convert("RGB")).tobytes()
                f.write("%s  %s\n" % (hashlib.sha256(rgb).hexdigest(), name))
    print("wrote", out, len(sums), "photos")


if __name__ == "__main__":
    main()
