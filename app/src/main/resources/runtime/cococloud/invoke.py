"""The invoke loop the server drives: setup once per context, load a version, invoke it per request.

Whatever the function raises becomes the call's error outcome, with a traceback of the user's own
frames and source lines: CocoCloud's frames (files named <cococloud>/...) are left out, whichever
adapter sits between the server and the function."""

from cococloud import host, loader, project, responses, shims
from cococloud.request import Request
from cococloud.styles import adapter

_versions = {}


def setup(services):
    host.bind(services)
    project.install(services is not None)
    shims.install()
    _refuse_processes()


def _refuse_processes():
    """subprocess would fail with a bare "[Errno 1] Operation not permitted": say why instead."""
    import _posixsubprocess

    def fork_exec(*args, **kwargs):
        raise PermissionError("starting a process is not allowed in a CocoCloud function")

    _posixsubprocess.fork_exec = fork_exec


def load(key, files_json, settings_json):
    """Loads a version; None when it is ready, else the error Outcome of its module-level code."""
    project.variables.checked = False  # module-level code may read os.environ
    try:
        version = loader.load(key, host.from_json(files_json), host.from_json(settings_json))
        adapter(version.style).prepare(version)
        version.adapter = adapter(version.style)  # after prepare: a "wsgi" app may turn out to be ASGI
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        return responses.error(error, user_traceback(error))
    _versions[key] = version
    return None


def unload(key):
    version = _versions.pop(key, None)
    if version is None:
        return
    if version.style == "asgi":
        loader.activate(version)
        adapter("asgi").unload(version)
    loader.forget(version)


def invoke(key, meta_json, body_latin1):
    """Runs one request through the version's style; always returns an Outcome."""
    version = _versions[key]
    loader.activate(version)
    project.variables.checked = False  # variables are checked for changes once per call that reads them
    request = Request(meta_json, body_latin1.encode("latin-1"))
    module = version.module
    for name in version.request_names:
        setattr(module, name, request)
    try:
        return version.adapter.run(version, request)
    except responses.BadResponse as bad:
        return responses.bad_response(str(bad))
    except BaseException as error:  # the function's error is its caller's answer, not ours
        if isinstance(error, (KeyboardInterrupt, GeneratorExit)):
            raise
        return responses.error(error, user_traceback(error))
    finally:
        for name in version.request_names:
            setattr(module, name, None)


def _ours(filename):
    """CocoCloud's frames, and the import system's between a user's import and the module it runs."""
    return filename.startswith(("<cococloud>", "<frozen importlib"))


def user_traceback(error):
    """The traceback as Python prints it, without CocoCloud's frames (in chained exceptions too)."""
    import traceback  # on the first error only: a context that never fails never pays for it
    loader.show_lines()
    summary = traceback.TracebackException.from_exception(error)
    seen = set()
    pending = [summary]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.stack = traceback.StackSummary.from_list(
            [frame for frame in current.stack if not _ours(frame.filename)])
        pending.extend(part for part in (current.__cause__, current.__context__) if part is not None)
        pending.extend(getattr(current, "exceptions", None) or [])
    return "".join(summary.format())
