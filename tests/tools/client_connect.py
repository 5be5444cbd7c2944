#!/usr/bin/env python3
"""Connects with real client libraries, for the end-to-end corpus: the
verdict a row expects is the one the application's own client reaches
against the same server.

Usage: client_connect.py ROWS
  ROWS: lines of "id<TAB>client<TAB>connection string", the string with
  {LF}, {CR}, {TAB} for the characters a line cannot hold.
Prints "id<TAB>client<TAB>ok", "id<TAB>client<TAB>fail<TAB>why" or
"id<TAB>client<TAB>missing<TAB>what" for each row. Every attempt has a
3-second limit."""
import asyncio
import sys

ESCAPES = {"{LF}": "\n", "{CR}": "\r", "{TAB}": "\t"}
TIMEOUT = 3


def unescape(text):
    for name, char in ESCAPES.items():
        text = text.replace(name, char)
    return text


def with_psycopg2(url):
    import psycopg2
    conn = psycopg2.connect(url, connect_timeout=TIMEOUT)
    try:
        conn.cursor().execute("SELECT 1")
    finally:
        conn.close()


def with_psycopg(url):
    import psycopg
    with psycopg.connect(url, connect_timeout=TIMEOUT) as conn:
        conn.execute("SELECT 1")


def with_asyncpg(url):
    import asyncpg

    async def go():
        conn = await asyncpg.connect(dsn=url, timeout=TIMEOUT)
        try:
            await conn.fetchval("SELECT 1")
        finally:
            await conn.close()
    asyncio.run(go())


def with_sqlalchemy(url):
    import sqlalchemy
    if "+asyncpg" in url.split("://", 1)[0]:
        from sqlalchemy.ext.asyncio import create_async_engine

        async def go():
            engine = create_async_engine(url, connect_args={"timeout": TIMEOUT})
            try:
                async with engine.connect() as conn:
                    await conn.execute(sqlalchemy.text("SELECT 1"))
            finally:
                await engine.dispose()
        asyncio.run(go())
        return
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": TIMEOUT})
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("SELECT 1"))
    finally:
        engine.dispose()


def with_dj_database_url(url):
    # Django's PostgreSQL backend hands these settings to psycopg2.
    import dj_database_url
    import psycopg2
    cfg = dj_database_url.parse(url)
    kwargs = {"dbname": cfg.get("NAME") or None, "user": cfg.get("USER") or None,
              "password": cfg.get("PASSWORD") or None, "host": cfg.get("HOST") or None,
              "port": cfg.get("PORT") or None, "connect_timeout": TIMEOUT}
    kwargs.update(cfg.get("OPTIONS", {}))
    conn = psycopg2.connect(**{k: v for k, v in kwargs.items() if v is not None})
    try:
        conn.cursor().execute("SELECT 1")
    finally:
        conn.close()


def with_redis_py(url):
    import redis
    # A Unix-socket connection takes no connect timeout.
    extra = {} if url.lower().startswith("unix:") else {"socket_connect_timeout": TIMEOUT}
    client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, **extra)
    try:
        if client.ping() is not True:
            raise RuntimeError("PING did not answer PONG")
    finally:
        client.close()


CLIENTS = {
    "psycopg2": with_psycopg2, "psycopg": with_psycopg, "asyncpg": with_asyncpg,
    "sqlalchemy": with_sqlalchemy, "dj-database-url": with_dj_database_url, "redis-py": with_redis_py,
}


def one_line(text):
    return " ".join(str(text).split())[:300]


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        for line in f:
            row_id, client, text = line.rstrip("\n").split("\t", 2)
            try:
                CLIENTS[client](unescape(text))
                verdict = "ok"
            except ImportError as e:
                verdict = f"missing\t{one_line(e)}"
            except Exception as e:  # every client error is a verdict, named
                verdict = f"fail\t{type(e).__name__}: {one_line(e)}"
            print(f"{row_id}\t{client}\t{verdict}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
