"""What functions and web frameworks need to run unchanged and safely in the sandbox (no threads, no native code).

- Native-only modules are absent, so that frameworks take their pure-Python fallbacks: importing one
  from the second context of the engine on raises SystemError ("a second GraalPy context attempted to
  load a native module"), which `except ImportError` misses (Django's `import termios`).
- zoneinfo finds no time zone data on its own (its TZPATH is empty in the sandbox): it is pointed at the host's,
  which the context's file system shows read-only at /usr/share/zoneinfo.
- logging writes to stderr, the execution's log ("ERROR my_logger: ERROR"), set up when something first imports
  it: imported in every new context, it cost each ~1 MB of heap and ~45 ms.
- anyio.to_thread.run_sync (Starlette's and FastAPI's plain `def` endpoints, file responses) starts a
  thread, which the sandbox stops uncatchably: the function runs inline instead, on the call's thread.
  ASGI apps run on the sandbox's own event loop (cococloud.aio), which anyio's asyncio backend uses.
- time.sleep waits on a lock: GraalPy 25.2's own, given a float, goes back to sleep when the server interrupts it
  to stop the call, so a timed-out `time.sleep(30.0)` (or `await asyncio.sleep(30)`) kept its thread spinning at
  full speed until the 30 s were over. A lock's timed wait ends at the stop, and the builtin is no longer at hand.
  That wait returns at once when less than a millisecond is left, so it waits at least one: a sleep may end up to
  ~1 ms late rather than spin a core through its last millisecond."""

import sys

NATIVE_ONLY = ("termios", "_ctypes", "_sqlite3", "pyexpat", "_testcapi")
TIME_ZONES = "/usr/share/zoneinfo"


def install():
    for name in NATIVE_ONLY:
        if name not in sys.modules:
            sys.modules[name] = None  # import raises ImportError: the caller's fallback runs
    from importlib.machinery import PathFinder
    at = sys.meta_path.index(PathFinder) if PathFinder in sys.meta_path else len(sys.meta_path)
    sys.meta_path.insert(at, _StandardModuleSetUp())  # before the standard finder, after the function's own modules
    import time
    time.sleep = _sleep_on_a_lock(time.monotonic)


def _sleep_on_a_lock(monotonic):
    import _thread
    from operator import index
    held = _thread.allocate_lock()
    held.acquire()  # by no one who will release it: acquire() with a timeout waits out that timeout

    def sleep(secs):
        """Delay execution for a given number of seconds. The argument may be a floating point number for
        subsecond precision."""
        if not isinstance(secs, float):
            secs = index(secs)  # what the builtin takes, with its TypeError for the rest
        if secs != secs:
            raise ValueError("Invalid value NaN (not a number)")
        if secs < 0:
            raise ValueError("sleep length must be non-negative")
        end = monotonic() + secs
        while (left := end - monotonic()) > 0:
            held.acquire(True, min(max(left, 0.001), _thread.TIMEOUT_MAX))

    return sleep


class _StandardModuleSetUp:
    """Finds a standard library module of SET_UP as usual, then sets it up once it has run."""

    def find_spec(self, name, path=None, target=None):
        set_up = SET_UP.get(name)
        if set_up is None:
            return None
        from importlib.machinery import PathFinder
        spec = PathFinder.find_spec(name, path)
        if spec is not None:
            spec.loader = _SetUpLoader(spec.loader, set_up)
        return spec


class _SetUpLoader:
    def __init__(self, loader, set_up):
        self._loader = loader
        self._set_up = set_up

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._set_up(module)

    def __getattr__(self, name):  # get_code, get_source, ...: the standard loader's
        return getattr(self._loader, name)


def _inline_to_thread(module):
    """anyio.to_thread: run_sync awaits nothing and calls the function here (anyio 3 and 4 signatures)."""

    async def run_sync(func, *args, cancellable=False, limiter=None, **options):
        return func(*args)

    run_sync.__doc__ = "Runs func(*args) inline: CocoCloud functions cannot start threads."
    module.run_sync = run_sync


def _point_at_time_zones(zoneinfo):
    import os
    if os.path.isdir(TIME_ZONES):
        zoneinfo.reset_tzpath([TIME_ZONES])


def _log_to_the_execution(logging):
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s",
                        force=True)


# standard module name -> what to do once it has been imported (in a context, once)
SET_UP = {"zoneinfo": _point_at_time_zones, "logging": _log_to_the_execution}

# module name -> what to do once the module has been imported from a function's files
AFTER_IMPORT = {"anyio.to_thread": _inline_to_thread}
