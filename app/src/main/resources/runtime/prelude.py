"""The CocoCloud function environment.

Evaluated once in every sandboxed Python context. Each function is loaded as a module of its
own whose globals hold the pre-set names of FUNCTION_API.md: request/req, render, env, secrets,
static and the pre-loaded standard modules. The server calls _cococloud_invoke for every request.
"""

import base64 as _base64
import collections
import datetime as _datetime_module
import functools
import hashlib
import itertools
import json
import math
import re
import string
import sys
import time
import traceback as _traceback
import types as _types

datetime = _datetime_module.datetime
timedelta = _datetime_module.timedelta


class _LazyModule(_types.ModuleType):
    """A module imported on first use: some cost 100+ ms to import in a fresh context."""

    def __init__(self, name):
        super().__init__(name)
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attribute):
        import importlib
        name = self.__dict__["_lazy_name"]
        real = importlib.import_module(name)
        if name == "urllib":
            importlib.import_module("urllib.parse")  # the documented use is urllib.parse.*
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


class Headers(dict):
    """Request headers; keys are lower-case, so get('Authorization') and get('authorization') agree."""

    def __init__(self, pairs=()):
        super().__init__()
        for key, value in pairs:
            key = key.lower()
            super().__setitem__(key, value if key not in self else self[key] + ", " + value)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key):
        return super().__contains__(key.lower())

    def get(self, key, default=None):
        return super().get(key.lower(), default)


class QueryParams(dict):
    """The query string: the first value per key, and getlist() for all of them."""

    def __init__(self, pairs=()):
        super().__init__()
        self._all = {}
        for key, value in pairs:
            self._all.setdefault(key, []).append(value)
            self.setdefault(key, value)

    def getlist(self, key):
        return list(self._all.get(key, []))


class UploadedFile:
    def __init__(self, filename, content_type, data):
        self.filename = filename
        self.content_type = content_type
        self.data = data

    def __repr__(self):
        return f"<UploadedFile {self.filename!r} {self.content_type} {len(self.data)} bytes>"


class User:
    """request.user: the app user whose token came with the request (attribute or item access)."""

    def __init__(self, fields):
        self._fields = fields

    def __getattr__(self, name):
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"app user has no field {name!r}") from None

    def __getitem__(self, name):
        return self._fields[name]

    def get(self, name, default=None):
        return self._fields.get(name, default)

    @property
    def is_admin(self):
        return "admin" in (self._fields.get("roles") or [])

    def to_dict(self):
        """What returning a user gives: its public fields, never a password hash or token."""
        return dict(self._fields)

    def __repr__(self):
        return f"<User {self._fields.get('email')}>"


class Request:
    """The HTTP request that invoked the function. Its parts are decoded when first read."""

    def __init__(self, meta_json, body):
        self._meta_json = meta_json
        self._decoded = None
        self.body = body
        self._payload = None
        self._form = None

    @property
    def _meta(self):
        if self._decoded is None:
            self._decoded = json.loads(self._meta_json)
        return self._decoded

    @functools.cached_property
    def method(self):
        return self._meta["method"]

    @functools.cached_property
    def path(self):
        return self._meta["path"]

    @functools.cached_property
    def headers(self):
        return Headers(self._meta["headers"])

    @functools.cached_property
    def query_params(self):
        return QueryParams(self._meta["query"])

    @property
    def query(self):
        return self.query_params

    @functools.cached_property
    def params(self):
        return self._meta.get("params") or {}

    @functools.cached_property
    def timestamp(self):
        return self._meta["timestamp"]

    @functools.cached_property
    def proj(self):
        return self._meta["project_id"]

    @functools.cached_property
    def user(self):
        fields = self._meta.get("user")
        return User(fields) if fields else None

    def json(self):
        """The whole body as a dict: JSON, or the fields of a form ({} when empty)."""
        if self._payload is None:
            self._payload = self._parse_body()
        return self._payload

    @property
    def payload(self):
        return self.json()

    @property
    def files(self):
        self.json()
        return self._form[1] if self._form else {}

    def get(self, key, default=None):
        """A value from the body, else from the query string, else default."""
        payload = self.json()
        if isinstance(payload, dict) and key in payload:
            return payload[key]
        return self.query_params.get(key, default)

    def send_mail(self, to, subject, body=None, template_id=None, context=None, cc=None, bcc=None, reply_to=None):
        """Queues a mail in the project's outbox; it is sent and retried by the server.

        Returns {"id": ..., "status": "queued"}. A bad address or argument, or a template_id the
        project has no email template for, raises ValueError."""
        answer = json.loads(_host.sendMail(_to_json({
            "to": list(to) if isinstance(to, (tuple, set)) else to,
            "subject": subject, "body": body, "template_id": template_id, "context": context,
            "cc": list(cc) if isinstance(cc, (tuple, set)) else cc,
            "bcc": list(bcc) if isinstance(bcc, (tuple, set)) else bcc,
            "reply_to": list(reply_to) if isinstance(reply_to, (tuple, set)) else reply_to})))
        if "error" in answer:
            raise (RuntimeError if answer.get("type") == "RuntimeError" else ValueError)(answer["error"])
        return answer["result"]

    def _parse_body(self):
        if not self.body:
            return {}
        content_type = self.headers.get("content-type", "").lower()
        if content_type.startswith("application/x-www-form-urlencoded"):
            from urllib.parse import parse_qsl
            return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        if content_type.startswith("multipart/form-data"):
            self._form = _parse_multipart(self.headers["content-type"], self.body)
            return self._form[0]
        try:
            return json.loads(self.body)
        except ValueError:
            return {}

    def __repr__(self):
        return f"<Request {self.method} {self.path}>"


def _parse_multipart(content_type, body):
    import email.parser
    import email.policy
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = UploadedFile(filename, part.get_content_type(), data)
        else:
            fields[name] = data.decode(part.get_content_charset() or "utf-8", "replace")
    return fields, files


class HTMLResponse:
    """A raw HTTP response: sent as is instead of the JSON envelope."""

    def __init__(self, body, status_code=200, headers=None, content_type="text/html; charset=utf-8"):
        self.body = body
        self.status_code = status_code
        try:
            self.headers = dict(headers or {})
        except (TypeError, ValueError):
            self.headers = headers  # not a dict: named in the 502 if it is returned
        self.content_type = content_type

    def __await__(self):
        # `return await render.render_template(...)` works in async def main()
        return self
        yield

    def __repr__(self):
        return f"<HTMLResponse {self.status_code} {self.content_type}>"


class TemplateNotFound(ValueError):
    """render.render_template named a template the project does not have."""


class Render:
    """Jinja templates (Jinja2 syntax, rendered by the server) and raw responses."""

    TemplateNotFound = TemplateNotFound

    def __init__(self, host):
        self._host = host

    def render_html(self, html, context=None, status_code=200):
        rendered = self._host.renderHtml(html, _to_json(context or {}))
        if rendered.startswith("\0"):
            raise ValueError(rendered[1:])
        return HTMLResponse(rendered, status_code)

    def render_template(self, name, context=None, status_code=200):
        """A stored template of this project; the HTMLResponse is also awaitable (await render.render_template)."""
        if not isinstance(name, str):
            raise TypeError(f"render_template() takes a template name (str), not {type(name).__name__}")
        rendered = self._host.renderTemplate(name, _to_json(context or {}))
        if rendered.startswith("\1"):
            raise TemplateNotFound(rendered[1:])
        if rendered.startswith("\0"):
            raise ValueError(rendered[1:])
        return HTMLResponse(rendered, status_code)

    def redirect(self, url, status_code=302):
        return HTMLResponse("", status_code, {"Location": url}, None)

    def response(self, body, status_code=200, headers=None, content_type=None):
        if content_type is None and not any(k.lower() == "content-type" for k in (headers or {})):
            content_type = "text/plain; charset=utf-8" if isinstance(body, str) else "application/octet-stream"
        return HTMLResponse(body, status_code, headers, content_type)


def _user(fields):
    return User(fields) if fields else None


class Database:
    """db: the documents of this function's project (FUNCTION_API.md §3; CocoBase's signatures).

    Filters are keyword arguments (status="published", views_gte="100") or, for keys Python
    cannot spell ("address.city", "[or]status"), a filters={...} dict; both may be combined."""

    def __init__(self, host):
        self._host = host

    def _call(self, operation, **args):
        answer = json.loads(self._host.db(operation, _to_json(args)))
        if "error" in answer:
            raise (RuntimeError if answer.get("type") == "RuntimeError" else ValueError)(answer["error"])
        return answer["result"]

    def query(self, collection, populate=None, select=None, sort=None, order="desc", limit=10, offset=0,
              filters=None, **kwargs):
        return self._call("query", collection=collection, filters={**(filters or {}), **kwargs}, populate=populate,
                          select=select, sort=sort, order=order, limit=limit, offset=offset)

    def find_one(self, collection, populate=None, filters=None, **kwargs):
        return self._call("find_one", collection=collection, filters={**(filters or {}), **kwargs},
                          populate=populate)

    def count_documents(self, collection, filters=None, **kwargs):
        return self._call("count", collection=collection, filters={**(filters or {}), **kwargs})

    count = count_documents

    def search_documents(self, collection, search_term, search_fields=None, limit=None):
        return self._call("search", collection=collection, term=search_term, fields=search_fields, limit=limit)

    def create_document(self, collection, data):
        return self._call("create", collection=collection, data=data)

    def update_document(self, collection, id, data):
        return self._call("update", collection=collection, id=id, data=data)

    update_document_fields = update_document

    def delete_document(self, collection, id):
        return self._call("delete", collection=collection, id=id)

    def get_documents(self, collection, filters=None, populate=None, limit=None):
        return self.query(collection, populate=populate, filters=filters or {}, limit=limit or 10)

    # App users of the project, as User objects (attribute and item access; never a password hash).

    def find_user(self, **by):
        return _user(self._call("find_user", filters=by))

    def get_app_user(self, id):
        return _user(self._call("get_app_user", id=id))

    def query_users(self, limit=10, offset=0, filters=None, **kwargs):
        page = self._call("query_users", filters={**(filters or {}), **kwargs}, limit=limit, offset=offset)
        page["data"] = [User(fields) for fields in page["data"]]
        return page

    get_app_users = query_users

    def create_app_user(self, email, password, data=None, roles=None):
        return _user(self._call("create_app_user", email=email, password=password, data=data, roles=roles))

    def update_app_user(self, id, data=None, roles=None, email=None):
        return _user(self._call("update_app_user", id=id, data=data, roles=roles, email=email))

    def __repr__(self):
        return "<db>"


class Env:
    def __init__(self, settings):
        self.project_id = settings["project_id"]
        self.function_id = settings["function_id"]
        self.runtime = "python%d.%d" % sys.version_info[:2]
        self.static_base_url = settings["static_base_url"]
        self.base_url = settings["base_url"]

    def __repr__(self):
        return f"<Env project={self.project_id} function={self.function_id}>"


def _jsonable(value):
    """What json.dumps cannot hold: dates as ISO-8601, sets as lists, bytes as base64, else str()."""
    if isinstance(value, (_datetime_module.date, _datetime_module.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        return _base64.b64encode(value).decode("ascii")
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


def _to_json(value):
    return json.dumps(value, default=_jsonable, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class _ProjectVariables:
    """The project's variables as this context last read them. The server is asked for their version
    at most once per call, and only by a call that reads them; the values are copied only when the
    version moved. A call that never reads a variable costs nothing."""

    def __init__(self, host):
        self._host = host
        self.version = None
        self.values = {}
        self.checked = False

    def current(self):
        if not self.checked and self._host is not None:
            self.checked = True
            version = self._host.variablesVersion()
            if version != self.version:
                snapshot = self._host.variables()
                if snapshot.startswith("\0"):
                    self.checked = False
                    raise RuntimeError(snapshot[1:])
                snapshot = json.loads(snapshot)
                self.values = snapshot["values"]
                self.version = snapshot["version"]
        return self.values


class _Variables(_types.ModuleType):
    """function.variables: the project's variables, read-only; item, get() and attribute access."""

    def __init__(self, variables):
        super().__init__("function.variables")
        self.__dict__["_cococloud_variables"] = variables

    def _values(self):
        return self.__dict__["_cococloud_variables"].current()

    def __getitem__(self, name):
        return self._values()[name]

    def get(self, name, default=None):
        return self._values().get(name, default)

    def __contains__(self, name):
        return name in self._values()

    def __iter__(self):
        return iter(list(self._values()))

    def __len__(self):
        return len(self._values())

    def keys(self):
        return list(self._values().keys())

    def values(self):
        return list(self._values().values())

    def items(self):
        return list(self._values().items())

    def to_dict(self):
        return dict(self._values())

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self._values()[name]
        except KeyError:
            raise AttributeError(f"the project has no variable {name!r}") from None

    def __repr__(self):
        return f"<function.variables {sorted(self._values())}>"


import collections.abc  # noqa: E402  (for _Environ; `import collections` alone need not load it)


class _Environ(collections.abc.MutableMapping):
    """os.environ inside functions: the project's variables, never the server's environment. A
    function may change it, but only this context sees that, until the project's variables change."""

    def __init__(self, variables):
        self._variables = variables
        self._version = None
        self._data = {}

    def _fresh(self):
        values = self._variables.current()
        if self._variables.version != self._version:
            self._data = dict(values)
            self._version = self._variables.version
        return self._data

    def __getitem__(self, key):
        return self._fresh()[key]

    def __setitem__(self, key, value):
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("os.environ keys and values must be str")
        self._fresh()[key] = value

    def __delitem__(self, key):
        del self._fresh()[key]

    def __iter__(self):
        return iter(list(self._fresh()))

    def __len__(self):
        return len(self._fresh())

    def copy(self):
        return dict(self._fresh())

    def __repr__(self):
        return f"environ({self._fresh()!r})"


class _Secrets(_types.ModuleType):
    """secrets: the standard library's module (imported on first use) plus the project's secrets.
    Also importable as function.secrets."""

    def __init__(self, host):
        super().__init__("function.secrets")
        self.__dict__["_cococloud_host"] = host

    def get(self, name, default=""):
        """The value of the project's secret `name`, or `default` ("") when there is none."""
        if not isinstance(name, str):
            raise TypeError("a secret's name is a str")
        host = self.__dict__["_cococloud_host"]
        value = host.secret(name) if host is not None else None
        if value is None:
            return default
        if value.startswith("\0"):
            raise RuntimeError(value[1:])
        return value

    def exists(self, name):
        """Whether the project has a secret called `name`."""
        if not isinstance(name, str):
            raise TypeError("a secret's name is a str")
        host = self.__dict__["_cococloud_host"]
        answer = host.secretExists(name) if host is not None else ""
        if answer.startswith("\0"):
            raise RuntimeError(answer[1:])
        return answer == "1"

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        import importlib
        real = importlib.import_module("secrets")
        for key, value in real.__dict__.items():
            if not key.startswith("__"):
                self.__dict__.setdefault(key, value)
        try:
            return self.__dict__[attribute]
        except KeyError:
            raise AttributeError(f"module 'secrets' has no attribute {attribute!r}") from None

    def __repr__(self):
        return "<module 'secrets' (standard library, with get and exists)>"


_functions = {}
_host = None
_variables = None
_secrets = None


def _cococloud_setup(host):
    global _host, _variables, _secrets
    _host = host
    # Project variables in os.environ and function.variables; secrets in `secrets` and function.secrets.
    import os
    _variables = _ProjectVariables(host)
    _secrets = _Secrets(host)
    package = _types.ModuleType("function")
    package.__path__ = []
    package.secrets = _secrets
    package.variables = _Variables(_variables)
    sys.modules.update({"function": package, "function.secrets": _secrets, "function.variables": package.variables})
    os.environ = _Environ(_variables)
    import logging
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s",
                        force=True)


def _compile_function(code, filename):
    """Compiles a function's source. A plain def that awaits (`return await render.render_template(...)`
    in `def main()`, as CocoCloud's own examples write it) is compiled as the async def it means."""
    try:
        return compile(code, filename, "exec")
    except SyntaxError as error:
        if error.msg != "'await' outside async function":
            raise
    import ast

    def awaits(function):
        pending = list(function.body)
        while pending:
            node = pending.pop()
            if isinstance(node, ast.Await):
                return True
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                pending.extend(ast.iter_child_nodes(node))
        return False

    tree = ast.parse(code, filename)
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                value[:] = [ast.AsyncFunctionDef(**{f: getattr(item, f) for f in item._fields})
                            if isinstance(item, ast.FunctionDef) and awaits(item) else item for item in value]
    return compile(ast.fix_missing_locations(tree), filename, "exec")


def _cococloud_load(key, name, code, settings_json):
    """Loads one version of a function as a module with the pre-set names."""
    settings = json.loads(settings_json)
    _variables.checked = False  # module-level code may read os.environ
    module = _types.ModuleType(name)
    module.__dict__.update({
        "render": Render(_host),
        "db": Database(_host),
        "env": Env(settings),
        "secrets": _secrets,
        "static": lambda path: settings["static_base_url"] + path.lstrip("/"),
        "json": json, "datetime": datetime, "timedelta": timedelta, "time": time, "math": math, "re": re,
        "random": _LazyModule("random"), "uuid": _LazyModule("uuid"), "hashlib": hashlib, "base64": _base64,
        "urllib": _LazyModule("urllib"), "string": string, "collections": collections,
        "itertools": itertools, "functools": functools,
    })
    exec(_compile_function(code, name + ".py"), module.__dict__)
    entry = module.__dict__.get("main")
    if not callable(entry):
        raise TypeError("the function defines no main()")
    module.__dict__["_uses_asyncio"] = "asyncio" in code
    if module.__dict__["_uses_asyncio"]:
        import asyncio  # noqa: F401  (imported while loading, not while answering)
    _functions[key] = module


def _cococloud_unload(key):
    _functions.pop(key, None)


def _cococloud_invoke(key, meta_json, body_latin1):
    """Runs main() for one request.

    Returns (kind, status, headers_json, body, body_is_binary, traceback): kind "envelope" with
    the result as JSON, "raw" for an HTMLResponse, or "error" with "Type: message" as body."""
    module = _functions[key]
    _variables.checked = False  # variables are checked for changes once per call that reads them
    request = Request(meta_json, body_latin1.encode("latin-1"))
    module.request = module.req = request
    try:
        result = module.main()
        if hasattr(result, "__await__") and not isinstance(result, HTMLResponse):
            result = _run_coroutine(result, module._uses_asyncio)
        return _outcome(result)
    except BaseException as error:  # the function's error is its caller's answer, not ours
        if isinstance(error, (KeyboardInterrupt, GeneratorExit)):
            raise
        # The traceback starts at the function's own frames, not at this one.
        trace = "".join(_traceback.format_exception(type(error), error, error.__traceback__.tb_next))
        return ("error", 500, None, f"{type(error).__name__}: {error}", False, trace)
    finally:
        module.request = module.req = None


def _run_coroutine(coroutine, uses_asyncio):
    """Drives async def main(): on an event loop without I/O when the code uses asyncio, else
    directly (awaiting render.render_template and other plain awaitables needs no loop)."""
    if uses_asyncio:
        return _event_loop().run_until_complete(coroutine)
    try:
        while True:
            coroutine.send(None)
    except StopIteration as done:
        return done.value


_loop = None


def _event_loop():
    global _loop
    if _loop is None:
        import asyncio
        import selectors

        class NoIOSelector(selectors.BaseSelector):
            """Timers only: functions have no sockets or pipes to wait on."""

            def register(self, fileobj, events, data=None):
                raise OSError("functions cannot wait on files or sockets")

            def unregister(self, fileobj):
                raise KeyError(fileobj)

            def select(self, timeout=None):
                if timeout:
                    time.sleep(timeout)
                return []

            def get_map(self):
                return {}

        class Loop(asyncio.SelectorEventLoop):
            # The standard loop wakes itself through a socket pair; the sandbox has no sockets.
            def _make_self_pipe(self):
                pass

            def _close_self_pipe(self):
                pass

            def _write_to_self(self):
                pass

        _loop = Loop(NoIOSelector())
        asyncio.set_event_loop(_loop)
    return _loop


class _BadResponse(Exception):
    """main() returned what HTTP cannot carry: answered 502 BadResponse with this message."""


def _checked_status(status):
    if isinstance(status, bool) or not isinstance(status, int):
        raise _BadResponse(f"main() returned the status {status!r:.40} ({type(status).__name__}); "
                           "an HTTP status is an int between 200 and 599")
    if not 200 <= status <= 599:
        raise _BadResponse(f"main() returned the status {status}; an HTTP status is an int between 200 and 599")
    return status


def _checked_headers(headers):
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        raise _BadResponse(f"main() returned headers as a {type(headers).__name__}; "
                           "headers are a dict of names to str values")
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, (str, int, float)):
            raise _BadResponse(f"main() returned the header {name!r:.40} with a {type(value).__name__} value; "
                               "headers are a dict of names to str values")
    return headers


def _outcome(result):
    try:
        return _checked_outcome(result)
    except _BadResponse as bad:
        return ("bad_response", 502, None, str(bad), False, None)


def _checked_outcome(result):
    status, headers = 200, None
    # (body, status[, headers]); a bool is an int to Python, but ("x", True) is a pair of values
    if (isinstance(result, tuple) and len(result) in (2, 3) and isinstance(result[1], int)
            and not isinstance(result[1], bool)):
        status = _checked_status(result[1])
        headers = _checked_headers(result[2] if len(result) == 3 else None)
        result = result[0]
    if isinstance(result, HTMLResponse):
        status = _checked_status(result.status_code)
        all_headers = dict(_checked_headers(result.headers))
        if result.content_type:
            all_headers["Content-Type"] = result.content_type
        body = result.body
        if isinstance(body, (bytes, bytearray)):
            return ("raw", status, _response_json(all_headers), bytes(body).decode("latin-1"), True, None)
        return ("raw", status, _response_json(all_headers), str(body), False, None)
    return ("envelope", status, _response_json(headers) if headers else None, _response_json(result), False, None)


def _response_json(value):
    try:
        return _to_json(value)
    except ValueError as error:  # inf, nan or a circular reference, which JSON cannot hold
        raise _BadResponse(f"main() returned a value JSON cannot hold: {error}") from None
