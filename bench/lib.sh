# Shared by the benchmark scripts: build if needed, start a server on a fresh SQLite file, clean up.
# After start_server: $base is the API URL, $pid the server, $work a scratch directory.
JAVA_HOME="$(bin/java-home)"; export JAVA_HOME
[ -f target/semaphore.jar ] || ./mvnw -q -B -DskipTests package
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT

start_server() {
  local port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port/api"
  SEMAPHORE_DB_HOST="${BENCH_DB_HOST:-$work/db.sqlite}" SEMAPHORE_PORT=":$port" SEMAPHORE_TMP_PATH="$work/tmp" \
  SEMAPHORE_ADMIN=admin SEMAPHORE_ADMIN_PASSWORD=benchpass bin/semaphore server --no-config >"$work/log" 2>&1 &
  pid=$!
  until curl -sf "$base/ping" >/dev/null 2>&1; do kill -0 "$pid" || { cat "$work/log"; exit 1; }; sleep 0.05; done
}
