"""One adapter per entry style of docs/functions.md#entry-styles. Each has prepare(version), run when the version
is loaded (it finds the entry point), and run(version, request), which calls it for one request and
returns a responses.Outcome. What the function raises propagates to the invoke loop."""

import importlib

_MODULES = {"main": "main", "handle": "handle", "wsgi": "wsgi", "asgi": "asgi", "event": "event",
            "http_handler": "class_handler"}


def adapter(style):
    """The adapter module of a style, imported on first use: a context pays only for the styles it runs."""
    return importlib.import_module("cococloud.styles." + _MODULES[style])


def entry(version, *names):
    """The version's entry point: the handler setting's name, else the style's usual names."""
    namespace = version.module.__dict__
    for name in (version.entry_name, *names):
        if name and name in namespace:
            return namespace[name]
    wanted = " or ".join(dict.fromkeys(n for n in (version.entry_name, *names) if n))
    raise TypeError(f"{version.entry_file} defines no {wanted}")
