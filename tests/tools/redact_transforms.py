#!/usr/bin/python3
"""Writes tests/corpus/redact_transforms.jsonl: what real encoders make of a
message that holds a secret, for tests/unit/redact_transform_matrix_test.cc;
and tests/corpus/transformed_echoes.jsonl: HTTP bodies that echo a token
transformed, for tests/integration/secret_transforms_test.cc.

Run with Debian's python3 (its json, urllib, base64, quopri, textwrap,
html and xml modules), GNU coreutils' base64, xxd, and Go's encoding/json
through tests/tools/go_json_marshal.go (`go run`; Debian's golang-go).
Every case is one canary secret, one transform, the transformed message,
the same message with a decoy of the canary (each letter and digit
changed, everything else kept, so every encoder gives it the same length),
and the byte ranges of the transformed message that depend on the canary:
those that differ from the decoy's. The test masks the canary and asserts
that no 5 bytes in a row of those ranges survive, and that the decoy's
message comes through unchanged.

    /usr/bin/python3 tests/tools/redact_transforms.py tests/corpus
"""
import base64
import html
import json
import quopri
import subprocess
import sys
import textwrap
import urllib.parse
import xml.sax.saxutils
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name, secret, how preflight learns it ("config": registered before the
# run; "token": an identity token learnt at run time, with its signature)
CANARIES = [
    ("ascii-punct", 'Tq8#vX&rp"l\\<Zk3>/%2F+y', "config"),
    ("utf8", "P\u00e4ssw\u00f6rd-\u03a9mega-\U0001F600-\u00e7\u00e09Q", "config"),
    ("short-5", "Q9x!z", "config"),
    ("short-8", "mZ4&w7pE", "config"),
    ("long-64", "aB3dE5fG7hJ9-kL1mN3pQ5rS7_tU9vW1xY3zA5bC7.dE9fG1hJ3kL5mN7pQ9rS1t", "config"),
    ("padded", "c2VjcmV0LWtleS1mb3ItdGVzdHMtMTIzNDU2Nzg5MA==", "config"),
    ("token-short", "q7Rt2Kx9", "token"),
    ("token-jwt", "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3gifQ.Zk3vQ9xRt2Lm8Np4Wq7Ys1Bc", "token"),
]
assert len(CANARIES[4][1]) == 64

# What a server says around the secret: '=' signs and scheme words that
# must come through unmasked.
MESSAGE = 'FATAL: password authentication failed for user "app" (got "{}"); scheme OAuth, sslmode=require, a==b'


def decoy(secret):
    out = []
    for ch in secret:
        if "a" <= ch <= "z":
            ch = chr((ord(ch) - 97 + 13) % 26 + 97)
        elif "A" <= ch <= "Z":
            ch = chr((ord(ch) - 65 + 13) % 26 + 65)
        elif "0" <= ch <= "9":
            ch = chr((ord(ch) - 48 + 5) % 10 + 48)
        out.append(ch)
    return "".join(out)


def go_marshal(texts):
    stdin = "".join(t.encode().hex() + "\n" for t in texts)
    out = subprocess.run(["go", "run", str(HERE / "go_json_marshal.go")], input=stdin, capture_output=True,
                         text=True, check=True).stdout
    return [bytes.fromhex(line) for line in out.splitlines()]


def command(argv):
    return lambda s: subprocess.run(argv, input=s.encode(), capture_output=True, check=True).stdout


GO_CACHE = {}


def go_json(s):
    if s not in GO_CACHE:
        GO_CACHE[s] = go_marshal([s])[0]
    return GO_CACHE[s]


# name, the real encoder, text -> bytes
TRANSFORMS = [
    ("raw", "the text as UTF-8", lambda s: s.encode()),
    ("json-ascii", "Python json.dumps(ensure_ascii=True)", lambda s: json.dumps(s).encode()),
    ("json-utf8", "Python json.dumps(ensure_ascii=False)", lambda s: json.dumps(s, ensure_ascii=False).encode()),
    ("go-json", "Go encoding/json Marshal (\\u003c \\u0026, \\u2028)", go_json),
    ("quote", "Python urllib.parse.quote (safe='/')", lambda s: urllib.parse.quote(s).encode()),
    ("quote-all", "Python urllib.parse.quote(safe='')", lambda s: urllib.parse.quote(s, safe="").encode()),
    ("quote-plus", "Python urllib.parse.quote_plus", lambda s: urllib.parse.quote_plus(s).encode()),
    ("quote-some", "Python urllib.parse.quote, RFC 3986 reserved characters safe",
     lambda s: urllib.parse.quote(s, safe=":/?#[]@!$&'()*+,;=").encode()),
    ("html-escape", "Python html.escape", lambda s: html.escape(s).encode()),
    ("xml-escape", "Python xml.sax.saxutils.escape with quotes", lambda s: xml.sax.saxutils.escape(
        s, {'"': "&quot;", "'": "&apos;"}).encode()),
    ("xml-charref", "Python str.encode('ascii', 'xmlcharrefreplace')", lambda s: s.encode("ascii", "xmlcharrefreplace")),
    ("base64", "Python base64.b64encode", lambda s: base64.b64encode(s.encode())),
    ("base64-shift1", "Python base64.b64encode, one byte before", lambda s: base64.b64encode(b"x" + s.encode())),
    ("base64-shift2", "Python base64.b64encode, two bytes before", lambda s: base64.b64encode(b"xy" + s.encode())),
    ("base64-url", "Python base64.urlsafe_b64encode", lambda s: base64.urlsafe_b64encode(s.encode())),
    ("base64-mime", "Python base64.encodebytes (76 columns)", lambda s: base64.encodebytes(s.encode())),
    ("base64-command", "GNU coreutils base64 (76 columns)", command(["base64"])),
    ("hex", "Python bytes.hex", lambda s: s.encode().hex().encode()),
    ("hex-xxd", "xxd -p (60 columns)", command(["xxd", "-p"])),
    ("upper", "Python str.upper", lambda s: s.upper().encode()),
    ("lower", "Python str.lower", lambda s: s.lower().encode()),
    ("swapcase", "Python str.swapcase", lambda s: s.swapcase().encode()),
    ("latin1-mojibake", "UTF-8 read as Latin-1, written as UTF-8", lambda s: s.encode().decode("latin-1").encode()),
    ("python-ascii", "Python ascii() (\\xe4 \\u03a9 \\U0001f600)", lambda s: ascii(s).encode()),
    ("bytes-repr", "Python repr of the UTF-8 bytes (\\xc3\\xa4)", lambda s: repr(s.encode()).encode()),
    ("textwrap-20", "Python textwrap.fill(width=20)", lambda s: textwrap.fill(s, 20).encode()),
    ("textwrap-12", "Python textwrap.fill(width=12)", lambda s: textwrap.fill(s, 12).encode()),
    ("quoted-printable", "Python quopri.encodestring", lambda s: quopri.encodestring(s.encode())),
    ("json-in-json", "Python json.dumps of json.dumps", lambda s: json.dumps(json.dumps(s)).encode()),
    ("quote-of-json", "Python urllib.parse.quote of json.dumps", lambda s: urllib.parse.quote(json.dumps(s)).encode()),
]


def dependent_runs(a, b):
    """[begin, end) ranges where a and b differ."""
    assert len(a) == len(b), "the decoy changed the length"
    runs, start = [], None
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and start is None:
            start = i
        elif x == y and start is not None:
            runs.append([start, i])
            start = None
    if start is not None:
        runs.append([start, len(a)])
    return runs


SECRETS = {name: secret for name, secret, _ in CANARIES}


def case(canary, learnt, transform, encoder, text, control, cls):
    runs = dependent_runs(text, control)
    assert runs, (canary, transform)
    return {"class": cls, "canary": canary, "secret": SECRETS[canary].encode().hex(), "learnt": learnt,
            "transform": transform, "encoder": encoder, "text": text.hex(), "control": control.hex(),
            "dependent": runs}


def cuts(secret):
    """Where a cut falls inside the secret: 5 characters in, half, one short."""
    return sorted({k for k in (5, len(secret) // 2, len(secret) - 1) if 5 <= k < len(secret)})


def main():
    out = []
    for name, secret, learnt in CANARIES:
        message, control_message = MESSAGE.format(secret), MESSAGE.format(decoy(secret))
        for transform, encoder, fn in TRANSFORMS:
            out.append(case(name, learnt, transform, encoder, fn(message), fn(control_message), 2))
        at = message.index(secret)
        for k in cuts(secret):
            # MariaDB Connector/C keeps 511 bytes of a server error, unmarked.
            pad = "x" * (511 - len(message[:at].encode()) - len(secret[:k].encode()))
            long_message, long_control = pad + message, pad + control_message
            out.append(case(name, learnt, f"cut-511-at-{k}", "the first 511 bytes, as MariaDB Connector/C keeps",
                            long_message.encode()[:511], long_control.encode()[:511], 3))
            end = len(message[:at + k].encode())
            out.append(case(name, learnt, f"cut-ellipsis-at-{k}", "cut and marked with ...",
                            message.encode()[:end] + b"...", control_message.encode()[:end] + b"...", 3))
            quoted, quoted_control = json.dumps(message), json.dumps(control_message)
            j = len(json.dumps(message[:at + k])) - 1  # inside the escaped secret, maybe inside an escape
            out.append(case(name, learnt, f"cut-json-at-{k}", "Python json.dumps, cut",
                            quoted.encode()[:j], quoted_control.encode()[:j], 3))
            escape = json.dumps(message[at + k])[1:-1]
            if len(escape) > 1:  # the next character is escaped: cut through its escape
                j_in = j + len(escape) // 2
                out.append(case(name, learnt, f"cut-json-inside-at-{k}", "Python json.dumps, cut inside an escape",
                                quoted.encode()[:j_in], quoted_control.encode()[:j_in], 3))
            out.append(case(name, learnt, f"cut-byte-at-{k}", "the UTF-8 bytes cut one byte into the next character",
                            message.encode()[:end + 1], control_message.encode()[:end + 1], 3))
    corpus = Path(sys.argv[1])
    with open(corpus / "redact_transforms.jsonl", "w") as f:
        for c in out:
            f.write(json.dumps(c, sort_keys=True) + "\n")
    with open(corpus / "transformed_echoes.jsonl", "w") as f:
        for c in echoes():
            f.write(json.dumps(c, sort_keys=True) + "\n")


# What an API server answers a refused token with. Preflight quotes the
# first 40 bytes of a body, so the token starts early in each.
ECHOES = [
    ("go-json", "Go encoding/json Marshal of {\"error\": token}",
     lambda t: go_json_object({"error": t})),
    ("quote-some", "Python urllib.parse.quote, RFC 3986 reserved characters safe",
     lambda t: ("token=" + urllib.parse.quote(t, safe=":/?#[]@!$&'()*+,;=")).encode()),
    ("json-ascii", "Python json.dumps({\"detail\": token})", lambda t: json.dumps({"detail": t}).encode()),
    ("base64-mime", "Python base64.encodebytes", lambda t: base64.encodebytes(t.encode())),
]


def go_json_object(obj):
    # json.Marshal of a map[string]string with one key: '{"key":' + the
    # value marshalled + '}'.
    (key, value), = obj.items()
    return b'{' + go_json(key) + b':' + go_json(value) + b'}'


def echoes():
    for name, secret, _ in CANARIES:
        if name not in ("ascii-punct", "utf8"):
            continue
        for transform, encoder, fn in ECHOES:
            body, control = fn(secret), fn(decoy(secret))
            yield {"canary": name, "secret": secret.encode().hex(), "transform": transform, "encoder": encoder,
                   "body": body.hex(), "control": control.hex(), "dependent": dependent_runs(body, control)}


if __name__ == "__main__":
    main()
