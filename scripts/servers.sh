# Throw-away servers on loopback ports, for scripts/test and the bench scripts (source it; bash only).
#   free_port                 prints a free loopback TCP port
#   install_debian <pkg>...   installs Debian packages (as root, or through sudo)
#   start_postgres <dir>      (a folder of its own, from mktemp -d) initdb in <dir>/data, starts it; sets postgres_connection (an Npgsql connection string
#                             without a database, user backside, trust auth on 127.0.0.1 only); returns 1 on failure
#   stop_postgres             stops it (immediately: the cluster is thrown away)
#   start_redis <dir>         starts an in-memory redis-server; sets redis_configuration (host:port); 1 on failure
#   stop_redis                stops it

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_debian() {
  echo "Installing Debian $*..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# initdb refuses to run as root, so as root the cluster belongs to Debian's postgres user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

postgres_dir= redis_pid=

start_postgres() {
  local dir=$1 bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(free_port)
  # fsync and synchronous commit off: the data is thrown away at the end, and the disk is not what is measured.
  if as_pg "$bin/initdb" -D "$dir/data" -U backside --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 &&
     as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
       -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=400" \
       start >/dev/null; then
    postgres_dir=$dir
    postgres_connection="Host=127.0.0.1;Port=$port;Username=backside"
    return 0
  fi
  echo "PostgreSQL did not start:"
  cat "$dir/initdb.log" "$dir/server.log" 2>/dev/null | tail -n 20
  return 1
}

stop_postgres() {
  if [ -n "$postgres_dir" ]; then
    as_pg "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" -D "$postgres_dir/data" -m immediate stop >/dev/null 2>&1
    postgres_dir=
  fi
}

start_redis() {
  local dir=$1 port
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --logfile "$dir/redis.log" &
  redis_pid=$!
  for _ in $(seq 1 100); do
    if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
      redis_configuration="127.0.0.1:$port"
      return 0
    fi
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "Redis did not start:"
  tail -n 20 "$dir/redis.log" 2>/dev/null
  redis_pid=
  return 1
}

stop_redis() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null
    wait "$redis_pid" 2>/dev/null
    redis_pid=
  fi
}
