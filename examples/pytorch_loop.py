"""shrewd in a plain PyTorch training loop (docs/python.md, "Losses in PyTorch").

Fashion-MNIST from Debian's dataset-fashion-mnist package, a small CNN written in PyTorch, the
method's loss from shrewd.torch with the shipped WordNet hierarchy, then the test images
(queries) and training images (database) encoded, an exact shrewd index searched and the codes
evaluated with shrewd.evaluate; the table is printed.

    PYTHONPATH=build/python /usr/bin/python3 examples/pytorch_loop.py --epochs 2
    PYTHONPATH=build/python /usr/bin/python3 examples/pytorch_loop.py --steps 5 --subset 512   # a smoke run
"""
import argparse
import gzip
import math
import pathlib
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import shrewd
import shrewd.torch as shrewd_torch

SOURCE = pathlib.Path(__file__).resolve().parents[1]
HIERARCHY = SOURCE / "data/hierarchies/fashion-mnist"


def read_idx(path, dimensions):
    """An IDX file (gzip) of unsigned bytes with `dimensions` dimensions, as a numpy array."""
    with gzip.open(path, "rb") as file:
        data = file.read()
    if len(data) < 4 + 4 * dimensions or data[:4] != bytes([0, 0, 8, dimensions]):
        raise ValueError(f"{path}: not an IDX file of unsigned bytes with {dimensions} dimensions")
    shape = struct.unpack(f">{dimensions}I", data[4:4 + 4 * dimensions])
    values = np.frombuffer(data, np.uint8, offset=4 + 4 * dimensions)
    if values.size != math.prod(shape):
        raise ValueError(f"{path}: {values.size} values for shape {shape}")
    return values.reshape(shape)


def load_split(directory, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(directory / f"{prefix}-images-idx3-ubyte.gz", 3)
    labels = read_idx(directory / f"{prefix}-labels-idx1-ubyte.gz", 1)
    return torch.from_numpy(images.astype(np.float32) / 255).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


class HashCnn(nn.Module):
    """Three stages of conv3x3 -> max-pool -> BN -> ReLU (32, 64, 128 channels), FC 256, a hash
    layer of K units (z = tanh(u)) and a linear classifier on z for the CE term."""

    def __init__(self, bits, classes=10):
        super().__init__()
        layers, channels = [], 1
        for width in (32, 64, 128):
            layers += [nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.MaxPool2d(2),
                       nn.BatchNorm2d(width), nn.ReLU()]
            channels = width
        self.features = nn.Sequential(*layers, nn.Flatten(), nn.Linear(128 * 3 * 3, 256, bias=False),
                                      nn.BatchNorm1d(256), nn.ReLU())
        self.hash = nn.Linear(256, bits)
        self.classifier = nn.Linear(bits, classes)

    def forward(self, images):
        z = torch.tanh(self.hash(self.features(images)))
        return z, self.classifier(z)


@torch.no_grad()
def encode(model, images, batch=1000):
    model.eval()
    return torch.cat([model(images[i:i + batch])[0] for i in range(0, len(images), batch)]).numpy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=pathlib.Path, default=pathlib.Path("/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--steps", type=int, default=0, help="at most this many steps per epoch (0: all)")
    parser.add_argument("--subset", type=int, default=0, help="use the first N training and N test images (0: all)")
    parser.add_argument("--bits", type=int, default=64)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train_images, train_labels = load_split(args.data, "train")
    test_images, test_labels = load_split(args.data, "test")
    if args.subset > 0:
        train_images, train_labels = train_images[:args.subset], train_labels[:args.subset]
        test_images, test_labels = test_images[:args.subset], test_labels[:args.subset]

    # The method's loss with the WordNet hierarchy targets (configs/fashion-mnist-64.json's loss).
    class_distances = shrewd.class_distances(HIERARCHY / "hierarchy.txt", HIERARCHY / "classes.txt")
    loss_function = shrewd_torch.TotalLoss(w_ce=1.0, w_sim=3.0, w_kl=0.01, seed=args.seed,
                                           class_distances=class_distances)
    model = HashCnn(args.bits)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps_per_epoch = len(train_images) // args.batch
    if args.steps > 0:
        steps_per_epoch = min(steps_per_epoch, args.steps)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, args.epochs * steps_per_epoch))
    shuffle = torch.Generator().manual_seed(args.seed)

    for epoch in range(args.epochs):
        model.train()
        loss_function.reseed(args.seed * 1000003 + epoch)  # as the trainer does every epoch
        order = torch.randperm(len(train_images), generator=shuffle)
        sums, start = {"loss": 0.0, "ce": 0.0, "sim": 0.0, "kl": 0.0}, time.perf_counter()
        for step in range(steps_per_epoch):
            batch = order[step * args.batch:(step + 1) * args.batch]
            z, logits = model(train_images[batch])
            loss = loss_function(z, train_labels[batch], logits)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            sums["loss"] += loss.item()
            for name in ("ce", "sim", "kl"):
                sums[name] += loss_function.terms[name].item()
        seconds = time.perf_counter() - start
        means = " ".join(f"{name} {value / steps_per_epoch:.4f}" for name, value in sums.items())
        print(f"epoch {epoch + 1}: {means} | {steps_per_epoch * args.batch / seconds:.0f} img/s, {seconds:.0f} s",
              flush=True)

    start = time.perf_counter()
    query_z, database_z = encode(model, test_images), encode(model, train_images)
    query_codes, database_codes = shrewd.pack(query_z), shrewd.pack(database_z)
    print(f"encoded {len(query_codes)} queries and {len(database_codes)} database images into {args.bits}-bit codes "
          f"in {time.perf_counter() - start:.0f} s")

    index = shrewd.IndexFlat(args.bits, threads=0)
    index.add(database_codes)
    distances, ids = index.search(query_codes[:3], 5)
    names = [line.split("\t")[2] for line in (HIERARCHY / "classes.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    for query in range(3):
        found = ", ".join(f"{names[train_labels[i]]} ({d})" for i, d in zip(ids[query], distances[query]))
        print(f"query {query} ({names[test_labels[query]]}), nearest codes: {found}")

    report = shrewd.evaluate(query_codes, test_labels.numpy(), database_codes, train_labels.numpy(),
                             hierarchy=HIERARCHY / "hierarchy.txt", classes=HIERARCHY / "classes.txt",
                             query_features=query_z, db_features=database_z, threads=0)
    print_table(report)


def print_table(report):
    """The headline figures of shrewd.evaluate's dict (the keys of `shrewd eval --json`)."""
    options, hamming, continuous = report["options"], report["hamming"], report["continuous"]["metrics"]
    rows = [("binary codes, ties by index", hamming["index_ties"]), ("binary codes, tie-aware", hamming["tie_aware"]),
            ("continuous z, cosine", continuous)]
    print(f"\n{report['queries']} queries, {report['database']} database items, {report['bits']} bits")
    print(f"| ranking | mAP@{options['map_at']} | mAHP@{options['ahp_at']} |")
    print("| --- | --- | --- |")
    for name, metrics in rows:
        print(f"| {name} | {metrics['map']:.4f} | {metrics['mahp']:.4f} |")
    radius = hamming["radius"]
    database = report["code_statistics"]["database"]
    print(f"precision within Hamming radius {radius['radius']}: {radius['precision']:.4f} "
          f"({100 * radius['empty_share']:.1f}% empty balls); {database['distinct_codes']} distinct database codes")


if __name__ == "__main__":
    main()
