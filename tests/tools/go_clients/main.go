// What Go's database drivers make of a connection string, for
// tests/tools/client_oracle.py: the drivers' own parsers, from Debian's
// packages (golang-github-go-sql-driver-mysql-dev,
// golang-github-jackc-pgconn-dev: pgx v4's connection layer). Nothing
// connects. Prints one JSON object, or {"error": ...} when the driver
// refuses the string.
//
//	go_clients go-sql-driver DSN
//	go_clients pgx CONNSTRING
package main

import (
	"encoding/json"
	"net"
	"os"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgconn"
)

func goSQLDriver(dsn string) map[string]any {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	out := map[string]any{"net": cfg.Net, "user": cfg.User, "password": cfg.Passwd, "db": cfg.DBName,
		"tls": cfg.TLSConfig}
	if cfg.Net == "unix" {
		out["socket"] = cfg.Addr
	} else {
		host, port, err := net.SplitHostPort(cfg.Addr)
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		out["host"], out["port"] = host, port
	}
	return out
}

func pgx(connString string) map[string]any {
	cfg, err := pgconn.ParseConfig(connString)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	// sslmode is not kept as such: it becomes a TLS config and the
	// fallbacks tried after the first (prefer: TLS, then plain text).
	plainFallback, tlsFallback := false, false
	for _, f := range cfg.Fallbacks {
		plainFallback = plainFallback || f.TLSConfig == nil
		tlsFallback = tlsFallback || f.TLSConfig != nil
	}
	tls := map[string]any{"on": cfg.TLSConfig != nil, "plain_fallback": plainFallback, "tls_fallback": tlsFallback}
	if cfg.TLSConfig != nil {
		tls["skip_verify"] = cfg.TLSConfig.InsecureSkipVerify
		tls["custom_verify"] = cfg.TLSConfig.VerifyPeerCertificate != nil
		tls["server_name"] = cfg.TLSConfig.ServerName
	}
	endpoints := []any{[]any{cfg.Host, cfg.Port}}
	for _, f := range cfg.Fallbacks {
		endpoints = append(endpoints, []any{f.Host, f.Port})
	}
	return map[string]any{"endpoints": endpoints, "user": cfg.User, "password": cfg.Password,
		"db": cfg.Database, "tls": tls}
}

func main() {
	if len(os.Args) != 3 {
		os.Stderr.WriteString("usage: go_clients go-sql-driver|pgx STRING\n")
		os.Exit(2)
	}
	var out map[string]any
	switch os.Args[1] {
	case "go-sql-driver":
		out = goSQLDriver(os.Args[2])
	case "pgx":
		out = pgx(os.Args[2])
	default:
		os.Stderr.WriteString("unknown client " + os.Args[1] + "\n")
		os.Exit(2)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
