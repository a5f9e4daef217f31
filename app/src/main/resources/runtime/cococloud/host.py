"""The one boundary to the server. Every host method answers JSON: {"result": ...} or
{"error": message, "type": "ValueError" | "RuntimeError" | "TemplateNotFound"}; call() returns
the result or raises the error as that Python exception."""

import datetime

import _json  # json's own accelerator: the json module's import (re, enum) was a third of a new context's

_host = None
_errors = {"ValueError": ValueError, "RuntimeError": RuntimeError, "TypeError": TypeError}


def bind(host):
    global _host
    _host = host


def call(method, *args, errors=None):
    """The result of the host's `method`; its error raised as the exception its type names."""
    if _host is None:
        raise RuntimeError("the server's services are not available here")
    answer = from_json(getattr(_host, method)(*args))
    if "error" in answer:
        kind = (errors or {}).get(answer.get("type")) or _errors.get(answer.get("type"), ValueError)
        raise kind(answer["error"])
    return answer.get("result")


class _Plain:
    """What json.loads gives its scanner when called without options."""
    strict = True
    object_hook = object_pairs_hook = None
    parse_float, parse_int = float, int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


# The server's own JSON is compact: decoding it needs only the scanner, not json.loads' two whitespace matches around
# it, which cost GraalPy ~8 µs a call, more than decoding a small answer (issue 15).
_scan = _json.make_scanner(_Plain)


def from_json(text):
    """json.loads(text) of a str; the json module is imported only to say what is wrong with text that is not JSON
    as the server writes it (no whitespace around it)."""
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        end = None
    if end == len(text):
        return value
    import json
    return json.loads(text)


def jsonable(value):
    """What json.dumps cannot hold: dates as ISO-8601, sets as lists, bytes as base64, else str()."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        import base64  # here, not at the top: a context that never returns bytes does not import it
        return base64.b64encode(value).decode("ascii")
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__index__"):  # a query's total not yet counted, copied out of its result ({**page})
        return value.__index__()
    return str(value)


# json.dumps with options builds a new encoder for every call, which costs GraalPy ~10 µs, more than encoding a small
# result; one built once encodes it in ~1 µs (issue 15). Its circular-reference markers are cleared before each use
# (a failed encoding leaves some behind), and a call made while it encodes (a to_dict() that calls the host) gets
# json.dumps, as a second encoding must not clear the first one's markers.
_markers = {}
_encode = _json.make_encoder(_markers, jsonable, _json.encode_basestring, None, ":", ",", False, False, False)
_encoding = False


def to_json(value):
    """json.dumps(value, default=jsonable, ensure_ascii=False, allow_nan=False, separators=(",", ":"))"""
    global _encoding
    if _encoding:
        import json
        return json.dumps(value, default=jsonable, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    _encoding = True
    try:
        _markers.clear()
        return "".join(_encode(value, 0))
    finally:
        _encoding = False
