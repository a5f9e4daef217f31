def main():
    # The same page as page.py, returning the whole answer of db.query: `total` (and has_more) is read.
    return db.query("posts", status="published", views_gte=100, limit=10, populate=["author"])
