#!/usr/bin/env python3
"""Sites against functions (bench/README.md "Sites"), driven by bench/sites.sh (stdlib only).

One project gets a function `def main(): return {"message": "Hello, World!"}` and a site whose route
cloud-functions/api/hello.py is the same code, beside a 60-route tree (static, [param] and [[catch-all]] routes)
and an index.html. Each URL gets 500 warm-up calls, then 3,000 sequential calls on one keep-alive connection.
Prints a Markdown table.
"""
import io
import json
import os
import statistics
import time
import urllib.request
import zipfile

import coco

HELLO = 'def main():\n    return {"message": "Hello, World!"}\n'
WARMUP, CALLS = 500, 3000


def site_zip():
    files = {"index.html": "<!doctype html><h1>Hello</h1>", "cloud-functions/api/hello.py": HELLO}
    for i in range(20):
        files[f"cloud-functions/api/area{i}/index.py"] = HELLO
        files[f"cloud-functions/api/area{i}/[id].py"] = HELLO
        files[f"cloud-functions/api/area{i}/[[rest]].py"] = HELLO
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return buffer.getvalue(), len(files)


def deploy_site(project):
    body, count = site_zip()
    request = urllib.request.Request(f"{coco.BASE}/admin/api/v1/projects/{project}/sites", data=body, method="POST",
                                     headers={"Content-Type": "application/zip",
                                              "Authorization": "Bearer " + os.environ["COCO_TOKEN"]})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    return answer, count, time.perf_counter() - started


def sequential(path):
    ordered = coco.sequential_latencies(path, WARMUP, CALLS)
    return (statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99)] * 1000, ordered[-1] * 1000,
            len(ordered) / sum(ordered))


def main():
    project = coco.create_project("bench-sites")
    function = coco.create_function(project, "hello", HELLO)
    site, files, deploy_s = deploy_site(project)
    rows = [
        ("function `/functions/{id}/execute`", f"/functions/{function}/execute"),
        ("site route `/p/{project}/api/hello`", f"/p/{project}/api/hello"),
        ("site `[param]` route `/p/{project}/api/area19/42`", f"/p/{project}/api/area19/42"),
        ("site catch-all `/p/{project}/api/area19/a/b/c`", f"/p/{project}/api/area19/a/b/c"),
        ("site static `/p/{project}/` (index.html, 200)", f"/p/{project}/"),
    ]
    print(f"Deploy of a {files}-file site ({len(site['routes'])} routes, each .py file checked by Python): "
          f"{deploy_s * 1000:.0f} ms.")
    print()
    print(f"{CALLS:,} sequential GETs per URL on one keep-alive connection, after {WARMUP} warm-up calls:")
    print()
    print("| target | p50 (ms) | p99 (ms) | max (ms) | calls/s |")
    print("|---|---|---|---|---|")
    for name, path in rows:
        p50, p99, worst, rate = sequential(path)
        print(f"| {name} | {p50:.2f} | {p99:.2f} | {worst:.1f} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
