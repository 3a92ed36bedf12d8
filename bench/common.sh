# Shared by the bench scripts.
# publish_app <directory>: publishes Backside.Web in Release there, as it would be deployed. (The build output is
# not what production runs: it serves static assets from a build manifest, and with it a development fallback that
# looks for a file on disk on every GET.)
# start_app <database file> <port> <log file> [NAME=value settings…]: starts the published app against a bench
# SQLite database and waits until it answers; sets app_pid. APP_CPUS (a taskset list such as 1) pins the app to those
# cores. start_instance <port> <log file> [NAME=value settings…] does the same with the database in the settings.
publish_app() {
  app_dir=$1
  dotnet publish Backside.Web -c Release -o "$app_dir" -nologo -v quiet >/dev/null
}

start_app() {
  local database=$1
  shift
  start_instance "$@" ConnectionStrings__Backside="Data Source=$database"
}

start_instance() {
  local port=$1 log=$2
  shift 2
  env ASPNETCORE_ENVIRONMENT=Production "$@" \
    ${APP_CPUS:+taskset -c "$APP_CPUS"} dotnet "$app_dir/Backside.Web.dll" --contentRoot "$app_dir" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
  kill -0 "$app_pid" 2>/dev/null || { echo "the app did not start:"; cat "$log"; exit 1; }
}
