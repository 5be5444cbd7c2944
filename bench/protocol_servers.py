"""The servers of the per-probe benchmark, all on 127.0.0.1 and each from
its Debian package (or, for gRPC, built from the official library by the
tests): MariaDB, RabbitMQ (with its own epmd), nats-server, memcached, a
gRPC server with the library's health service, and dnsmasq serving a test
zone. Everything started here is stopped by PID in stop(); a server whose
package is missing is left out, and its row says so."""

import os
import shutil
import signal
import subprocess
import tempfile
import time

from services import free_port, wait_for_port

MYSQL_USER, MYSQL_PASSWORD = "bench", "bench-mysql-password"
AMQP_USER, AMQP_PASSWORD = "bench", "bench-amqp-password"


class ProtocolServers:
    def __init__(self, grpc_server):
        self.grpc_server = grpc_server
        self.work = tempfile.mkdtemp(prefix="preflight-bench-protocols-")
        os.chmod(self.work, 0o755)
        self.procs = []
        self.ports = {}
        self.missing = {}  # name → why it is not there

    def _spawn(self, argv, env=None):
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env)
        self.procs.append(proc)
        return proc

    def _mariadb(self):
        data = os.path.join(self.work, "mariadb")
        os.mkdir(data)
        user = ["--user=mysql"] if os.geteuid() == 0 else []
        if user:
            shutil.chown(data, "mysql", "mysql")
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}/data", "--skip-test-db",
                        "--auth-root-authentication-method=normal"] + user,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        port, sock = free_port(), f"{data}/mysqld.sock"
        self._spawn(["/usr/sbin/mariadbd", "--no-defaults", f"--datadir={data}/data", f"--socket={sock}", f"--port={port}",
                     "--bind-address=127.0.0.1", "--skip-name-resolve", "--innodb-buffer-pool-size=16M", "--skip-log-bin",
                     f"--pid-file={data}/mariadbd.pid"] + user)
        wait_for_port(port, 60)
        setup = f"CREATE USER '{MYSQL_USER}'@'%' IDENTIFIED BY '{MYSQL_PASSWORD}'; GRANT ALL ON *.* TO '{MYSQL_USER}'@'%';"
        for _ in range(100):
            if subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-e", setup],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                self.ports["mysql"] = port
                return
            time.sleep(0.1)
        raise RuntimeError("MariaDB did not take its bench user")

    def _rabbitmq(self):
        d = os.path.join(self.work, "rabbitmq")
        os.mkdir(d)
        port, epmd_port, dist_port = free_port(), free_port(), free_port()
        with open(f"{d}/rabbitmq.conf", "w") as f:
            f.write(f"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n"
                    f"default_user = {AMQP_USER}\ndefault_pass = {AMQP_PASSWORD}\n")
        with open(f"{d}/enabled_plugins", "w") as f:
            f.write("[].\n")
        self._spawn(["/usr/bin/epmd", "-port", str(epmd_port)])
        env = dict(os.environ, HOME=d, RABBITMQ_NODENAME=f"bench{port}@localhost", RABBITMQ_MNESIA_BASE=f"{d}/mnesia",
                   RABBITMQ_LOG_BASE=f"{d}/log", RABBITMQ_CONFIG_FILE=f"{d}/rabbitmq",
                   RABBITMQ_ENABLED_PLUGINS_FILE=f"{d}/enabled_plugins", RABBITMQ_DIST_PORT=str(dist_port),
                   ERL_EPMD_PORT=str(epmd_port), RABBITMQ_PID_FILE=f"{d}/rabbitmq.pid")
        # The server itself, not Debian's wrapper in /usr/sbin, which switches to the
        # rabbitmq user and its own directories.
        self._spawn(["/usr/lib/rabbitmq/bin/rabbitmq-server"], env=env)
        wait_for_port(port, 60)
        self.ports["amqp"] = port

    def _simple(self, name, argv_for, binary):
        if not os.access(binary, os.X_OK):
            self.missing[name] = f"{binary} is not installed"
            return
        port = free_port()
        self._spawn(argv_for(port))
        wait_for_port(port, 30)
        self.ports[name] = port

    def start(self):
        for name, binary, start in (("mysql", "/usr/sbin/mariadbd", self._mariadb),
                                    ("amqp", "/usr/lib/rabbitmq/bin/rabbitmq-server", self._rabbitmq)):
            if os.access(binary, os.X_OK):
                start()
            else:
                self.missing[name] = f"{binary} is not installed"
        self._simple("nats", lambda p: ["/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", str(p)], "/usr/sbin/nats-server")
        self._simple("memcached", lambda p: ["/usr/bin/memcached", "-l", "127.0.0.1", "-p", str(p), "-U", "0", "-u", "nobody"],
                     "/usr/bin/memcached")
        self._simple("grpc", lambda p: [self.grpc_server, str(p)], self.grpc_server)
        # dnsmasq also listens on TCP, which is how wait_for_port sees it up.
        self._simple("dns", lambda p: ["/usr/sbin/dnsmasq", "--keep-in-foreground", f"--port={p}", "--listen-address=127.0.0.1",
                                       "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=",
                                       "--user=root", "--local=/test/", "--host-record=web.test,10.1.2.3"],
                     "/usr/sbin/dnsmasq")

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.work, ignore_errors=True)
