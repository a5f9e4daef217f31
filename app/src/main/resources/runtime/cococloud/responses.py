"""What a call gives back to the server: one Outcome with named fields, read in one place in Java
(GuestOutcome). The checks of what HTTP can carry are shared by every style."""

from cococloud import host


class Outcome:
    """kind: "envelope" (body is main()'s result as JSON), "raw" (body is sent as is), "error" (body is
    "Type: message", traceback the user's frames) or "bad_response" (body names what HTTP cannot carry).
    A binary body is bytes carried as a latin-1 str; headers are JSON text or None."""

    __slots__ = ("kind", "status", "headers", "body", "binary", "traceback")

    def __init__(self, kind, status, headers=None, body="", binary=False, traceback=None):
        self.kind = kind
        self.status = status
        self.headers = headers
        self.body = body
        self.binary = binary
        self.traceback = traceback


class BadResponse(Exception):
    """The function answered what HTTP cannot carry: answered 502 BadResponse with this message."""


def bad_response(message):
    return Outcome("bad_response", 502, body=message)


def error(error, trace):
    return Outcome("error", 500, body=f"{type(error).__name__}: {error}", traceback=trace)


def checked_status(status, who):
    if isinstance(status, bool) or not isinstance(status, int):
        raise BadResponse(f"{who} returned the status {status!r:.40} ({type(status).__name__}); "
                          "an HTTP status is an int between 200 and 599")
    if not 200 <= status <= 599:
        raise BadResponse(f"{who} returned the status {status}; an HTTP status is an int between 200 and 599")
    return status


def checked_headers(headers, who):
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        raise BadResponse(f"{who} returned headers as a {type(headers).__name__}; "
                          "headers are a dict of names to str values")
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, (str, int, float)):
            raise BadResponse(f"{who} returned the header {name!r:.40} with a {type(value).__name__} value; "
                              "headers are a dict of names to str values")
    return headers


# Set by the server from the body it sends, or meaningless once the response is complete.
_SERVER_HEADERS = frozenset(("content-length", "transfer-encoding", "connection", "keep-alive"))


def header_pairs(pairs, who):
    """Response headers given as (name, value) pairs (WSGI, ASGI, a class handler's wfile): repeated
    names joined with ", ", and the headers the server sets itself left out."""
    headers = {}
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise BadResponse(f"{who} gave the header {pair!r:.60}; a header is a (name, value) pair of str")
        name, value = pair
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(name, str) or not isinstance(value, str):
            raise BadResponse(f"{who} gave the header {name!r:.40} with a {type(value).__name__} value; "
                              "header names and values are str")
        if name.lower() in _SERVER_HEADERS:
            continue
        existing = next((key for key in headers if key.lower() == name.lower()), None)
        if existing is None:
            headers[name] = value
        else:
            headers[existing] += ", " + value
    return headers


def raw(status, headers, body):
    """A raw HTTP answer; body is str (sent as UTF-8) or bytes."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return Outcome("raw", status, _headers_json(headers), bytes(body).decode("latin-1"), True)
    return Outcome("raw", status, _headers_json(headers), body, False)


def envelope(status, headers, result):
    return Outcome("envelope", status, _headers_json(headers) if headers else None, result_json(result, "main()"))


def _headers_json(headers):
    return host.to_json({str(k): str(v) for k, v in headers.items()}) if headers else None


def result_json(value, who):
    try:
        return host.to_json(value)
    except ValueError as problem:  # inf, nan or a circular reference, which JSON cannot hold
        raise BadResponse(f"{who} returned a value JSON cannot hold: {problem}") from None
