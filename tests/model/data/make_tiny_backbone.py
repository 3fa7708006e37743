#!/usr/bin/python3
"""Writes tiny_backbone.pt, the TorchScript fixture of tests/model/hash_model_test.cpp:
a scripted nn.Module as a user would export it from Python (Conv2d, BatchNorm2d, Linear,
nested modules), mapping [B, 1, 8, 8] images to [B, 12] features.

    /usr/bin/python3 tests/model/data/make_tiny_backbone.py   # Debian python3 + python3-torch
"""
import pathlib

import torch
from torch import nn


class TinyBackbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2))
        self.project = nn.Linear(4 * 4 * 4, 12)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.project(torch.flatten(self.features(x), 1)))


def main():
    torch.manual_seed(0)
    scripted = torch.jit.script(TinyBackbone())
    target = pathlib.Path(__file__).with_name("tiny_backbone.pt")
    scripted.save(str(target))
    print(f"{target}: {sum(p.numel() for p in scripted.parameters())} parameters")


if __name__ == "__main__":
    main()
