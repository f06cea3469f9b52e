"""Shared plumbing of the CLI: error reporting, JSON output, settings.

Every command runs inside :func:`handle_errors`, so a :class:`MotorcredError`
becomes a one-line message (or a JSON object with ``--json``) and the exit code
the stable interface promises: 1 for an invalid credential or refused request,
2 for a usage error. Unexpected exceptions are reported without a traceback
(set ``MOTORCRED_DEBUG=1`` to see one).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from motorcred.errors import MotorcredError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def emit_json(obj: Any) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def fail(error: MotorcredError, *, as_json: bool = False) -> NoReturn:
    if as_json:
        emit_json({"ok": False, "errors": [error.to_dict()]})
    else:
        err_console.print(f"[bold red]error[/] [cyan]{error.code}[/]: {error.message}")
    raise typer.Exit(error.exit_code)


@contextmanager
def reporting(as_json: bool = False) -> Iterator[None]:
    try:
        yield
    except MotorcredError as exc:
        fail(exc, as_json=as_json)
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get("MOTORCRED_DEBUG"):
            raise
        error = MotorcredError("INTERNAL_ERROR", f"unexpected {type(exc).__name__}: {exc}")
        fail(error, as_json=as_json)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so errors end as a clean message and a stable exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with reporting(as_json=bool(kwargs.get("as_json", False))):
            return func(*args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover - reporting() always re-raises

    return wrapper
