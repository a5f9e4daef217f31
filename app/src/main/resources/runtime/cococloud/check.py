"""Deploy-time check of a function's sources: compiles every file and finds the entry point, without
running any of it (docs/functions.md#entry-styles)."""

import ast
import json

from cococloud.loader import compile_function

ACCEPTED_FORMS = ("def main() (or async def main()); def handle(req); def handler(environ, start_response) "
                  "or a WSGI/ASGI app named app or application; def handler(event, context); "
                  "class handler(BaseHTTPRequestHandler)")
_STYLE_ENTRIES = {"main": ("main",), "handle": ("handle",), "wsgi": ("handler", "app", "application"),
                  "asgi": ("app", "application"), "event": ("handler",), "http_handler": ("handler",)}
_STYLE_FORMS = {"main": "def {}()", "handle": "def {}(req)", "wsgi": "def {}(environ, start_response) or a WSGI app",
                "asgi": "an ASGI app {}", "event": "def {}(event, context)",
                "http_handler": "class {}(BaseHTTPRequestHandler)"}


def setup(services):
    pass


def check(files_json, compiled_json, entry_file, entry_name, style):
    """JSON {style, entry_name, problem: NONE|SYNTAX|NO_ENTRY|BAD_SETTING, error, file, line, warnings}.
    compiled_json: the files the server has compiled already (only the others are compiled here)."""
    files = json.loads(files_json)
    trees, failed = _parse_all(files, set(json.loads(compiled_json)))
    if failed:
        return json.dumps(failed)
    answer = _entry(trees, entry_file, entry_name, style)
    answer["warnings"] = [warning for path in sorted(trees) for warning in _sandbox_limits(path, trees[path])]
    return json.dumps(answer)


def check_tree(files_json, compiled_json):
    """A site's tree: each file compiled once, then each file's entry point found (a route, or NO_ENTRY for a
    helper module). JSON {"failed": answer} when a file does not compile, else {"files": {path: answer}}."""
    trees, failed = _parse_all(json.loads(files_json), set(json.loads(compiled_json)))
    if failed:
        return json.dumps({"failed": failed})
    return json.dumps({"files": {path: dict(_entry(trees, path, None, None), warnings=_sandbox_limits(path, trees[path]))
                                 for path in trees}})


def _answer(problem, error=None, file=None, line=0, style=None, entry_name=None):
    return {"style": style, "entry_name": entry_name, "problem": problem, "error": error, "file": file,
            "line": line}


def _parse_all(files, compiled):
    """(trees by path, None), or (None, the SYNTAX answer of the first file that does not compile)."""
    trees = {}
    for path in sorted(files):
        if not path.endswith(".py"):
            continue
        try:
            if path not in compiled:
                compile_function(files[path], path)  # as the function will be loaded: for its error
            trees[path] = ast.parse(files[path], path)
        except SyntaxError as error:
            return None, _answer("SYNTAX", f"{type(error).__name__}: {error.msg}", path, error.lineno or 0)
        except ValueError as error:  # a NUL in the source
            return None, _answer("SYNTAX", f"SyntaxError: {error}", path, 0)
        except (RecursionError, MemoryError, OverflowError) as error:
            return None, _answer("SYNTAX", f"SyntaxError: the source is too deeply nested or too large to compile"
                                           f" ({type(error).__name__})", path, 0)
    return trees, None


def _entry(trees, entry_file, entry_name, style):
    if entry_file not in trees:
        return _answer("BAD_SETTING", f"the entry file {entry_file} is not among the Python files", entry_file)
    names = _top_level(trees[entry_file])
    if style is not None:
        candidates = (entry_name,) if entry_name else _STYLE_ENTRIES.get(style, ())
        for name in candidates:
            if name in names and _fits(style, names[name]):
                return _answer("NONE", style=style, entry_name=name, line=names[name][1])
        wanted = _STYLE_FORMS.get(style, "{}").format(entry_name or candidates[0] if candidates else "?")
        return _answer("BAD_SETTING", f"the style '{style}' needs {wanted} in {entry_file}, which it does not "
                                      "define", entry_file)
    if entry_name:
        if entry_name not in names:
            return _answer("BAD_SETTING", f"the handler names '{entry_name}', which {entry_file} does not define",
                           entry_file)
        detected = _style_of(names[entry_name])
        if detected is None:
            return _answer("BAD_SETTING", f"'{entry_name}' in {entry_file} is not an entry point; define one of: "
                                          + ACCEPTED_FORMS, entry_file, names[entry_name][1])
        return _answer("NONE", style=detected, entry_name=entry_name, line=names[entry_name][1])
    for name in ("main", "handle", "handler"):
        if name in names and names[name][0] != "import" and _style_of(names[name]) is not None:
            detected = _style_of(names[name])
            if (name, detected) in (("main", "main"), ("handle", "handle"), ("handler", "wsgi"),
                                    ("handler", "event"), ("handler", "http_handler")):
                return _answer("NONE", style=detected, entry_name=name, line=names[name][1])
    for name in ("app", "application"):
        # An app made here is an entry flag (EdgeOne: app = Flask(...)); one merely imported (a blueprint module's
        # `from app import app`) is not, unless the handler setting names it.
        if name in names and names[name][0] in ("value", "function"):
            return _answer("NONE", style="wsgi", entry_name=name, line=names[name][1])
    return _answer("NO_ENTRY", "No entry point found. Define one of: " + ACCEPTED_FORMS, entry_file)


# What the sandbox cannot do, said at deploy rather than discovered in a call (README "Honest limits").
_NO_PROCESSES = "processes cannot be started in the sandbox"
_NO_THREADS = "threads cannot be started in the sandbox (starting one stops the call)"
_LIMITED_MODULES = {
    "sqlite3": "sqlite3 cannot load in the sandbox (no native code, no files to write): keep data in the project's "
               "collections through `db`",
    "subprocess": _NO_PROCESSES, "multiprocessing": _NO_PROCESSES,
    "socket": "sockets are not available in the sandbox: no network connections",
    "ctypes": "native code cannot be loaded in the sandbox",
}
_LIMITED_NAMES = {"Thread": _NO_THREADS, "ThreadPoolExecutor": _NO_THREADS, "ProcessPoolExecutor": _NO_PROCESSES,
                  "system": _NO_PROCESSES, "popen": _NO_PROCESSES, "fork": _NO_PROCESSES}
_DJANGO_SQLITE = ("django.db.backends.sqlite3", "Django's sqlite3 database backend cannot work in the sandbox: set "
                                                "DATABASES = {} (or keep data in the project's collections through `db`)")


def _sandbox_limits(path, tree):
    """["index.py line 3: import sqlite3: sqlite3 cannot load ..."] for what the file uses that the sandbox denies."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            used = [(alias.name, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            used = [(node.module, node.module.split(".")[0])]
            used += [(alias.name, alias.name) for alias in node.names if alias.name in _LIMITED_NAMES]
        elif isinstance(node, ast.Attribute) and node.attr in _LIMITED_NAMES and isinstance(node.value, ast.Name) \
                and node.value.id in ("threading", "os", "futures", "concurrent"):
            used = [(f"{node.value.id}.{node.attr}", node.attr)]
        elif isinstance(node, ast.Constant) and node.value == _DJANGO_SQLITE[0]:
            found.append(f"{path} line {node.lineno}: {_DJANGO_SQLITE[1]}")
            continue
        else:
            continue
        for shown, key in used:
            reason = _LIMITED_MODULES.get(key) or _LIMITED_NAMES.get(key)
            if reason:
                found.append(f"{path} line {node.lineno}: {shown}: {reason}")
    return list(dict.fromkeys(found))


def _top_level(tree):
    """Top-level names: name -> (kind "function" | "class" | "value" | "import", line, parameter names)."""
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            names[node.name] = ("function", node.lineno, [a.arg for a in args.posonlyargs + args.args])
        elif isinstance(node, ast.ClassDef):
            names[node.name] = ("class", node.lineno, None)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    names[target.id] = ("value", node.lineno, None)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = ("import", node.lineno, None)
    return names


def _style_of(found):
    kind, _, parameters = found
    if kind == "class":
        return "http_handler"
    if kind in ("value", "import"):
        return "wsgi"  # an app object: WSGI at deploy, an ASGI app is recognised when loaded
    if len(parameters) == 0:
        return "main"
    if len(parameters) == 1:
        return "handle"
    if len(parameters) == 2:
        return "wsgi" if parameters == ["environ", "start_response"] else "event"
    if len(parameters) == 3:
        return "wsgi"  # an app(scope, receive, send): recognised as ASGI when loaded
    return None


def _fits(style, found):
    kind, _, parameters = found
    if style in ("wsgi", "asgi"):
        return kind in ("value", "import") or (kind == "function" and len(parameters) in ((3,) if style == "asgi" else (2, 3)))
    if style == "http_handler":
        return kind == "class"
    if kind != "function":
        return False
    return len(parameters) == {"main": 0, "handle": 1, "event": 2}[style]
