#!/usr/bin/python3
"""Google's metadata server and a private Cloud Run service's front end, for
the identity-token tests; what cannot run here, made to behave as Google
documents it:

- the metadata server mints an RS256 ID token for the audience asked
  (`.../service-accounts/default/identity?audience=`), signed with a key made
  at start, and answers 403 without `Metadata-Flavor: Google`; it records
  the audiences asked for (GET /audiences, a test's view, not Google's);
- the service verifies the bearer token as Cloud Run does: none → 403,
  a bad signature or another audience → 401, a valid token of an account
  that is not an invoker (path /denied...) → 403, else 200 (or, for a
  WebSocket upgrade, 101 and a pong). /echo answers 401 quoting the
  Authorization header, as careless servers do.

Writes "METADATA_PORT SERVICE_PORT" to the file named by its argument (or
stdout) once both listen; serves until killed."""
import base64
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EMAIL = "app@proj.iam.gserviceaccount.com"
ACCOUNT = "/computeMetadata/v1/instance/service-accounts/default"
audiences = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Metadata(Handler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/audiences":
            return self.reply(200, json.dumps(audiences), "application/json")
        if self.headers.get("Metadata-Flavor") != "Google":
            return self.reply(403, "Missing required header: Metadata-Flavor: Google")
        if url.path == ACCOUNT + "/identity":
            audience = parse_qs(url.query).get("audience", [""])[0]
            if not audience:
                return self.reply(400, "non-empty audience parameter required")
            audiences.append(audience)
            now = int(time.time())
            claims = {"iss": "https://accounts.google.com", "aud": audience, "azp": "1", "sub": "1", "email": EMAIL,
                      "email_verified": True, "iat": now, "exp": now + 3600}
            return self.reply(200, jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "test"}))
        if url.path == ACCOUNT + "/email":
            return self.reply(200, EMAIL)
        return self.reply(404, "Not Found")


class Service(Handler):
    def do_GET(self):
        authorization = self.headers.get("Authorization", "")
        if self.path.startswith("/echo"):
            return self.reply(401, "rejected: " + authorization)
        if not authorization.startswith("Bearer "):
            return self.reply(403, "Your client does not have permission to get URL " + self.path)
        origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        try:
            claims = jwt.decode(authorization[7:], KEY.public_key(), algorithms=["RS256"], audience=origin)
        except jwt.InvalidTokenError:
            return self.reply(401, "Your client does not have permission to the requested URL")
        if self.path.startswith("/denied") or claims.get("email") != EMAIL:
            return self.reply(403, "Your client does not have permission to get URL " + self.path)
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return self.websocket()
        return self.reply(200, "ok")

    def websocket(self):
        """The upgrade, then one ping answered with its pong (RFC 6455)."""
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        head = self.rfile.read(2)
        length = head[1] & 0x7F  # a ping's payload is short: no extended length
        mask = self.rfile.read(4)
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
        self.wfile.write(bytes([0x8A, len(payload)]) + payload)
        self.wfile.flush()
        self.close_connection = True


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


if __name__ == "__main__":
    ports = f"{serve(Metadata)} {serve(Service)}\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1] + ".part", "w") as f:
            f.write(ports)
        os.rename(sys.argv[1] + ".part", sys.argv[1])  # whole, or not there
    else:
        print(ports, end="", flush=True)
    threading.Event().wait()
