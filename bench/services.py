"""The dependencies the side-by-side benchmark runs against, all on 127.0.0.1:
a throwaway PostgreSQL cluster, a password-protected redis-server, the
HTTP health fixture and the fault fixtures (silent, blackhole, trickle).
Everything started here is stopped by PID in stop()."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

DB_PASSWORD = "bench-db-password"
REDIS_PASSWORD = "bench-redis-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=30.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def postgres_bin():
    versions = sorted((d for d in os.listdir("/usr/lib/postgresql") if d.isdigit()), key=int)
    if not versions:
        raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql")
    return f"/usr/lib/postgresql/{versions[-1]}/bin"


class Services:
    def __init__(self, fixture):
        self.fixture = fixture
        self.work = tempfile.mkdtemp(prefix="preflight-bench-")
        os.chmod(self.work, 0o755)
        self.procs = []
        self.ports = {}

    def _spawn(self, argv, **kw):
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, **kw)
        self.procs.append(proc)
        return proc

    def _as_postgres(self, argv):
        if os.geteuid() != 0:
            return argv
        # PostgreSQL refuses to run as root; setpriv execs, so the PID we keep is the server's.
        return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] + argv

    def _fixture(self, mode):
        proc = self._spawn([self.fixture, mode], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"preflight-fixture {mode} printed no port")
        return int(line)

    def start(self):
        pg = os.path.join(self.work, "pg")
        os.mkdir(pg)
        with open(os.path.join(pg, "pwfile"), "w") as f:
            f.write(DB_PASSWORD + "\n")
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (pg, os.path.join(pg, "pwfile")):
                os.chown(path, user.pw_uid, user.pw_gid)
        bindir = postgres_bin()
        subprocess.run(self._as_postgres([f"{bindir}/initdb", "-D", f"{pg}/data", "-U", "postgres",
                                          "--pwfile", f"{pg}/pwfile", "--auth-host=scram-sha-256",
                                          "--auth-local=trust", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        self.ports["postgres"] = free_port()
        self._spawn(self._as_postgres([f"{bindir}/postgres", "-D", f"{pg}/data", "-p", str(self.ports["postgres"]),
                                       "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={pg}",
                                       "-c", "fsync=off", "-c", "max_connections=200"]),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ports["redis"] = free_port()
        self._spawn(["redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1",
                     "--requirepass", REDIS_PASSWORD, "--save", "", "--appendonly", "no", "--loglevel", "warning",
                     "--maxclients", "4000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for mode in ("health", "silent", "blackhole", "trickle"):
            self.ports[mode] = self._fixture(mode)
        wait_for_port(self.ports["redis"])
        wait_for_port(self.ports["postgres"])
        for _ in range(300):
            ok = subprocess.run([f"{bindir}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.ports["postgres"])])
            if ok.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not become ready in 30 s")

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.work, ignore_errors=True)
