#!/usr/bin/python3
"""Python `Index.search` against the C++ search, side by side in one run (docs/python.md):
1,000,000 random 64-bit codes x 1,000 queries, k = 100, one thread by default.

Each repetition runs, in turn:
  flat_bench    the C++ benchmark (bench/flat_bench.cpp, BM_FlatIndex): FlatIndex over its own
                uniform random codes of the same sizes, one measured search of all queries;
                wall time and the process's CPU time of that search;
  shrewd search the command line on this script's index file; the time it reports covers the
                search call alone (reading queries and writing results are outside it);
  Python        shrewd.read_index(file).search(queries, k) on the same file, timed around the
                call from Python (argument checks, the GIL release and the result arrays
                included): wall time and the calling thread's CPU time (one search thread runs
                on the calling thread).
The overhead is Python / C++ - 1 on medians (and on the fastest runs). On a shared machine the
CPU times are the steadier figure: they do not count time spent waiting for a core.

  /usr/bin/python3 bench/python_search_bench.py --build build

needs the targets shrewd_python, shrewd and flat_bench built in that build directory.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np


def median_text(times):
    med = statistics.median(times)
    return f"median {med:.4f} s, min {min(times):.4f}, max {max(times):.4f}, spread {(max(times) - min(times)) / med:.0%}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="build directory (default build)")
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--bits", type=int, default=64, choices=[64, 128, 256])
    parser.add_argument("-k", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1, choices=[1, 2])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    load_before = os.getloadavg()

    sys.path.insert(0, os.path.join(args.build, "python"))
    import shrewd  # noqa: E402  (the package as built)

    cli = os.path.join(args.build, "src", "shrewd", "cli", "shrewd")
    flat_bench = os.path.join(args.build, "bench", "flat_bench")
    if args.k != 100:
        sys.exit("flat_bench searches with k = 100")
    environment = dict(os.environ, SHREWD_BENCH_CODES=str(args.codes), SHREWD_BENCH_QUERIES=str(args.queries))
    rng = np.random.default_rng(1)
    times = {name: [] for name in ("flat_bench wall", "flat_bench cpu", "cli wall", "python wall", "python cpu")}
    with tempfile.TemporaryDirectory(prefix="shrewd-python-bench-") as d:
        codes = rng.integers(0, 256, (args.codes, args.bits // 8), dtype=np.uint8)
        queries = rng.integers(0, 256, (args.queries, args.bits // 8), dtype=np.uint8)
        index_file, queries_file = os.path.join(d, "db.shx"), os.path.join(d, "queries.npy")
        built = shrewd.IndexFlat(args.bits)
        built.add(codes)
        built.write(index_file)
        np.save(queries_file, queries)
        del built, codes
        index = shrewd.read_index(index_file, threads=args.threads)
        index.search(queries[:1], args.k)  # builds the searcher, as opening the file does for the others

        for repeat in range(args.repeats):
            run = subprocess.run([flat_bench, f"--benchmark_filter=BM_FlatIndex/bits:{args.bits}/threads:{args.threads}/",
                                  "--benchmark_min_time=0", "--benchmark_format=json"],
                                 check=True, capture_output=True, text=True, env=environment)
            result = json.loads(run.stdout)["benchmarks"][0]
            scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[result["time_unit"]]
            times["flat_bench wall"].append(result["real_time"] * scale)
            times["flat_bench cpu"].append(result["cpu_time"] * scale)

            out = subprocess.run([cli, "search", "--index", index_file, "--queries", queries_file, "-k", str(args.k),
                                  "--threads", str(args.threads), "--out", os.path.join(d, "result")],
                                 check=True, capture_output=True, text=True).stdout
            times["cli wall"].append(float(re.search(r" in ([0-9.e+-]+) s\n", out).group(1)))

            wall, cpu = time.perf_counter(), time.thread_time()
            distances, ids = index.search(queries, args.k)
            times["python cpu"].append(time.thread_time() - cpu)
            times["python wall"].append(time.perf_counter() - wall)
            if repeat == 0:  # the same answers as the command line, or the comparison means nothing
                assert np.array_equal(ids, np.load(os.path.join(d, "result.ids.npy")))
                assert np.array_equal(distances, np.load(os.path.join(d, "result.dist.npy")))

    print(f"{args.codes} codes of {args.bits} bits x {args.queries} queries, k = {args.k}, {args.threads} thread(s), "
          f"{args.repeats} repetitions in turn; load average (1, 5, 15 min) before "
          f"{', '.join(f'{x:.1f}' for x in load_before)}, after {', '.join(f'{x:.1f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores")
    labels = {"flat_bench wall": "C++ flat_bench, wall", "flat_bench cpu": "C++ flat_bench, CPU",
              "cli wall": "C++ shrewd search, wall", "python wall": "Python Index.search, wall",
              "python cpu": "Python Index.search, CPU"}
    for name, label in labels.items():
        print(f"  {label:28s} {median_text(times[name])}")

    def overhead(python, cpp):
        return (f"{statistics.median(times[python]) / statistics.median(times[cpp]) - 1:+.1%} (medians), "
                f"{min(times[python]) / min(times[cpp]) - 1:+.1%} (fastest)")

    print(f"Python over flat_bench, CPU:  {overhead('python cpu', 'flat_bench cpu')}")
    print(f"Python over flat_bench, wall: {overhead('python wall', 'flat_bench wall')}")
    print(f"Python over shrewd search, wall: {overhead('python wall', 'cli wall')}")


if __name__ == "__main__":
    main()
