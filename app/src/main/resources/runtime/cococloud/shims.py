"""What web frameworks need to run unchanged in the sandbox: it has no threads and no native code.

- Native-only modules are absent, so that frameworks take their pure-Python fallbacks: importing one
  from the second context of the engine on raises SystemError ("a second GraalPy context attempted to
  load a native module"), which `except ImportError` misses (Django's `import termios`).
- anyio.to_thread.run_sync (Starlette's and FastAPI's plain `def` endpoints, file responses) starts a
  thread, which the sandbox stops uncatchably: the function runs inline instead, on the call's thread.
  ASGI apps run on the sandbox's own event loop (cococloud.aio), which anyio's asyncio backend uses."""

import sys

NATIVE_ONLY = ("termios", "_ctypes", "_sqlite3", "pyexpat", "_testcapi")


def install():
    for name in NATIVE_ONLY:
        if name not in sys.modules:
            sys.modules[name] = None  # import raises ImportError: the caller's fallback runs


def _inline_to_thread(module):
    """anyio.to_thread: run_sync awaits nothing and calls the function here (anyio 3 and 4 signatures)."""

    async def run_sync(func, *args, cancellable=False, limiter=None, **options):
        return func(*args)

    run_sync.__doc__ = "Runs func(*args) inline: CocoCloud functions cannot start threads."
    module.run_sync = run_sync


# module name -> what to do once the module has been imported from a function's files
AFTER_IMPORT = {"anyio.to_thread": _inline_to_thread}
