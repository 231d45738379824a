"""The practice's key pair: requests are sealed to its public key.

Sealing is libsodium's sealed box (X25519 + XSalsa20-Poly1305, through
PyNaCl here and libsodium-wrappers in the browser): anyone holding the
public key can seal, only the private key opens. The public key goes into
``content/practice.yaml`` (``intake.public_key``); the private key stays
on the therapist's own computer, in a key file encrypted with a passphrase
(Argon2id from ``nacl.pwhash`` derives the key of a ``nacl.secret.SecretBox``),
mode 0600, created once and never overwritten.

A key file is JSON::

    {"format": "practice-inbox-key", "version": 1,
     "public_key": "<base64>", "created": "2026-12-01T22:00:00Z",
     "kdf": {"name": "argon2id", "opslimit": 3, "memlimit": 268435456, "salt": "<base64>"},
     "private_key": "<base64 of SecretBox(nonce + ciphertext)>"}
"""

import base64
import binascii
import datetime
import getpass
import json
import os
import sys

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

FORMAT = "practice-inbox-key"
# libsodium's "moderate" Argon2id cost (about a second, 256 MiB): the key
# file is opened once per `make requests`.
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE
MIN_PASSPHRASE = 10
APP_FOLDER = "practice-inbox"
# make serve's development key, and its passphrase (not a secret).
DEV_KEY = os.path.join("var", "dev-inbox-key.json")
DEV_PASSPHRASE = "development key, not secret"


class KeyProblem(Exception):
    """A key problem, said in one line (the file first)."""


def ask_passphrase(path, confirm=False):
    """INBOX_PASSPHRASE, or asked for in the terminal (twice for a new key)."""
    given = os.environ.get("INBOX_PASSPHRASE")
    if given:
        return given
    if not sys.stdin.isatty():
        raise KeyProblem(f"{path}: no passphrase: set INBOX_PASSPHRASE or run this in a terminal")
    first = getpass.getpass(f"Passphrase for {path}: ")
    if confirm and getpass.getpass("The same passphrase again: ") != first:
        raise KeyProblem(f"{path}: the two passphrases differ; nothing was created")
    return first


def default_key_path():
    """``$XDG_CONFIG_HOME/practice-inbox/inbox-key.json`` (``~/.config/...``):
    outside the repository, so the private key is never committed or published."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, APP_FOLDER, "inbox-key.json")


def b64(data):
    return base64.b64encode(bytes(data)).decode("ascii")


def unb64(text):
    return base64.b64decode(text.encode("ascii"), validate=True)


def parse_public_key(text):
    """The 32-byte X25519 public key in ``text`` (standard base64), or ValueError."""
    if not isinstance(text, str):
        raise ValueError("must be the base64 public key that make inbox-key wrote")
    try:
        raw = unb64(text.strip())
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ValueError("is not base64: use the public key that make inbox-key wrote") from None
    if len(raw) != PublicKey.SIZE:
        raise ValueError(f"is {len(raw)} bytes long; a public key is {PublicKey.SIZE} bytes "
                         "(use the one make inbox-key wrote)")
    return PublicKey(raw)


def key_id(public_key):
    """A short fingerprint of a public key: which key a record was sealed to."""
    return nacl.hash.blake2b(bytes(public_key), digest_size=6, encoder=nacl.encoding.HexEncoder).decode()


def seal(public_key, plaintext):
    return SealedBox(public_key).encrypt(plaintext)


def _derive(passphrase, salt, opslimit, memlimit):
    return nacl.pwhash.argon2id.kdf(nacl.secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"),
                                    salt, opslimit=opslimit, memlimit=memlimit)


def create(path, passphrase, opslimit=OPSLIMIT, memlimit=MEMLIMIT, development=False):
    """Create a new key pair in ``path`` (refusing to replace anything); returns its PublicKey."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(f"{path}: the passphrase must be at least {MIN_PASSPHRASE} characters")
    private = PrivateKey.generate()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_derive(passphrase, salt, opslimit, memlimit))
    record = {
        "format": FORMAT, "version": 1,
        "public_key": b64(private.public_key),
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kdf": {"name": "argon2id", "opslimit": opslimit, "memlimit": memlimit, "salt": b64(salt)},
        "private_key": b64(box.encrypt(bytes(private))),
    }
    if development:
        # The key `make serve` uses for the demo form: its passphrase is
        # public (DEV_PASSPHRASE), so it must never seal real requests.
        record["development"] = True
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    try:
        # O_EXCL: an existing key file (perhaps the only way to read old
        # requests) is never replaced, not even by a race.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblem(f"{path}: a key file is already there and is never overwritten; "
                        "for a new key set INBOX_KEY to a new file (see docs/intake.md)") from None
    with os.fdopen(fd, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o600)
    return private.public_key


def read_file(path):
    """The key file's JSON, checked for shape (nothing decrypted yet)."""
    try:
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
    except FileNotFoundError:
        raise KeyProblem(f"{path}: no key file there; create one with make inbox-key "
                        "(or set INBOX_KEY to the file)") from None
    except IsADirectoryError:
        raise KeyProblem(f"{path}: is a folder, not a key file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyProblem(f"{path}: is not a key file made by make inbox-key ({type(exc).__name__})") from None
    try:
        assert isinstance(record, dict) and record.get("format") == FORMAT
        kdf = record["kdf"]
        assert kdf["name"] == "argon2id"
        return {
            "public_key": parse_public_key(record["public_key"]),
            "salt": unb64(kdf["salt"]), "opslimit": int(kdf["opslimit"]), "memlimit": int(kdf["memlimit"]),
            "private_key": unb64(record["private_key"]),
            "development": bool(record.get("development")),
        }
    except (AssertionError, KeyError, TypeError, ValueError, binascii.Error):
        raise KeyProblem(f"{path}: is not a key file made by make inbox-key") from None


def public_key_of(path):
    return read_file(path)["public_key"]


def open_private_key(path, passphrase):
    """The PrivateKey in ``path``, opened with ``passphrase``; one-line KeyProblem otherwise."""
    record = read_file(path)
    try:
        box = nacl.secret.SecretBox(_derive(passphrase, record["salt"], record["opslimit"], record["memlimit"]))
        private = PrivateKey(box.decrypt(record["private_key"]))
    except nacl.exceptions.CryptoError:
        raise KeyProblem(f"{path}: the passphrase does not open this key") from None
    if bytes(private.public_key) != bytes(record["public_key"]):
        raise KeyProblem(f"{path}: the private key does not match the public key in the file")
    return private
