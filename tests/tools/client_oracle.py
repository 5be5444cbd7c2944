#!/usr/bin/env python3
"""Reads every row of tests/corpus/connection_strings.tsv with the client the
row names (libpq through ctypes, psycopg2, psycopg, asyncpg, SQLAlchemy,
dj-database-url, redis-py; run by node, the npm clients mysql2, memjs and pg
that scripts/install-deps.sh installs at pinned versions; built with Debian's
Go, the drivers go-sql-driver/mysql and pgx's pgconn; run by java, Debian's
pgjdbc), renders what that client makes of the string in
the corpus's canonical form, and compares it with the row's expect column.
Nothing connects anywhere: every client here parses without a server.

Usage: client_oracle.py PREFLIGHT SOURCE_DIR [--print] [--verbose]
  PREFLIGHT is ignored (the tool takes the same arguments as its siblings).
  --print    print "id<TAB>reading" for every row instead of comparing
  --verbose  also print each row's reading and why a client refused it

The canonical form and the columns are described at the top of the corpus.
Rows whose client ends in "(docs)" describe a client that cannot run here;
they are only checked for shape, and counted."""
import ctypes
import inspect
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile

CORPUS = os.path.join("tests", "corpus", "connection_strings.tsv")

# Which Debian package brings each Python module, for the message when one is
# missing (scripts/install-deps.sh installs them all).
DEBIAN_PACKAGE = {
    "psycopg2": "python3-psycopg2", "psycopg": "python3-psycopg",
    "asyncpg": "python3-asyncpg", "sqlalchemy": "python3-sqlalchemy",
    "redis": "python3-redis", "dj_database_url": "python3-dj-database-url",
    "pymysql": "python3-pymysql", "pymemcache": "python3-pymemcache", "MySQLdb": "python3-mysqldb",
    "django": "python3-django", "environ": "python3-django-environ",
}


class Refused(Exception):
    """The client refuses the string: the row's reading is `error`."""


class Missing(Exception):
    """A module the row needs is not installed: a failure of the run."""


def need(module):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as e:
        top = module.split(".")[0]
        raise Missing(f"needs Python module {top} (Debian package "
                      f"{DEBIAN_PACKAGE.get(top, '?')}): {e}") from None


# ---------------------------------------------------------------------------
# Canonical rendering

def tcp(host, port):
    # An IPv6 literal goes in brackets. A comma inside one host name (which
    # only happens when a client does not split a host list) is written %2C
    # so that it cannot be read as two endpoints.
    host = host.replace(",", "%2C")
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def render_postgres(endpoints=None, user=None, password=None, dbname=None, sslmode=None):
    tokens = []
    if endpoints:
        tokens.append("endpoints=" + ",".join(endpoints))
    for key, value in (("user", user), ("password", password),
                       ("dbname", dbname), ("sslmode", sslmode)):
        if value:  # an empty value is no value for every client here
            tokens.append(f"{key}={value}")
    return " ".join(tokens)


# ---------------------------------------------------------------------------
# libpq: PQconninfoParse through ctypes is the parser. The checks libpq makes
# only when it starts connecting (connectOptions2 and PQconnectPoll in
# fe-connect.c) are reproduced in libpq_reading(), because actually starting a
# connection would send traffic. (They were checked against real libpq 15
# connection starts inside `unshare -n`, where nothing can leave the machine:
# libpq refused exactly the libpq rows that read `error` here.)

class PQconninfoOption(ctypes.Structure):
    _fields_ = [("keyword", ctypes.c_char_p), ("envvar", ctypes.c_char_p),
                ("compiled", ctypes.c_char_p), ("val", ctypes.c_char_p),
                ("label", ctypes.c_char_p), ("dispchar", ctypes.c_char_p),
                ("dispsize", ctypes.c_int)]


_libpq = None


def libpq():
    global _libpq
    if _libpq is None:
        try:
            lib = ctypes.CDLL("libpq.so.5")
        except OSError as e:
            raise Missing(f"needs libpq.so.5 (Debian package libpq5): {e}") from None
        lib.PQconninfoParse.restype = ctypes.POINTER(PQconninfoOption)
        lib.PQconninfoParse.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)]
        lib.PQconninfoFree.argtypes = [ctypes.POINTER(PQconninfoOption)]
        lib.PQfreemem.argtypes = [ctypes.c_void_p]
        _libpq = lib
    return _libpq


def pq_conninfo_parse(conninfo):
    """The options a URI or key=value string sets, as libpq parses them
    (PQconninfoParse applies no defaults and reads no environment)."""
    lib = libpq()
    err = ctypes.c_char_p()
    options = lib.PQconninfoParse(conninfo.encode(), ctypes.byref(err))
    if not options:
        message = err.value.decode().strip() if err.value else "out of memory"
        if err.value:
            lib.PQfreemem(err)
        raise Refused(message)
    values = {}
    i = 0
    while options[i].keyword:
        if options[i].val is not None:
            values[options[i].keyword.decode()] = options[i].val.decode()
        i += 1
    lib.PQconninfoFree(options)
    return values


# Where libpq looks when a host slot is empty: DEFAULT_PGSOCKET_DIR as Debian
# builds libpq. Only reached by a host list with an empty entry.
LIBPQ_DEFAULT_SOCKET_DIR = "/var/run/postgresql"

# Option values libpq validates before connecting (PostgreSQL 15 libpq).
LIBPQ_ENUMS = {
    "sslmode": {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"},
    "gssencmode": {"disable", "prefer", "require"},
    "channel_binding": {"disable", "prefer", "require"},
    "target_session_attrs": {"any", "read-write", "read-only", "primary",
                             "standby", "prefer-standby"},
}


def libpq_port(text):
    """PQconnectPoll: an empty port is 5432; otherwise an integer (strtol,
    surrounding blanks allowed) from 1 to 65535."""
    if text == "":
        return 5432
    if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", text):
        raise Refused(f'invalid integer value "{text}" for connection option "port"')
    port = int(text)
    if not 1 <= port <= 65535:
        raise Refused(f'invalid port number: "{text}"')
    return port


def libpq_reading(options):
    """The canonical reading of a set of libpq options."""
    for key, allowed in LIBPQ_ENUMS.items():
        if options.get(key) and options[key] not in allowed:
            raise Refused(f'invalid {key} value: "{options[key]}"')  # case-sensitive too

    host = options.get("host", "")
    hostaddr = options.get("hostaddr", "")
    port = options.get("port", "")
    # connectOptions2: one slot per hostaddr entry if hostaddr is given, else
    # per host entry; host and hostaddr lists must then have the same length.
    # Entries are split on every comma (there is no escaping).
    if hostaddr:
        slots = len(hostaddr.split(","))
    elif host:
        slots = len(host.split(","))
    else:
        slots = 1
    hosts = host.split(",") if host else [""] * slots
    if len(hosts) != slots:
        raise Refused(f"could not match {len(hosts)} host names to {slots} hostaddr values")
    addrs = hostaddr.split(",") if hostaddr else [""] * slots
    # Ports: a single port applies to EVERY host ("host=h1,h2 port=5433" is
    # h1:5433 and h2:5433); otherwise there must be one port per host. Note
    # that a URI gives one port entry per host, empty where the host had none
    # ("postgresql://h1,h2:5433" parses to port=",5433": h1 gets 5432).
    ports = port.split(",") if port else [""]
    if len(ports) == 1:
        ports = ports * slots
    elif len(ports) != slots:
        raise Refused(f"could not match {len(ports)} port numbers to {slots} hosts")

    endpoints = []
    bad_ports = []
    for h, a, p in zip(hosts, addrs, ports):
        # PQconnectPoll checks a host's port when it tries that host: a bad
        # port fails that host and libpq goes on to the next one.
        try:
            number = libpq_port(p)
        except Refused as e:
            bad_ports.append(str(e))
            continue
        if a:                      # hostaddr is where libpq connects; host
            endpoints.append(tcp(a, number))  # is then only for TLS/pgpass
        elif h.startswith("/"):    # an absolute path is a socket directory
            endpoints.append(f"unix:{h}/.s.PGSQL.{number}")
        elif h:
            endpoints.append(tcp(h, number))
        else:
            endpoints.append(f"unix:{LIBPQ_DEFAULT_SOCKET_DIR}/.s.PGSQL.{number}")
    if not endpoints:
        raise Refused("; ".join(bad_ports))
    if not host and not hostaddr:
        endpoints = None           # no host named: the client's default applies
    return render_postgres(endpoints, options.get("user"), options.get("password"),
                           options.get("dbname"), options.get("sslmode"))


def read_libpq(s):
    return libpq_reading(pq_conninfo_parse(s))


def read_psycopg2_kwargs(*args, **kwargs):
    """psycopg2.connect(dsn, **kwargs) builds one conninfo string with
    make_dsn() and hands it to libpq."""
    ext = need("psycopg2.extensions")
    psycopg2 = need("psycopg2")
    kwargs.pop("connection_factory", None)
    kwargs.pop("cursor_factory", None)
    try:
        dsn = ext.make_dsn(*args, **kwargs)
        return libpq_reading(ext.parse_dsn(dsn))  # parse_dsn is PQconninfoParse
    except psycopg2.ProgrammingError as e:
        raise Refused(str(e).strip()) from None


def read_psycopg2(s):
    return read_psycopg2_kwargs(s)


def read_psycopg(s):
    """psycopg 3: Connection.connect() merges the string into parameters
    (_get_connection_params, which also insists on an integer
    connect_timeout), rebuilds a conninfo with make_conninfo() and hands it to
    libpq."""
    psycopg = need("psycopg")
    conninfo = need("psycopg.conninfo")
    try:
        params = psycopg.Connection._get_connection_params(s)
        return libpq_reading(conninfo.conninfo_to_dict(conninfo.make_conninfo(**params)))
    except (psycopg.ProgrammingError, ValueError) as e:
        raise Refused(str(e).strip()) from None


# ---------------------------------------------------------------------------
# asyncpg: its own parser, not libpq. asyncpg.connect() binds its keyword
# arguments and passes them to connect_utils._parse_connect_arguments(), which
# computes the address list and connection parameters without connecting.
#
# asyncpg fills what the string leaves out from PG* environment variables,
# the login name, ~/.pgpass and ~/.postgresql/. To tell the string's values
# from those defaults, each string is parsed twice under two different PG*
# environments (and an empty HOME): what is the same in both runs came from
# the string, what moved came from the environment and is left out.

ASYNCPG_ENVS = [
    {"PGHOST": "env-default-a.invalid", "PGUSER": "env_user_a", "PGPASSWORD": "env_pw_a",
     "PGDATABASE": "env_db_a", "PGSSLMODE": "disable"},
    {"PGHOST": "env-default-b.invalid", "PGUSER": "env_user_b", "PGPASSWORD": "env_pw_b",
     "PGDATABASE": "env_db_b", "PGSSLMODE": "allow"},
]
_empty_home = None


def asyncpg_parse(kwargs, env):
    global _empty_home
    asyncpg = need("asyncpg")
    connect_utils = need("asyncpg.connect_utils")
    if _empty_home is None:  # removed when the interpreter exits
        _empty_home = tempfile.TemporaryDirectory(prefix="client-oracle-home-")
    try:
        bound = inspect.signature(asyncpg.connect).bind(**kwargs)
    except TypeError as e:  # e.g. sslmode=... passed as a keyword
        raise Refused(f"asyncpg.connect(): {e}") from None
    bound.apply_defaults()
    args = dict(bound.arguments)
    for not_parsed in ("loop", "connection_class", "record_class"):
        del args[not_parsed]
    saved = dict(os.environ)
    try:
        for name in list(os.environ):
            if name.startswith("PG"):
                del os.environ[name]
        os.environ.update(env, HOME=_empty_home.name)
        addrs, params, _config = connect_utils._parse_connect_arguments(**args)
    except (ValueError, TypeError, asyncpg.exceptions.InterfaceError) as e:
        raise Refused(str(e).splitlines()[0]) from None
    finally:
        os.environ.clear()
        os.environ.update(saved)
    endpoints = []
    for addr in addrs:
        if isinstance(addr, str):   # a Unix socket: asyncpg has already
            endpoints.append(f"unix:{addr}")  # appended /.s.PGSQL.<port>
        else:
            endpoints.append(tcp(*addr))
    return {"endpoints": endpoints, "user": params.user, "password": params.password,
            "dbname": params.database, "sslmode": params.sslmode.name.replace("_", "-")}


def read_asyncpg_kwargs(**kwargs):
    a, b = (asyncpg_parse(kwargs, env) for env in ASYNCPG_ENVS)
    return render_postgres(**{k: a[k] for k in a if a[k] == b[k]})


def read_asyncpg(s):
    return read_asyncpg_kwargs(dsn=s)


# ---------------------------------------------------------------------------
# SQLAlchemy: make_url() parses the URL, the dialect's create_connect_args()
# turns it into the DBAPI's connect() arguments, and the DBAPI reads those.

def sqlalchemy_connect_args(s, driver):
    sqlalchemy = need("sqlalchemy")
    need("sqlalchemy.engine")
    try:
        url = sqlalchemy.engine.make_url(s)
        if driver == "asyncpg":
            engine = need("sqlalchemy.ext.asyncio").create_async_engine(url).sync_engine
            dialect = engine.dialect
        elif driver == "pg8000":
            # SQLAlchemy 1.4 refuses Debian's pg8000 1.10 (it wants >= 1.16.6)
            # when it imports it; the dialect made without importing it still
            # computes the connect() arguments, which is all we need.
            from sqlalchemy.dialects.postgresql.pg8000 import PGDialect_pg8000
            if url.get_dialect() is not PGDialect_pg8000:
                raise Refused(f"{url.drivername} is not the pg8000 dialect")
            dialect = PGDialect_pg8000()
        else:
            dialect = sqlalchemy.create_engine(url).dialect
        if dialect.driver != driver:
            raise Missing(f"SQLAlchemy picked driver {dialect.driver}, the row says {driver}")
        cargs, cparams = dialect.create_connect_args(url)
    except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.InvalidRequestError,
            ValueError) as e:  # NoSuchModuleError is an ArgumentError
        raise Refused(f"SQLAlchemy: {e}") from None
    return cargs, dict(cparams)


def read_sqlalchemy_asyncpg(s):
    cargs, cparams = sqlalchemy_connect_args(s, "asyncpg")
    # AsyncAdapt_asyncpg_dbapi.connect() keeps these two for itself and passes
    # the rest to asyncpg.connect(); the query's ssl=require becomes
    # asyncpg's ssl argument, while sslmode= is not an asyncpg argument.
    cparams.pop("async_fallback", None)
    cparams.pop("prepared_statement_cache_size", None)
    assert not cargs
    return read_asyncpg_kwargs(**cparams)


def read_sqlalchemy_psycopg2(s):
    cargs, cparams = sqlalchemy_connect_args(s, "psycopg2")
    return read_psycopg2_kwargs(*cargs, **cparams)


def read_sqlalchemy_psycopg(s):
    # SQLAlchemy 1.4 (Debian bookworm) has no psycopg 3 dialect, so this
    # refuses there; a SQLAlchemy that has one hands the arguments to psycopg.
    cargs, cparams = sqlalchemy_connect_args(s, "psycopg")
    return read_psycopg(need("psycopg.conninfo").make_conninfo(*cargs, **cparams))


def read_sqlalchemy_pg8000(s):
    _cargs, cparams = sqlalchemy_connect_args(s, "pg8000")
    # pg8000.connect(user, host="localhost", unix_sock=None, port=5432,
    # database=None, password=None, ...): unix_sock is the full path of the
    # socket file and wins over host; host/port otherwise.
    unknown = set(cparams) - {"user", "host", "unix_sock", "port", "database", "password"}
    if unknown:
        raise Missing(f"the oracle does not know pg8000 arguments {sorted(unknown)}")
    if cparams.get("unix_sock"):
        endpoints = [f"unix:{cparams['unix_sock']}"]
    elif cparams.get("host") or cparams.get("port"):
        endpoints = [tcp(cparams.get("host", "localhost"), cparams.get("port", 5432))]
    else:
        endpoints = None
    return render_postgres(endpoints, cparams.get("user"), cparams.get("password"),
                           cparams.get("database"))


# ---------------------------------------------------------------------------
# dj-database-url turns the URL into a Django DATABASES entry; Django's
# PostgreSQL backend turns that entry into psycopg2.connect() keywords, and
# psycopg2 hands them to libpq. Django itself is not packaged for this run;
# its step is the short mapping below (get_connection_params in
# django/db/backends/postgresql/base.py): empty settings are left out and
# OPTIONS go through to the driver as they are.

def read_dj_database_url(s):
    dj = need("dj_database_url")
    try:
        entry = dj.parse(s)
    except (KeyError, ValueError) as e:  # KeyError: a scheme it does not know
        raise Refused(f"dj-database-url: {e!r}") from None
    if not entry.get("NAME"):
        raise Refused("Django: settings.DATABASES is improperly configured (no NAME)")
    kwargs = {"dbname": entry["NAME"], **entry.get("OPTIONS", {})}
    kwargs.pop("isolation_level", None)
    for setting, keyword in (("USER", "user"), ("PASSWORD", "password"),
                             ("HOST", "host"), ("PORT", "port")):
        if entry.get(setting):
            kwargs[keyword] = entry[setting]
    return read_psycopg2_kwargs(**kwargs)


# ---------------------------------------------------------------------------
# redis-py: ConnectionPool.from_url() parses the URL (parse_url) and keeps the
# connection keywords; the pool's connection class is then built from them,
# which is what the first command does, minus the connect (redis-py connects
# lazily, so building a Connection sends nothing). Unknown query arguments
# only fail at that construction, which is why it is part of the reading.

def read_redis_py(s):
    redis = need("redis")
    try:
        pool = redis.ConnectionPool.from_url(s)
        conn = pool.connection_class(**pool.connection_kwargs)
    except (ValueError, TypeError, redis.RedisError) as e:
        raise Refused(f"redis-py: {e}") from None
    if isinstance(conn, redis.UnixDomainSocketConnection):
        tokens = [f"endpoint=unix:{conn.path}", "tls=off"]
    else:
        tokens = [f"endpoint={tcp(conn.host, conn.port)}"]
        if isinstance(conn, redis.SSLConnection):
            # cert_reqs "none" is CERT_NONE; "optional" (CERT_OPTIONAL) still
            # verifies on a client socket, because a server always sends a
            # certificate. redis-py 4 does not check the host name by default.
            tokens += ["tls=on", "verify=" + ("off" if conn.cert_reqs == ssl.CERT_NONE else "on")]
            if conn.ca_certs:
                tokens.append(f"ca={conn.ca_certs}")
        else:
            tokens.append("tls=off")
    if conn.username:
        tokens.append(f"user={conn.username}")
    if conn.password:
        tokens.append(f"password={conn.password}")
    tokens.append(f"db={conn.db}")
    return " ".join(tokens)


# ---------------------------------------------------------------------------
# MySQL: SQLAlchemy's pymysql dialect gives pymysql its connect() keywords;
# pymysql connects to unix_socket when one is given, else to host (default
# localhost) and port (default 3306). dj-database-url's entry goes through
# Django's MySQL backend (get_connection_params): a HOST starting with / is
# the socket, and OPTIONS are passed on as they are.

def render_mysql(host=None, port=None, socket=None, user=None, password=None, db=None, tls=None):
    # A host name's case does not matter to DNS; it matters only for
    # mysqlclient's "localhost", decided before this.
    tokens = [f"socket={socket}"] if socket else [f"endpoint={tcp((host or 'localhost').lower(), int(port or 3306))}"]
    for key, value in (("user", user), ("password", password), ("db", db), ("tls", tls)):
        if value:
            tokens.append(f"{key}={value}")
    return " ".join(tokens)


def pymysql_tls(ssl_options):
    # What pymysql's own _create_ssl_ctx makes of the ssl dict SQLAlchemy
    # builds from the ssl_* keys: the context it would connect with.
    if not ssl_options:
        return None
    pymysql = need("pymysql")
    ctx = pymysql.connections.Connection._create_ssl_ctx(None, ssl_options)
    if ctx.verify_mode == ssl.CERT_NONE:
        return "required"
    return "verify_identity" if ctx.check_hostname else "verify_ca"


def read_sqlalchemy_pymysql(s):
    _, kw = sqlalchemy_connect_args(s, "pymysql")
    return render_mysql(kw.get("host"), kw.get("port"), kw.get("unix_socket"), kw.get("user"),
                        kw.get("password") or kw.get("passwd"), kw.get("database") or kw.get("db"),
                        pymysql_tls(kw.get("ssl")))


def read_sqlalchemy_mysqldb(s):
    # mysqlclient over MariaDB Connector/C: a host of exactly "localhost"
    # (or none) is the Unix socket, MYSQL_UNIX_PORT or the compiled-in
    # /run/mysqld/mysqld.sock, whatever the port (run against python3-mysqldb:
    # "Can't connect to local server through socket '/run/mysqld/mysqld.sock'").
    need("MySQLdb")
    _, kw = sqlalchemy_connect_args(s, "mysqldb")
    host, socket = kw.get("host"), kw.get("unix_socket")
    if not socket and host in (None, "localhost"):
        socket = os.environ.get("MYSQL_UNIX_PORT") or "/run/mysqld/mysqld.sock"
    # mysqlclient hands the ssl dict to Connector/C 3.3 (mysql_ssl_set): TLS,
    # without checking the certificate unless ssl_mode says so.
    tls = (kw.get("ssl_mode") or "").lower() or ("required" if kw.get("ssl") else None)
    return render_mysql(host, kw.get("port"), socket, kw.get("user"),
                        kw.get("passwd") or kw.get("password"), kw.get("db") or kw.get("database"),
                        None if tls == "disabled" else tls)


def read_dj_database_url_mysql(s):
    dj = need("dj_database_url")
    try:
        entry = dj.parse(s)
    except (KeyError, ValueError) as e:
        raise Refused(f"dj-database-url: {e!r}") from None
    if entry.get("ENGINE") != "django.db.backends.mysql":
        raise Refused(f"dj-database-url: not a MySQL URL ({entry.get('ENGINE')})")
    host = entry.get("HOST") or ""
    options = entry.get("OPTIONS", {})
    return render_mysql(None if host.startswith("/") else host, entry.get("PORT") or None,
                        options.get("unix_socket") or (host if host.startswith("/") else None),
                        entry.get("USER"), entry.get("PASSWORD"), entry.get("NAME"))


# ---------------------------------------------------------------------------
# memcached: Django's PyMemcacheCache takes LOCATION (a string it splits at
# ';' and ',', or a list) and gives each server to pymemcache's HashClient,
# which reads it with normalize_server_spec. django-environ's CACHE_URL is
# first turned into LOCATION by Env.cache_url_config. Nothing connects:
# HashClient makes its clients without opening them.

def render_memcached(servers):
    shown = []
    for server in servers:
        shown.append(f"unix:{server}" if isinstance(server, str) else tcp(server[0], server[1]))
    return "servers=" + ",".join(shown)


def django_pymemcache_servers(location):
    need("pymemcache")
    django = need("django")
    from django.conf import settings
    if not settings.configured:
        settings.configure()
    from django.core.cache.backends.memcached import PyMemcacheCache
    try:
        cache = PyMemcacheCache(location, {})
        return [client.server for client in cache._cache.clients.values()]
    except ValueError as e:
        raise Refused(f"pymemcache: {e}") from None


def read_django_pymemcache(s):
    return render_memcached(django_pymemcache_servers(s))


def read_django_environ_pymemcache(s):
    environ = need("environ")
    try:
        config = environ.Env.cache_url_config(s)
    except (KeyError, ValueError) as e:
        raise Refused(f"django-environ: {e!r}") from None
    if "memcached" not in config.get("BACKEND", ""):
        raise Refused(f"django-environ: not a memcached URL ({config.get('BACKEND')})")
    return render_memcached(django_pymemcache_servers(config["LOCATION"]))


# ---------------------------------------------------------------------------
# Node clients, from the npm registry at the versions scripts/install-deps.sh
# pins, each run by node on one string: the script prints what the client
# made of it as JSON, or {"error": ...} when it refuses it.

NODE_MODULES = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                            "preflight", "node-tools", "node_modules")


def sets_sslmode(text):
    """Whether the string sets sslmode or ssl: the readings of clients that
    apply defaults (pgx, pgjdbc, node-postgres) write sslmode only then, as
    libpq's rows do (PQconninfoParse applies none)."""
    return re.search(r"(^|[?&\s])(sslmode|ssl)=", text) is not None


def client_output(run, failed):
    """What a client run printed: its reading as JSON, or {"error": ...} when
    it refuses the string (Refused); a run that failed is a Missing piece."""
    if run.returncode != 0:
        raise Missing(f"{failed}: {run.stderr.strip()[-300:]}")
    out = json.loads(run.stdout)
    if "error" in out:
        raise Refused(out["error"])
    return out


def node_reading(package, script, text):
    if not os.path.isdir(os.path.join(NODE_MODULES, package)):
        raise Missing(f"needs the npm package {package} in {NODE_MODULES} (scripts/install-deps.sh installs it)")
    run = subprocess.run(["node", "-e", "const modules = process.env.NODE_PATH;\n" + script, text],
                         env=dict(os.environ, NODE_PATH=NODE_MODULES), capture_output=True, text=True, timeout=30)
    return client_output(run, f"node could not run {package}")


def read_mysql2(text):
    # mysql2 3.x: createConnection(url) is new ConnectionConfig(parseUrl(url));
    # its ssl (a JSON object, or a profile's name) verifies the certificate and
    # the name unless rejectUnauthorized is false.
    c = node_reading("mysql2", """
const ConnectionConfig = require(modules + "/mysql2/lib/connection_config.js");
let out;
try {
  const c = new ConnectionConfig(ConnectionConfig.parseUrl(process.argv[1]));
  out = {host: c.host, port: c.port, socket: c.socketPath, user: c.user, password: c.password, db: c.database,
         ssl: c.ssl ? {rejectUnauthorized: c.ssl.rejectUnauthorized} : null};
} catch (e) { out = {error: e.message}; }
process.stdout.write(JSON.stringify(out));""", text)
    tls = None
    if c["ssl"] is not None:
        tls = "verify_identity" if c["ssl"]["rejectUnauthorized"] else "required"
    return render_mysql(host=c["host"], port=c["port"], socket=c.get("socket"), user=c["user"],
                        password=c["password"], db=c["db"], tls=tls)


def read_memjs(text):
    # memjs 1.x: Client.create(servers) splits the list on commas; a server
    # without a port gets 11211. No connection is made until a command.
    c = node_reading("memjs", """
const memjs = require(modules + "/memjs");
let out;
try {
  const client = memjs.Client.create(process.argv[1]);
  out = {servers: client.servers.map(s => [s.host, Number(s.port)])};
} catch (e) { out = {error: e.message}; }
process.stdout.write(JSON.stringify(out));""", text)
    return render_memcached([tuple(server) for server in c["servers"]])


# ---------------------------------------------------------------------------
# Go's drivers, from Debian's packages, through tests/tools/go_clients (built
# once per run in GOPATH mode: nothing is downloaded).

GO_PACKAGES = {"github.com/go-sql-driver/mysql": "golang-github-go-sql-driver-mysql-dev",
               "github.com/jackc/pgconn": "golang-github-jackc-pgconn-dev"}
_go_clients = None


def go_clients():
    global _go_clients
    if _go_clients is None:
        if not shutil.which("go"):
            raise Missing("needs go (Debian package golang-go)")
        for package, debian in GO_PACKAGES.items():
            if not os.path.isdir(os.path.join("/usr/share/gocode/src", package)):
                raise Missing(f"needs the Go package {package} (Debian package {debian})")
        out_dir = tempfile.mkdtemp(prefix="go-clients-")
        binary = os.path.join(out_dir, "go_clients")
        cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "preflight", "go-build")
        build = subprocess.run(["go", "build", "-o", binary, "."], cwd=os.path.join(os.path.dirname(__file__), "go_clients"),
                               env=dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode", GOCACHE=cache,
                                        GOFLAGS=""),
                               capture_output=True, text=True, timeout=600)
        if build.returncode != 0:
            raise Missing(f"go build of tests/tools/go_clients failed: {build.stderr.strip()[-400:]}")
        _go_clients = binary
    return _go_clients


def go_reading(client, text):
    # No PG* variable of this machine's may reach pgconn, which reads them.
    run = subprocess.run([go_clients(), client, text], env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
                         capture_output=True, text=True, timeout=30)
    return client_output(run, f"go_clients {client} failed")


# go-sql-driver's tls values, as the TLS it connects with.
GO_MYSQL_TLS = {"": None, "false": None, "true": "verify_identity", "skip-verify": "required", "preferred": "preferred"}


def read_go_sql_driver(text):
    c = go_reading("go-sql-driver", text)
    if c["tls"] not in GO_MYSQL_TLS:
        raise Refused(f"tls={c['tls']} names a config the program registers; not readable from the string")
    return render_mysql(host=c.get("host"), port=c.get("port"), socket=c.get("socket"), user=c["user"],
                        password=c["password"], db=c["db"], tls=GO_MYSQL_TLS[c["tls"]])


def pgconn_sslmode(tls):
    if not tls["on"]:
        return "allow" if tls["tls_fallback"] else "disable"
    if tls["plain_fallback"]:
        return "prefer"
    if not tls["skip_verify"]:
        return "verify-full"
    return "verify-ca" if tls["custom_verify"] else "require"


def read_pgx(text):
    # pgconn (pgx v4's connection layer) applies defaults as it parses; the
    # reading writes sslmode only when the string sets it, as libpq's rows
    # do (PQconninfoParse applies none).
    c = go_reading("pgx", text)
    endpoints = []
    for host, port in c["endpoints"]:
        if tcp(host, port) not in endpoints:
            endpoints.append(tcp(host, port))
    sslmode = pgconn_sslmode(c["tls"]) if sets_sslmode(text) else None
    return render_postgres(endpoints=endpoints, user=c["user"], password=c["password"], dbname=c["db"], sslmode=sslmode)


# ---------------------------------------------------------------------------
# pgjdbc, Debian's libpostgresql-jdbc-java, through
# tests/tools/jdbc_clients/PgjdbcReading.java, run by java as a source file.

PGJDBC_JAR = "/usr/share/java/postgresql.jar"
# A factory that validates no certificate chain: pgjdbc still matches the
# host name against the certificate when sslmode says verify-full
# (MakeSSL.verifyPeerName), which no libpq sslmode does without the chain:
# read as require, the nearest mode that does not refuse its self-signed
# or privately signed certificates.
PGJDBC_NON_VALIDATING = {"org.postgresql.ssl.NonValidatingFactory"}


_pgjdbc_readings = {}


def prime_pgjdbc(texts):
    """Reads every pgjdbc row in one JVM (a start costs about a second)."""
    if not shutil.which("java"):
        raise Missing("needs java (Debian package default-jre-headless)")
    if not os.path.exists(PGJDBC_JAR):
        raise Missing(f"needs {PGJDBC_JAR} (Debian package libpostgresql-jdbc-java)")
    source = os.path.join(os.path.dirname(__file__), "jdbc_clients", "PgjdbcReading.java")
    run = subprocess.run(["java", "-cp", PGJDBC_JAR, source, *texts], env={"PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise Missing(f"java could not run pgjdbc: {run.stderr.strip()[-300:]}")
    lines = run.stdout.splitlines()
    if len(lines) != len(texts):
        raise Missing(f"pgjdbc gave {len(lines)} readings for {len(texts)} URLs")
    _pgjdbc_readings.update(zip(texts, lines))


def read_pgjdbc(text):
    if text not in _pgjdbc_readings:
        prime_pgjdbc([text])
    c = json.loads(_pgjdbc_readings[text])
    if "error" in c:
        raise Refused(c["error"])
    hosts, ports = c["hosts"].split(","), c["ports"].split(",")
    # jdbc:postgresql:DB names no host: pgjdbc's default, localhost:5432,
    # left out as the other rows leave out a client's default.
    endpoints = None if not text.lower().startswith("jdbc:postgresql://") else [
        tcp(host.strip("[]"), port) for host, port in zip(hosts, ports)]
    sslmode = None
    if sets_sslmode(text):
        sslmode = c["sslmode"]
        if c["sslfactory"] in PGJDBC_NON_VALIDATING and sslmode in ("verify-ca", "verify-full"):
            sslmode = "require"
    return render_postgres(endpoints=endpoints, user=c["user"], password=c["password"], dbname=c["db"], sslmode=sslmode)


def read_node_postgres(text):
    # pg 8.23's own pg-connection-string (2.14): parse(url) as new Client({
    # connectionString }) reads it. Its ssl is node's TLS options: true or
    # an object verifies the chain and the name unless rejectUnauthorized is
    # false; sslmode=require, prefer and verify-ca are verify-full there
    # unless uselibpqcompat=true. sslmode is written when the URL sets ssl
    # or sslmode, as for libpq's rows.
    c = node_reading("pg", """
const parse = require(require.resolve("pg-connection-string", {paths: [modules + "/pg"]}));
let out;
try {
  const c = parse(process.argv[1]);
  out = {host: c.host, port: c.port, user: c.user, password: c.password, db: c.database,
         ssl: c.ssl === undefined ? null : (typeof c.ssl === "object" ? {rejectUnauthorized: c.ssl.rejectUnauthorized}
                                                                      : c.ssl)};
} catch (e) { out = {error: e.message}; }
process.stdout.write(JSON.stringify(out));""", text)
    ssl, sslmode = c["ssl"], None
    if sets_sslmode(text):
        if ssl is False:
            sslmode = "disable"
        elif ssl is True or (isinstance(ssl, dict) and ssl.get("rejectUnauthorized") is not False):
            sslmode = "verify-full"
        elif isinstance(ssl, dict):
            sslmode = "require"
    endpoints = [tcp(c["host"], c["port"] or 5432)] if c["host"] else None
    return render_postgres(endpoints=endpoints, user=c["user"], password=c["password"], dbname=c["db"], sslmode=sslmode)


READERS = {
    "libpq": read_libpq,
    "psycopg2": read_psycopg2,
    "psycopg": read_psycopg,
    "asyncpg": read_asyncpg,
    "sqlalchemy+asyncpg": read_sqlalchemy_asyncpg,
    "sqlalchemy+psycopg2": read_sqlalchemy_psycopg2,
    "sqlalchemy+psycopg": read_sqlalchemy_psycopg,
    "sqlalchemy+pg8000": read_sqlalchemy_pg8000,
    "dj-database-url": read_dj_database_url,
    "redis-py": read_redis_py,
    "sqlalchemy+pymysql": read_sqlalchemy_pymysql,
    "sqlalchemy+mysqldb": read_sqlalchemy_mysqldb,
    "dj-database-url+mysql": read_dj_database_url_mysql,
    "django+pymemcache": read_django_pymemcache,
    "django-environ+pymemcache": read_django_environ_pymemcache,
    "mysql2": read_mysql2,
    "memjs": read_memjs,
    "go-sql-driver": read_go_sql_driver,
    "pgx": read_pgx,
    "pgjdbc": read_pgjdbc,
    "node-postgres": read_node_postgres,
}
DOCS_ONLY = {"dj-database-url(docs)", "redis-sentinel-url(docs)", "npgsql(docs)", "redis-rs(docs)", "mariadb-connector-j(docs)", "connector-j(docs)"}
# Every other client reads postgres strings.
CHECK_OF = {"redis-py": "redis", "redis-sentinel-url": "redis", "sqlalchemy+pymysql": "mysql", "sqlalchemy+mysqldb": "mysql",
            "dj-database-url+mysql": "mysql", "go-sql-driver": "mysql", "django+pymemcache": "memcached",
            "django-environ+pymemcache": "memcached", "memjs": "memcached", "redis-rs": "redis",
            "mariadb-connector-j": "mysql", "mysql2": "mysql", "connector-j": "mysql"}


# Characters a line of the corpus cannot hold, written as {LF}, {CR}, {TAB}.
ESCAPES = {"{LF}": "\n", "{CR}": "\r", "{TAB}": "\t"}


def unescape(text):
    text = text.replace("{SP}", " ")  # inputs only: readings are space-separated
    for name, char in ESCAPES.items():
        text = text.replace(name, char)
    return text


def escape(text):
    for name, char in ESCAPES.items():
        text = text.replace(char, name)
    return text


def load(path):
    rows, problems, seen = [], [], set()
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            where = f"{path}:{number}"
            if len(fields) != 5:
                problems.append(f"{where}: {len(fields)} tab-separated fields, expected 5")
                continue
            row_id, check, client, text, expect = fields
            if row_id in seen:
                problems.append(f"{where}: duplicate id {row_id}")
            seen.add(row_id)
            if client not in READERS and client not in DOCS_ONLY:
                problems.append(f"{where}: unknown client {client!r}")
                continue
            if check != CHECK_OF.get(client.replace("(docs)", ""), "postgres"):
                problems.append(f"{where}: check {check!r} does not go with client {client}")
            if " " in text and client not in ("libpq", "psycopg2", "psycopg", "django+pymemcache", "memjs", "pgx", "npgsql(docs)"):
                problems.append(f"{where}: a space in a URL input")
            rows.append((row_id, client, unescape(text), expect))
    return rows, problems


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    printing, verbose = "--print" in argv, "--verbose" in argv
    rows, failures = load(os.path.join(args[1], CORPUS))
    checked = 0
    missing = {}
    try:
        prime_pgjdbc([text for _, client, text, _ in rows if client == "pgjdbc"])
    except Missing as e:
        missing.setdefault(str(e), []).append("pgjdbc")
    for row_id, client, text, expect in rows:
        if client in DOCS_ONLY:
            continue
        checked += 1
        why = ""
        try:
            got = escape(READERS[client](text))
        except Refused as e:
            got, why = "error", str(e)
        except Missing as e:  # one line per missing piece, not per row
            missing.setdefault(str(e), []).append(row_id)
            continue
        if printing:
            print(f"{row_id}\t{got}" + (f"\t# {why}" if why else ""))
        elif verbose:
            print(f"{row_id} ({client}): {got}" + (f"  [{why}]" if why else ""))
        if not printing and got != expect:
            failures.append(f"FAIL {row_id} ({client}) {text!r}: expected {expect!r}, "
                            f"the client reads {got!r}" + (f" ({why})" if why else ""))
    for failure in failures:
        print(failure if failure.startswith("FAIL") else f"FAIL {failure}")
    for reason, ids in missing.items():
        print(f"FAIL {len(ids)} row(s) could not be read ({ids[0]}, ...): {reason}")
    count = len(failures) + sum(len(ids) for ids in missing.values())
    print(f"client_oracle: {len(rows)} rows, {checked} checked against their client, "
          f"{count} failure(s)")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
