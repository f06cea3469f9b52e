"""Two verifiers racing for one online code: exactly one gets the view (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from verification_fixtures import HolderSetup, VerifierSetup, add_verifier

from motorcred.bootstrap import Container
from motorcred.errors import MotorcredError
from motorcred.services import audit, online_codes, verifications, verifiers


def _principal(container: Container, setup: VerifierSetup) -> verifiers.VerifierPrincipal:
    return verifiers.authenticate(container, setup.api_key)


def test_a_code_is_consumed_once_under_concurrency(
    container: Container, holder: HolderSetup, police: VerifierSetup, database_kind: str
) -> None:
    if database_kind != "postgresql":
        pytest.skip("SQLite has a single writer; the race needs PostgreSQL row locks")
    other = add_verifier(container, "police", name="second police terminal")
    principals = [_principal(container, police), _principal(container, other)]
    for _ in range(5):
        code = online_codes.create(container, holder.account_id, holder.credential_id).code
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def check(principal: verifiers.VerifierPrincipal, code: str = code) -> None:
            barrier.wait()
            try:
                verifications.check_code(container, principal, code)
                outcomes.append("ok")
            except MotorcredError as exc:
                outcomes.append(exc.code)

        threads = [threading.Thread(target=check, args=(p,)) for p in principals]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["CODE_ALREADY_USED", "ok"]
    report = audit.verify(container)
    assert report.valid and report.checked == 10
