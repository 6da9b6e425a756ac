#!/usr/bin/env bash
# Cold start of `semaphore server` to the first `pong`, and idle resident memory after start.
# Usage: bench/startup.sh [runs]   (builds the jar and the AOT cache first if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
JAVA_HOME="$(bin/java-home)"; export JAVA_HOME
[ -f target/semaphore.jar ] || ./mvnw -q -B -DskipTests package
[ -f target/semaphore.aot ] || bench/train-aot.sh
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
export SEMAPHORE_DB_HOST="$work/db.sqlite" SEMAPHORE_PORT=":$port" SEMAPHORE_TMP_PATH="$work/tmp"
export SEMAPHORE_ADMIN=admin SEMAPHORE_ADMIN_PASSWORD=benchpass

start_once() {  # sets $ms (exec to first pong) and leaves $pid running
  local t0 t1
  t0=$(date +%s%N)
  bin/semaphore server --no-config >"$work/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
}

start_once; first=$ms; kill "$pid"; wait "$pid" 2>/dev/null || true
times=()
for _ in $(seq "$runs"); do
  start_once; times+=("$ms")
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
p50=$(echo "$sorted" | awk -v n="${#times[@]}" 'NR==int((n+1)/2)')
best=$(echo "$sorted" | head -1); worst=$(echo "$sorted" | tail -1)

start_once
sleep 5
rss_kb=$(ps -o rss= -p "$pid" | tr -d ' ')
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "startup: first start on an empty database (migrations, admin): ${first} ms"
echo "startup: restart to first pong over ${runs} runs: p50 ${p50} ms, best ${best} ms, worst ${worst} ms (target <= 1500)"
echo "memory: idle resident set 5 s after start: $((rss_kb / 1024)) MB (target <= 150)"
