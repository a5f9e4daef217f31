#!/usr/bin/env python3
"""Data set-up for bench/data.sh (stdlib only). Server: $COCO_URL; admin token: $COCO_TOKEN.

  setup                      create a project with a server key and a `posts` collection whose
                             `author` relation points at `authors`; print shell assignments
  load KEY POSTS THREADS     1,000 authors, then POSTS posts through the batch-create endpoint
                             (1,000 a call, THREADS calls at once); print a Markdown line with
                             the rate
  index PROJECT FIELD        declare FIELD indexed on posts; print the seconds the build took

A post: title, status (published for 1 in 5), views (0..999,999, pseudo-random but the same
on every run), author_id (one of the 1,000 authors), tags.
"""
import concurrent.futures
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coco  # noqa: E402  (the admin client of bench/run.sh)

STATUSES = ["published", "draft", "review", "draft", "archived"]


client = coco.client


def setup():
    project = coco.create_project("Bench data")
    key = coco.admin("POST", f"/projects/{project}/keys", {"kind": "server"})["key"]
    client("POST", "/collections/", {"name": "authors"}, key)
    client("POST", "/collections/", {"name": "posts", "relations": {"author": "authors"}}, key)
    print(f"project={project}\nkey={key}")


def posts(start, count, rng):
    return [{"title": f"Post {n}", "status": STATUSES[n % 5], "views": rng.randrange(1_000_000),
             "author_id": f"author-{n % 1000}", "tags": ["bench", f"t{n % 7}"]}
            for n in range(start, start + count)]


def load(key, total, threads):
    client("POST", "/collections/authors/batch/documents/create",
           {"documents": [{"id": f"author-{n}", "name": f"Author {n}"} for n in range(1000)]}, key)
    batches = [(start, min(1000, total - start)) for start in range(0, total, 1000)]
    rngs = {start: random.Random(start) for start, _ in batches}
    began = time.perf_counter()

    def send(batch):
        start, count = batch
        client("POST", "/collections/posts/batch/documents/create",
               {"documents": posts(start, count, rngs[start])}, key)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for done, _ in enumerate(pool.map(send, batches), 1):
            if done % 100 == 0:
                print(f"[data.py] {done * 1000:,} posts", file=sys.stderr)
    seconds = time.perf_counter() - began
    print(f"{total:,} posts in {seconds:.0f} s through batch create (1,000 a call, {threads} calls at once):"
          f" **{total / seconds:,.0f} documents/s**")


def index(project, field):
    began = time.perf_counter()
    coco.admin("PATCH", f"/projects/{project}/collections/posts", {"indexes": [field]})
    print(f"{time.perf_counter() - began:.1f}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup()
    elif command == "load":
        load(args[0], int(args[1]), int(args[2]))
    elif command == "index":
        index(args[0], args[1])
    else:
        sys.exit(__doc__)
