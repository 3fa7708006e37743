#!/usr/bin/python3
"""Small synthetic datasets in the real on-disk formats of the paper's datasets, for the end-to-end
tests (tests/scripts/paper_datasets_test.sh). Standard library only.

  make_paper_datasets.py cifar100 DIR    DIR/cifar-100-binary: train.bin, test.bin, fine/coarse_label_names.txt
  make_paper_datasets.py imagenet1k DIR  DIR/ILSVRC: train/<wnid>/*.png and val/<wnid>/*.png, every class
  make_paper_datasets.py captions DIR    DIR/captions: images/, train.tsv, train.npy, test.tsv, test.npy

Each image shows its class (or caption group) as a colour, so that training has something to learn.
"""
import os
import random
import struct
import sys
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def png(path, width, height, rgb):
    """A width x height RGB PNG of one colour with a little noise."""
    rows = b""
    for _ in range(height):
        row = bytearray([0])
        for _ in range(width):
            row += bytes(max(0, min(255, c + random.randint(-20, 20))) for c in rgb)
        rows += bytes(row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def npy_f32(path, rows):
    """A float32 C-order .npy of a list of equal-length rows."""
    columns = len(rows[0])
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (len(rows), columns)
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as out:
        out.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        for row in rows:
            out.write(struct.pack("<%df" % columns, *row))


def colour(index, count):
    return [(index * 97) % 256, (index * 57 + 80) % 256, int(255 * index / max(1, count - 1))]


def shipped_column(name, column):
    """A column of data/hierarchies/NAME/synsets.txt or classes.txt, in class order."""
    values = []
    with open(os.path.join(REPO, "data", "hierarchies", name[0], name[1])) as lines:
        for line in lines:
            if line.strip() and not line.startswith("#"):
                values.append(line.rstrip("\n").split("\t")[column])
    return values


def cifar100(root):
    out = os.path.join(root, "cifar-100-binary")
    os.makedirs(out, exist_ok=True)
    fine = shipped_column(("cifar100", "classes.txt"), 2)  # the dataset's own label names, in its label order
    with open(os.path.join(out, "fine_label_names.txt"), "w") as names:
        names.write("\n".join(fine) + "\n")
    with open(os.path.join(out, "coarse_label_names.txt"), "w") as names:
        names.write("\n".join("superclass_%d" % c for c in range(20)) + "\n")
    for part, per_class in (("train", 4), ("test", 1)):
        with open(os.path.join(out, part + ".bin"), "wb") as records:
            for i in range(per_class):
                for label in range(100):
                    r, g, b = colour(label, 100)
                    records.write(bytes([label // 5, label]))
                    for plane in (r, g, b):
                        records.write(bytes(max(0, min(255, plane + random.randint(-20, 20))) for _ in range(1024)))


def imagenet1k(root):
    wnids = shipped_column(("imagenet1k", "synsets.txt"), 1)  # the 1000 ILSVRC-2012 wnids
    for part, per_class in (("train", 1), ("val", 1)):
        for label, wnid in enumerate(wnids):
            folder = os.path.join(root, "ILSVRC", part, wnid)
            os.makedirs(folder, exist_ok=True)
            for i in range(per_class):
                png(os.path.join(folder, "%s_%d.png" % (wnid, i)), 12, 10, colour(label, len(wnids)))


def captions(root):
    out = os.path.join(root, "captions")
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    words = ["a dog on grass", "a cat on a sofa", "a red bus in a street", "a boat on the sea"]
    for part, count in (("train", 48), ("test", 8)):
        lines, embeddings = [], []
        for i in range(count):
            group = i % len(words)
            name = "images/%s_%03d.png" % (part, i)
            png(os.path.join(out, name), 16, 12, colour(group, len(words)))
            lines.append("%s\t%s %d" % (name, words[group], i))
            embeddings.append([1.0 if d == group else random.uniform(-0.1, 0.1) for d in range(8)])
        with open(os.path.join(out, part + ".tsv"), "w") as manifest:
            manifest.write("# image path<TAB>caption\n" + "\n".join(lines) + "\n")
        npy_f32(os.path.join(out, part + ".npy"), embeddings)


if __name__ == "__main__":
    random.seed(1)
    {"cifar100": cifar100, "imagenet1k": imagenet1k, "captions": captions}[sys.argv[1]](sys.argv[2])
