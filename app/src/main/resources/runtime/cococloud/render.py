"""render: Jinja templates rendered by the server, and raw responses instead of the JSON envelope."""

from cococloud import host


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

    def render_html(self, html, context=None, status_code=200):
        return HTMLResponse(host.call("renderHtml", html, host.to_json(context or {})), status_code)

    def render_template(self, name, context=None, status_code=200):
        """A stored template of this project; the HTMLResponse is also awaitable (await render.render_template)."""
        if not isinstance(name, str):
            raise TypeError(f"render_template() takes a template name (str), not {type(name).__name__}")
        rendered = host.call("renderTemplate", name, host.to_json(context or {}),
                             errors={"TemplateNotFound": TemplateNotFound})
        return HTMLResponse(rendered, status_code)

    def redirect(self, url, status_code=302):
        return HTMLResponse("", status_code, {"Location": url}, None)

    def response(self, body, status_code=200, headers=None, content_type=None):
        if content_type is None and not any(k.lower() == "content-type" for k in (headers or {})):
            content_type = "text/plain; charset=utf-8" if isinstance(body, str) else "application/octet-stream"
        return HTMLResponse(body, status_code, headers, content_type)
