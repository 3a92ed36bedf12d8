# Shared by the bench scripts: start the Release build against a bench database and wait until it answers.
# Usage: start_app <database file> <port> <log file> [NAME=value settings…]; sets app_pid.
# APP_CPUS (a taskset list such as 1) pins the app to those cores.
start_app() {
  local database=$1 port=$2 log=$3
  shift 3
  env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Backside="Data Source=$database" \
    Logging__LogLevel__Default=Warning "$@" \
    ${APP_CPUS:+taskset -c "$APP_CPUS"} dotnet Backside.Web/bin/Release/net10.0/Backside.Web.dll --contentRoot "$PWD/Backside.Web" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
  kill -0 "$app_pid" 2>/dev/null || { echo "the app did not start:"; cat "$log"; exit 1; }
}
