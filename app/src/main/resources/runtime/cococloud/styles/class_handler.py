"""class handler(BaseHTTPRequestHandler) with do_GET, do_POST...: EdgeOne Pages' handler mode.

The handler is built without a socket: its rfile is the request body, its wfile collects what it
writes, and the status line and headers it wrote there become the HTTP response."""

import io

from cococloud import responses


def prepare(version):
    from cococloud.styles import entry
    version.entry = entry(version, "handler")
    if not isinstance(version.entry, type):
        raise TypeError(f"handler in {version.entry_file} is a {type(version.entry).__name__}, not a class")


def run(version, request):
    handler = version.entry.__new__(version.entry)
    _setup(handler, request)
    method = getattr(handler, "do_" + request.method, None)
    if method is None:
        # as the standard library answers a method the handler does not implement
        handler.send_error(501, "Unsupported method (%r)" % request.method)
    else:
        method()
    if getattr(handler, "_headers_buffer", None):
        handler.end_headers()  # send_response without end_headers: the headers still count
    handler.wfile.flush()
    return _response(handler.wfile.getvalue())


def _setup(handler, request):
    import http.client
    target = request.path + ("?" + request.query_string if request.query_string else "")
    header_block = "".join(f"{name}: {value}\r\n" for name, value in request._meta["headers"]) + "\r\n"
    peer = request.peer
    handler.request = None
    handler.client_address = (peer["remote_address"], 0)
    handler.server = None
    handler.rfile = io.BytesIO(request.body)
    handler.wfile = io.BytesIO()
    handler.command = request.method
    handler.path = target
    handler.request_version = "HTTP/1.1"
    handler.requestline = f"{request.method} {target} HTTP/1.1"
    handler.raw_requestline = (handler.requestline + "\r\n").encode("latin-1", "replace")
    handler.close_connection = True
    handler.headers = http.client.parse_headers(io.BytesIO(header_block.encode("latin-1", "replace")))
    if "log_request" not in type(handler).__dict__:
        handler.log_request = lambda *args, **kwargs: None  # no access-log line in the execution's logs


def _response(written):
    if not written:
        raise responses.BadResponse("the handler wrote no response (call send_response and end_headers, "
                                    "then write the body to self.wfile)")
    head, separator, body = written.partition(b"\r\n\r\n")
    if not separator:
        raise responses.BadResponse("the handler's response has no end of headers (call end_headers())")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise responses.BadResponse(f"the handler wrote {lines[0]!r:.60} where a status line belongs "
                                    "(call send_response first)")
    status = responses.checked_status(int(status_line[1]), "the handler")
    pairs = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise responses.BadResponse(f"the handler wrote the header line {line!r:.60}, which has no ':'")
        pairs.append((name.strip(), value.strip()))
    return responses.raw(status, responses.header_pairs(pairs, "the handler"), body)
