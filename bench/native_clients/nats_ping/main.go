// nats_ping URL: what preflight's nats check does, with the NATS project's
// own Go client (nats.go, Debian's golang-github-nats-io-go-nats-dev):
// connect, one PING/PONG round trip, close. Exit 0 when the server answered.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nats_ping nats://host:port")
		os.Exit(2)
	}
	nc, err := nats.Connect(os.Args[1], nats.Timeout(5*time.Second), nats.NoReconnect())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer nc.Close()
	if err := nc.FlushTimeout(5 * time.Second); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
