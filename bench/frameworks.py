#!/usr/bin/env python3
"""Web framework apps against a plain WSGI handler (bench/README.md "Framework apps"), driven by
bench/frameworks.sh (stdlib, wrk and jcmd).

Each app answers "Hello, World!" at its function's URL, deployed as a zip with its packages vendored beside the entry
file (Debian's packages, fetched by scripts/python-test-packages.sh into app/target/python-packages/; an app whose
set is missing is left out). For each, in projects of their own:
- deploy: the upload's time (the server compiles the app's own files then);
- load: the time the server logged for loading the version into a context (the framework's import), from the
  deploy's background pre-warm;
- first call: from the end of the deploy until the first 200 (503 + Retry-After answers while it loads are retried);
- warm: 300 sequential calls on one keep-alive connection after 50 warm-up calls (p50, p99);
- 16 connections: wrk, 10 s, after 5 s runs until no call is refused (a project runs 4 calls at once, so its pool
  grows to 4 contexts, each loading the app);
- heap per context: the JVM's heap after a full collection (jcmd) with the app loaded in one context of each of
  3 more projects, minus before, divided by 3.
"""
import http.client
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
import zipfile

import coco

PACKAGES = os.path.join(os.path.dirname(__file__), "..", "app", "target", "python-packages")
HELLO = b"Hello, World!"

PLAIN = """\
def handler(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Hello, World!']
"""
FLASK = """\
from flask import Flask

app = Flask(__name__)

@app.route('/')
def index():
    return 'Hello, World!'

def handler(environ, start_response):
    return app(environ, start_response)
"""
FASTAPI = """\
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()

@app.get('/', response_class=PlainTextResponse)
def index():
    return 'Hello, World!'
"""
DJANGO = """\
import django
from django.conf import settings

settings.configure(DEBUG=False, SECRET_KEY='bench', ROOT_URLCONF=__name__, ALLOWED_HOSTS=['*'], DATABASES={},
                   INSTALLED_APPS=[], MIDDLEWARE=[], USE_TZ=False)
django.setup()

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

def index(request):
    return HttpResponse('Hello, World!', content_type='text/plain')

urlpatterns = [path('', index)]
application = get_wsgi_application()
"""
APPS = [("plain WSGI handler", None, PLAIN, "index.handler"),
        ("Flask 2.2 (bookworm)", "flask", FLASK, "index.handler"),
        ("FastAPI 0.115 (trixie)", "fastapi", FASTAPI, "index.app"),
        ("Django 4.2 (trixie)", "django", DJANGO, "index.application")]


def vendored(package_set):
    files = {}
    if package_set is None:
        return files
    root = os.path.join(PACKAGES, package_set)
    for folder, _, names in os.walk(root):
        if "__pycache__" in folder:
            continue
        for name in names:
            if name == ".complete" or name.endswith((".so", ".pyc")):
                continue
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                continue  # a Debian symlink into a package not unpacked (werkzeug's jquery.js)
            with open(path, "rb") as file:
                files[os.path.relpath(path, root)] = file.read()
    return files


def upload(project, name, source, handler, package_set):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in vendored(package_set).items():
            archive.writestr(path, content)
        archive.writestr("index.py", source)
    boundary = "----bench-" + uuid.uuid4().hex
    body = io.BytesIO()
    for field, value in (("name", name), ("handler", handler), ("timeout_s", "60")):
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode())
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="zip"; filename="app.zip"\r\n'
               f"Content-Type: application/zip\r\n\r\n".encode())
    body.write(buffer.getvalue())
    body.write(f"\r\n--{boundary}--\r\n".encode())
    request = urllib.request.Request(f"{coco.BASE}/admin/api/v1/projects/{project}/functions", data=body.getvalue(),
                                     method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                             "Authorization": "Bearer " + os.environ["COCO_TOKEN"]})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    return answer["id"], time.perf_counter() - started


def until_ok(path):
    """Seconds until the URL answers 200, retrying its 503s (the app still loading)."""
    started = time.perf_counter()
    refused = 0
    while True:
        connection = http.client.HTTPConnection(*address())
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status == 200:
            if body != HELLO:
                sys.exit(f"frameworks.py: {path} answered {body[:200]!r}")
            return time.perf_counter() - started, refused
        if response.status != 503:
            sys.exit(f"frameworks.py: {path} answered {response.status}: {body[:500]!r}")
        refused += 1
        time.sleep(float(response.getheader("Retry-After", "1")))


def address():
    parts = urllib.parse.urlsplit(coco.BASE)
    return parts.hostname, parts.port


def sequential(path):
    latencies = coco.sequential_latencies(path, warmup=50, calls=300)
    return statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]


def wrk(path):
    url = coco.BASE + path
    for _ in range(12):  # until a whole run is answered: the pool grows to the project's 4 contexts first
        output = subprocess.run(["wrk", "-t2", "-c16", "-d5s", url], capture_output=True, text=True).stdout
        if "Non-2xx" not in output and "Socket errors" not in output:
            break
    output = subprocess.run(["wrk", "-t2", "-c16", "-d10s", url], capture_output=True, text=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    refused = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return float(rate.group(1)) if rate else 0.0, int(refused.group(1)) if refused else 0


def heap_used():
    pid = os.environ["SERVER_PID"]
    subprocess.run(["jcmd", pid, "GC.run"], capture_output=True, check=True)
    info = subprocess.run(["jcmd", pid, "GC.heap_info"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"used (\d+)K", info)
    return int(match.group(1)) * 1024


def load_time(function_id):
    """The load the server logged for the function's version (its deploy's pre-warm), in ms, or None."""
    with open(os.environ["SERVER_LOG"], encoding="utf-8", errors="replace") as log:
        times = re.findall(rf"Loaded {function_id}:1:index\.py of project \S+ into a context in (\d+) ms", log.read())
    return int(times[0]) if times else None


def warm_up_server():
    """The JVM's JIT, Tomcat's and GraalPy's first calls: paid here, not by the first app measured."""
    project = coco.create_project("bench-warm-up")
    function_id, _ = upload(project, "app", PLAIN, "index.handler", None)
    path = f"/functions/{function_id}/invoke/"
    until_ok(path)
    coco.sequential_latencies(path, warmup=0, calls=3000)
    wrk(path)


def main():
    warm_up_server()
    rows = []
    for label, package_set, source, handler in APPS:
        if package_set is not None and not os.path.isfile(os.path.join(PACKAGES, package_set, ".complete")):
            print(f"frameworks.py: {label} left out: run scripts/python-test-packages.sh", file=sys.stderr)
            continue
        project = coco.create_project(f"bench-{package_set or 'plain'}")
        function_id, deploy = upload(project, "app", source, handler, package_set)
        path = f"/functions/{function_id}/invoke/"
        first, refused = until_ok(path)
        p50, p99 = sequential(path)
        rate, wrk_refused = wrk(path)
        before = heap_used()
        for i in range(3):
            other = coco.create_project(f"bench-{package_set or 'plain'}-{i}")
            other_id, _ = upload(other, "app", source, handler, package_set)
            until_ok(f"/functions/{other_id}/invoke/")
        per_context = (heap_used() - before) / 3
        loaded = load_time(function_id)
        rows.append((label, deploy, loaded, first, refused, p50, p99, rate, wrk_refused, per_context))
        print(f"frameworks.py: {label} done", file=sys.stderr)
    print("| app | deploy (s) | load logged (s) | first call after deploy (s) | warm p50 / p99 (ms) "
          "| req/s, 16 connections | heap per context (MB) |")
    print("|---|---|---|---|---|---|---|")
    for label, deploy, loaded, first, refused, p50, p99, rate, wrk_refused, per_context in rows:
        print(f"| {label} | {deploy:.1f} | {'under 1' if loaded is None else f'{loaded / 1000:.1f}'} "
              f"| {first:.1f}{f' ({refused} × 503)' if refused else ''} | {p50 * 1000:.2f} / {p99 * 1000:.2f} "
              f"| {rate:,.0f}{f' ({wrk_refused} refused)' if wrk_refused else ''} | {per_context / 2**20:.0f} |")


if __name__ == "__main__":
    main()
