#!/usr/bin/env bash
# Several server processes on one PostgreSQL database behind HAProxy (Debian's): 3 nodes from the jar,
# round robin, no sticky sessions. Prints: 300 short bash tasks started at once through the balancer
# (tasks/s, and whether any was lost or ran twice); the live log lag of a task running on one node to a
# websocket on another (p50/p99; target p99 <= 250 ms), beside a websocket on the node itself as the
# baseline; and GET /api/projects through the balancer against one node alone (wrk).
# Usage: bench/cluster.sh [tasks]      (needs haproxy and wrk: apt-get install haproxy wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-300}"
command -v haproxy >/dev/null || { echo "haproxy is not installed (apt-get install haproxy)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
JAVA_HOME="$(bin/java-home)"; export JAVA_HOME
[ -f target/semaphore.jar ] || ./mvnw -q -B -DskipTests package
work="$(mktemp -d)"
db="bench_cluster_$RANDOM$RANDOM"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null
shared=(SEMAPHORE_DB_DIALECT=postgres SEMAPHORE_DB_HOST=127.0.0.1:5432 SEMAPHORE_DB_USER=postgres SEMAPHORE_DB="$db"
        SEMAPHORE_ADMIN=admin SEMAPHORE_ADMIN_PASSWORD=benchpass SEMAPHORE_MAX_PARALLEL_TASKS=30)
ports=()
for i in 0 1 2; do
  port=$((20000 + RANDOM % 20000))
  ports+=("$port")
  env "${shared[@]}" SEMAPHORE_PORT=":$port" SEMAPHORE_TMP_PATH="$work/tmp$i" \
    bin/semaphore server --no-config >"$work/node$i.log" 2>&1 &
  pids+=($!)
  # One at a time: the first migrates the database.
  until curl -sf "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1; do sleep 0.1; done
done
front=$((20000 + RANDOM % 20000))
{
  printf 'defaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n  timeout tunnel 1h\n'
  printf '  retries 3\n  option redispatch\n  option http-keep-alive\n  http-reuse always\nfrontend semaphore\n  bind 127.0.0.1:%s\n  default_backend nodes\n' "$front"
  printf 'backend nodes\n  balance roundrobin\n  option httpchk GET /api/health/ready\n'
  for i in 0 1 2; do printf '  server node%s 127.0.0.1:%s check inter 500ms\n' "$i" "${ports[$i]}"; done
} >"$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$front/api"
until curl -sf "$base/ping" >/dev/null 2>&1; do sleep 0.1; done

token=$(curl -sf -c "$work/jar" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}' &&
  curl -sf -b "$work/jar" -X POST "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
repo="$work/repo"; mkdir -p "$repo"
printf 'echo "task $SEMAPHORE_TASK_ID"\n' > "$repo/short.sh"
printf 'sleep 2; for i in $(seq 100); do echo "line $i $(date +%%s%%3N)"; sleep 0.05; done\n' > "$repo/lines.sh"

read -r project lines_template < <(python3 - "$base" "$token" "$repo" "$count" <<'PY'
import json, sys, time, urllib.request, datetime, concurrent.futures
base, token, repo, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
def ts(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
project = call("POST", "/projects", {"name": "bench"})["id"]
key = call("GET", f"/project/{project}/keys")[0]["id"]
repository = call("POST", f"/project/{project}/repositories", {"name": "local", "git_url": repo, "ssh_key_id": key})["id"]
def template(name, script):
    return call("POST", f"/project/{project}/templates", {"name": name, "app": "bash", "playbook": script,
                "repository_id": repository, "allow_parallel_tasks": True})["id"]
short = template("short", "short.sh")
with concurrent.futures.ThreadPoolExecutor(16) as pool:
    ids = list(pool.map(lambda _: call("POST", f"/project/{project}/tasks", {"template_id": short})["id"], range(count)))
t0 = time.time()
while True:
    tasks = {t["id"]: t for t in call("GET", f"/project/{project}/tasks?limit={count + 10}") if t["id"] in ids}
    done = [t for t in tasks.values() if t["status"] in ("success", "error", "stopped")]
    if len(done) == count or time.time() - t0 > 600:
        break
    time.sleep(0.5)
elapsed = max(ts(t["end"]) for t in done) - min(ts(t["created"]) for t in tasks.values())
ok = sum(1 for t in done if t["status"] == "success")
twice = 0
for t in done[:: max(1, len(done) // 60)]:
    twice += sum(1 for l in call("GET", f"/project/{project}/tasks/{t['id']}/output") if l["output"].startswith("task ")) > 1
print(f"{count} tasks through the balancer to 3 nodes: {ok} succeeded, {count - len(done)} unfinished, {twice} sampled"
      f" run twice; {count / elapsed:.1f} tasks/s ({elapsed:.1f} s)", file=sys.stderr)
print(project, template("lines", "lines.sh"))
PY
)

# The live log lag: a task runs on some node; one websocket listens on that node, one on another.
lag() {
  local task owner_port other_port
  task=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "$base/project/$project/tasks" -d "{\"template_id\":$lines_template}" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  until psql -qtA -h 127.0.0.1 -U postgres -d "$db" -c "SELECT p.address FROM tasks t JOIN server_processes p ON p.id = t.owner WHERE t.id = $task" | grep -q ':'; do sleep 0.05; done
  owner_port=$(psql -qtA -h 127.0.0.1 -U postgres -d "$db" -c "SELECT p.address FROM tasks t JOIN server_processes p ON p.id = t.owner WHERE t.id = $task" | sed 's/.*://')
  for p in "${ports[@]}"; do [ "$p" != "$owner_port" ] && { other_port=$p; break; }; done
  "$JAVA_HOME/bin/java" bench/LiveLag.java "ws://127.0.0.1:$other_port/api/ws" "$token" "$task" 100 >"$work/other" &
  local other=$!
  "$JAVA_HOME/bin/java" bench/LiveLag.java "ws://127.0.0.1:$owner_port/api/ws" "$token" "$task" 100 >"$work/same" &
  local same=$!
  wait "$other" "$same"
  echo "live log lag, 100 lines every 50 ms, task on node :$owner_port: websocket on another node $(tail -1 "$work/other");" \
    "baseline, websocket on the same node $(tail -1 "$work/same")  (target p99 <= 250 ms)"
}
lag

wrk -t2 -c32 -d5s -H "Authorization: Bearer $token" "$base/projects" >/dev/null
through=$(wrk -t2 -c32 -d15s -H "Authorization: Bearer $token" "$base/projects" | awk '/Requests\/sec/ {print $2}')
one=$(wrk -t2 -c32 -d15s -H "Authorization: Bearer $token" "http://127.0.0.1:${ports[0]}/api/projects" | awk '/Requests\/sec/ {print $2}')
echo "GET /api/projects: ${through} req/s through HAProxy to 3 nodes; baseline, one node directly: ${one} req/s" \
  "(all on this machine's $(nproc) cores: the nodes, HAProxy and wrk share them)"
