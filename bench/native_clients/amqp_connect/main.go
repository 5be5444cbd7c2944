// amqp_connect URL: an AMQP 0-9-1 client that only connects, with
// RabbitMQ's own Go client (amqp091-go, Debian's
// golang-github-rabbitmq-amqp091-go-dev): the connection handshake (start,
// tune, open), then close. amqp-tools has no command that does only this.
package main

import (
	"fmt"
	"os"

	amqp "github.com/rabbitmq/amqp091-go"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: amqp_connect amqp://user:password@host:port/vhost")
		os.Exit(2)
	}
	conn, err := amqp.Dial(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := conn.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
