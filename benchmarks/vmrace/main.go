// Command vmrace is the Go side of ParserRace (benchmarks/src/main/java/.../ParserRace.java): it parses
// expositions with VictoriaMetrics' Prometheus text parser (lib/protoparser/prometheus, taken from the Debian
// package's GOPATH, not copied here) when the Java side asks, and reports the time of each batch.
//
// It reads commands on standard input, one per line, and answers each with one line on standard output:
//
//	load NAME PATH        -> "loaded NAME BYTES ROWS INVALID"   read the file, parse it once, count rows and bad lines
//	warm NAME MILLIS      -> "warmed NAME PARSES"               parse it again and again for that long
//	run NAME PARSES       -> "ran NAME NANOS CHECKSUM"          one timed batch of PARSES parses
//	quit
//
// Every parse touches what the Java side touches: each row's metric name, every tag key and value, and the value.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/VictoriaMetrics/VictoriaMetrics/lib/protoparser/prometheus"
)

type input struct {
	text    string
	invalid int
}

func main() {
	inputs := map[string]*input{}
	var rows prometheus.Rows
	invalid := 0
	countInvalid := func(string) { invalid++ }
	parse := func(s string) uint64 {
		rows.UnmarshalWithErrLogger(s, countInvalid)
		var sum uint64
		for i := range rows.Rows {
			r := &rows.Rows[i]
			sum += uint64(len(r.Metric))
			for j := range r.Tags {
				sum += uint64(len(r.Tags[j].Key) + len(r.Tags[j].Value))
			}
			sum += math.Float64bits(r.Value)
		}
		return sum
	}
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) == 0 {
			continue
		}
		switch {
		case f[0] == "quit":
			return
		case f[0] == "load" && len(f) == 3:
			b, err := os.ReadFile(f[2])
			if err != nil {
				fmt.Fprintf(out, "error %v\n", err)
				break
			}
			inp := &input{text: string(b)}
			invalid = 0
			parse(inp.text)
			inp.invalid = invalid
			inputs[f[1]] = inp
			fmt.Fprintf(out, "loaded %s %d %d %d\n", f[1], len(b), len(rows.Rows), inp.invalid)
		case f[0] == "warm" && len(f) == 3 && inputs[f[1]] != nil:
			ms, _ := strconv.Atoi(f[2])
			s := inputs[f[1]].text
			deadline := time.Now().Add(time.Duration(ms) * time.Millisecond)
			n := 0
			for time.Now().Before(deadline) {
				for i := 0; i < 20; i++ {
					parse(s)
				}
				n += 20
			}
			fmt.Fprintf(out, "warmed %s %d\n", f[1], n)
		case f[0] == "run" && len(f) == 3 && inputs[f[1]] != nil:
			parses, _ := strconv.Atoi(f[2])
			s := inputs[f[1]].text
			var sum uint64
			start := time.Now()
			for i := 0; i < parses; i++ {
				sum += parse(s)
			}
			nanos := time.Since(start).Nanoseconds()
			fmt.Fprintf(out, "ran %s %d %d\n", f[1], nanos, sum)
		default:
			fmt.Fprintf(out, "error unknown command %q\n", in.Text())
		}
		out.Flush()
	}
}
