"""Each loaded function version is a module namespace of its own.

A version's files (entry file, helper modules, packages) live under CODE_ROOT: a user module's
__file__ is "/code/" + its path ("/code/lib/util.py"), the names tracebacks show, with their lines
from linecache (once something imports it). Helper modules import as in any Python project: from
the entry file's folder first, then from the code root, relative imports inside packages too. A
context runs one call at a time and serves every function of its project, so the version being run
is *activated*: its modules are put in sys.modules (the entry module under its own name, as
Flask(__name__) needs) and those of the version before are taken out, so two versions never see
each other's `helpers`.

Vendored packages are among the files too (beside the entry file, as `pip install -t .` puts them, or in a
`python_packages/` folder) and load through the same finder, one copy per version. The context's read-only
file system shows the running version's whole tree at CODE_ROOT (the host switches it per call), so a
package's data files, templates and static files open as on any disk; the finder's loader reads them
(get_data, importlib.resources) from there."""

import importlib.machinery
import itertools
import marshal
import math
import sys
import time
import types
import datetime as _datetime
from _collections_abc import Mapping  # collections.abc's, as os imports it: no collections package
from _io import open as _open  # io's; the loader's own, whatever the code does to builtins.open

from cococloud import project, shims
from cococloud.database import Database
from cococloud.render import Render

CODE_ROOT = "/code/"
BYTECODE_ROOT = "/.bytecode/code/"  # the server compiles a file once; every context of every project loads that
PACKAGES = "python_packages"  # a folder of vendored packages: its modules import as top-level ones


class _LazyModule(types.ModuleType):
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


_render = Render()
_db = Database()
# Modules every context imports anyway are given as they are; the others on first use, as a context that never uses
# them should not pay for them (base64 and string: ~10 ms of each new context; json and re, with enum, a third of a
# new context's imports and ~0.5 s of CPU in a restart's first context, issue 15).
_preloaded = {
    "json": _LazyModule("json"), "datetime": _datetime.datetime, "timedelta": _datetime.timedelta, "time": time,
    "math": math, "re": _LazyModule("re"), "random": _LazyModule("random"), "uuid": _LazyModule("uuid"),
    "hashlib": _LazyModule("hashlib"),
    "base64": _LazyModule("base64"), "urllib": _LazyModule("urllib"), "string": _LazyModule("string"),
    "collections": _LazyModule("collections"), "itertools": itertools, "functools": _LazyModule("functools"),
}


class _Sources(Mapping):
    """A version's Python sources by path, read from its read-only file system when asked: the host passes only
    their paths (parsing megabytes of vendored sources as one JSON string made gigabytes of garbage per context)."""

    def __init__(self, paths):
        self._paths = frozenset(paths)

    def __getitem__(self, path):
        if path not in self._paths:
            raise KeyError(path)
        with _open(CODE_ROOT + path, encoding="utf-8") as source:
            return source.read()

    def __iter__(self):
        return iter(self._paths)

    def __len__(self):
        return len(self._paths)

    def __contains__(self, path):
        return path in self._paths


class FunctionVersion:
    """One version of a function (or one route of a site): its files, its modules, its entry point."""

    def __init__(self, key, paths, settings):
        self.key = key
        self.files = files = _Sources(paths)
        self.settings = settings
        self.entry_file = settings["entry_file"]
        self.entry_dir = self.entry_file.rpartition("/")[0]
        self.entry_name = settings["entry_name"]
        self.style = settings["style"]
        self.modules = {}
        # async entry points run on an event loop when the code uses asyncio: its entry file says so, or what it
        # imported did (set once loaded)
        self.uses_asyncio = "asyncio" in files[self.entry_file] if self.entry_file in files else False
        self.module = None
        self.request_names = ("request", "req")  # the pre-set names set per call (see load)
        self.entry = None
        self.state = {}  # what a style keeps per loaded version (an ASGI app's lifespan)
        self.env = project.Env(settings)
        # Every folder holding a file: whether a name is a namespace package is one set lookup.
        self.folders = {path[:index] for path in files for index, char in enumerate(path) if char == "/"}
        self.search = list(dict.fromkeys(folder + "/" if folder else "" for folder in (self.entry_dir, "", PACKAGES)
                                         if folder == "" or folder in self.folders))
        # linecache's lazy entries: a traceback's lines are split from the source when it is shown
        self.lines = {CODE_ROOT + path: (lambda path=path: files.get(path),) for path in files}

    def globals(self):
        """The pre-set names of docs/functions.md#what-every-function-sees, in every module of the version."""
        static_base = self.settings["static_base_url"]
        return {"render": _render, "db": _db, "env": self.env, "secrets": project.secrets,
                "static": lambda path: static_base + path.lstrip("/"), **_preloaded}

    def locate(self, name, search=None):
        """(path, is_package) of the module `name` among the files, or None. `search`: the package's folders."""
        last = name.rpartition(".")[2]
        if search is not None:
            folders = [folder[len(CODE_ROOT):].strip("/") for folder in search if folder.startswith(CODE_ROOT)]
            relative = [(folder + "/" if folder else "") + last for folder in folders]
        else:
            dotted = name.replace(".", "/")
            relative = [folder + dotted for folder in self.search + _code_folders_on_sys_path()]
        for stem in relative:
            if stem + ".py" in self.files:
                return stem + ".py", False
            if stem + "/__init__.py" in self.files:
                return stem + "/__init__.py", True
            if stem in self.folders:
                return stem + "/", True  # a namespace package: a folder without __init__.py
        return None


def _code_folders_on_sys_path():
    """Folders of the code root that the code put on sys.path (`sys.path.insert(0, .../vendor)`): their modules
    are the version's own too, so they load through this finder, not as shared path-based modules."""
    return [entry[len(CODE_ROOT):].strip("/") + "/" if entry != CODE_ROOT[:-1] else ""
            for entry in sys.path if isinstance(entry, str) and (entry + "/").startswith(CODE_ROOT)]


def module_name(path):
    """The module name of a file: "index.py" -> "index", "lib/util.py" -> "lib.util"."""
    return path[:-3].replace("/", ".") if path.endswith(".py") else path.replace("/", ".")


_active = None


class _UserModules:
    """Finds and loads the modules of the active version, from its files."""

    def find_spec(self, name, path=None, target=None):
        if _active is None:
            return None
        found = _active.locate(name, path)
        if found is None:
            return None
        file, is_package = found
        if file.endswith("/") and importlib.machinery.PathFinder.find_spec(name, path) is not None:
            return None  # as in Python, a folder without __init__.py yields to a module or package found elsewhere
        spec = importlib.machinery.ModuleSpec(name, self, origin=CODE_ROOT + file, is_package=is_package)
        if is_package:
            spec.submodule_search_locations = [CODE_ROOT + file.rpartition("/")[0]]
        spec.has_location = not file.endswith("/")
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        version = _active
        name = module.__name__
        file = module.__spec__.origin[len(CODE_ROOT):]
        version.modules[name] = module
        if file.endswith("/"):
            return  # a namespace package has no code
        module.__file__ = CODE_ROOT + file
        module.__dict__.update(version.globals())
        try:
            exec(code_of(version, file), module.__dict__)
        except BaseException:
            version.modules.pop(name, None)
            raise
        after = shims.AFTER_IMPORT.get(name)
        if after is not None:
            after(module)

    # What pkgutil.get_data, inspect and importlib.resources ask a module's loader: the file system has it all.

    def get_data(self, path):
        with open(path, "rb") as file:
            return file.read()

    def get_filename(self, name):
        return sys.modules[name].__spec__.origin

    def is_package(self, name):
        return sys.modules[name].__spec__.submodule_search_locations is not None

    def get_source(self, name):
        file = sys.modules[name].__spec__.origin[len(CODE_ROOT):]
        return _active.files.get(file) if _active is not None else None

    def get_resource_reader(self, name):
        from importlib.readers import FileReader
        return FileReader(types.SimpleNamespace(path=sys.modules[name].__spec__.origin))


sys.meta_path.insert(0, _UserModules())


def activate(version):
    """Makes `version` the one whose modules `import` finds (a context runs one call at a time)."""
    global _active
    if _active is version:
        return
    deactivate()
    sys.modules.update(version.modules)
    _active = version
    if "linecache" in sys.modules:  # else show_lines() or the file system gives them when something asks
        show_lines()
    # The file system now shows this version's tree: what the path finders cached of the last one (when the code
    # put a folder of /code on sys.path) is stale. Not importlib.invalidate_caches(): it imports importlib.metadata.
    stale = [entry for entry in sys.path_importer_cache if str(entry).startswith(CODE_ROOT[:-1])]
    for entry in stale:
        del sys.path_importer_cache[entry]
    metadata = sys.modules.get("importlib.metadata")
    if metadata is not None:
        metadata.MetadataPathFinder.invalidate_caches()  # its listings are keyed by a folder's (fixed) mtime


def show_lines():
    """Puts the active version's source lines in linecache (importing it, and so tokenize and re), for tracebacks."""
    import linecache
    if _active is not None:
        linecache.cache.update(_active.lines)


def deactivate():
    global _active
    if _active is not None:
        for name, module in _active.modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        _active = None


def forget(version):
    """An unloaded version's modules leave sys.modules if they are there."""
    if _active is version:
        deactivate()


def load(key, paths, settings):
    """Loads a version: runs its entry file as the module named after it, with the pre-set names.
    paths: its Python files' paths; their sources are read from the version's file system."""
    version = FunctionVersion(key, paths, settings)
    activate(version)
    name = module_name(version.entry_file)
    module = types.ModuleType(name)
    module.__file__ = CODE_ROOT + version.entry_file
    module.__package__ = name.rpartition(".")[0]
    module.__spec__ = importlib.machinery.ModuleSpec(name, None, origin=module.__file__)
    module.__dict__.update(version.globals())
    module.request = module.req = None
    version.modules[name] = module
    version.module = module
    sys.modules[name] = module
    try:
        exec(code_of(version, version.entry_file), module.__dict__)
        version.uses_asyncio = version.uses_asyncio or "asyncio" in sys.modules
        if version.uses_asyncio:
            import asyncio  # noqa: F401  (imported while loading, not while answering)
    except BaseException:
        deactivate()
        raise
    # The pre-set request/req the module did not bind to something of its own (Flask's `from flask import
    # request`): only those are set per call, or the framework's request would be replaced by ours.
    version.request_names = tuple(name for name in ("request", "req") if module.__dict__.get(name) is None)
    return version


def code_of(version, file):
    """The code of one of the version's files: the server's bytecode of it when it has some, else compiled here.
    Code compiled in a context stays in memory after the context is gone (GraalPy 25.2); bytecode is shared."""
    try:
        with open(BYTECODE_ROOT + file, "rb") as bytecode:
            return marshal.loads(bytecode.read())
    except OSError:  # not a .py file, or one the server does not compile (a syntax error, a def that awaits)
        return compile_function(version.files[file], CODE_ROOT + file)


def compile_function(code, filename):
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
