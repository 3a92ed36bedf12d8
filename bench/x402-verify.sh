#!/usr/bin/env bash
# Local x402 verifications per second of valid payments, one thread pinned to one core (taskset).
# Usage: bench/x402-verify.sh [vectors file] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
vectors=${1:-../shared/x402/vectors-dev.json}
[ -f "$vectors" ] || vectors=Backside.Tests/Payments/Vectors/vectors-dev.json
dotnet build bench/X402Verify -c Release -nologo -v quiet >/dev/null
echo "== $(date -u +%F) on $(nproc) cores; $(basename "$vectors")"
taskset -c 0 dotnet bench/X402Verify/bin/Release/net10.0/X402Verify.dll "$vectors" "${2:-10}"
