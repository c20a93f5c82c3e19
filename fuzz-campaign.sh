#!/usr/bin/env bash
# Runs one Jazzer fuzz campaign (see RELIABILITY.md):
#   ./fuzz-campaign.sh MODULE TEST_CLASS METHOD SECONDS [SEED_DIR...]
# e.g. ./fuzz-campaign.sh core io.github.infermetrics.core.fuzz.ExpositionFuzzTest openMetricsStrict 600 \
#        ../shared/conformance/openmetrics
# New corpus entries go to MODULE/target/fuzz-corpus/METHOD, findings to MODULE/target/fuzz-findings/; the seed
# directories (the test's Inputs directory is always one) are only read. libFuzzer's statistics go to stderr.
set -euo pipefail
module=$1 class=$2 method=$3 seconds=$4
shift 4
cd "$(dirname "$0")"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -B -q -o -pl "$module" -am -DskipTests package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/jazzer.classpath
fi
# A copy of the classes, so that rebuilding the module while a campaign runs cannot pull them away from under it.
classes="$module/target/fuzz-classes/$method"
rm -rf "$classes" && mkdir -p "$classes" && cp -r "$module/target/classes" "$module/target/test-classes" "$classes/"
# The other modules' jars on the class path (core's jar and test-jar for neuron and cloudwatch) are copied too.
cp=""
IFS=: read -ra entries < "$module/target/jazzer.classpath" || true  # no final line feed
for e in "${entries[@]}"; do
  if [[ "$e" == "$PWD"/* ]]; then
    cp "$e" "$classes/" && e="$classes/$(basename "$e")"
  fi
  cp="$cp:$e"
done
inputs="$module/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
corpus="$module/target/fuzz-corpus/$method"
mkdir -p "$corpus" "$module/target/fuzz-findings" "$inputs"
exec nice -n 10 java -Xmx512m -XX:+UseSerialGC \
  -cp "$classes/test-classes:$classes/classes$cp" \
  com.code_intelligence.jazzer.Jazzer --target_class="$class" --target_method="$method" \
  --instrumentation_includes='io.github.infermetrics.**' --keep_going="${KEEP_GOING:-20}" \
  -max_total_time="$seconds" -max_len="${MAX_LEN:-16384}" -timeout=20 -rss_limit_mb=1536 -print_final_stats=1 \
  -artifact_prefix="$module/target/fuzz-findings/$method-" \
  "$corpus" "$inputs" "$@"
