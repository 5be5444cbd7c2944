"""A dependency that comes up at a moment the benchmark chooses.

The port is bound but not listening, so connections are refused (as while a
server boots). start() calls listen(): from that instant the kernel completes
handshakes, which is "accepting connections". It then answers HTTP requests
with 200 {"status":"healthy"} and RESP commands with +OK / +PONG."""

import socket
import threading
import time

HEALTHY = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\nConnection: close\r\n\r\n{"status":"healthy"}'


def _serve_client(conn):
    with conn:
        conn.settimeout(5)
        try:
            data = conn.recv(65536)
            if data.startswith(b"GET "):
                conn.sendall(HEALTHY)
                return
            while data:
                # One reply per RESP command: each command starts with "*".
                for line in data.split(b"\r\n"):
                    if line.upper() == b"PING":
                        conn.sendall(b"+PONG\r\n")
                    elif line.upper() in (b"AUTH", b"SELECT"):
                        conn.sendall(b"+OK\r\n")
                data = conn.recv(65536)
        except OSError:
            pass


class LateDependency:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepting_at = None
        self.thread = None

    def start(self):
        self.sock.listen(128)
        self.accepting_at = time.perf_counter()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed by stop()
            threading.Thread(target=_serve_client, args=(conn,), daemon=True).start()

    def stop(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        if self.thread:
            self.thread.join(timeout=5)
