// Go's encoding/json as a filter, for tests/tools/redact_transforms.py:
// each line of stdin is a string's bytes in hex; each line of stdout is
// json.Marshal of it, in hex. Marshal escapes <, > and & as \u003c,
// \u003e and \u0026, U+2028 and U+2029, and writes invalid UTF-8 as
// \ufffd.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		raw, err := hex.DecodeString(in.Text())
		if err != nil {
			panic(err)
		}
		out, err := json.Marshal(string(raw))
		if err != nil {
			panic(err)
		}
		fmt.Println(hex.EncodeToString(out))
	}
}
