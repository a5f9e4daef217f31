"""Each loaded function version is a module namespace of its own.

A version's files (entry file, helper modules, packages) live under CODE_ROOT: a user module's
__file__ is "/code/" + its path ("/code/lib/util.py"), the names tracebacks show, with their lines
from linecache. Helper modules import as in any Python project: from the entry file's folder first,
then from the code root, relative imports inside packages too. A context runs one call at a time
and serves every function of its project, so the version being run is *activated*: its modules
are put in sys.modules (the entry module under its own name, as Flask(__name__) needs) and those
of the version before are taken out, so two versions never see each other's `helpers`."""

import collections
import functools
import importlib.machinery
import itertools
import json
import linecache
import math
import re
import string
import sys
import time
import types
import base64
import datetime as _datetime

from cococloud import project
from cococloud.database import Database
from cococloud.render import Render

CODE_ROOT = "/code/"


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
_preloaded = {
    "json": json, "datetime": _datetime.datetime, "timedelta": _datetime.timedelta, "time": time, "math": math,
    "re": re, "random": _LazyModule("random"), "uuid": _LazyModule("uuid"), "hashlib": _LazyModule("hashlib"),
    "base64": base64,
    "urllib": _LazyModule("urllib"), "string": string, "collections": collections, "itertools": itertools,
    "functools": functools,
}


class FunctionVersion:
    """One version of a function (or one route of a site): its files, its modules, its entry point."""

    def __init__(self, key, files, settings):
        self.key = key
        self.files = files
        self.settings = settings
        self.entry_file = settings["entry_file"]
        self.entry_dir = self.entry_file.rpartition("/")[0]
        self.entry_name = settings["entry_name"]
        self.style = settings["style"]
        self.modules = {}
        self.uses_asyncio = any("asyncio" in source for source in files.values())
        self.module = None
        self.entry = None
        self.state = {}  # what a style keeps per loaded version (an ASGI app's lifespan)
        self.env = project.Env(settings)
        self.lines = {CODE_ROOT + path: (len(source), None, source.splitlines(True), CODE_ROOT + path)
                      for path, source in files.items()}

    def globals(self):
        """The pre-set names of FUNCTION_API.md §1, in every module of the version."""
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
            relative = [(self.entry_dir + "/" if self.entry_dir else "") + name.replace(".", "/")]
            if self.entry_dir:
                relative.append(name.replace(".", "/"))
        for stem in relative:
            if stem + ".py" in self.files:
                return stem + ".py", False
            if stem + "/__init__.py" in self.files:
                return stem + "/__init__.py", True
            if any(path.startswith(stem + "/") for path in self.files):
                return stem + "/", True  # a namespace package: a folder without __init__.py
        return None


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
            exec(compile_function(version.files[file], CODE_ROOT + file), module.__dict__)
        except BaseException:
            version.modules.pop(name, None)
            raise


sys.meta_path.insert(0, _UserModules())


def activate(version):
    """Makes `version` the one whose modules `import` finds (a context runs one call at a time)."""
    global _active
    if _active is version:
        return
    deactivate()
    sys.modules.update(version.modules)
    linecache.cache.update(version.lines)
    _active = version


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


def load(key, files, settings):
    """Loads a version: runs its entry file as the module named after it, with the pre-set names."""
    version = FunctionVersion(key, files, settings)
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
        exec(compile_function(files[version.entry_file], module.__file__), module.__dict__)
        if version.uses_asyncio:
            import asyncio  # noqa: F401  (imported while loading, not while answering)
    except BaseException:
        deactivate()
        raise
    return version


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
