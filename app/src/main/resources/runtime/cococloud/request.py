"""The request a function answers: request/req of main(), req of handle(req), and the parts every
other style's adapter builds its own view from. Parts are decoded when first read."""

from cococloud import host


class _cached:
    """functools.cached_property: a value computed on first read. functools would make every context import
    collections and build a namedtuple (~0.1 s of CPU in a restart's first context, issue 15)."""

    def __init__(self, compute):
        self._compute, self._name, self.__doc__ = compute, compute.__name__, compute.__doc__

    def __get__(self, request, owner=None):
        if request is None:
            return self
        value = request.__dict__[self._name] = self._compute(request)
        return value


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
        self._meta_json = meta_json  # the Invocation's fields as JSON, decoded on first use
        self._decoded = None
        self.body = body
        self._payload = None
        self._form = None

    @property
    def _meta(self):
        if self._decoded is None:
            self._decoded = host.from_json(self._meta_json)
        return self._decoded

    @_cached
    def method(self):
        return self._meta["method"]

    @_cached
    def path(self):
        return self._meta["path"]

    @_cached
    def headers(self):
        return Headers(self._meta["headers"])

    @_cached
    def query_params(self):
        return QueryParams(self._meta["query"])

    @property
    def query(self):
        return self.query_params

    @_cached
    def params(self):
        return self._meta.get("params") or {}

    @property
    def query_string(self):
        """The raw query string as sent ("" when none)."""
        return self._meta["query_string"]

    @property
    def mount_path(self):
        """The URL path before the function's own: the URL is mount_path + path."""
        return self._meta["mount_path"]

    @property
    def route_prefix(self):
        """For a site route, the start of path that a framework app does not see ("/api"), else ""."""
        return self._meta["route_prefix"]

    @property
    def request_id(self):
        return self._meta["request_id"]

    @property
    def peer(self):
        """{"scheme", "server_name", "server_port", "remote_address"}: the connection the call came on."""
        return self._meta["peer"]

    @_cached
    def timestamp(self):
        return self._meta["timestamp"]

    @_cached
    def proj(self):
        return self._meta["project_id"]

    @_cached
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
        return host.call("sendMail", host.to_json({
            "to": list(to) if isinstance(to, (tuple, set)) else to,
            "subject": subject, "body": body, "template_id": template_id, "context": context,
            "cc": list(cc) if isinstance(cc, (tuple, set)) else cc,
            "bcc": list(bcc) if isinstance(bcc, (tuple, set)) else bcc,
            "reply_to": list(reply_to) if isinstance(reply_to, (tuple, set)) else reply_to}))

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
            return _json_body(self.body)
        except ValueError:
            return {}

    def __repr__(self):
        return f"<Request {self.method} {self.path}>"


def _json_body(body):
    """json.loads(body); a UTF-8 object or array, the usual body, without importing json (see host.from_json)."""
    if body[:1] in (b"{", b"["):
        try:
            text = body.decode("utf-8").rstrip(" \t\n\r")
        except UnicodeDecodeError:
            pass
        else:
            return host.from_json(text)
    import json
    return json.loads(body)


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
