"""The hand-assembled encodings (items, MSO, IssuerSigned, Document, DeviceResponse)
are byte-for-byte the canonical ``dumps`` of the same structure.

Issuing assembles these from pre-encoded parts for speed (bench/mdoc.py); other
readers re-encode and compare digests and signatures, so any difference from
the canonical form would break them.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.formats.cbor import array_of_encoded, canonical_map, dumps, loads
from motorcred.formats.cose import LocalSigner, mac0, sign1
from motorcred.formats.mdoc import DeviceResponse, DeviceSigned, Document, issue, make_item
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

NS = "org.iso.18013.5.1"
T0 = datetime(2026, 1, 1, tzinfo=UTC)

cbor_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.binary(max_size=300)
    | st.dates()
    | st.datetimes(timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
)
cbor_values = st.recursive(
    cbor_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers(0, 1000), inner, max_size=4)
    ),
    max_leaves=16,
)


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(
    st.integers(0, 2**31 - 1),
    st.binary(min_size=16, max_size=40),
    st.text(min_size=1, max_size=40),
    cbor_values,
)
def test_item_encoding_is_canonical(
    digest_id: int, salt: bytes, identifier: str, value: Any
) -> None:
    item = make_item(digest_id, salt, identifier, value)
    expected = dumps(
        {
            "digestID": digest_id,
            "random": salt,
            "elementIdentifier": identifier,
            "elementValue": value,
        }
    )
    assert item.encoded == expected


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(
    st.dictionaries(
        st.text(max_size=12) | st.integers(0, 2**40), st.binary(max_size=40), max_size=40
    )
)
def test_canonical_map_matches_dumps(mapping: dict[Any, bytes]) -> None:
    assert canonical_map([(dumps(k), dumps(v)) for k, v in mapping.items()]) == dumps(mapping)
    values = list(mapping.values())
    assert array_of_encoded([dumps(v) for v in values]) == dumps(values)


def _pki() -> tuple[ec.EllipticCurvePrivateKey, list[bytes]]:
    from cryptography.hazmat.primitives.serialization import Encoding

    iaca_key = ec.generate_private_key(ec.SECP256R1())
    iaca = create_iaca(
        iaca_key,
        name=IssuerName("CN", "enc IACA"),
        not_before=T0,
        not_after=T0 + timedelta(days=3650),
        serial_number=1,
        issuer_alt_name="https://iaca.example",
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="enc DS",
        not_before=T0,
        not_after=T0 + timedelta(days=365),
        serial_number=2,
    )
    return ds_key, [ds.public_bytes(Encoding.DER), iaca.public_bytes(Encoding.DER)]


DS_KEY, CHAIN = _pki()
DEVICE = ec.generate_private_key(ec.SECP256R1())


def _issued(extra: dict[str, dict[str, Any]], status: dict[str, Any] | None) -> Any:
    elements = {
        NS: {
            "family_name": "ZHANG",
            "given_name": "XIAOSAN",
            "birth_date": date(1990, 1, 1),
            "issue_date": date(2024, 3, 1),
            "expiry_date": datetime(2030, 3, 1, tzinfo=UTC),
            "issuing_country": "CN",
            "issuing_authority": "北京",
            "document_number": "110105199001011234",
            "portrait": b"\xff\xd8" + os.urandom(3000) + b"\xff\xd9",
            "driving_privileges": [{"vehicle_category_code": "C1", "issue_date": date(2010, 5, 1)}],
            "un_distinguishing_sign": "CHN",
        },
        **extra,
    }
    return issue(
        doctype="org.iso.18013.5.1.mDL",
        namespaces=elements,
        device_key=DEVICE.public_key(),
        signed=T0 + timedelta(days=10),
        valid_from=T0 + timedelta(days=10),
        valid_until=T0 + timedelta(days=100),
        expected_update=T0 + timedelta(days=50) if status else None,
        status=status,
        cert_chain=CHAIN[:1] if status is None else CHAIN,
        signer=LocalSigner(DS_KEY),
        random=os.urandom,
    )


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["com.example.a", "x", "com.example.long.namespace"]),
        st.dictionaries(st.text(min_size=1, max_size=12), cbor_values, min_size=1, max_size=4),
        max_size=2,
    ),
    st.none()
    | st.builds(
        lambda i: {"status_list": {"idx": i, "uri": "https://s.example/1"}}, st.integers(0, 10**6)
    ),
)
def test_issued_structures_encode_canonically(extra: dict[str, Any], status: Any) -> None:
    issued = _issued(extra, status)
    assert issued.issuer_auth.payload == dumps(loads(issued.issuer_auth.payload))
    assert issued.mso.encode() == issued.issuer_auth.payload
    assert issued.encode() == dumps(issued.to_cbor())
    signed = DeviceSigned(dumps({}), sign1(b"x", LocalSigner(DEVICE), detached=True))
    maced = DeviceSigned(dumps({NS: {"a": 1}}), mac0(b"x", b"k" * 32, detached=True))
    documents = [
        Document("org.iso.18013.5.1.mDL", issued),
        Document("org.iso.18013.5.1.mDL", issued.select({NS: ["family_name"]}), signed),
        Document("org.iso.18013.5.1.mDL", issued.select({}), maced, {NS: {"x": 1}}),
    ]
    for doc in documents:
        assert doc.encode() == dumps(doc.to_cbor())
    for response in (
        DeviceResponse(documents),
        DeviceResponse([], status=10, document_errors=[{"org.iso.7367.1.mVRC": 0}]),
    ):
        assert response.encode() == dumps(response.to_cbor())
