#!/usr/bin/env python3
"""Helpers of bench/vs-parse.sh (stdlib only): the same data in CocoCloud and in Parse Server, checks that both
answer the same page, and the Markdown report with the ratios of issue 15.

CocoCloud: $COCO_URL with an admin token in $COCO_TOKEN (bench/coco.py). Parse: $PARSE_URL (…/parse), appId
"bench", master key "bench-master-key" (bench/parse/server.js).

  coco-setup                     a project with a server key, collections `authors`, `posts` (its `author` relation
                                 points at `authors`) and `drafts` (where the create benchmark writes); prints shell
                                 assignments project=... key=...
  coco-load KEY POSTS THREADS    100 authors, then POSTS posts through batch create (1,000 a call); prints a line
  parse-load POSTS THREADS       the same documents through Parse's /parse/batch (1,000 a call); prints a line
  check KEY                      the matching posts counted on both sides, and Parse's page function answers 10
                                 posts with their authors; prints a line; fails when the two disagree
  report TSV META                the Markdown report from the measurements (see vs-parse.sh) on stdout

The data: author-0..author-99; post n is "published" when n is even (else draft, review or archived), has
views in 0..1249 and author author-(n % 100), a title and a ~200-character body; so ~46% of the posts are
"published, views >= 100" (the review's 2,299 of 5,000). Post n's values come from random.Random(start of its
batch), the same on both sides and on every run. Creates during the benchmark go to `drafts` / `Draft`, so that
the measured page reads the same data in every round.
"""
import concurrent.futures
import json
import os
import random
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coco  # noqa: E402  (the admin client of bench/run.sh)

AUTHORS = 100
BATCH = 1000
PARSE_URL = os.environ.get("PARSE_URL", "http://127.0.0.1:18096/parse").rstrip("/")
PARSE_HEADERS = {"X-Parse-Application-Id": "bench", "X-Parse-Master-Key": "bench-master-key",
                 "Content-Type": "application/json"}
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
         "dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi").split()


# --- the data -------------------------------------------------------------------------------------------------

def authors():
    return [{"id": f"author-{n}", "name": f"Author {n}", "bio": f"Writes about topic {n % 7}."}
            for n in range(AUTHORS)]


def posts(start, count):
    """Posts start..start+count-1 as plain dicts (author_id names the author)."""
    rng = random.Random(start)
    batch = []
    for n in range(start, start + count):
        status = "published" if n % 2 == 0 else rng.choice(("draft", "review", "archived"))
        batch.append({"title": f"Post {n}", "body": " ".join(rng.choice(WORDS) for _ in range(32)),
                      "status": status, "views": rng.randrange(1250), "author_id": f"author-{n % AUTHORS}"})
    return batch


def batches(total):
    return [(start, min(BATCH, total - start)) for start in range(0, total, BATCH)]


def load_parallel(send, total, threads, label):
    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for done, _ in enumerate(pool.map(send, batches(total)), 1):
            if done % 50 == 0:
                print(f"[vs_parse.py] {label}: {done * BATCH:,} posts", file=sys.stderr)
    seconds = time.perf_counter() - began
    return f"{total:,} posts in {seconds:.1f} s ({total / seconds:,.0f} documents/s, {BATCH:,} a call, {threads} calls at once)"


# --- CocoCloud ------------------------------------------------------------------------------------------------

coco_client = coco.client


def coco_setup():
    project = coco.create_project("Bench vs Parse")
    key = coco.admin("POST", f"/projects/{project}/keys", {"kind": "server"})["key"]
    coco_client("POST", "/collections/", {"name": "authors"}, key)
    coco_client("POST", "/collections/", {"name": "posts", "relations": {"author": "authors"}}, key)
    coco_client("POST", "/collections/", {"name": "drafts"}, key)
    print(f"project={project}\nkey={key}")


def coco_load(key, total, threads):
    coco_client("POST", "/collections/authors/batch/documents/create", {"documents": authors()}, key)

    def send(batch):
        coco_client("POST", "/collections/posts/batch/documents/create", {"documents": posts(*batch)}, key)

    print(load_parallel(send, total, threads, "CocoCloud"))


# --- Parse ----------------------------------------------------------------------------------------------------

def parse_api(method, path, body=None, master=True):
    headers = dict(PARSE_HEADERS)
    if not master:
        del headers["X-Parse-Master-Key"]
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(PARSE_URL + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        sys.exit(f"vs_parse.py: Parse {method} {path} answered {error.code}: {error.read()[:500]!r}")


def parse_batch(class_name, objects):
    requests = [{"method": "POST", "path": f"/parse/classes/{class_name}", "body": o} for o in objects]
    answers = parse_api("POST", "/batch", {"requests": requests})
    failed = [a["error"] for a in answers if "error" in a]
    if failed:
        sys.exit(f"vs_parse.py: Parse batch into {class_name}: {len(failed)} failed, first {failed[0]}")


def parse_post(post):
    post = dict(post)
    post["author"] = {"__type": "Pointer", "className": "Author", "objectId": post.pop("author_id")}
    return post


def parse_load(total, threads):
    parse_batch("Author", [dict(a, objectId=a.pop("id")) for a in authors()])
    # The first create makes the class (with the master key, since clients may not create classes): one post
    # alone, so that the parallel batches do not race to create its table.
    first = posts(0, 1)
    parse_batch("Post", [parse_post(first[0])])
    parse_batch("Draft", [{"title": "schema", "status": "draft", "views": 0}])

    def send(batch):
        start, count = batch
        objects = posts(start, count)[1:] if start == 0 else posts(start, count)
        if objects:
            parse_batch("Post", [parse_post(p) for p in objects])

    print(load_parallel(send, total, threads, "Parse"))


# --- check ----------------------------------------------------------------------------------------------------

def check(key):
    where = urllib.parse.quote(json.dumps({"status": "published", "views": {"$gte": 100}}))
    parse_count = parse_api("GET", f"/classes/Post?where={where}&count=1&limit=0")["count"]
    coco_count = coco_client("GET", "/collections/posts/query/documents/count?status=published&views_gte=100",
                             None, key)["count"]
    parse_total = parse_api("GET", "/classes/Post?count=1&limit=0")["count"]
    coco_total = coco_client("GET", "/collections/posts/query/documents/count", None, key)["count"]
    if (parse_count, parse_total) != (coco_count, coco_total):
        sys.exit(f"vs_parse.py: the data differ: CocoCloud {coco_count} of {coco_total}, "
                 f"Parse {parse_count} of {parse_total}")
    page = parse_api("POST", "/functions/page", {}, master=False)["result"]
    if len(page) != 10 or not all(p.get("author", {}).get("name") for p in page):
        sys.exit(f"vs_parse.py: Parse's page function answered {json.dumps(page)[:300]}")
    print(f"{coco_count:,} of {coco_total:,} posts are published with views >= 100 on both servers")


# --- the report -----------------------------------------------------------------------------------------------

def read_tsv(path):
    """round, target, connections -> {p50, p99, max, rps, errors}"""
    rows = {}
    with open(path, encoding="utf-8") as tsv:
        for line in tsv:
            r, target, conns, p50, p99, mx, rps, errors = line.split()
            rows[(int(r), target, int(conns))] = {"p50": float(p50), "p99": float(p99), "max": float(mx),
                                                  "rps": float(rps), "errors": int(errors)}
    return rows


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as env:
        for line in env:
            if "=" in line:
                name, value = line.rstrip("\n").split("=", 1)
                meta.setdefault(name, []).append(value)
    return meta


def fmt(x, digits=2):
    return f"{x:,.{digits}f}"


def verdict(value, mode, target):
    ok = value >= target if mode == "ge" else value <= target
    return "**met**" if ok else "**not met**"


# (label, numerator, denominator, metric, mode, target): numerator and denominator are (target, connections);
# the ratio is taken within each round, then its median and range over the rounds are reported. For "rps"
# the ratio is CocoCloud's requests/s over the other's (higher is better); for "p50" CocoCloud's latency over the
# other's (lower is better); REST-over-function is how far the function stays behind our own REST page.
RATIOS = [
    ("1. page function vs Parse's page function, 8 connections", ("coco-page", 8), ("parse-page", 8), "rps", "ge", 2),
    ("1. our REST page vs page function (how far the function is behind), 8 connections",
     ("coco-rest", 8), ("coco-page", 8), "rps", "le", 1.5),
    ("1. page_total function (reads `total`) vs Parse's page function, 8 connections",
     ("coco-page-total", 8), ("parse-page", 8), "rps", None, None),
    ("2. hello vs Parse's hello, 1 connection", ("coco-hello", 1), ("parse-hello", 1), "rps", "ge", 1.5),
    ("2. hello p50 / bare endpoint p50, 1 connection", ("coco-hello", 1), ("bare", 1), "p50", "le", 2),
    ("2. hello vs Parse's hello, 16 connections", ("coco-hello", 16), ("parse-hello", 16), "rps", "ge", 2.5),
    ("2. hello vs the naive CPython server, 16 connections", ("coco-hello", 16), ("naive", 16), "rps", "ge", 3),
    ("3. create one document vs Parse's REST create, 8 connections", ("coco-create", 8), ("parse-create", 8),
     "rps", "ge", 1.5),
]

NOINDEX = "-noindex"
LABELS = {
    "coco-page": "CocoCloud function `page` (`db.query(...)[\"data\"]`)",
    "coco-page-total": "CocoCloud function `page_total` (the whole `db.query` result)",
    "coco-rest": "CocoCloud REST page `GET /collections/posts/documents?…`",
    "parse-page": "Parse cloud function `page`",
    "coco-hello": "CocoCloud function `hello`",
    "parse-hello": "Parse cloud function `hello`",
    "bare": "bare Spring endpoint `/bench/bare`",
    "naive": "naive CPython server",
    "coco-create": "CocoCloud `POST /collections/documents`",
    "parse-create": "Parse `POST /parse/classes/Draft`",
}


def ratio_of(rows, rnd, num, den, metric):
    a, b = rows.get((rnd, *num)), rows.get((rnd, *den))
    if not a or not b or b[metric] == 0:
        return None
    if metric == "rps":
        return a["rps"] / b["rps"]
    return a["p50"] / b["p50"]


def median_range(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None, None
    return statistics.median(values), min(values), max(values)


def report(tsv, meta_path):
    rows, meta = read_tsv(tsv), read_meta(meta_path)
    one = {k: v[-1] for k, v in meta.items()}
    rounds = sorted({r for r, _, _ in rows})
    out = []
    md = out.append
    md(f"# CocoCloud against Parse Server (issue 15), {one.get('started_at', '?')}")
    md("")
    md(f"- command: `{one.get('command', 'bench/vs-parse.sh')}`; {len(rounds)} interleaved rounds"
       f" (in each, every target after the other, the two a ratio compares next to each other but for the bare"
       f" endpoint, one target away from our hello; the order flipped every other round)")
    md(f"- machine: {one.get('machine', '?')}; load average before the run: {one.get('load_before', '?')},"
       f" after: {one.get('load_after', '?')}")
    md(f"- CocoCloud: {one.get('coco_version', '?')}; {one.get('java', '?')}; {one.get('graalpy', '?')}")
    md(f"- Parse Server: {one.get('parse_version', '?')} on Node {one.get('node', '?')}")
    md(f"- PostgreSQL: {one.get('pg', '?')} for both, each its own cluster from the same binaries ({one.get('pg_bin', '?')});"
       f" Parse's runs as `nobody` on port {one.get('pg_port', '?')}")
    md(f"- data: {int(one.get('posts', 0)):,} posts and {AUTHORS} authors; {one.get('check', '?')}")
    md(f"- loading: CocoCloud {one.get('coco_load', '?')}; Parse {one.get('parse_load', '?')}")
    md(f"- `views` declared indexed on CocoCloud's `posts`: {one.get('index', '?')}")
    md(f"- wrk: {one.get('warmup', '?')} s warm-up per target and round (in the first round repeated until two runs in a row each gain < 5 % req/s over the best before them, 3-16 runs), then {one.get('duration', '?')} s"
       f" measured; ratios are taken within a round, then the median and the range over the rounds")
    md("")
    md("## Ratios against the targets of issue 15")
    md("")
    md("| measure | median | range | target | verdict |")
    md("|---|---|---|---|---|")
    ratios = list(RATIOS)
    if any(t.endswith(NOINDEX) for _, t, _ in rows):  # --no-index-too: the page ratios before the declaration
        ratios += [(f"{label} (before `views` was declared indexed)", (num[0] + NOINDEX, num[1]),
                    (den[0] + NOINDEX, den[1]), metric, mode, target)
                   for label, num, den, metric, mode, target in RATIOS if label.startswith("1.")]
    for label, num, den, metric, mode, target in ratios:
        med, lo, hi = median_range(ratio_of(rows, r, num, den, metric) for r in rounds)
        if med is None:
            md(f"| {label} | – | – | | not measured |")
            continue
        goal = "" if mode is None else (f"≥ {target}×" if mode == "ge" else f"≤ {target}×")
        md(f"| {label} | {fmt(med)}× | {fmt(lo)}–{fmt(hi)}× | {goal} | "
           f"{verdict(med, mode, target) if mode else 'no target'} |")
    for name, label, target in (("coco_restart_ms", "4. restart to first function response, CocoCloud", 5000),
                                ("coco_rss_idle_mb", "4. idle RSS 20 s after start, CocoCloud", 350),
                                ("coco_rss_idle_restart_mb", "4. idle RSS 20 s after a restart as users start it"
                                                             " (without bench/bare), CocoCloud",
                                 350),
                                ("coco_rss_load_mb", "4. RSS right after each round's load, CocoCloud", 600),
                                ("coco_rss_100fn_mb", "4. RSS with 100 functions in 10 projects (the worse of"
                                                      " deployed and each called once), CocoCloud", 500)):
        values = [float(v) for v in meta.get(name, [])]
        med, lo, hi = median_range(values)
        unit = "ms" if name.endswith("_ms") else "MB"
        if med is None:
            skipped = "--no-restarts" in one.get("command", "") and name in (
                "coco_restart_ms", "coco_rss_idle_restart_mb", "coco_rss_100fn_mb")
            md(f"| {label} | – | – | ≤ {target:,} {unit} | {'skipped (--no-restarts)' if skipped else 'not measured'} |")
        else:
            md(f"| {label} | {fmt(med, 0)} {unit} | {fmt(lo, 0)}–{fmt(hi, 0)} {unit} | ≤ {target:,} {unit} | "
               f"{verdict(med, 'le', target)} |")
    md("")
    md("Restart and memory of both servers (median, range; PostgreSQL's processes not included):")
    md("")
    md("| | CocoCloud | Parse | CocoCloud / Parse |")
    md("|---|---|---|---|")
    for label, coco_name, parse_name, unit in (
            ("restart to first function response", "coco_restart_ms", "parse_restart_ms", "ms"),
            ("idle RSS, 20 s after start", "coco_rss_idle_mb", "parse_rss_idle_mb", "MB"),
            ("idle RSS, 20 s after the last restart", "coco_rss_idle_restart_mb", "parse_rss_idle_restart_mb", "MB"),
            ("RSS right after each round's load", "coco_rss_load_mb", "parse_rss_load_mb", "MB")):
        c = median_range([float(v) for v in meta.get(coco_name, [])])
        p = median_range([float(v) for v in meta.get(parse_name, [])])
        if c[0] is None or p[0] is None:
            md(f"| {label} | – | – | – |")
            continue
        md(f"| {label} | {fmt(c[0], 0)} {unit} ({fmt(c[1], 0)}–{fmt(c[2], 0)}) | {fmt(p[0], 0)} {unit}"
           f" ({fmt(p[1], 0)}–{fmt(p[2], 0)}) | {fmt(c[0] / p[0], 1)}× |")
    if meta.get("coco_rss_100fn_detail"):
        md("")
        md(f"100 functions in 10 projects (CocoCloud only; after the restarts, 20 s idle each):"
           f" {one['coco_rss_100fn_detail']}.")
    md("")
    md("## Every run")
    md("")
    md("| round | target | connections | p50 (ms) | p99 (ms) | max (ms) | req/s | errors |")
    md("|---|---|---|---|---|---|---|---|")
    for (rnd, target, conns), v in sorted(rows.items()):
        name = LABELS.get(target.removesuffix(NOINDEX), target)
        if target.endswith(NOINDEX):
            name += ", no declared index"
        md(f"| {rnd} | {name} | {conns} | {fmt(v['p50'], 3)} | {fmt(v['p99'])} | "
           f"{fmt(v['max'], 1)} | {fmt(v['rps'], 0)} | {v['errors']} |")
    errors = sum(v["errors"] for v in rows.values())
    md("")
    if errors:
        md(f"**{errors} requests failed** (non-2xx answers or socket errors, counted by wrk): see the table.")
    else:
        md("No request failed (wrk counted no non-2xx answer and no socket error).")
    for name, title in (("restart_note", "Restarts (stop, start, poll the hello function every 50 ms until a 200):"),
                        ("idle_note", "When the idle readings came (the server's log: its heap is compacted once it"
                                      " has been quiet for 10 s):")):
        if meta.get(name):
            md("")
            md(title)
            md("")
            for note in meta[name]:
                md(f"- {note}")
    print("\n".join(out))


if __name__ == "__main__":
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("help", [])
    if command == "coco-setup":
        coco_setup()
    elif command == "coco-load":
        coco_load(args[0], int(args[1]), int(args[2]))
    elif command == "parse-load":
        parse_load(int(args[0]), int(args[1]))
    elif command == "check":
        check(args[0])
    elif command == "report":
        report(args[0], args[1])
    else:
        sys.exit(__doc__)
