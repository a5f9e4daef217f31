#!/usr/bin/env python3
"""The 202 latency of async calls (bench/README.md "Async invocations"): N sequential POSTs to
/functions/{id}/async-invoke/ on one keep-alive connection, after a warm-up, each answered once the call and its
queue task are stored in PostgreSQL; then how long the queue takes to run them all. Needs $COCO_URL and
$COCO_TOKEN as coco.py does; prints Markdown.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

import coco


def accept_times(function_id, count):
    url = urllib.parse.urlparse(coco.BASE)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    body = json.dumps({"order": 42}).encode()
    times, ids = [], []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("POST", f"/functions/{function_id}/async-invoke/", body,
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        times.append(time.perf_counter() - started)
        if response.status != 202:
            sys.exit(f"async_accept.py: expected 202, got {response.status}: {answer[:200]!r}")
        ids.append(json.loads(answer)["execution_id"])
    connection.close()
    return times, ids


def sync_times(function_id, count):
    """The same function called synchronously on one connection: what this machine's noise looks like now."""
    url = urllib.parse.urlparse(coco.BASE)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", f"/functions/{function_id}/execute")
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def row(name, times):
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"| {name} | {statistics.median(ordered) * 1000:.2f} | {p99 * 1000:.2f} | {ordered[-1] * 1000:.1f} |"
            f" {statistics.mean(ordered) * 1000:.2f} | {sum(1 for t in ordered if t > 0.1)} |")


def pending(project, function_id):
    """Calls still queued or running (at most 500 of each are counted)."""
    count = 0
    for state in ("queued", "running"):
        count += len(coco.admin("GET", f"/projects/{project}/functions/{function_id}/executions"
                                f"?status={state}&limit=500"))
    return count


def main(count=500, warmup=100):
    project = coco.create_project("Bench async")
    function_id = coco.create_function(project, "accept", "def main():\n    return {'ok': True}\n")
    coco.call_ok(function_id)
    accept_times(function_id, warmup)
    drained_before = time.monotonic()
    while pending(project, function_id) and time.monotonic() - drained_before < 120:
        time.sleep(0.5)
    times, _ = accept_times(function_id, count)
    sent = time.monotonic()
    while pending(project, function_id) and time.monotonic() - sent < 300:
        time.sleep(0.2)
    drain = time.monotonic() - sent
    synchronous = sync_times(function_id, count)
    print(f"{count} sequential calls after {warmup} warm-up calls, one keep-alive connection each:")
    print()
    print("| call | p50 (ms) | p99 (ms) | max (ms) | mean (ms) | over 100 ms |")
    print("|---|---|---|---|---|---|")
    print(row("async-invoke, 202", times))
    print(row("execute, 200 (the same function, synchronously, afterwards)", synchronous))
    print()
    print(f"None queued or running any more {drain:.1f} s after the last 202.")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
