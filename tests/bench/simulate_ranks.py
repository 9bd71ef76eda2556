#!/usr/bin/env python3
"""Replays the per-list times of a search (hetplan_chunk_times) on many MPI ranks that claim chunks of K
device-group lists from rank 0, to choose K: too small and every claim pays a message round trip, too large
and the ranks that finish early wait for the last chunk.

Usage: simulate_ranks.py TIMES_FILE [--ranks 64] [--latency-us 100] [--chunks 1,4,16,64,256,1024]
Prints, per chunk size: the time of the run, its efficiency (the work divided by ranks x time), and how long
the first rank to run out of work waits for the last one.
"""
import argparse
import heapq


def simulate(times, ranks, chunk, latency):
    # Each rank asks for the next chunk as soon as it is free; a claim costs one round trip.
    free = [(0.0, r) for r in range(ranks)]
    heapq.heapify(free)
    ends = [0.0] * ranks
    for start in range(0, len(times), chunk):
        t, r = heapq.heappop(free)
        t += latency + sum(times[start:start + chunk])
        ends[r] = t
        heapq.heappush(free, (t, r))
    # The claim that finds no work left is one more round trip for every rank.
    ends = [e + latency for e in ends]
    return max(ends), max(ends) - min(ends)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("times")
    p.add_argument("--ranks", type=int, default=64)
    p.add_argument("--latency-us", type=float, default=100.0)
    p.add_argument("--chunks", default="1,4,16,64,256,1024,4096")
    a = p.parse_args()
    times = [float(line) for line in open(a.times) if line.strip()]
    total = sum(times)
    print(f"{len(times)} lists, {total / 1e6:.3f} s of work; {a.ranks} ranks, {a.latency_us:.0f} us a claim")
    print("chunk  run (s)  efficiency  last rank waits (ms)")
    for chunk in (int(c) for c in a.chunks.split(",")):
        span, wait = simulate(times, a.ranks, chunk, a.latency_us)
        print(f"{chunk:5d}  {span / 1e6:7.3f}  {total / (a.ranks * span):9.1%}  {wait / 1e3:10.1f}")


if __name__ == "__main__":
    main()
