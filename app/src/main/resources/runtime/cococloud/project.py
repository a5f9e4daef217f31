"""The project's settings as functions see them: env, secrets (also function.secrets), function.variables
and os.environ (the project's variables, never the server's environment)."""

import sys
import types

from _collections_abc import MutableMapping  # collections.abc's, as os imports it: no collections package

from cococloud import host


class Env:
    def __init__(self, settings):
        self.project_id = settings["project_id"]
        self.function_id = settings["function_id"]
        self.runtime = "python%d.%d" % sys.version_info[:2]
        self.static_base_url = settings["static_base_url"]
        self.base_url = settings["base_url"]

    def __repr__(self):
        return f"<Env project={self.project_id} function={self.function_id}>"


class _ProjectVariables:
    """The project's variables as this context last read them. The server is asked for their version
    at most once per call, and only by a call that reads them; the values are copied only when the
    version moved. A call that never reads a variable costs nothing."""

    def __init__(self, available):
        self._available = available
        self.version = None
        self.values = {}
        self.checked = False

    def current(self):
        if not self.checked and self._available:
            self.checked = True
            version = host.call("variablesVersion")
            if version != self.version:
                try:
                    snapshot = host.call("variables")
                except RuntimeError:
                    self.checked = False
                    raise
                self.values = snapshot["values"]
                self.version = snapshot["version"]
        return self.values


class _Variables(types.ModuleType):
    """function.variables: the project's variables, read-only; item, get() and attribute access."""

    def __init__(self, variables):
        super().__init__("function.variables")
        self.__dict__["_cococloud_variables"] = variables

    def _values(self):
        return self.__dict__["_cococloud_variables"].current()

    def __getitem__(self, name):
        return self._values()[name]

    def get(self, name, default=""):
        """The variable's value, or `default` ("", as Altair's function.variables answers) when there is none."""
        return self._values().get(name, default)

    def exists(self, name):
        """Whether the project has a variable called `name`."""
        return name in self._values()

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


class _Environ(MutableMapping):
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


class _Secrets(types.ModuleType):
    """secrets: the standard library's module (imported on first use) plus the project's secrets.
    Also importable as function.secrets."""

    def __init__(self):
        super().__init__("function.secrets")

    def get(self, name, default=""):
        """The value of the project's secret `name`, or `default` ("") when there is none."""
        if not isinstance(name, str):
            raise TypeError("a secret's name is a str")
        value = host.call("secret", name)
        return default if value is None else value

    def exists(self, name):
        """Whether the project has a secret called `name`."""
        if not isinstance(name, str):
            raise TypeError("a secret's name is a str")
        return host.call("secretExists", name)

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


variables = None
secrets = None


def install(available):
    """Puts the project's variables and secrets where functions look for them; once per context."""
    global variables, secrets
    import os
    variables = _ProjectVariables(available)
    secrets = _Secrets()
    package = types.ModuleType("function")
    package.__path__ = []
    package.secrets = secrets
    package.variables = _Variables(variables)
    sys.modules.update({"function": package, "function.secrets": secrets, "function.variables": package.variables})
    os.environ = _Environ(variables)  # stderr and logging are the execution's log lines: see shims
