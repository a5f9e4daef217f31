// Starting points for a new function: one small, working function in each of the five styles CocoCloud runs
// (docs/functions.md#entry-styles), each answering "Hello, {name}!" so a first test run shows it works. `test` is the test
// panel's first request for that style (the event handler's is a raw event, as Function Compute's console has).

export const functionTemplates = [
  {
    key: 'main',
    label: 'CocoBase main()',
    description: 'main() reads the request and returns a value; clients get the JSON envelope.',
    code: `# CocoBase style: main() takes no parameters; request, db, render, env and secrets are ready to use.
def main():
    name = request.get("name", "World")
    print(f"Greeting {name}")  # print output comes back as "output"
    return {"message": f"Hello, {name}!"}
`,
    test: { method: 'POST', path: '/', body: '{"name": "Ada"}' },
  },
  {
    key: 'handle',
    label: 'Altair IoT Studio handle(req)',
    description: 'handle(req) gets method, body, headers, query and path, and returns the HTTP response as a dict.',
    code: `# Altair IoT Studio style: handle(req) returns status_code, headers and body.
import logging

log = logging.getLogger("hello")


def handle(req):
    name = req.query.get("name", "World")
    log.warning("greeting %s", name)  # stderr and logging become the execution's logs
    return {
        "status_code": 200,
        "headers": {"X-Greeting": "hello"},
        "body": {"message": f"Hello, {name}!"},  # a dict is sent as JSON
    }
`,
    test: { method: 'GET', path: '/', query: 'name=Ada' },
  },
  {
    key: 'wsgi',
    label: 'Alibaba FC HTTP handler',
    description: 'handler(environ, start_response): Function Compute\'s HTTP handler, a WSGI callable.',
    code: `# Alibaba Function Compute HTTP handler: a WSGI callable (PEP 3333).
from urllib.parse import parse_qs


def handler(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    name = query.get("name", ["World"])[0]
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [f"Hello, {name}!".encode("utf-8")]
`,
    test: { method: 'GET', path: '/', query: 'name=Ada' },
  },
  {
    key: 'event',
    label: 'Alibaba FC event handler',
    description: 'handler(event, context): the event\'s bytes in, a string or a {statusCode, body} dict out.',
    code: `# Alibaba Function Compute event handler: event is bytes (JSON here), context describes the call.
import json


def handler(event, context):
    evt = json.loads(event or b"{}")
    if "rawPath" in evt:  # called through its URL: an HTTP event
        name = (evt.get("queryParameters") or {}).get("name", "World")
    else:  # a raw event, e.g. {"name": "Ada"}
        name = evt.get("name", "World")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": f"Hello, {name}!", "request_id": context.request_id}),
    }
`,
    test: { event: '{"name": "Ada"}' },
  },
  {
    key: 'asgi',
    label: 'App with routes (ASGI, Flask-style)',
    description: 'An app with its own routes, like Flask or FastAPI but without packages: an ASGI callable named app.',
    code: `# An app with its own routes, Flask-style, in plain Python: an ASGI callable named app.
import json
from urllib.parse import parse_qs

routes = {}


def route(path, method="GET"):
    def register(view):
        routes[(method, path)] = view
        return view
    return register


@route("/")
def index(query):
    return 200, {"routes": sorted(path for _, path in routes)}


@route("/hello")
def hello(query):
    name = query.get("name", ["World"])[0]
    return 200, {"message": f"Hello, {name}!"}


async def app(scope, receive, send):
    if scope["type"] != "http":  # no lifespan events needed
        return
    view = routes.get((scope["method"], scope["path"]))
    query = parse_qs(scope.get("query_string", b"").decode())
    status, body = view(query) if view else (404, {"error": "no route for " + scope["path"]})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode("utf-8")})
`,
    style: 'asgi', // detection alone would call a module-level app "wsgi" (it still runs as ASGI)
    test: { method: 'GET', path: '/hello', query: 'name=Ada' },
  },
];

const CREATED_FROM = 'cococloud.createdFromTemplate'; // sessionStorage: {project, name, key}

/** Remembers that a function was just made from a template, so its first test asks what the template answers. */
export function rememberTemplate(projectId, name, key) {
  sessionStorage.setItem(CREATED_FROM, JSON.stringify({ project: projectId, name, key }));
}

/**
 * The test panel's first request: the template's own when the function was just made from one, else one for
 * its style (the deployed version's, set or detected).
 */
export function defaultTest(projectId, fn, style) {
  let made = null;
  try {
    made = JSON.parse(sessionStorage.getItem(CREATED_FROM) || 'null');
  } catch {
    made = null;
  }
  const template = made && made.project === projectId && made.name === fn.name
    ? functionTemplates.find((t) => t.key === made.key) : null;
  if (template) return template.test;
  if (style === 'event') return { event: '{}' };
  if (style === 'main') return { method: 'POST', path: '/', body: '{}' };
  return { method: 'GET', path: '/' };
}
