#!/usr/bin/env bash
# Remote runners end to end: 4 runner processes (25 tasks at once each) take 500 short bash tasks from
# one server. Prints tasks/s, pick-up latency (from the task being given to a runner to the runner
# claiming it; p50/p99) and, for a task printing a line every 50 ms, how long each line takes to be
# readable through the API (p50/p99), with the same figure for a task run by the server itself as the
# baseline. Checks that no task is lost or run twice.
# Usage: bench/runners.sh [tasks] [runners] [per runner]      (issue target: pick-up p50 <= 250 ms)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-500}"
runner_count="${2:-4}"
per_runner="${3:-25}"
export SEMAPHORE_RUNNER_REGISTRATION_TOKEN=bench-registration-token
. bench/lib.sh
start_server
server_url="${base%/api}"

runner_pids=()
for i in $(seq "$runner_count"); do
  env SEMAPHORE_WEB_ROOT="$server_url" SEMAPHORE_RUNNER_TAGS=bench SEMAPHORE_RUNNER_NAME="bench-$i" \
    SEMAPHORE_RUNNER_MAX_PARALLEL_TASKS="$per_runner" SEMAPHORE_RUNNER_TOKEN_FILE="$work/runner-$i.token" \
    SEMAPHORE_TMP_PATH="$work/runner-$i" bin/semaphore runner start --register --no-config >"$work/runner-$i.log" 2>&1 &
  runner_pids+=($!)
done
trap 'kill "${runner_pids[@]}" 2>/dev/null || true; cleanup' EXIT

token=$(curl -sf -c "$work/jar" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}' &&
  curl -sf -b "$work/jar" -X POST "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
repo="$work/repo"; mkdir -p "$repo"
printf 'echo "task $SEMAPHORE_TASK_ID"\n' > "$repo/short.sh"
printf 'for i in $(seq 60); do echo "line $i $(date +%%s%%N)"; sleep 0.05; done\n' > "$repo/lines.sh"

python3 - "$base" "$token" "$repo" "$count" "$runner_count" <<'PY'
import json, sys, time, urllib.request, datetime, statistics
base, token, repo, count, runners = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
def ts(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
deadline = time.time() + 60
while sum(1 for r in call("GET", "/runners") if r["online"]) < runners and time.time() < deadline:
    time.sleep(0.2)
project = call("POST", "/projects", {"name": "bench"})["id"]
key = call("GET", f"/project/{project}/keys")[0]["id"]
repository = call("POST", f"/project/{project}/repositories", {"name": "local", "git_url": repo, "ssh_key_id": key})["id"]
def template(name, script, tag):
    return call("POST", f"/project/{project}/templates", {"name": name, "app": "bash", "playbook": script,
                "repository_id": repository, "allow_parallel_tasks": True, "runner_tag": tag})["id"]
short = template("short", "short.sh", "bench")
t0 = time.time()
ids = [call("POST", f"/project/{project}/tasks", {"template_id": short})["id"] for _ in range(count)]
while True:
    tasks = {t["id"]: t for t in call("GET", f"/project/{project}/tasks?limit={count + 10}") if t["id"] in ids}
    done = [t for t in tasks.values() if t["status"] in ("success", "error", "stopped")]
    if len(done) == count or time.time() - t0 > 600:
        break
    time.sleep(0.5)
elapsed = max(ts(t["end"]) for t in done) - min(ts(t["created"]) for t in tasks.values())
ok = sum(1 for t in done if t["status"] == "success")
pickups, twice = [], 0
for t in done[:: max(1, len(done) // 100)]:
    lines = call("GET", f"/project/{project}/tasks/{t['id']}/output")
    given = [l for l in lines if l["output"].startswith("Given to runner")]
    twice += sum(1 for l in lines if l["output"].startswith("task ")) > 1
    if given and t.get("start"):
        pickups.append((ts(t["start"]) - ts(given[0]["time"])) * 1000)
pickups.sort()
q = lambda xs, p: xs[min(len(xs) - 1, int(len(xs) * p))]
print(f"{count} tasks on {runners} runners: {ok} succeeded, {count - len(done)} unfinished, {twice} sampled run twice;"
      f" {count / elapsed:.1f} tasks/s ({elapsed:.1f} s)")
print(f"pick-up (given to a runner -> claimed by it), {len(pickups)} sampled: p50 {q(pickups, 0.5):.0f} ms,"
      f" p99 {q(pickups, 0.99):.0f} ms (target p50 <= 250 ms)")
def lag(tag):
    task = call("POST", f"/project/{project}/tasks", {"template_id": template("lines-" + (tag or "local"), "lines.sh", tag)})["id"]
    seen, lags = set(), []
    end = time.time() + 60
    while time.time() < end:
        now = time.time()
        for l in call("GET", f"/project/{project}/tasks/{task}/output"):
            parts = l["output"].split()
            if len(parts) == 3 and parts[0] == "line" and parts[1] not in seen:
                seen.add(parts[1])
                lags.append((now - int(parts[2]) / 1e9) * 1000)
        if len(seen) >= 60:
            break
        time.sleep(0.01)
    lags.sort()
    return lags
remote, local = lag("bench"), lag("")
print(f"log lag (printed -> readable through the API), 60 lines each: runner p50 {q(remote, 0.5):.0f} ms,"
      f" p99 {q(remote, 0.99):.0f} ms; baseline, the server's own executor: p50 {q(local, 0.5):.0f} ms,"
      f" p99 {q(local, 0.99):.0f} ms")
PY
