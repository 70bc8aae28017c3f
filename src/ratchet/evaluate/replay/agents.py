"""Resolving a candidate: ``module:function`` to a callable, or a URL to the HTTP adapter."""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ratchet.core.errors import RatchetError

#: What ``load_agent`` returns: ``agent(case, tools)``, sync or async.
Agent = Callable[[Any, Any], Any]

_HINT = "name the agent as module:function (e.g. myapp.agent:run) or give an http:// URL"


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def load_agent(spec: str, *, path: str | Path | None = None) -> Agent:
    """The candidate named by ``spec``: a Python callable, or an HTTP candidate for a URL.

    Importing the module runs its code, as running the agent would.

    Args:
        spec: ``package.module:function`` (``function`` may be dotted, e.g.
            ``module:Class.method``), or an ``http(s)://`` URL.
        path: a directory to import from first (the application's root), for
            modules that are not installed.

    Raises:
        RatchetError: the module cannot be imported, has no such attribute,
            or the attribute is not callable; the message says which.
    """
    spec = spec.strip()
    if is_url(spec):
        from ratchet.evaluate.replay.http_adapter import HttpAgent

        return HttpAgent(spec)
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise RatchetError(f"agent {spec!r}: {_HINT}")
    if path is not None and str(path) not in sys.path:
        sys.path.insert(0, str(path))
    module = _import(spec, module_name)
    target: Any = module
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise RatchetError(
                f"agent {spec!r}: module {module_name!r} has no attribute {attribute!r}"
            ) from None
    if not callable(target):
        raise RatchetError(
            f"agent {spec!r}: {attribute!r} is a {type(target).__name__}, not a function;"
            " the agent is called as function(case, tools)"
        )
    agent: Agent = target
    return agent


def _import(spec: str, module_name: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            raise RatchetError(
                f"agent {spec!r}: no module named {module_name!r}; install the application"
                " or run from its root directory"
            ) from None
        raise RatchetError(
            f"agent {spec!r}: importing {module_name!r} failed: no module named {missing!r}"
        ) from None
    except Exception as exc:
        message = " ".join(str(exc).split())
        raise RatchetError(
            f"agent {spec!r}: importing {module_name!r} raised {type(exc).__name__}: {message}"
        ) from None


def is_async(agent: Agent) -> bool:
    """Whether calling ``agent`` gives a coroutine (decorated and callable objects included)."""
    target: Any = agent
    while isinstance(target, functools.partial):
        target = target.func
    return (
        inspect.iscoroutinefunction(target)
        or inspect.iscoroutinefunction(inspect.unwrap(target))
        or (not inspect.isroutine(target) and inspect.iscoroutinefunction(type(target).__call__))
    )


def source_hash(agent: Agent) -> str | None:
    """SHA-256 over the agent's source; None when there is none.

    The runner keys its result cache on it. For an agent in a package it
    covers every ``.py`` file of the package's top-level folder, so an edit
    to a helper module the agent imports also invalidates cached results;
    for a lone module, that file. A remote (HTTP) candidate has no source here.
    """
    if getattr(agent, "remote", False):
        return None
    target: Any = agent
    while isinstance(target, functools.partial):
        target = target.func
    target = inspect.unwrap(target)
    if not (inspect.isroutine(target) or inspect.isclass(target)):
        target = type(target)
    try:
        filename = inspect.getsourcefile(target)
    except TypeError:  # built-ins and C extensions
        return None
    if filename is None:
        return None
    source = Path(filename)
    files = _package_files(source, getattr(target, "__module__", "") or "")
    top = files[-1].parent if len(files) == 1 else Path(os.path.commonpath(files))
    digest = hashlib.sha256()
    try:
        for path in files:
            digest.update(path.relative_to(top).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _package_files(source: Path, module: str) -> list[Path]:
    """The agent's file first, then every other ``.py`` of its top-level package, sorted."""
    depth = module.count(".")
    if source.name == "__init__.py":
        depth += 1
    if depth == 0:
        return [source]
    top = source.parent
    for _ in range(depth - 1):
        top = top.parent
    if not (top / "__init__.py").is_file():
        return [source]
    others = sorted(
        p
        for p in top.rglob("*.py")
        if p != source
        and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
    )
    return [source, *others]
