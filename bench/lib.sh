# Shared by the benchmark scripts: build if needed, start a server on a fresh database, clean up.
# BENCH_DIALECT=postgres uses a new database on 127.0.0.1:5432 (user postgres) instead of SQLite.
# After start_server: $base is the API URL, $pid the server, $work a scratch directory.
# BENCH_SERVER_ENV: more NAME=value settings for the server (space-separated). BENCH_HOME: another checkout,
# built, whose server to run instead (an earlier version, for a baseline).
JAVA_HOME="$(bin/java-home)"; export JAVA_HOME
[ -f target/semaphore.jar ] || ./mvnw -q -B -DskipTests package
work="$(mktemp -d)"
bench_db=""
cleanup() {
  # (kill 0 would signal this whole process group: only a server that was started is stopped)
  if [ -n "${pid:-}" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "$bench_db" ]; then
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  local port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port/api"
  local db=(SEMAPHORE_DB_DIALECT=sqlite SEMAPHORE_DB_HOST="$work/db.sqlite")
  if [ "${BENCH_DIALECT:-sqlite}" = postgres ]; then
    bench_db="bench_$RANDOM$RANDOM"
    psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $bench_db" >/dev/null
    db=(SEMAPHORE_DB_DIALECT=postgres SEMAPHORE_DB_HOST=127.0.0.1:5432 SEMAPHORE_DB_USER=postgres SEMAPHORE_DB="$bench_db")
  fi
  env "${db[@]}" ${BENCH_SERVER_ENV:-} SEMAPHORE_PORT=":$port" SEMAPHORE_TMP_PATH="$work/tmp" \
    SEMAPHORE_ADMIN=admin SEMAPHORE_ADMIN_PASSWORD=benchpass "${BENCH_HOME:-.}/bin/semaphore" server --no-config >"$work/log" 2>&1 &
  pid=$!
  until curl -sf "$base/ping" >/dev/null 2>&1; do kill -0 "$pid" || { cat "$work/log"; exit 1; }; sleep 0.05; done
}

# Signs in as the benchmark's admin: $token, and $auth, curl's headers for JSON calls with it.
sign_in() {
  token=$(curl -sf -c "$work/jar" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}' &&
    curl -sf -b "$work/jar" -X POST "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
}

# The id of the object a create call answered with.
id_of() { sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }

# A project "bench" with a repository of the local folder $1: $project, $key (its None key), $repository.
bench_project() {
  project=$(curl -sf "${auth[@]}" -X POST "$base/projects" -d '{"name":"bench"}' | id_of)
  key=$(curl -sf "${auth[@]}" "$base/project/$project/keys" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
  repository=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/repositories" \
    -d "{\"name\":\"local\",\"git_url\":\"$1\",\"ssh_key_id\":$key}" | id_of)
}
