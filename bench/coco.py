#!/usr/bin/env python3
"""CocoCloud admin API client and timed calls for bench/run.sh (stdlib only).

Server: $COCO_URL (default http://localhost:18081). Every command but `token` needs an admin
personal access token in $COCO_TOKEN.

  token EMAIL PASSWORD                 print a new personal access token
  project NAME                         create a project; print its id
  deploy PROJECT NAME FILE [TIMEOUT_S] create a function from FILE; print its id
  call ID                              call /functions/ID/execute once; print the body; fail unless success
  deploy-many PROJECTS FUNCTIONS       PROJECTS new projects x FUNCTIONS distinct small functions;
                                       print the function ids, one a line
  call-each IDS_FILE                   call every function of IDS_FILE once; fail unless all succeed
  cold-deploy PROJECT N                scenario (c1): N times, create a function in PROJECT and time
                                       until its first successful execute; print a Markdown table
  cold-project N                       scenario (c2): N times, create a project, deploy, time the
                                       first execute; print a Markdown table
  exec-times ID N                      call N times; print the first call's envelope execution_time
                                       and the median of the last 10, in ms
  probe URL N                          N sequential GETs on one keep-alive connection; print a
                                       Markdown line: p50, p99, max and the calls over 50 ms

cold-deploy also appends cold_median_ms=... and cold_max_ms=... to the file $BENCH_SUMMARY.
"""
import http.client
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("COCO_URL", "http://localhost:18081").rstrip("/")


def api(method, path, body=None, token=None, headers=None):
    """Returns (status, parsed JSON body); HTTP errors are answers too, not exceptions."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except urllib.error.URLError as error:
        sys.exit(f"coco.py: {method} {BASE}{path}: {error.reason}")
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def admin(method, path, body=None):
    status, answer = api(method, "/admin/api/v1" + path, body, os.environ["COCO_TOKEN"])
    if status >= 300:
        sys.exit(f"coco.py: {method} {path} answered {status}: {answer}")
    return answer


def client(method, path, body, key):
    """A call of the client API with a project's key; exits on anything but success."""
    status, answer = api(method, path, body, None, headers={"x-api-key": key})
    if status >= 300:
        sys.exit(f"{os.path.basename(sys.argv[0])}: {method} {path} answered {status}: {answer}")
    return answer


def create_project(name):
    return admin("POST", "/projects", {"name": name})["id"]


def create_function(project, name, code, timeout_s=None):
    body = {"name": name, "code": code}
    if timeout_s is not None:
        body["timeout_s"] = timeout_s
    return admin("POST", f"/projects/{project}/functions", body)["id"]


def execute(function_id):
    return api("GET", f"/functions/{function_id}/execute")


def call_ok(function_id):
    status, envelope = execute(function_id)
    if status != 200 or not isinstance(envelope, dict) or envelope.get("success") is not True:
        sys.exit(f"coco.py: function {function_id} answered {status}: {envelope}")
    return envelope


def sequential_latencies(path, warmup, calls):
    """Sorted latencies (s) of `calls` GETs of `path` on one keep-alive connection, after `warmup` untimed ones;
    exits when one is not a 200."""
    parts = urllib.parse.urlsplit(BASE)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    latencies = []
    for i in range(warmup + calls):
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"coco.py: {path} answered {response.status}")
        if i >= warmup:
            latencies.append(time.perf_counter() - started)
    return sorted(latencies)


def ms(seconds):
    return f"{seconds * 1000:.0f}"


def cold_deploy(project, count):
    """Deploy -> first response in a project whose Python contexts are already warm."""
    rows, totals = [], []
    for i in range(1, count + 1):
        code = f'def main():\n    return {{"cold_start": {i}, "at": {time.time()!r}}}\n'
        started = time.perf_counter()
        function_id = create_function(project, f"cold-{i}", code)
        deployed = time.perf_counter()
        attempts = 1
        while True:  # "first successful execute": retry should the first answer not be a success
            status, envelope = execute(function_id)
            if status == 200 and isinstance(envelope, dict) and envelope.get("success") is True:
                break
            if attempts >= 50:
                sys.exit(f"coco.py: new function {function_id} still answers {status}: {envelope}")
            attempts += 1
        done = time.perf_counter()
        totals.append(done - started)
        rows.append(f"| {i} | {ms(deployed - started)} | {ms(done - deployed)} | {attempts} | {ms(done - started)} |")
    print("| run | create (POST) ms | first execute ms | execute attempts | deploy → first response ms |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"| **median** | | | | **{ms(statistics.median(totals))}** |")
    print(f"| **max** | | | | **{ms(max(totals))}** |")
    with open(os.environ["BENCH_SUMMARY"], "a", encoding="utf-8") as summary:
        summary.write(f"cold_median_ms={ms(statistics.median(totals))}\ncold_max_ms={ms(max(totals))}\n")


def cold_project(count):
    """First call in a brand-new project: includes creating its first Python context."""
    print("| run | create project ms | deploy (POST) ms | first execute ms | its execution_time ms | second execute ms |")
    print("|---|---|---|---|---|---|")
    for i in range(1, count + 1):
        code = f'def main():\n    return {{"idle_project": {i}}}\n'
        t0 = time.perf_counter()
        project = create_project(f"Bench idle project {i}")
        t1 = time.perf_counter()
        function_id = create_function(project, "first", code)
        t2 = time.perf_counter()
        envelope = call_ok(function_id)
        t3 = time.perf_counter()
        call_ok(function_id)
        t4 = time.perf_counter()
        print(f"| {i} | {ms(t1 - t0)} | {ms(t2 - t1)} | {ms(t3 - t2)} | {ms(envelope['execution_time'])} "
              f"| {ms(t4 - t3)} |")


def deploy_many(projects, functions):
    for p in range(projects):
        project = create_project(f"Bench memory {p}")
        for f in range(functions):
            code = (f"def main():\n"
                    f"    values = [{p}, {f}, {p * functions + f}]\n"
                    f"    return {{\"project\": {p}, \"function\": {f}, \"total\": sum(values) * {f + 1}}}\n")
            print(create_function(project, f"fn-{p}-{f}", code), flush=True)


def exec_times(function_id, count):
    times = [call_ok(function_id)["execution_time"] for _ in range(count)]
    print(f"{times[0] * 1000:.1f} {statistics.median(times[-10:]) * 1000:.1f}")


def probe(url, count):
    """Plain, uncorrected latencies of sequential calls, to read wrk's corrected percentiles by."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", parts.path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"coco.py: {url} answered {response.status}")
        latencies.append(time.perf_counter() - started)
    ordered = sorted(latencies)
    slow = [f"#{i + 1}: {ms(t)} ms" for i, t in enumerate(latencies) if t > 0.05]
    print(f"{count:,} sequential calls: p50 {ordered[count // 2] * 1000:.2f} ms, "
          f"p99 {ordered[int(count * 0.99)] * 1000:.2f} ms, max {ordered[-1] * 1000:.0f} ms; "
          f"calls over 50 ms: {', '.join(slow) or 'none'}.")


def main(argv):
    command, args = (argv[1], argv[2:]) if len(argv) > 1 else ("help", [])
    if command == "token":
        status, answer = api("POST", "/admin/api/v1/auth/token",
                              {"email": args[0], "password": args[1], "name": "bench"})
        if status != 201:
            sys.exit(f"coco.py: token request answered {status}: {answer}")
        print(answer["token"])
    elif command == "project":
        print(create_project(args[0]))
    elif command == "deploy":
        with open(args[2], encoding="utf-8") as source:
            code = source.read()
        print(create_function(args[0], args[1], code, int(args[3]) if len(args) > 3 else None))
    elif command == "call":
        print(json.dumps(call_ok(args[0])))
    elif command == "deploy-many":
        deploy_many(int(args[0]), int(args[1]))
    elif command == "call-each":
        with open(args[0], encoding="utf-8") as ids:
            for function_id in ids.read().split():
                call_ok(function_id)
    elif command == "cold-deploy":
        cold_deploy(args[0], int(args[1]))
    elif command == "cold-project":
        cold_project(int(args[0]))
    elif command == "probe":
        probe(args[0], int(args[1]))
    elif command == "exec-times":
        exec_times(args[0], int(args[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
