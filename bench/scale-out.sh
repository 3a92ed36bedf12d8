#!/usr/bin/env bash
# Two published instances on one PostgreSQL and one Redis, behind nginx on loopback, as bench/README.md's "Scale-out"
# figures were taken. Reports:
#   - throughput of a keyed request (GET /api/v1/ping) through the balancer, and to one instance directly, same run;
#   - revocation across instances: p50/p99 of the time from a DELETE on A returning to B's first refusal;
#   - rate-limit accuracy: successes through the balancer vs the allowance, for limits of 10, 600 and 60,000 a minute.
# Everything runs with the configuration a deployment ships (Production, appsettings.json logging); the only settings
# given are the ones scaling out needs (database, Redis, the trusted proxy).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
source scripts/servers.sh

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
TRIALS=${TRIALS:-200}
LIMIT_SECONDS=${LIMIT_SECONDS:-30}

command -v wrk >/dev/null || install_debian wrk
command -v nginx >/dev/null || install_debian nginx
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || install_debian postgresql
command -v redis-server >/dev/null || install_debian redis-server

work=$(mktemp -d)
pgdir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  stop_redis
  stop_postgres
  rm -rf "$work" "$pgdir"
}
trap cleanup EXIT

start_postgres "$pgdir"
start_redis "$work"
database="$postgres_connection;Database=backside_bench"
publish_app "$work/app"
dotnet build bench/Seeder -c Release -nologo -v quiet >/dev/null
dotnet build bench/ScaleOut -c Release -nologo -v quiet >/dev/null
admin_key=$(dotnet run -c Release --no-build --project bench/Seeder -- --postgres "$database" --keys 0 2>/dev/null | tail -n 1)

port_a=$(free_port) port_b=$(free_port) port_lb=$(free_port)
settings=(Database__Provider=Postgres ConnectionStrings__Backside="$database" Redis__Configuration="$redis_configuration"
  ReverseProxy__TrustedProxies__0=127.0.0.1)
start_instance "$port_a" "$work/a.log" "${settings[@]}"; pids+=("$app_pid")
start_instance "$port_b" "$work/b.log" "${settings[@]}"; pids+=("$app_pid")

# nginx, a worker per core, keep-alive to both instances.
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  # As README "Scaling out": the API round robin, the dashboard by client address (a Blazor circuit lives on one).
  upstream backside_api { server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; keepalive 64; }
  upstream backside_pages { ip_hash; server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; keepalive 64; }
  map \$http_upgrade \$backside_connection { default upgrade; '' ''; }
  server {
    listen 127.0.0.1:$port_lb;
    proxy_http_version 1.1;
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$remote_addr;
    location /api/ { proxy_pass http://backside_api; proxy_set_header Connection ""; }
    location / {
      proxy_pass http://backside_pages;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$backside_connection;
    }
  }
}
CONF
# As root, nginx's worker would run as nobody, who cannot write the temp folders above.
if [ "$(id -u)" -eq 0 ]; then sed -i '1i user root;' "$work/nginx.conf"; fi
nginx -c "$work/nginx.conf" -p "$work/nginx"
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port_lb/health" >/dev/null && break; sleep 0.1; done

echo "== $(date -u +%F) on $(nproc) cores: 2 instances (PostgreSQL $(psql -V | awk '{ print $3 }'), Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')) behind nginx $(nginx -v 2>&1 | sed 's/.*\///')"
rps() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $admin_key" "$1" | awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx: " $NF > "/dev/stderr" }'; }
wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $admin_key" "http://127.0.0.1:$port_lb/api/v1/ping" >/dev/null # warm-up
wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $admin_key" "http://127.0.0.1:$port_a/api/v1/ping" >/dev/null
through=$(rps "http://127.0.0.1:$port_lb/api/v1/ping")
direct=$(rps "http://127.0.0.1:$port_a/api/v1/ping")
printf 'keyed GET /api/v1/ping, wrk -t2 -c%s -d%s: through nginx to both %.0f req/s; to instance A alone %.0f req/s\n' \
  "$CONNECTIONS" "$DURATION" "$through" "$direct"

echo "== revocation across instances (revoke on A, next requests on B)"
dotnet run -c Release --no-build --project bench/ScaleOut -- revocation "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" "$admin_key" "$TRIALS"

echo "== rate-limit accuracy through nginx (both instances share each key's budget), $LIMIT_SECONDS s per limit"
for limit in 10 600 60000; do
  dotnet run -c Release --no-build --project bench/ScaleOut -- limits "http://127.0.0.1:$port_lb" "$admin_key" "$limit" "$LIMIT_SECONDS" 32
done
