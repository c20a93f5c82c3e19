// Command prom2jsonref prints what prom2json prints for a text exposition read from stdin, with the families
// sorted by name. It drives the prom2json library (Debian package golang-github-prometheus-prom2json-dev), so
// the JSON comes from prom2json's own code; the test PromJsonCompatibilityTest builds and runs it when Go and
// that package are installed, and compares `infermetrics parse --json` with it byte for byte.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/prom2json"
)

func main() {
	ch := make(chan *dto.MetricFamily, 1024)
	errc := make(chan error, 1)
	go func() { errc <- prom2json.ParseReader(os.Stdin, ch) }()
	var families []*prom2json.Family
	for mf := range ch {
		families = append(families, prom2json.NewFamily(mf))
	}
	if err := <-errc; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sort.Slice(families, func(i, j int) bool { return families[i].Name < families[j].Name })
	if families == nil {
		families = []*prom2json.Family{}
	}
	out, err := json.Marshal(families)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
	fmt.Println()
}
