"""Passphrase encryption of a backup file, streamed (a backup can be larger than memory).

Format: a header (magic line, scrypt salt and parameters, a random nonce prefix), then the data in chunks of 64 KiB,
each sealed with AES-256-GCM under a key derived from the passphrase by scrypt (N=2^17, r=8, p=1: about 128 MB and
a fraction of a second per derivation). Each chunk's nonce is the prefix, the chunk's number and a last-chunk flag
(the STREAM construction, as in age), and the header is authenticated with every chunk: a chunk changed, removed,
reordered or cut off at the end fails to open. The primitives are the `cryptography` package's."""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"TREEM-BACKUP-AES256GCM-1\n"
CHUNK = 64 * 1024
TAG = 16
SALT_BYTES = 16
PREFIX_BYTES = 7
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
HEADER_BYTES = len(MAGIC) + SALT_BYTES + 3 + PREFIX_BYTES


class DecryptionError(Exception):
    """Wrong passphrase, or a damaged or truncated file."""


def is_encrypted(path: os.PathLike[str] | str) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    if not 14 <= log2_n <= 20 or not 1 <= r <= 16 or not 1 <= p <= 4:
        raise DecryptionError("The file's key parameters are out of range: it is damaged or not a Treem backup.")
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written goes out encrypted to ``out``; close() seals the last chunk."""

    def __init__(self, out: BinaryIO, passphrase: str) -> None:
        if not passphrase:
            raise ValueError("empty passphrase")
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self.header = MAGIC + salt + bytes([SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P]) + prefix
        self.aead = AESGCM(_key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P))
        self.prefix = prefix
        self.out = out
        self.buffer = bytearray()
        self.counter = 0
        self.closed = False
        out.write(self.header)

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep at least one byte back: the last chunk is sealed as last
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        if self.counter >= 2**32 - 1:
            raise ValueError("file too large for one encrypted stream")
        self.out.write(self.aead.encrypt(_nonce(self.prefix, self.counter, last), chunk, self.header))
        self.counter += 1

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.out.flush()
            self.closed = True

    def __enter__(self) -> EncryptingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decrypt_file(source: BinaryIO, out: BinaryIO, passphrase: str) -> None:
    """Decrypts ``source`` into ``out``. Raises DecryptionError, with ``out`` partly written, when the passphrase is
    wrong or the file damaged: the caller keeps ``out`` aside (a temporary file) and uses it only after success."""
    header = source.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        raise DecryptionError("This is not an encrypted Treem backup.")
    at = len(MAGIC)
    salt = header[at : at + SALT_BYTES]
    log2_n, r, p = header[at + SALT_BYTES : at + SALT_BYTES + 3]
    prefix = header[at + SALT_BYTES + 3 :]
    aead = AESGCM(_key(passphrase, salt, log2_n, r, p))
    counter = 0
    sealed = source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG)
        last = not following
        try:
            out.write(aead.decrypt(_nonce(prefix, counter, last), sealed, header))
        except InvalidTag as exc:
            if counter == 0:
                raise DecryptionError("The passphrase is wrong (or the file is damaged).") from exc
            raise DecryptionError(f"The file is damaged or cut short (part {counter + 1} does not open).") from exc
        if last:
            return
        sealed, counter = following, counter + 1
