"""Any body sent to the verification endpoints gets an answer or a problem, never a 500,
and a refused check never carries the holder's data."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from verification_fixtures import ID_NUMBER, NAME, HolderSetup, VerifierSetup

from motorcred.bootstrap import Container
from motorcred.entrypoints.api.app import create_app

SCALAR = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80)
)
VALUE = SCALAR | st.lists(SCALAR, max_size=3) | st.dictionaries(st.text(max_size=6), SCALAR)
FIELDS = ["code", "licence_number", "consent_id", "purpose", "organisation_id", "valid_until"]
BODY = st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=4) | VALUE
CODES = st.builds(
    lambda s: "MC0:" + s,
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", max_size=40),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=BODY, code=CODES)
def test_no_body_breaks_the_endpoints(
    container: Container,
    holder: HolderSetup,
    rental: VerifierSetup,
    body: Any,
    code: str,
) -> None:
    client = TestClient(
        create_app(container.settings, container=container), raise_server_exceptions=False
    )
    for path, headers, payload in (
        ("/api/v1/verifications", rental.headers, body),
        ("/api/v1/verifications", rental.headers, {"code": code}),
        ("/api/v1/verifications", rental.headers, {"licence_number": ID_NUMBER, "purpose": body}),
        ("/api/v1/consents", holder.headers, body),
    ):
        response = client.post(path, json=payload, headers=headers)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert NAME not in response.text and ID_NUMBER not in response.text
