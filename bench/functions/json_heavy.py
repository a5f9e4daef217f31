import json


def main():
    # 1,000 records of 20 fields each (strings, ints, floats, booleans, None, a list, a dict),
    # serialised and parsed back.
    records = [
        {
            "id": i, "name": f"user {i}", "email": f"user{i}@example.com", "active": i % 2 == 0,
            "score": i * 1.5, "age": 20 + i % 50, "city": "Berlin", "country": "DE",
            "tags": ["a", "b", str(i)], "address": {"street": f"Street {i}", "zip": f"{10000 + i}"},
            "created": "2026-11-21T12:00:00Z", "updated": None, "balance": i * 3.25, "level": i % 7,
            "verified": True, "notes": "lorem ipsum dolor sit amet", "rank": 1000 - i,
            "ratio": i / 1000, "currency": "EUR", "locale": "de_DE",
        }
        for i in range(1000)
    ]
    text = json.dumps(records)
    return len(json.loads(text))
