"""def handler(environ, start_response), or a module-level WSGI app named app / application: PEP 3333,
with Function Compute's fc.context and fc.request_uri (alibaba-fc-http-handlers.txt)."""

import io
import sys
from urllib.parse import unquote_to_bytes

from cococloud import responses


def prepare(version):
    from cococloud.styles import asgi, entry
    version.entry = entry(version, "handler", "app", "application")
    if asgi.is_asgi(version.entry):  # checked as "wsgi" at deploy; an ASGI app is told apart here
        version.style = "asgi"
        asgi.prepare(version)
    elif not callable(version.entry):
        raise TypeError(f"the WSGI entry of {version.entry_file} is a {type(version.entry).__name__}, "
                        "not a callable")


def environ(version, request):
    """The PEP 3333 environ of the request; SCRIPT_NAME is where the app is mounted."""
    peer = request.peer
    path = request.path
    prefix = request.route_prefix
    if prefix and path.startswith(prefix):
        path = path[len(prefix):]
    body = request.body
    headers = request.headers
    url = f"{peer['scheme']}://{headers.get('host') or peer['server_name']}{request.mount_path}{request.path}"
    env = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": _latin1(request.mount_path + prefix),
        "PATH_INFO": _latin1(path),
        "QUERY_STRING": request.query_string,
        "CONTENT_TYPE": headers.get("content-type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": peer["server_name"],
        "SERVER_PORT": str(peer["server_port"]),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": peer["remote_address"],
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": peer["scheme"],
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "fc.request_uri": url + ("?" + request.query_string if request.query_string else ""),
    }
    for name, value in headers.items():
        key = "HTTP_" + name.upper().replace("-", "_")
        if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            env[key] = value
    from cococloud.styles import event
    env["fc.context"] = event.Context(version, request)
    return env


def _latin1(path):
    """A URL path as PEP 3333 wants it: percent-decoded bytes, carried as a latin-1 str."""
    return unquote_to_bytes(path).decode("latin-1")


class _Response:
    """start_response and its write callable (PEP 3333)."""

    def __init__(self):
        self.status = None
        self.headers = None
        self.chunks = []

    def start_response(self, status, headers, exc_info=None):
        if exc_info:
            try:
                if self.chunks:  # the body has begun: too late to change the status
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response() was already called (pass exc_info to call it again)")
        if not isinstance(status, str) or len(status) < 3 or not status[:3].isdigit():
            raise responses.BadResponse(f"the WSGI app gave the status {status!r:.40}; a status is a str "
                                        "such as '200 OK'")
        self.status = responses.checked_status(int(status[:3]), "the WSGI app")
        if not isinstance(headers, list):
            raise responses.BadResponse(f"the WSGI app gave headers as a {type(headers).__name__}; "
                                        "they are a list of (name, value) tuples")
        self.headers = responses.header_pairs(headers, "the WSGI app")
        return self.write

    def write(self, data):
        if self.status is None:
            raise AssertionError("write() before start_response()")
        self.chunks.append(_chunk(data))


def _chunk(data):
    if not isinstance(data, (bytes, bytearray)):
        raise responses.BadResponse(f"the WSGI app gave a body chunk of type {type(data).__name__}; "
                                    "WSGI bodies are bytes")
    return bytes(data)


def call(app, env):
    """Runs a WSGI app; returns (status, headers, body bytes)."""
    response = _Response()
    result = app(env, response.start_response)
    if result is None:
        raise responses.BadResponse("the WSGI app returned None; it returns an iterable of bytes")
    try:
        for data in result:
            response.chunks.append(_chunk(data))
    finally:
        if hasattr(result, "close"):
            result.close()
    if response.status is None:
        raise responses.BadResponse("the WSGI app returned without calling start_response()")
    return response.status, response.headers, b"".join(response.chunks)


def run(version, request):
    status, headers, body = call(version.entry, environ(version, request))
    return responses.raw(status, headers, body)
