"""def handler(event, context): Function Compute's event handlers (alibaba-fc-event-handlers.txt).

Over HTTP the event is the JSON bytes of the HTTP-trigger event (docs/functions.md, event handlers) and the
answer maps back: a dict with statusCode gives status, headers and body (base64-decoded when
isBase64Encoded), a str or bytes is a 200 body, anything else is JSON. With a raw test event the
event is those bytes and the answer is what the handler returned, as the body."""

import base64
import json
import logging
import time
import types
from urllib.parse import unquote

from cococloud import aio, responses


def prepare(version):
    from cococloud.styles import entry
    version.entry = entry(version, "handler")


class Context:
    """context: request_id, function (name, handler, timeout, memory), credentials (None: CocoCloud
    hands out no cloud keys), service, region, account_id, project_id and a logger."""

    def __init__(self, version, request):
        settings = version.settings
        self.request_id = request.request_id
        self.function = types.SimpleNamespace(
            name=settings["name"], handler=settings["handler"], timeout=settings["timeout"],
            memory=settings["memory"], initializer=None, initialization_timeout=None)
        self.credentials = None
        self.service = types.SimpleNamespace(name=settings["project_id"], log_project=None, log_store=None,
                                             qualifier="LATEST", version_id=str(settings["version"]))
        self.region = "cococloud"
        self.account_id = settings["project_id"]
        self.project_id = settings["project_id"]
        self.logger = logging.getLogger("function")

    def __repr__(self):
        return f"<FCContext request_id={self.request_id}>"


_TEXT_TYPES = ("text/", "json", "xml", "javascript", "x-www-form-urlencoded")


def http_event(request):
    """The HTTP-trigger event of Function Compute 3.0: body as text, or base64 when it is binary."""
    body = request.body
    content_type = request.headers.get("content-type", "").lower()
    try:
        text = body.decode("utf-8")
        binary = bool(content_type) and not any(kind in content_type for kind in _TEXT_TYPES)
    except UnicodeDecodeError:
        binary = True
    query = {}
    for name, value in request._meta["query"]:
        query[name] = query[name] + "," + value if name in query else value
    headers = {}
    for name, value in request._meta["headers"]:
        headers[name] = headers[name] + "," + value if name in headers else value
    now = time.time()
    peer = request.peer
    host = request.headers.get("host") or peer["server_name"]
    return json.dumps({
        "version": "v1",
        "rawPath": request.mount_path + request.path,
        "headers": headers,
        "queryParameters": query,
        "body": base64.b64encode(body).decode("ascii") if binary else text,
        "isBase64Encoded": binary,
        "requestContext": {
            "accountId": request.proj,
            "domainName": host,
            "domainPrefix": host.split(".")[0].split(":")[0],
            "http": {
                "method": request.method,
                "path": unquote(request.mount_path + request.path),
                "protocol": "HTTP/1.1",
                "sourceIp": peer["remote_address"],
                "userAgent": request.headers.get("user-agent", ""),
            },
            "requestId": request.request_id,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
            "timeEpoch": str(int(now * 1000)),
        },
    }, ensure_ascii=False).encode("utf-8")


def run(version, request):
    raw_event = request._meta.get("raw_event")
    event = raw_event.encode("latin-1") if raw_event is not None else http_event(request)
    result = version.entry(event, Context(version, request))
    if hasattr(result, "__await__"):
        result = aio.run(result, version.uses_asyncio)
    if raw_event is None and isinstance(result, dict) and "statusCode" in result:
        return _http_response(result)
    return _body(result)


def _body(result):
    if result is None:
        return responses.raw(200, {}, "")
    if isinstance(result, (bytes, bytearray)):
        return responses.raw(200, {"Content-Type": "application/octet-stream"}, bytes(result))
    if isinstance(result, str):
        return responses.raw(200, {"Content-Type": "text/plain; charset=utf-8"}, result)
    return responses.raw(200, {"Content-Type": "application/json"}, responses.result_json(result, "handler()"))


def _http_response(result):
    status = responses.checked_status(result["statusCode"], "handler()")
    headers = dict(responses.checked_headers(result.get("headers"), "handler()"))
    body = result.get("body", "")
    if body is None:
        body = ""
    if result.get("isBase64Encoded"):
        if not isinstance(body, (str, bytes)):
            raise responses.BadResponse(f"handler() returned isBase64Encoded with a {type(body).__name__} body; "
                                        "a base64 body is a str")
        try:
            body = base64.b64decode(body, validate=True)
        except ValueError:
            raise responses.BadResponse("handler() returned isBase64Encoded but the body is not base64") from None
    elif isinstance(body, (dict, list)):
        body = responses.result_json(body, "handler()")
        headers.setdefault("Content-Type", "application/json")
    elif not isinstance(body, (bytes, bytearray)):
        body = str(body)
    return responses.raw(status, {k: str(v) for k, v in headers.items()}, body)
