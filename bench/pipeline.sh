#!/usr/bin/env bash
# The app's middleware pipeline called in a loop on one core, without sockets (bench/Pipeline): microseconds and
# bytes per request for /health, a keyed request and a garbage key. It separates what the app does from the kernel's
# share that bench/hot-path.sh measures along with it. Not a target, a magnifying glass.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-6}
REQUESTS=${REQUESTS:-30000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build bench/Seeder -c Release -nologo -v quiet >/dev/null
dotnet build bench/Pipeline -c Release -nologo -v quiet >/dev/null
key=$(dotnet run -c Release --no-build --project bench/Seeder -- --db "$work/bench.db" --keys 0 2>/dev/null | tail -n 1)
taskset -c "${CPU:-1}" dotnet run -c Release --no-build --project bench/Pipeline -- "$work/bench.db" "$key" "$ROUNDS" "$REQUESTS" 2>/dev/null
