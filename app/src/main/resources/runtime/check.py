"""Deploy-time check of a function's source: compiles it and finds its entry point, without running it."""

import ast


def _cococloud_check(code, filename):
    """Returns (style, message, line): style is None when the source is rejected."""
    try:
        _compile_function(code, filename)  # the prelude's, as the function will be loaded
        tree = ast.parse(code, filename)
    except SyntaxError as error:
        return (None, f"{type(error).__name__}: {error.msg}", error.lineno or 0)
    functions = {node.name: node for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    assigned = {target.id for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}

    def parameters(node):
        return [arg.arg for arg in node.args.posonlyargs + node.args.args]

    if "main" in functions and not parameters(functions["main"]):
        return ("main", None, functions["main"].lineno)
    if "handle" in functions and len(parameters(functions["handle"])) == 1:
        return ("handle", None, functions["handle"].lineno)
    if "handler" in functions and len(parameters(functions["handler"])) == 2:
        names = parameters(functions["handler"])
        return ("wsgi" if names == ["environ", "start_response"] else "event", None, functions["handler"].lineno)
    if "handler" in classes:
        return ("http_handler", None, classes["handler"].lineno)
    for name in ("app", "application"):
        if name in assigned or name in functions:
            return ("wsgi", None, 0)
    return (None, "No entry point found. Define one of: def main() (or async def main()); "
                  "def handle(req); def handler(environ, start_response) or a WSGI app named app; "
                  "def handler(event, context); class handler(BaseHTTPRequestHandler)", 0)
