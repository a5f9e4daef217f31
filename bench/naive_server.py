#!/usr/bin/env python3
"""The naive design, as the baseline of scenario (b): a CPython stdlib HTTP server that, for
every GET, reads the function's source from its file, execs it in a fresh namespace with a
minimal `request`, calls main() and answers the same JSON envelope as CocoCloud
({success, result, output, error, execution_time}).

Usage: python3 bench/naive_server.py SOURCE_FILE [PORT]   (port 18090 by default)
"""
import io
import json
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

SOURCE = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 18090


class Request:
    """Just enough of CocoCloud's `request` for simple functions."""

    def __init__(self, handler):
        url = urlsplit(handler.path)
        self.method = handler.command
        self.path = url.path
        self.headers = {key.lower(): value for key, value in handler.headers.items()}
        self.query_params = dict(parse_qsl(url.query))
        self.body = b""

    def json(self):
        return {}

    def get(self, key, default=None):
        return self.query_params.get(key, default)


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open, as the Java server does; the default HTTP/1.0 would make
    # wrk reconnect for every request and understate what this design can do.
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm on, the second waits for the
    # client's delayed ACK (~40 ms a request on Linux).
    disable_nagle_algorithm = True

    def do_GET(self):
        started = time.perf_counter()
        output = io.StringIO()

        def captured_print(*args, sep=" ", end="\n", file=None, flush=False):
            output.write(sep.join(map(str, args)) + end)

        try:
            with open(SOURCE, encoding="utf-8") as source:
                code = source.read()
            namespace = {"__name__": "function", "request": Request(self), "print": captured_print}
            exec(compile(code, SOURCE, "exec"), namespace)
            status, success, result, error = 200, True, namespace["main"](), None
        except Exception:  # the function's error goes into the envelope, like CocoCloud's
            status, success, result, error = 500, False, None, traceback.format_exc()
        body = json.dumps({"success": success, "result": result, "output": output.getvalue(),
                           "error": error, "execution_time": round(time.perf_counter() - started, 6)},
                          separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # one stderr line per request would slow the server down and flood the log


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog of 5 is small for 16 connections opening at once


if __name__ == "__main__":
    print(f"naive server on port {PORT}, running {SOURCE}", flush=True)
    Server(("127.0.0.1", PORT), Handler).serve_forever()
