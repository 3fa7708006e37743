"""The method's loss from Python: shrewd.torch.TotalLoss (the trainer's C++ functions) against the
same loss written in plain PyTorch (bench/train_speed/train_speed.py), side by side in one run.

Forward + backward of CE + 3 L_sim (hierarchy targets) + 0.01 per-bit KL (k = 1, sigma 0.1,
eps 1e-3) on z = tanh(u) [128, 64] and logits [128, 10], alternating the two for several rounds;
prints the median time per call of each round and of all rounds: wall-clock time, or with
--clock cpu the process's CPU time (all its threads), which a busy machine disturbs less.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_loss_speed.py [--calls 200] [--rounds 5] [--threads 2] [--clock cpu]
"""
import argparse
import pathlib
import statistics
import sys
import time

import torch
import torch.nn.functional as F

import shrewd
import shrewd.torch as shrewd_torch

SOURCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SOURCE / "bench/train_speed"))
from train_speed import per_bit_kl, similarity_loss  # noqa: E402  the plain-PyTorch loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200, help="forward + backward calls per round and side")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--bits", type=int, default=64)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    hierarchy = SOURCE / "data/hierarchies/fashion-mnist"
    classes = torch.from_numpy(shrewd.class_distances(hierarchy / "hierarchy.txt", hierarchy / "classes.txt"))
    generator = torch.Generator().manual_seed(0)
    u = torch.randn(args.batch, args.bits, generator=generator).requires_grad_(True)
    weight = (0.1 * torch.randn(10, args.bits, generator=generator)).requires_grad_(True)
    labels = torch.randint(0, 10, (args.batch,), generator=generator)

    shrewd_loss = shrewd_torch.TotalLoss(class_distances=classes)
    plain_generator = torch.Generator().manual_seed(1)

    def shrewd_step():
        z = torch.tanh(u)
        shrewd_loss(z, labels, z @ weight.t()).backward()

    def plain_step():
        z = torch.tanh(u)
        target = classes[labels][:, labels]
        loss = (F.cross_entropy(z @ weight.t(), labels) + 3 * similarity_loss(z, target)
                + 0.01 * per_bit_kl(z, plain_generator))
        loss.backward()

    clock = time.perf_counter if args.clock == "wall" else time.process_time

    def milliseconds_per_call(step):
        for _ in range(10):
            step()
        times = []
        for _ in range(args.calls):
            start = clock()
            step()
            times.append(clock() - start)
        return 1000 * statistics.median(times)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch {args.batch}, K = {args.bits}, "
          f"median {args.clock} time of {args.calls} forward + backward calls per round")
    print("| round | shrewd.torch ms | plain PyTorch ms | plain / shrewd |")
    print("| --- | --- | --- | --- |")
    shrewd_all, plain_all = [], []
    for round_index in range(1, args.rounds + 1):
        ms_shrewd = milliseconds_per_call(shrewd_step)
        ms_plain = milliseconds_per_call(plain_step)
        shrewd_all.append(ms_shrewd)
        plain_all.append(ms_plain)
        print(f"| {round_index} | {ms_shrewd:.3f} | {ms_plain:.3f} | {ms_plain / ms_shrewd:.2f} |")
    shrewd_median, plain_median = statistics.median(shrewd_all), statistics.median(plain_all)
    print(f"| median | {shrewd_median:.3f} | {plain_median:.3f} | {plain_median / shrewd_median:.2f} |")


if __name__ == "__main__":
    main()
