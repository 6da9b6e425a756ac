#!/usr/bin/env bash
# Cold start of `semaphore server` to the first `pong`, and idle resident memory after start.
# Usage: bench/startup.sh [runs]   (builds the jar, and trains the AOT cache, when missing or stale)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
JAVA_HOME="$(bin/java-home)"; export JAVA_HOME
[ -f target/semaphore.jar ] || ./mvnw -q -B -DskipTests package
[ target/semaphore.aot -nt target/semaphore.jar ] || bin/train-aot >/dev/null
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
export SEMAPHORE_DB_HOST="$work/db.sqlite" SEMAPHORE_PORT=":$port" SEMAPHORE_TMP_PATH="$work/tmp"
export SEMAPHORE_ADMIN=admin SEMAPHORE_ADMIN_PASSWORD=benchpass

# One light poller process: a curl per try would itself slow a start on two cores.
poll_pong() {
  python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
deadline = time.time() + 60
while time.time() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /api/ping HTTP/1.0\r\nHost: x\r\n\r\n")
            data = b""
            while chunk := s.recv(4096):
                data += chunk
            if data.endswith(b"pong"):
                print(time.time_ns())
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.002)
sys.exit(1)
PY
}

start_once() {  # sets $ms (exec to first pong) and leaves $pid running
  local t0 t1
  t0=$(date +%s%N)
  bin/semaphore server --no-config >"$work/log" 2>&1 &
  pid=$!
  t1=$(poll_pong) || { cat "$work/log"; exit 1; }
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
