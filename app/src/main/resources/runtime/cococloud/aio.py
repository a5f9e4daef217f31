"""Coroutines of async entry points, on an event loop the sandbox allows (it has no sockets)."""

import time


def run(coroutine, uses_asyncio):
    """Drives async def main(): on an event loop without I/O when the code uses asyncio, else
    directly (awaiting render.render_template and other plain awaitables needs no loop)."""
    if uses_asyncio:
        return event_loop().run_until_complete(coroutine)
    try:
        while True:
            coroutine.send(None)
    except StopIteration as done:
        return done.value


_loop = None


def event_loop():
    global _loop
    if _loop is None:
        import asyncio
        import selectors

        class NoIOSelector(selectors.BaseSelector):
            """Timers only: functions have no sockets or pipes to wait on."""

            def register(self, fileobj, events, data=None):
                raise OSError("functions cannot wait on files or sockets")

            def unregister(self, fileobj):
                raise KeyError(fileobj)

            def select(self, timeout=None):
                if timeout:
                    time.sleep(timeout)
                return []

            def get_map(self):
                return {}

        class Loop(asyncio.SelectorEventLoop):
            # The standard loop wakes itself through a socket pair; the sandbox has no sockets.
            def _make_self_pipe(self):
                pass

            def _close_self_pipe(self):
                pass

            def _write_to_self(self):
                pass

            def run_in_executor(self, executor, func, *args):
                # An executor runs func on a thread, which the sandbox forbids (uncatchably): it runs here, now, and
                # the caller awaits its result (asyncio.to_thread, asgiref's sync_to_async: Django's plain views).
                future = self.create_future()
                try:
                    future.set_result(func(*args))
                except Exception as error:
                    future.set_exception(error)
                return future

        _loop = Loop(NoIOSelector())
        asyncio.set_event_loop(_loop)
    return _loop
