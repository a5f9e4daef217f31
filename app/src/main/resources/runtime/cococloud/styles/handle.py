"""def handle(req) / async def handle(req): the returned dict's status_code, headers and body (§6)."""

from cococloud import responses


def prepare(version):
    from cococloud.styles import entry
    version.entry = entry(version, "handle")


def run(version, request):
    result = version.entry(request)
    if hasattr(result, "__await__"):
        from cococloud import aio  # only async entry points need it
        result = aio.run(result, version.uses_asyncio)
    if result is None:
        return responses.raw(200, {}, "")
    if not isinstance(result, dict):
        raise responses.BadResponse(f"handle() returned a {type(result).__name__}; it returns a dict with "
                                    "status_code, headers and body, or None")
    status = responses.checked_status(result.get("status_code", 200), "handle()")
    headers = dict(responses.checked_headers(result.get("headers"), "handle()"))
    typed = any(name.lower() == "content-type" for name in headers)
    body = result.get("body")
    if body is None:
        body = ""
    elif isinstance(body, dict):
        body = responses.result_json(body, "handle()")
        if not typed:
            headers["Content-Type"] = "application/json"
    elif isinstance(body, (bytes, bytearray)):
        body = bytes(body)
        if not typed:
            headers["Content-Type"] = "application/octet-stream"
    else:
        body = str(body)
        if not typed:
            headers["Content-Type"] = "text/plain; charset=utf-8"
    return responses.raw(status, headers, body)
