#!/bin/sh
# The side-by-side race of infermetrics' parser and VictoriaMetrics' (ParserRace): builds the Go side from the
# Debian packages' GOPATH, then runs the race from the project root. Without Go or the packages it says so and
# runs our side alone. Needs benchmarks/target/benchmarks.jar:
#   ./mvnw -B -q -pl benchmarks -am package -DskipTests
# Extra arguments go to ParserRace (--files, --rounds, --parses, --warmup-ms).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
gopath=/usr/share/gocode
vm=benchmarks/target/vmrace
if [ ! -f benchmarks/target/benchmarks.jar ]; then
  echo "parser-race: benchmarks/target/benchmarks.jar is missing: ./mvnw -B -q -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  echo "parser-race: Go is not installed, so the VictoriaMetrics side is skipped" \
    "(apt-get install golang-go golang-github-victoriametrics-victoriametrics-dev golang-github-valyala-fastjson-dev" \
    "golang-github-victoriametrics-metrics-dev golang-github-victoriametrics-metricsql-dev)"
  vm=
elif [ ! -d "$gopath/src/github.com/VictoriaMetrics/VictoriaMetrics/lib/protoparser/prometheus" ]; then
  echo "parser-race: VictoriaMetrics' sources are not in $gopath, so its side is skipped" \
    "(apt-get install golang-github-victoriametrics-victoriametrics-dev golang-github-valyala-fastjson-dev" \
    "golang-github-victoriametrics-metrics-dev golang-github-victoriametrics-metricsql-dev)"
  vm=
else
  (cd benchmarks/vmrace && GO111MODULE=off GOPATH="$gopath" GOFLAGS= go build -o "$root/$vm" .)
  echo "parser-race: built $vm with $(go version | cut -d' ' -f3) against VictoriaMetrics" \
    "$(dpkg-query -W -f='${Version}' golang-github-victoriametrics-victoriametrics-dev 2>/dev/null || echo '(version unknown)')"
fi
exec java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar io.github.infermetrics.benchmarks.ParserRace \
  ${vm:+--vm "$vm"} "$@"
