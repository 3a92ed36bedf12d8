#!/usr/bin/env bash
# What a flood of well-formed keys that match nothing costs in memory. One published Release build, one run:
#   1. warm the app with a valid key and note its resident memory (VmRSS);
#   2. send MINTED (200,000) distinct well-formed keys with valid checksums, each once (FLOOD, 150 s, must be long
#      enough for all of them: the script prints how many requests were sent), and note VmRSS again, the
#      unknown keys the app remembers (bounded by ApiKeys:UnknownKeys:CacheEntries) and the SQL commands sent;
#   3. restart with the shipped limits and send the same keys: one client address causes at most
#      ApiKeys:UnknownKeys:LookupsPerAddress lookups a window, the rest are 429 without a lookup.
# Step 2 raises ApiKeys:UnknownKeys:LookupsPerAddress to 1,000,000: every request comes from 127.0.0.1, and the
# point is the memory of an attacker with many addresses. Everything else runs as shipped (logging included),
# except the usage flush (10 minutes, so the SQL count is lookups only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

PORT=${PORT:-5097}
MINTED=${MINTED:-200000}
CONNECTIONS=${CONNECTIONS:-32}
work=$(mktemp -d)
trap 'kill "${app_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
publish_app "$work/app"
dotnet build bench/Seeder -c Release -nologo -v quiet >/dev/null
key=$(dotnet run -c Release --no-build --project bench/Seeder -- --db "$work/bench.db" --keys 0 2>/dev/null | tail -n 1)
dotnet run -c Release --no-build --project bench/Seeder -- --mint "$MINTED" "$work/minted.txt"

base="http://127.0.0.1:$PORT"
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$app_pid/status"; }
counter() { curl -fs "$base/internal/counters" | sed -E "s/.*\"$1\":([0-9]+).*/\1/"; }

# Each wrk thread walks its own share of the file, each key once; past the end it stops sending new ones.
cat >"$work/minted.lua" <<LUA
local keys = {}
for line in io.lines("$work/minted.txt") do keys[#keys + 1] = line end
local threads, counter = {}, 0
function setup(thread) counter = counter + 1; thread:set("id", counter); table.insert(threads, thread) end
function init(args) step = 2; index = id end
function request()
  local k = keys[index] or keys[#keys]
  index = index + step
  return wrk.format("GET", "/api/v1/ping", { ["Authorization"] = "Bearer " .. k })
end
LUA

flood() { # $1: seconds; prints wrk's summary lines
  wrk -t2 -c"$CONNECTIONS" -d"$1" -s "$work/minted.lua" "$base/api/v1/ping" | grep -E "requests in|Requests/sec|Non-2xx"
}

start_app "$work/bench.db" "$PORT" "$work/app.log" Diagnostics__ExposeCounters=true Usage__FlushInterval=00:10:00 \
  ApiKeys__UnknownKeys__LookupsPerAddress=1000000
wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $key" "$base/api/v1/ping" >/dev/null
sleep 1
rss_before=$(rss_mb); sql_before=$(counter database_commands)
echo "warm, valid key only:            RSS $rss_before MB"
# Sample the peak while the flood runs: the remembered keys expire a minute after they were sent.
( peak_rss=0; peak_keys=0
  while kill -0 "$app_pid" 2>/dev/null && [ ! -e "$work/flood-done" ]; do
    r=$(awk '/VmRSS/ { print $2 }' "/proc/$app_pid/status"); k=$(counter unknown_keys_remembered || echo 0)
    [ "$r" -gt "$peak_rss" ] && peak_rss=$r; [ "$k" -gt "$peak_keys" ] && peak_keys=$k
    echo "$peak_rss $peak_keys" >"$work/peak"; sleep 1
  done ) &
sampler=$!
flood "${FLOOD:-150s}"
touch "$work/flood-done"; wait "$sampler" 2>/dev/null || true
read -r peak_rss_kb peak_keys <"$work/peak"
sleep 1
echo "after $MINTED distinct unknown keys: peak RSS $(awk -v k="$peak_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB, peak unknown keys remembered $peak_keys, now RSS $(rss_mb) MB and $(counter unknown_keys_remembered) remembered; SQL commands $(( $(counter database_commands) - sql_before ))"
wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $key" "$base/api/v1/ping" | grep -E "Requests/sec"
echo "after a further 5 s of valid-key traffic: RSS $(rss_mb) MB"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true

start_app "$work/bench.db" "$PORT" "$work/app2.log" Diagnostics__ExposeCounters=true Usage__FlushInterval=00:10:00
sql_before=$(counter database_commands); log_before=$(stat -c %s "$work/app2.log")
echo "shipped limits (100 unknown-key lookups per address a minute), 20 s of distinct unknown keys:"
flood 20s
sleep 0.5
echo "SQL commands: $(( $(counter database_commands) - sql_before )), log bytes written during the flood: $(( $(stat -c %s "$work/app2.log") - log_before ))"
