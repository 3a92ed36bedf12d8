#!/usr/bin/env bash
# What authentication costs on the hot path. One published Release build, one run, the same cheap handler four ways:
#   (a) anonymous GET /health   (b) GET /api/v1/ping with a valid key (scope check, rate limit far away)
#   (c) a garbage key           (d) a well-formed key with a wrong checksum
# and (a) and (b) again on a second instance with Redis configured (the credential cache's second level, key-change
# announcements, shared rate limits): (e) anonymous and (f) valid key, so f/e is b/a with Redis on, in the same run.
# Prints requests/s, p99, bytes allocated, app CPU and log bytes per request for each, the ratios b/a, c/a, d/a, the SQL
# commands sent during (b), and the revocation latency measured by bench/Probe. The four loads run interleaved, short,
# for ROUNDS rounds, and the ratios are the medians of each round's ratios: this machine's speed drifts by tens of
# percent from one minute to the next, so a ratio of two loads taken minutes apart measures the drift, not the code.
# The usage flush is set to 10 minutes (its maximum), so (b) shows what requests themselves send to the database;
# with the default 5 s flush, each flush adds a few batched statements.
# The app runs with the logging configuration it ships (appsettings.json, Production); its console output goes to
# app.log, whose growth during each load, divided by the requests, is the log bytes per request (target 0 for (c), (d)).
# APP_CPUS=1 WRK_CPUS=0 pins the app and wrk to a core each (by default they share both).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
source scripts/servers.sh

PORT=${PORT:-5098}
DURATION=${DURATION:-2s}
ROUNDS=${ROUNDS:-15}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-4}
CONNECTIONS=${CONNECTIONS:-32}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" "${redis_app_pid:-0}" 2>/dev/null || true; stop_redis; rm -rf "$work"' EXIT

command -v wrk >/dev/null || install_debian wrk
command -v redis-server >/dev/null || install_debian redis-server
publish_app "$work/app"
dotnet build bench/Seeder -c Release -nologo -v quiet >/dev/null
dotnet build bench/Probe -c Release -nologo -v quiet >/dev/null

key=$(dotnet run -c Release --no-build --project bench/Seeder -- --db "$work/bench.db" --keys 0 2>/dev/null | tail -n 1)
start_redis "$work"
start_app "$work/bench.db" "$((PORT + 1))" "$work/redis-app.log" Diagnostics__ExposeCounters=true Usage__FlushInterval=00:10:00 \
  Redis__Configuration="$redis_configuration"
redis_app_pid=$app_pid
start_app "$work/bench.db" "$PORT" "$work/app.log" Diagnostics__ExposeCounters=true Usage__FlushInterval=00:10:00

base="http://127.0.0.1:$PORT"
redis_base="http://127.0.0.1:$((PORT + 1))"
garbage="bsk_live_this-is-not-a-key"
wrong_checksum="${key:0:46}$( [ "${key:51:1}" = "A" ] && echo "${key:46:5}B" || echo "${key:46:5}A" )"
counters() { curl -fs "$1/internal/counters" | sed -E 's/.*"database_commands":([0-9]+).*/\1/'; }
allocated() { curl -fs "$1/internal/counters" | sed -E 's/.*"allocated_bytes":([0-9]+).*/\1/'; }

tick=$(getconf CLK_TCK)
declare -A pid_of=([$base]="$app_pid" [$redis_base]="$redis_app_pid")
declare -A log_of=([$base]="$work/app.log" [$redis_base]="$work/redis-app.log")
app_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/${pid_of[$1]}/stat"; }
log_bytes() { stat -c %s "${log_of[$1]}"; }

declare -A label=([a]="(a) anonymous /health" [b]="(b) valid key, scope, rate limit" [c]="(c) garbage key" [d]="(d) wrong-checksum key"
  [e]="(e) anonymous /health, Redis on" [f]="(f) valid key, Redis on")
declare -A auth=([a]="" [b]="$key" [c]="$garbage" [d]="$wrong_checksum" [e]="" [f]="$key")
declare -A url=([a]="$base/health" [b]="$base/api/v1/ping" [c]="$base/api/v1/ping" [d]="$base/api/v1/ping"
  [e]="$redis_base/health" [f]="$redis_base/api/v1/ping")
declare -A app=([a]="$base" [b]="$base" [c]="$base" [d]="$base" [e]="$redis_base" [f]="$redis_base")

# One load of scenario $1; appends "rps p99(ms) bytes/request app-µs/request non-2xx log-bytes/request" to $work/$1.
load() {
  local s=$1 out args=(-t2 -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "${auth[$s]}" ] && args+=(-H "Authorization: Bearer ${auth[$s]}")
  local on=${app[$s]} allocated_before cpu_before log_before
  allocated_before=$(allocated "$on"); cpu_before=$(app_cpu_ticks "$on"); log_before=$(log_bytes "$on")
  out=$(${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk "${args[@]}" "${url[$s]}")
  local allocated_after cpu_after log_after; cpu_after=$(app_cpu_ticks "$on"); allocated_after=$(allocated "$on")
  sleep 0.2 # the console logger writes from a queue of its own
  log_after=$(log_bytes "$on")
  echo "$out" | awk -v ab="$allocated_before" -v aa="$allocated_after" -v cb="$cpu_before" -v ca="$cpu_after" -v tick="$tick" \
    -v lb="$log_before" -v la="$log_after" '
    /Requests\/sec/ { rps = $2 } /requests in/ { n = $1 } /Non-2xx/ { bad = $NF }
    $1 == "99%" { p99 = $2; if (p99 ~ /us$/) p99 = p99 / 1000; else if (p99 ~ /ms$/) p99 = p99 + 0; else p99 = p99 * 1000 }
    END { printf "%s %.2f %d %.2f %d %.3f\n", rps, p99, (aa - ab) / n, (ca - cb) * 1e6 / tick / n, bad, (la - lb) / n }' >> "$work/$s"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -v c="$2" '{ print $c }' "$work/$1" | median; }
last_rps() { tail -n 1 "$work/$1" | awk '{ print $1 }'; }

# The JIT keeps promoting methods (tiered compilation, profile-guided) for the better part of a minute under load,
# and the keyed path has the most code to promote, so a short warm-up measures the JIT rather than the code.
warm() { ${WRK_CPUS:+taskset -c "$WRK_CPUS"} wrk -t2 -c"$CONNECTIONS" -d3s ${1:+-H "Authorization: Bearer $1"} "$2" >/dev/null; }
for _ in $(seq 1 "$WARMUP_ROUNDS"); do
  for s in a b c d e f; do warm "${auth[$s]}" "${url[$s]}"; done
done

echo "== $(date -u +%F) on $(nproc) cores${APP_CPUS:+ (app on core $APP_CPUS, wrk on ${WRK_CPUS:-any})}, wrk -t2 -c$CONNECTIONS, $ROUNDS interleaved rounds of $DURATION per load"
sql=0 redis_sql=0
: > "$work/ratios"
for round in $(seq 1 "$ROUNDS"); do
  # Every other round runs backwards, so a drift of the machine's speed during a round favours no scenario.
  order="a b c d e f"; (( round % 2 == 0 )) && order="f e d c b a"
  for s in $order; do
    before=$(counters "${app[$s]}")
    load "$s"
    [ "$s" = b ] && sql=$((sql + $(counters "$base") - before))
    [ "$s" = f ] && redis_sql=$((redis_sql + $(counters "$redis_base") - before))
  done
  awk -v a="$(last_rps a)" -v b="$(last_rps b)" -v c="$(last_rps c)" -v d="$(last_rps d)" -v e="$(last_rps e)" -v f="$(last_rps f)" \
    'BEGIN { printf "%.3f %.3f %.3f %.3f\n", b / a, c / a, d / a, f / e }' | tee -a "$work/ratios" | sed "s/^/   round $round  b\/a c\/a d\/a f\/e: /"
done

echo "medians over the rounds:"
printf '  %-34s %12s %10s %14s %16s %16s\n' scenario req/s "p99 (ms)" "B/request" "app µs/request" "log B/request"
for s in a b c d e f; do
  printf '  %-34s %12.0f %10.2f %14.0f %16.1f %16.3f\n' "${label[$s]}" "$(column_median "$s" 1)" "$(column_median "$s" 2)" \
    "$(column_median "$s" 3)" "$(column_median "$s" 4)" "$(column_median "$s" 6)"
done
printf 'log bytes per refused request over all rounds: (c) %.3f   (d) %.3f   (target 0)\n' \
  "$(awk '{ s += $6 } END { print NR ? s / NR : 0 }' "$work/c")" "$(awk '{ s += $6 } END { print NR ? s / NR : 0 }' "$work/d")"
printf 'median ratios: b/a %.2f   c/a %.2f   d/a %.2f   f/e (b/a with Redis on) %.2f   (targets: b/a and f/e >= 0.90, c/a and d/a >= 1.0)\n' \
  "$(column_median ratios 1)" "$(column_median ratios 2)" "$(column_median ratios 3)" "$(column_median ratios 4)"
printf 'app CPU per request, a/b: %.2f   (the same ratio measured in the app rather than by wrk)\n' \
  "$(awk -v a="$(column_median a 4)" -v b="$(column_median b 4)" 'BEGIN { print a / b }')"
echo "non-2xx answers to (b): $(awk '{ s += $5 } END { print s + 0 }' "$work/b"), to (f): $(awk '{ s += $5 } END { print s + 0 }' "$work/f")   (must be 0: a 429 would mean the key's limit was reached)"
echo "SQL commands during (b) after warm-up: $sql, during (f): $redis_sql   (target 0)"
redis-cli -u "redis://$redis_configuration" info commandstats | grep -E '^cmdstat_(evalsha|eval|fcall|get|hget|publish)' | sed 's/^/  Redis (whole run): /' || true
echo "== revocation latency"
dotnet run -c Release --no-build --project bench/Probe -- "$base" "$key"
