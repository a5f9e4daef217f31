def main():
    # The same page as the REST benchmark: published posts with many views, most viewed first,
    # each with its author.
    return db.query("posts", status="published", views_gte=990000, sort="views", order="desc",
                    limit=20, populate=["author"])
