#!/usr/bin/python3
"""A synthetic ImageNet-layout folder: COUNT JPEG images of SIDE x SIDE pixels in CLASSES class
folders (class c: smooth colour fields around its own mean colour, plus noise), seeded.
Usage: make_jpeg_folder.py OUT COUNT [SIDE=224] [CLASSES=10]"""
import os
import sys

import numpy as np
from PIL import Image


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    side = int(sys.argv[3]) if len(sys.argv) > 3 else 224
    classes = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    random = np.random.default_rng(15)
    means = random.uniform(40, 215, size=(classes, 3))
    for c in range(classes):
        os.makedirs(os.path.join(out, f"class{c:02d}"), exist_ok=True)
    for i in range(count):
        c = i % classes
        field = np.clip(means[c] + random.normal(0, 40, size=(7, 7, 3)), 0, 255).astype(np.uint8)
        image = Image.fromarray(field).resize((side, side), Image.BICUBIC)
        pixels = np.asarray(image, dtype=np.int16) + random.integers(-12, 13, size=(side, side, 3))
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(
            os.path.join(out, f"class{c:02d}", f"img{i:06d}.jpg"), quality=85)


if __name__ == "__main__":
    main()
