"""def main() / async def main(): the JSON envelope, or a raw HTMLResponse (docs/functions.md#responses)."""

from cococloud import responses
from cococloud.render import HTMLResponse


def prepare(version):
    from cococloud.styles import entry
    version.entry = entry(version, "main")
    if not callable(version.entry):
        raise TypeError(f"main in {version.entry_file} is a {type(version.entry).__name__}, not a function")


def run(version, request):
    result = version.entry()
    if hasattr(result, "__await__") and not isinstance(result, HTMLResponse):
        from cococloud import aio  # only async entry points need it
        result = aio.run(result, version.uses_asyncio)
    return outcome(result)


def outcome(result):
    status, headers = 200, None
    # (body, status[, headers]); a bool is an int to Python, but ("x", True) is a pair of values
    if (isinstance(result, tuple) and len(result) in (2, 3) and isinstance(result[1], int)
            and not isinstance(result[1], bool)):
        status = responses.checked_status(result[1], "main()")
        headers = responses.checked_headers(result[2] if len(result) == 3 else None, "main()")
        result = result[0]
    if isinstance(result, HTMLResponse):
        status = responses.checked_status(result.status_code, "main()")
        all_headers = dict(responses.checked_headers(result.headers, "main()"))
        if result.content_type:
            all_headers["Content-Type"] = result.content_type
        body = result.body
        return responses.raw(status, all_headers, body if isinstance(body, (bytes, bytearray)) else str(body))
    return responses.envelope(status, headers, result)
