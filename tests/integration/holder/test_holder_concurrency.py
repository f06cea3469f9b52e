"""Racing requests: a nonce, a login name and a person are each taken exactly once.

Threads start together on a barrier; the database (row locks on PostgreSQL, an
immediate write lock on SQLite, unique constraints on both) decides the winner,
and every loser gets the stable refusal code, never an internal error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from motorcred.bootstrap import Container
from motorcred.errors import MotorcredError
from motorcred.services import accounts, binding, devices

THREADS = 4


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at the same moment; each result is a value or the error code."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except MotorcredError as exc:
            results[i] = exc.code
        except Exception as exc:  # anything else is a bug the test must show
            results[i] = f"UNEXPECTED {type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_a_nonce_is_used_once(container: Container, holder: Any, new_device_key: Any) -> None:
    key = new_device_key()
    issued = devices.issue_nonce(container, holder.account_id)
    signature = key.sign(issued.nonce, holder.account_id)
    results = race(
        [
            lambda: devices.register_device(
                container,
                holder.account_id,
                public_key=key.public,
                nonce=issued.nonce,
                signature=signature,
            )
        ]
        * THREADS
    )
    bound = [r for r in results if isinstance(r, devices.DeviceBound)]
    assert len(bound) == 1, results
    assert sorted(r for r in results if isinstance(r, str)) == ["NONCE_REUSED"] * (THREADS - 1)


def test_a_login_name_is_taken_once(container: Container) -> None:
    results = race(
        [lambda: accounts.sign_up(container, "13800138000", "correct horse battery")] * THREADS
    )
    created = [r for r in results if isinstance(r, accounts.AccountView)]
    assert len(created) == 1, results
    assert sorted(r for r in results if isinstance(r, str)) == ["ACCOUNT_EXISTS"] * (THREADS - 1)


def test_a_person_is_bound_once(
    container: Container, make_holder: Any, person_id: int, inbox: Any, clock: Any
) -> None:
    holders = [make_holder(f"1380013800{i}") for i in range(THREADS)]
    codes = []
    for h in holders:
        binding.start_binding(container, h.account_id, "11010519491231002X", "王小明")
        codes.append(inbox.last_code())
    results = race(
        [
            lambda h=h, c=c: binding.confirm_binding(container, h.account_id, c)
            for h, c in zip(holders, codes, strict=True)
        ]
    )
    confirmed = [r for r in results if isinstance(r, binding.BindingConfirmed)]
    assert len(confirmed) == 1, results
    assert sorted(r for r in results if isinstance(r, str)) == (
        ["PERSON_ALREADY_BOUND"] * (THREADS - 1)
    )
