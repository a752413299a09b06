"""The backup's stream encryption: a round trip of any size; a wrong passphrase, a changed, reordered or cut-off
chunk all fail to open."""

from __future__ import annotations

import io
import os

import pytest

from treem.core.encryption import CHUNK, HEADER_BYTES, TAG, DecryptionError, EncryptingWriter, decrypt_file

PASSPHRASE = "mật khẩu thử nghiệm"


def encrypt(data: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = io.BytesIO()
    with EncryptingWriter(out, passphrase) as writer:
        for start in range(0, len(data), 10_000):  # written in pieces that do not match the chunks
            writer.write(data[start : start + 10_000])
    return out.getvalue()


def decrypt(blob: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = io.BytesIO()
    decrypt_file(io.BytesIO(blob), out, passphrase)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])
def test_round_trip_of_any_size(size: int) -> None:
    data = os.urandom(size)
    blob = encrypt(data)
    assert size < 64 or data[:64] not in blob
    assert decrypt(blob) == data


def test_tampering_is_detected() -> None:
    blob = encrypt(os.urandom(2 * CHUNK + 100))
    sealed = CHUNK + TAG
    with pytest.raises(DecryptionError, match="passphrase is wrong"):
        decrypt(blob, "sai mật khẩu")
    cut = blob[: HEADER_BYTES + 2 * sealed]  # the last chunk removed: the one before is not marked last
    with pytest.raises(DecryptionError, match="damaged or cut short"):
        decrypt(cut)
    first, second = blob[HEADER_BYTES : HEADER_BYTES + sealed], blob[HEADER_BYTES + sealed : HEADER_BYTES + 2 * sealed]
    swapped = blob[:HEADER_BYTES] + second + first + blob[HEADER_BYTES + 2 * sealed :]
    with pytest.raises(DecryptionError):
        decrypt(swapped)
    changed = bytearray(blob)
    changed[-5] ^= 0x80
    with pytest.raises(DecryptionError, match="damaged or cut short"):
        decrypt(bytes(changed))
    with pytest.raises(DecryptionError, match="not an encrypted Treem backup"):
        decrypt(b"PK\x03\x04 something else")
