"""A module-level ASGI app named app / application (EdgeOne Pages' framework mode, FastAPI, Starlette):
HTTP scope 3.0, lifespan startup once per loaded version when the app supports it, the response's
chunks gathered, all on the sandbox's event loop."""

from cococloud import aio, responses


def is_asgi(app):
    """An async callable, or an object whose __call__ is one (told apart from WSGI by the callable)."""
    import inspect
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(type(app), "__call__", None)
    return not inspect.isfunction(app) and not inspect.isclass(app) and inspect.iscoroutinefunction(call)


def prepare(version):
    from cococloud.styles import entry
    version.entry = entry(version, "app", "application", "handler")
    if not is_asgi(version.entry):
        raise TypeError(f"the ASGI entry of {version.entry_file} is not an async callable (scope, receive, send)")
    version.state["lifespan"] = None


def _start_lifespan(version):
    """Runs the app's lifespan startup once; an app that does not support lifespan just raises or returns."""
    loop = aio.event_loop()
    started = loop.create_future()
    shutdown = loop.create_future()
    state = {}
    messages = [{"type": "lifespan.startup"}]

    async def receive():
        if messages:
            return messages.pop(0)
        return await shutdown

    async def send(message):
        kind = message.get("type")
        if kind in ("lifespan.startup.complete", "lifespan.startup.failed") and not started.done():
            started.set_result(message)

    async def lifespan():
        try:
            await version.entry({"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"},
                                 "state": state}, receive, send)
        except BaseException as error:  # an app without lifespan support raises on the scope type
            if not started.done():
                started.set_result({"type": "unsupported", "error": error})
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
        if not started.done():
            started.set_result({"type": "unsupported"})

    task = loop.create_task(lifespan())
    answer = loop.run_until_complete(started)
    if answer["type"] == "lifespan.startup.failed":
        raise RuntimeError("the ASGI app's lifespan startup failed: " + str(answer.get("message", "")))
    version.state["lifespan"] = {"task": task, "shutdown": shutdown, "state": state}


def run(version, request):
    if version.state.get("lifespan") is None:
        _start_lifespan(version)
    loop = aio.event_loop()
    peer = request.peer
    path = request.path
    prefix = request.route_prefix
    if prefix and path.startswith(prefix):
        path = path[len(prefix):]
    from urllib.parse import unquote
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": peer["scheme"],
        "path": unquote(path),
        "raw_path": path.encode("latin-1", "replace"),
        "query_string": request.query_string.encode("latin-1", "replace"),
        "root_path": request.mount_path + prefix,
        "headers": [(name.lower().encode("latin-1", "replace"), value.encode("latin-1", "replace"))
                    for name, value in request._meta["headers"]],
        "client": (peer["remote_address"], 0),
        "server": (peer["server_name"], peer["server_port"]),
        "state": dict(version.state["lifespan"]["state"]),
    }
    pending = [{"type": "http.request", "body": request.body, "more_body": False}]
    response = {"status": None, "headers": {}, "chunks": [], "done": False}
    finished = loop.create_future()

    async def receive():
        if pending:
            return pending.pop(0)
        # As behind a server, the client stays until the response is complete: Starlette ends a stream as soon as
        # receive() reports the disconnect it listens for.
        await finished
        return {"type": "http.disconnect"}

    async def send(message):
        kind = message.get("type")
        if kind == "http.response.start":
            if response["status"] is not None:
                raise RuntimeError("http.response.start was sent twice")
            response["status"] = responses.checked_status(message.get("status"), "the ASGI app")
            response["headers"] = responses.header_pairs(message.get("headers") or [], "the ASGI app")
        elif kind == "http.response.body":
            if response["status"] is None:
                raise RuntimeError("http.response.body was sent before http.response.start")
            body = message.get("body", b"")
            if not isinstance(body, (bytes, bytearray)):
                raise responses.BadResponse(f"the ASGI app sent a body of type {type(body).__name__}; "
                                            "ASGI bodies are bytes")
            response["chunks"].append(bytes(body))
            response["done"] = not message.get("more_body", False)
            if response["done"] and not finished.done():
                finished.set_result(None)

    try:
        loop.run_until_complete(version.entry(scope, receive, send))
    finally:
        if not finished.done():  # what still listens hears the disconnect
            finished.set_result(None)
    if response["status"] is None:
        raise responses.BadResponse("the ASGI app returned without sending http.response.start")
    return responses.raw(response["status"], response["headers"], b"".join(response["chunks"]))


def unload(version):
    """Lets the app run its lifespan shutdown, when it started one."""
    lifespan = version.state.get("lifespan")
    if lifespan and not lifespan["task"].done():
        lifespan["shutdown"].set_result({"type": "lifespan.shutdown"})
        try:
            aio.event_loop().run_until_complete(lifespan["task"])
        except Exception:
            pass
