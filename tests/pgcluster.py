"""Throwaway PostgreSQL clusters for the tests: real servers (Debian's ``postgresql-15``), made with
``initdb`` in a temporary folder, listening on a free port of 127.0.0.1, stopped and deleted at the
end. PostgreSQL refuses to run as root, so under root (CI) the server runs as ``nobody``.

    with Cluster.start() as pg:
        url = pg.new_database()      # postgresql://archive@127.0.0.1:PORT/t_1
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
ROLE = "archive"  # the clusters' superuser


def bin_dir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are (None: PostgreSQL is not installed)."""
    for d in BIN_DIRS:
        if (Path(d) / "initdb").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _running_port(data: Path) -> int | None:
    """The port of the server running on ``data`` (None when none is)."""
    pid_file = data / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        os.kill(int(lines[0]), 0)
        return int(lines[3])
    except (OSError, ValueError, IndexError):
        return None


class Cluster:
    """One running PostgreSQL server in a temporary folder."""

    _names = itertools.count(1)

    def __init__(self, root: Path, port: int, user: str | None) -> None:
        self.root = root
        self.port = port
        self.user = user  # the OS user the server runs as (None: this process's)
        self.data = root / "data"
        self.keep = False
        self.started = True  # (False: a kept server found running, which stop() leaves running)
        self.bindir = bin_dir() or Path("/usr/lib/postgresql/15/bin")

    @classmethod
    def start(cls, root: Path | None = None, *, shared_buffers: str = "64MB") -> Cluster:
        """A new server in a temporary folder, or the one kept in ``root`` (made there the first time,
        kept by :meth:`stop`: the benchmarks' cached databases)."""
        bindir = bin_dir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt install postgresql-15)")
        user = "nobody" if os.geteuid() == 0 else None
        keep = root is not None
        root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="archive-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o755)
        if user is not None:
            pw = pwd.getpwnam(user)
            os.chown(root, pw.pw_uid, pw.pw_gid)
        running = _running_port(root / "data") if keep else None
        if running is not None:  # a kept server already running (another benchmark's): used as it is, left running
            cluster = cls(root, running, user)
            cluster.keep, cluster.started = True, False
            return cluster
        cluster = cls(root, free_port(), user)
        cluster.keep = keep
        if not (cluster.data / "PG_VERSION").exists():
            cluster._run(bindir / "initdb", "-D", str(cluster.data), "-U", ROLE, "--auth=trust", "-E", "UTF8",
                         "--no-locale", "--no-sync")
        conf = cluster.data / "postgresql.auto.conf"
        conf.write_text(f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                        "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
                        f"shared_buffers = {shared_buffers}\n")
        if user is not None:
            os.chown(conf, pw.pw_uid, pw.pw_gid)
        cluster.bindir = bindir
        cluster.resume()
        return cluster

    def halt(self) -> None:
        """Stop the server as an administrator would (its clients' connections are ended); keep its data."""
        self._run(self.bindir / "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start a halted server again, on the same port."""
        self._run(self.bindir / "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60", "start")

    def _run(self, *args: object) -> None:
        subprocess.run([str(a) for a in args], check=True, capture_output=True, cwd=self.root,
                       user=self.user, env={**os.environ, "LC_ALL": "C"})

    def url(self, database: str = "postgres", role: str = ROLE) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str | None = None) -> str:
        """A new empty database's URL (``name``: made only if missing)."""
        import psycopg

        name = name or f"t_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if not self.started:
            return
        subprocess.run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast" if self.keep else "immediate",
                        "stop"], capture_output=True, cwd=self.root, user=self.user)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
