#!/usr/bin/env python3
"""The tenant-fairness figures of bench/README.md (issue 9's reproductions, measured): how a bystander project's
trivial function answers while another project (1) floods a slow function with 120 callers, (2) holds a call
in a builtin that ignores cancellation. Needs $COCO_URL and $COCO_TOKEN as coco.py does; prints Markdown.
"""
import statistics
import threading
import time
import urllib.error
import urllib.request

import coco


def timed_get(url):
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
        error.read()
    return status, time.perf_counter() - started


def url(function_id):
    return f"{coco.BASE}/functions/{function_id}/execute"


def summary(times):
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{statistics.median(ordered) * 1000:.1f} | {p99 * 1000:.1f} | {ordered[-1] * 1000:.1f}"


def bystander_times(function_id, seconds, pause=0.2):
    times, statuses = [], []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        status, took = timed_get(url(function_id))
        statuses.append(status)
        times.append(took)
        time.sleep(pause)
    return times, statuses


def flood(function_id, callers, seconds, codes):
    end = time.monotonic() + seconds

    def caller():
        while time.monotonic() < end:
            status, _ = timed_get(url(function_id))
            codes.append(status)

    threads = [threading.Thread(target=caller, daemon=True) for _ in range(callers)]
    for thread in threads:
        thread.start()
    return threads


def main():
    flooder = coco.create_project("Bench flooder")
    stuck = coco.create_project("Bench stuck")
    bystander = coco.create_project("Bench bystander")
    sleeper = coco.create_function(flooder, "sleeper", "def main():\n    time.sleep(15)\n    return 'slept'\n", 60)
    power = coco.create_function(stuck, "power", "def main():\n    return len(str(7 ** 20_000_000))\n", 1)
    normal = coco.create_function(bystander, "normal", "def main():\n    return {'ok': True}\n")
    looping = coco.create_function(bystander, "looping", "def main():\n    while True:\n        pass\n", 1)
    for function_id in (normal, sleeper):
        timed_get(url(function_id))  # warm

    print("| bystander's trivial function | calls | p50 (ms) | p99 (ms) | max (ms) | non-200 |")
    print("|---|---|---|---|---|---|")
    quiet, statuses = bystander_times(normal, 10)
    print(f"| quiet server | {len(quiet)} | {summary(quiet)} | {sum(s != 200 for s in statuses)} |")

    codes = []
    threads = flood(sleeper, 120, 30, codes)
    time.sleep(2)  # the flood is on
    busy, statuses = bystander_times(normal, 25)
    for thread in threads:
        thread.join()
    print(f"| while 120 callers re-send another project's `time.sleep(15)` for 30 s | {len(busy)} "
          f"| {summary(busy)} | {sum(s != 200 for s in statuses)} |")
    print()
    print(f"The flood's own answers: {codes.count(200)} × 200, {codes.count(503)} × 503 (busy, at once), "
          f"{len(codes) - codes.count(200) - codes.count(503)} other.")
    print()

    print("| another project's `while True: pass` (timeout 1 s) | answer | took (s) |")
    print("|---|---|---|")
    holder = threading.Thread(target=lambda: timed_get(url(power)), daemon=True)
    holder.start()
    time.sleep(1.5)  # the power call's timeout has passed: its stop is under way and cannot finish
    status, took = timed_get(url(looping))
    print(f"| while a `7 ** 20_000_000` call of a third project ignores its stop | {status} | {took:.2f} |")
    status, took = timed_get(url(normal))
    print(f"| the bystander's trivial function right after | {status} | {took:.3f} |")
    holder.join()


if __name__ == "__main__":
    main()
