#!/usr/bin/env python3
"""Two `vigil` binaries back to back on the same inputs: CPU and wall time of `vigil check`.

The binaries alternate (A, B, A, B, ...) after one warm-up each, so a loaded machine slows both
alike; CPU time (user + system of the child) is the steadier figure. Medians of --rounds runs.

    bench/check_ab.py OLD_VIGIL NEW_VIGIL [--rounds 3] [--jobs 1] DIR [DIR ...]
    bench/check_ab.py /tmp/base/build/cli/vigil build/cli/vigil /usr/share/go-1.19/src/net/http
"""
import argparse
import resource
import statistics
import subprocess
import time


def run(binary, paths, jobs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([binary, "check", *paths, "--format", "json", "--fail-on", "never", "--jobs", str(jobs)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("paths", nargs="+", help="files or directories, checked together in one run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    results = {args.old: [], args.new: []}
    for binary in results:
        run(binary, args.paths, args.jobs)  # warm-up (page cache, rule compilation caches)
    for _ in range(args.rounds):
        for binary in results:
            results[binary].append(run(binary, args.paths, args.jobs))
    cpu = [statistics.median(c for c, _ in results[b]) for b in results]
    wall = [statistics.median(w for _, w in results[b]) for b in results]
    print(f"cpu {cpu[0]:.2f}s -> {cpu[1]:.2f}s ({(cpu[1] / cpu[0] - 1) * 100:+.1f}%)   "
          f"wall {wall[0]:.2f}s -> {wall[1]:.2f}s ({(wall[1] / wall[0] - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
