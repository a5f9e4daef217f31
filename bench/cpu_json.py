#!/usr/bin/env python3
"""The CPython side of scenario (d): runs each function file's main() in this process.

Usage: python3 bench/cpu_json.py FILE.py...
Prints one line per file: NAME FIRST_MS MEDIAN_MS, where FIRST_MS is the first call and
MEDIAN_MS the median of 10 timed calls made after 3 warm-up calls (the first one included).
"""
import os
import statistics
import sys
import timeit

for path in sys.argv[1:]:
    namespace = {"__name__": "function"}
    with open(path, encoding="utf-8") as source:
        exec(compile(source.read(), path, "exec"), namespace)
    main = namespace["main"]
    first = timeit.timeit(main, number=1)
    timeit.timeit(main, number=2)  # warm-up calls 2 and 3
    timed = timeit.repeat(main, number=1, repeat=10)
    name = os.path.splitext(os.path.basename(path))[0]
    print(f"{name} {first * 1000:.1f} {statistics.median(timed) * 1000:.1f}")
