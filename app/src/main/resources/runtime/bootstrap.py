"""Makes CocoCloud's own package, `cococloud`, importable in a sandboxed context.

The sandbox has no file system, so the server hands over the package's sources as text; this
finder serves them to the import system. Evaluated once per context, before anything else."""

import sys


class _RuntimeSources:
    """A meta-path finder and loader for the modules of the `cococloud` package."""

    def __init__(self, sources):
        # name, file name, "1" if a package, source: each field ended by a NUL (no parsing, so no json import)
        fields = sources.split("\0")
        self._sources = {fields[i]: (fields[i + 1], fields[i + 2] == "1", fields[i + 3])
                         for i in range(0, len(fields) - 1, 4)}  # module name -> (file name, is package, source)

    def find_spec(self, name, path=None, target=None):
        if name not in self._sources:
            return None
        from importlib.machinery import ModuleSpec
        filename, is_package, _ = self._sources[name]
        return ModuleSpec(name, self, origin=filename, is_package=is_package)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename, _, source = self._sources[module.__name__]
        module.__file__ = filename
        exec(self._code(filename, source), module.__dict__)

    @staticmethod
    def _code(filename, source):
        """The server's bytecode of the module when the context has a file system, else compiled here (code
        compiled in a context stays in memory after it is closed, on GraalPy 25.2; bytecode is shared)."""
        try:
            with open("/.bytecode/" + filename, "rb") as bytecode:
                import marshal
                return marshal.loads(bytecode.read())
        except OSError:
            return compile(source, filename, "exec")


def _cococloud_boot(sources, entry_module):
    """Installs the package and returns its module `entry_module` (cococloud.invoke or cococloud.check), whose
    setup(host) the server calls next: at once, or when a context made in advance is given to a project."""
    import importlib
    sys.meta_path.insert(0, _RuntimeSources(sources))
    return importlib.import_module(entry_module)
