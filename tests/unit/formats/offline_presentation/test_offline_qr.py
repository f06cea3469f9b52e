"""The offline code as a QR image: fits version 25 at level M, reads back, verifies."""

from __future__ import annotations

from datetime import date

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from offline_fixture import (
    NOW,
    edl_elements,
    issue_credential,
    make_code,
    make_pki,
    status_token,
    trust_list,
)

from motorcred.adapters.codes.read import read_code
from motorcred.adapters.codes.render import qr_version, render_qr_png
from motorcred.errors import MalformedData
from motorcred.formats.mdoc import CN_DL_NS, MDL_DOCTYPE, MDL_NS
from motorcred.formats.offline_code import encode_offline_code
from motorcred.formats.offline_presentation import (
    OfflinePresentation,
    StatusCache,
    offline_elements,
    verify_offline_code,
)

#: QR alphanumeric capacity at version 25, level M (ISO/IEC 18004 table 7).
V25_M_CAPACITY = 1499


def _longest_front_page() -> dict[str, dict[str, object]]:
    """A front page with long values: compound surname, 4-character name, many classes."""
    elements = edl_elements()
    elements[MDL_NS].update(
        family_name="OUYANG",
        given_name="NANAMULAN",
        birth_date=date(1964, 12, 31),
    )
    elements[CN_DL_NS].update(
        permitted_classes="A1A2DEFMN", licence_status="DHIM", cumulative_points=12
    )
    return offline_elements(MDL_DOCTYPE, elements)


@pytest.mark.parametrize("long_values", [False, True])
def test_rendered_qr_reads_back_and_verifies(long_values: bool) -> None:
    pki = make_pki()
    device = ec.generate_private_key(ec.SECP256R1())
    elements = _longest_front_page() if long_values else None
    text = make_code(issue_credential(pki, device, elements=elements), device)
    assert len(text) <= V25_M_CAPACITY
    assert qr_version(text, "M") <= 25
    png = render_qr_png(text, scale=3, max_version=25, error="M")
    scanned = read_code(png)
    assert scanned == text
    tl = trust_list(pki)
    cache, _ = StatusCache.load([status_token(pki)], trust_list=tl, now=NOW)
    result = verify_offline_code(scanned, tl, cache, NOW)
    assert result.valid, result.failures
    assert len(result.elements[MDL_NS]) + len(result.elements[CN_DL_NS]) == 13


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_decoder_never_raises_anything_but_malformed(data: bytes) -> None:
    try:
        OfflinePresentation.decode(data)
    except MalformedData as exc:
        assert exc.code in ("OFFLINE_MALFORMED", "OFFLINE_VERSION_UNSUPPORTED")


_TL = trust_list(make_pki())


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.binary(max_size=300).map(encode_offline_code),
        st.recursive(
            st.none() | st.integers() | st.binary(max_size=40) | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=5)
                | st.dictionaries(st.integers() | st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda obj: encode_offline_code(cbor2.dumps([1, *[obj] * 4]))),
    )
)
def test_verifier_reports_and_never_raises(text: str) -> None:
    result = verify_offline_code(text, _TL, None, NOW)
    assert not result.valid
    assert all(f.code and f.message for f in result.failures)
