"""The inbox's store: sealed records in SQLite (write-ahead log).

Every row of ``requests`` holds one request sealed to the practice's public
key, its arrival time and the fingerprint of the key it was sealed to;
nothing in this database can be read without the private key. A commit is
synchronous (``synchronous=FULL``): when the service answers 2xx/3xx, the
record is on disk and survives a crash or a power cut.

``clients`` holds, for the rate limit, a keyed hash of each sender's address
and the time of the post; the hash key changes every day and older keys and
rows are deleted, so no address can be recovered or linked after a day.
"""

import os
import secrets
import sqlite3
import threading
import time

DB_NAME = "requests.db"
DAY = 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id TEXT PRIMARY KEY,
    received INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    sealed BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_received ON requests (received);
CREATE TABLE IF NOT EXISTS clients (
    hash BLOB NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS clients_hash ON clients (hash, at);
CREATE TABLE IF NOT EXISTS hash_keys (
    day INTEGER PRIMARY KEY,
    key BLOB NOT NULL
);
"""


def db_path(data_dir):
    return os.path.join(data_dir, DB_NAME)


class Store:
    """One SQLite database under ``data_dir``; a connection per thread."""

    def __init__(self, data_dir, create=True):
        self.data_dir = data_dir
        self.path = db_path(data_dir)
        self._local = threading.local()
        if create:
            os.makedirs(data_dir, mode=0o700, exist_ok=True)
            db = self._connect()
            db.executescript(SCHEMA)
            db.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.path + suffix):
                    os.chmod(self.path + suffix, 0o600)
        elif not os.path.exists(self.path):
            raise FileNotFoundError(self.path)

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        return db

    @property
    def db(self):
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    def transaction(self):
        """``with store.transaction() as db:`` one atomic write (BEGIN IMMEDIATE)."""
        return _Transaction(self.db)

    def close(self):
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # ---- requests ----------------------------------------------------------

    def add(self, sealed, key_id, now=None):
        """Store one sealed record; returns its id once it is committed."""
        rid = secrets.token_hex(6)
        with self.transaction() as db:
            db.execute("INSERT INTO requests (id, received, key_id, sealed) VALUES (?, ?, ?, ?)",
                            (rid, int(now if now is not None else time.time()), key_id, bytes(sealed)))
        return rid

    def records(self, since=None):
        """Every record as ``{"id", "received", "key_id", "sealed"}``, oldest first."""
        rows = self.db.execute(
            "SELECT id, received, key_id, sealed FROM requests WHERE received >= ? ORDER BY received, rowid",
            (int(since or 0),))
        return [{"id": r[0], "received": r[1], "key_id": r[2], "sealed": bytes(r[3])} for r in rows]

    def delete(self, rid):
        with self.transaction() as db:
            return db.execute("DELETE FROM requests WHERE id = ?", (rid,)).rowcount

    def purge(self, retention_days, now=None):
        """Delete records older than ``retention_days``; returns how many."""
        cutoff = int((now if now is not None else time.time()) - retention_days * DAY)
        with self.transaction() as db:
            return db.execute("DELETE FROM requests WHERE received < ?", (cutoff,)).rowcount

    # ---- the rate limit ----------------------------------------------------------

    def hash_key(self, now=None):
        """Today's key for hashing addresses (made on first use; older ones deleted)."""
        day = int((now if now is not None else time.time()) // DAY)
        with self.transaction() as db:
            db.execute("DELETE FROM hash_keys WHERE day < ?", (day,))
            db.execute("INSERT OR IGNORE INTO hash_keys (day, key) VALUES (?, ?)",
                       (day, secrets.token_bytes(32)))
            return bytes(db.execute("SELECT key FROM hash_keys WHERE day = ?", (day,)).fetchone()[0])

    def count_and_note(self, client_hash, window, now=None):
        """How many posts ``client_hash`` made in the last ``window`` seconds,
        before noting this one. Rows older than a day are deleted."""
        now = int(now if now is not None else time.time())
        with self.transaction() as db:
            db.execute("DELETE FROM clients WHERE at < ?", (now - DAY,))
            count = db.execute("SELECT COUNT(*) FROM clients WHERE hash = ? AND at > ?",
                               (client_hash, now - window)).fetchone()[0]
            db.execute("INSERT INTO clients (hash, at) VALUES (?, ?)", (client_hash, now))
        return count


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, *_):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
