"""The demo model and loss of shrewd, written in Python with PyTorch, timed like the C++ step.

Same work as BM_DemoTrainingStep in bench/train_step_bench.cpp: small CNN (for widths 32, 64,
128: conv3x3 without bias -> maxpool 2 -> BN -> ReLU -> conv3x3 without bias -> BN -> ReLU; FC 256
without bias -> BN -> ReLU), linear to 64 bits, tanh, linear classifier on z; loss = CE +
3 * L_sim (relative distances, C x C class targets) + 0.01 * per-bit kNN KL (k = 1, sigma = 0.1,
m = n, eps 1e-3); Adam; batch 128 of random 28x28 images. Prints images per second.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class DemoModel(nn.Module):
    def __init__(self, bits=64, classes=10, widths=(32, 64, 128), feature_dim=256):
        super().__init__()
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        self.extra_convs = nn.ModuleList()
        self.extra_norms = nn.ModuleList()
        channels, side = 1, 28
        for width in widths:
            self.convs.append(nn.Conv2d(channels, width, 3, padding=1, bias=False))
            self.norms.append(nn.BatchNorm2d(width))
            self.extra_convs.append(nn.Conv2d(width, width, 3, padding=1, bias=False))
            self.extra_norms.append(nn.BatchNorm2d(width))
            channels, side = width, side // 2
        self.fc = nn.Linear(channels * side * side, feature_dim, bias=False)
        self.fc_norm = nn.BatchNorm1d(feature_dim)
        self.hash = nn.Linear(feature_dim, bits)
        self.classifier = nn.Linear(bits, classes)

    def forward(self, x):
        for conv, norm, extra_conv, extra_norm in zip(self.convs, self.norms, self.extra_convs, self.extra_norms):
            x = F.relu(norm(F.max_pool2d(conv(x), 2)))
            x = F.relu(extra_norm(extra_conv(x)))
        x = F.relu(self.fc_norm(self.fc(x.flatten(1))))
        z = torch.tanh(self.hash(x))
        return z, self.classifier(z)


def similarity_loss(z, target, eps=1e-6):
    n, bits = z.shape
    off = ~torch.eye(n, dtype=torch.bool)
    dz = ((1 - z @ z.t() / bits) / 2)[off]
    dt = target[off]
    if dt.mean().item() <= 0:
        return z.sum() * 0
    return (dz / (dz.mean() + eps) - dt / (dt.mean() + eps)).square().mean()


def per_bit_kl(z, generator, sigma=0.1, eps=1e-3):
    n, bits = z.shape
    q = (torch.randint(0, 2, (n, bits), generator=generator).float() * 2 - 1
         + sigma * torch.randn(n, bits, generator=generator))
    p = z.t().contiguous()
    ps = p.sort(1).values
    qs = q.t().contiguous().sort(1).values
    gap = ps[:, 1:] - ps[:, :-1]
    inf = torch.full_like(ps[:, :1], math.inf)
    rho = torch.minimum(torch.cat([gap, inf], 1), torch.cat([inf, gap], 1))
    with torch.no_grad():
        pos = torch.searchsorted(qs, p.detach())
        cand = pos.unsqueeze(2) + torch.tensor([-1, 0])
        valid = (cand >= 0) & (cand < n)
        index = cand.clamp(0, n - 1)
    neighbours = qs.gather(1, index.reshape(bits, -1)).reshape(bits, n, 2)
    dist = (p.unsqueeze(2) - neighbours).abs().masked_fill(~valid, math.inf)
    nu = dist.min(2).values
    return (torch.log(nu + eps) - torch.log(rho + eps)).mean() + math.log(n / (n - 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = DemoModel()
    model.train()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    inputs = torch.rand(128, 1, 28, 28)
    labels = torch.randint(0, 10, (128,))
    classes = torch.rand(10, 10)
    classes = ((classes + classes.t()) / 2).fill_diagonal_(0)
    generator = torch.Generator().manual_seed(1)

    def step():
        z, logits = model(inputs)
        target = classes[labels][:, labels]
        loss = F.cross_entropy(logits, labels) + 3 * similarity_loss(z, target) + 0.01 * per_bit_kl(z, generator)
        adam.zero_grad()
        loss.backward()
        adam.step()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(f"python {torch.__version__} threads {torch.get_num_threads()}: "
          f"{args.steps * 128 / seconds:.0f} images/s ({1000 * seconds / args.steps:.1f} ms/step)")


if __name__ == "__main__":
    main()
