#!/usr/bin/env python3
"""Waits for a URL's first 200 and prints when it came (milliseconds since the epoch).

Usage: first_ok.py URL [--post BODY] [--header 'Name: value']... [--every SECONDS] [--timeout SECONDS] [--pid PID]

Why not a shell loop of curl: on this machine kind starting a process costs CPU (curl ~17 ms, sleep and grep
~4 ms each, measured), so `until curl ...; do sleep 0.05; done` took ~0.3 of one core from the start it was timing,
on a 2-core machine whose start is bound by CPU. This one process polls with a socket per attempt.
Exits 1 when the timeout passes or the process --pid ends first.
"""
import argparse
import http.client
import os
import sys
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--post", help="send a POST with this body (else a GET)")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--every", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--pid", type=int, help="give up when this process has ended")
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    path = url.path + ("?" + url.query if url.query else "")
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {name.strip(): value.strip() for name, value in headers.items()}
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if args.pid and not alive(args.pid):
            sys.exit(f"first_ok: process {args.pid} ended before {args.url} answered 200")
        if answered_ok(url, path, args.post, headers):
            print(time.time_ns() // 1_000_000)
            return
        time.sleep(args.every)
    sys.exit(f"first_ok: no 200 from {args.url} within {args.timeout:g} s")


def answered_ok(url, path, body, headers):
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=10)
    try:
        connection.request("POST" if body is not None else "GET", path, body=body, headers=headers)
        return connection.getresponse().status == 200
    except OSError:  # not listening yet, or reset while starting
        return False
    finally:
        connection.close()


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


if __name__ == "__main__":
    main()
