def main():
    # Parse's `page` (bench/parse/cloud/main.js): 10 published posts with views >= 100, newest first (created_at
    # descending, db.query's default), each with its author. Returns what Parse's returns, the list: nobody reads
    # `total` here, so the issue says it must not be paid for.
    return db.query("posts", status="published", views_gte=100, limit=10, populate=["author"])["data"]
