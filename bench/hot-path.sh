#!/usr/bin/env bash
# What authentication costs on the hot path. One Release build, one run, the same cheap handler four ways:
#   (a) anonymous GET /health   (b) GET /api/v1/ping with a valid key (scope check, rate limit far away)
#   (c) a garbage key           (d) a well-formed key with a wrong checksum
# Prints requests/s and p99 for each, the ratios b/a, c/a, d/a, the SQL commands sent during (b), and the
# revocation latency measured by bench/Probe. The four run interleaved for ROUNDS rounds and the ratios are the
# medians of each round's ratios: wrk shares the 2 cores with the app, and this machine's speed drifts from one
# minute to the next, so a ratio of two loads taken minutes apart measures the drift as much as the code.
# The usage flush is set to 10 minutes (its maximum), so (b) shows what requests themselves send to the database; with the
# default 5 s flush, each flush adds a few batched statements.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

PORT=${PORT:-5098}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-5}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-4}
CONNECTIONS=${CONNECTIONS:-32}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
publish_app "$work/app"
dotnet build bench/Seeder -c Release -nologo -v quiet >/dev/null
dotnet build bench/Probe -c Release -nologo -v quiet >/dev/null

key=$(dotnet run -c Release --no-build --project bench/Seeder -- --db "$work/bench.db" --keys 0 2>/dev/null | tail -n 1)
start_app "$work/bench.db" "$PORT" "$work/app.log" Diagnostics__ExposeCounters=true Usage__FlushInterval=00:10:00

base="http://127.0.0.1:$PORT"
garbage="bsk_live_this-is-not-a-key"
wrong_checksum="${key:0:46}$( [ "${key:51:1}" = "A" ] && echo "${key:46:5}B" || echo "${key:46:5}A" )"
counters() { curl -fs "$base/internal/counters" | sed -E 's/.*"database_commands":([0-9]+).*/\1/'; }
allocated() { curl -fs "$base/internal/counters" | sed -E 's/.*"allocated_bytes":([0-9]+).*/\1/'; }

load() { # label, header value or "", expected status
  local label=$1 auth=$2 url=$3 out
  local args=(-t2 -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$auth" ] && args+=(-H "Authorization: Bearer $auth")
  local allocated_before; allocated_before=$(allocated)
  out=$(${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk "${args[@]}" "$url")
  local allocated_after; allocated_after=$(allocated)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  local requests; requests=$(echo "$out" | awk '/requests in/ {print $1}')
  # Bytes allocated per request: unlike req/s, the same from run to run, so it shows small changes.
  printf '%-34s %10s req/s   p99 %8s   %6d B/request   non-2xx %s\n' "$label" "$rps" "$p99" \
    $(( (allocated_after - allocated_before) / requests )) "${non2xx:-0}"
  eval "rps_$4=$rps"
}

# The JIT keeps promoting methods (tiered compilation, profile-guided) for the better part of a minute under load,
# and the keyed path has the most code to promote, so a short warm-up measures the JIT rather than the code.
warm() { wrk -t2 -c"$CONNECTIONS" -d3s ${1:+-H "Authorization: Bearer $1"} "$2" >/dev/null; }
for _ in $(seq 1 "$WARMUP_ROUNDS"); do
  warm "" "$base/health"; warm "$key" "$base/api/v1/ping"; warm "$garbage" "$base/api/v1/ping"; warm "$wrong_checksum" "$base/api/v1/ping"
done

echo "== $(date -u +%F) on $(nproc) cores, wrk -t2 -c$CONNECTIONS -d$DURATION, $ROUNDS interleaved rounds"
sql=0
ratios=""
for round in $(seq 1 "$ROUNDS"); do
  echo "-- round $round"
  load "(a) anonymous /health" "" "$base/health" a
  before=$(counters)
  load "(b) valid key, scope, rate limit" "$key" "$base/api/v1/ping" b
  after=$(counters)
  sql=$((sql + after - before))
  load "(c) garbage key" "$garbage" "$base/api/v1/ping" c
  load "(d) wrong-checksum key" "$wrong_checksum" "$base/api/v1/ping" d
  ratios+="$(awk -v a="$rps_a" -v b="$rps_b" -v c="$rps_c" -v d="$rps_d" 'BEGIN { printf "%.3f %.3f %.3f\n", b/a, c/a, d/a }')"$'\n'
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "ratios per round (b/a c/a d/a):"; printf '%s' "$ratios" | sed 's/^/   /'
printf 'median ratios: b/a %.2f   c/a %.2f   d/a %.2f\n' \
  "$(printf '%s' "$ratios" | awk '{print $1}' | median)" \
  "$(printf '%s' "$ratios" | awk '{print $2}' | median)" \
  "$(printf '%s' "$ratios" | awk '{print $3}' | median)"
echo "SQL commands during (b) after warm-up: $sql   (target 0)"
echo "== revocation latency"
dotnet run -c Release --no-build --project bench/Probe -- "$base" "$key"
