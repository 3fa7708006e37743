#!/usr/bin/env python3
"""Whole `shrewd` processes as a user runs them: start-up, peak memory, and a one-shot search.

    python3 bench/cli_process_bench.py [--build build] [--repeats 11] [--work out/cli-bench]

Measures, side by side in one run (median wall time of --repeats runs, peak resident memory from
the kernel's rusage of each child):
  - `shrewd --help` and `shrewd index info --index small.shx` (targets: <= 30 MB, <= 50 ms), beside
    `shrewd-torch --help`, the LibTorch program that `shrewd train` hands over to;
  - `shrewd search --threads 1` over 2,000,000 clustered 64-bit codes (noisy copies of 2,000 centres,
    p = 0.1; 2,000 queries, k = 10) with a flat index file and with a multi-index file (target: the
    multi-index process at least 5x faster), plus each index's build time and file size.
The data is generated once into --work (search-demo) and reused. Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(command):
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"cli_process_bench: {' '.join(command)} failed:\n{stderr}")
    return seconds, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def measure(command, repeats):
    runs = [run_once(command) for _ in range(repeats)]
    times = sorted(t for t, _ in runs)
    return {
        "command": " ".join(command),
        "median_ms": statistics.median(times) * 1000,
        "min_ms": times[0] * 1000,
        "max_ms": times[-1] * 1000,
        "peak_mb": max(m for _, m in runs),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--search-repeats", type=int, default=5)
    parser.add_argument("--work", default="out/cli-bench")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    cli = os.path.join(args.build, "src/shrewd/cli")
    shrewd, shrewd_torch = os.path.join(cli, "shrewd"), os.path.join(cli, "shrewd-torch")
    os.makedirs(args.work, exist_ok=True)
    db, queries = os.path.join(args.work, "db.npy"), os.path.join(args.work, "queries.npy")
    if not (os.path.exists(db) and os.path.exists(queries)):
        subprocess.run([shrewd, "search-demo", "--codes", "2000000", "--queries", "2000", "--bits", "64",
                        "--centres", "2000", "--flip", "0.1", "--show", "0", "--dir", args.work],
                       check=True, stdout=subprocess.DEVNULL)

    small = os.path.join(args.work, "small.shx")
    subprocess.run([shrewd, "index", "build", "--codes", queries, "--out", small], check=True, stdout=subprocess.DEVNULL)
    builds = {}
    for name, extra in (("flat", []), ("mih", ["--mih"])):
        path = os.path.join(args.work, f"{name}.shx")
        seconds = min(run_once([shrewd, "index", "build", "--codes", db, *extra, "--out", path])[0] for _ in range(3))
        builds[name] = {"build_s": seconds, "file_mb": os.path.getsize(path) / 2**20, "path": path}

    rows = {
        "shrewd --help": measure([shrewd, "--help"], args.repeats),
        "shrewd index info": measure([shrewd, "index", "info", "--index", small], args.repeats),
    }
    if os.path.exists(shrewd_torch):
        rows["shrewd-torch --help (LibTorch)"] = measure([shrewd_torch, "--help"], args.repeats)
    out = os.path.join(args.work, "result")
    for name in ("flat", "mih"):
        rows[f"search, {name} file"] = measure(
            [shrewd, "search", "--index", builds[name]["path"], "--queries", queries, "-k", "10", "--threads", "1",
             "--out", out], args.search_repeats)

    print(f"# shrewd processes ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f})\n")
    print("| process | median ms | min-max ms | peak MB |")
    print("|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | {row['median_ms']:.1f} | {row['min_ms']:.1f}-{row['max_ms']:.1f} | {row['peak_mb']:.1f} |")
    speedup = rows["search, flat file"]["median_ms"] / rows["search, mih file"]["median_ms"]
    print(f"\nsearch process, flat / multi-index: {speedup:.1f}x (target >= 5x)")
    for name, build in builds.items():
        print(f"index build --{name}: {build['build_s']:.2f} s, {build['file_mb']:.1f} MB")
    checks = {
        "help <= 30 MB and <= 50 ms": rows["shrewd --help"]["peak_mb"] <= 30 and rows["shrewd --help"]["median_ms"] <= 50,
        "index info <= 30 MB and <= 50 ms":
            rows["shrewd index info"]["peak_mb"] <= 30 and rows["shrewd index info"]["median_ms"] <= 50,
        "multi-index search process >= 5x faster": speedup >= 5,
    }
    for name, ok in checks.items():
        print(f"{'met' if ok else 'NOT met'}: {name}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "builds": builds, "speedup": speedup, "checks": checks}, f, indent=2)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
