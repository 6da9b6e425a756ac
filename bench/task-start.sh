#!/usr/bin/env bash
# Task start latency (POST /tasks to the first output line of a bash task from a local repository)
# and log ingest (a task printing N lines, all stored and readable through the API).
# Usage: bench/task-start.sh [runs] [lines]     (issue targets: p50 <= 150 ms; >= 200,000 lines/s)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"; lines="${2:-1000000}"
. bench/lib.sh
start_server

sign_in
repo="$work/repo"; mkdir -p "$repo"
printf 'echo first line\n' > "$repo/hello.sh"
printf 'seq %s\n' "$lines" > "$repo/many.sh"
bench_project "$repo"
hello=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"hello\",\"app\":\"bash\",\"playbook\":\"hello.sh\",\"repository_id\":$repository,\"allow_parallel_tasks\":true}" | id_of)
many=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"many\",\"app\":\"bash\",\"playbook\":\"many.sh\",\"repository_id\":$repository}" | id_of)

python3 - "$base" "$token" "$project" "$hello" "$many" "$runs" "$lines" <<'PY'
import json, sys, time, urllib.request
base, token, project, hello, many, runs, lines = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
def wait(task, done=("success", "error", "stopped")):
    while call("GET", f"/project/{project}/tasks/{task}")["status"] not in done:
        time.sleep(0.005)
latencies = []
for _ in range(runs + 2):
    t0 = time.perf_counter()
    task = call("POST", f"/project/{project}/tasks", {"template_id": hello})["id"]
    while not call("GET", f"/project/{project}/tasks/{task}/output?limit=1"):
        time.sleep(0.002)
    latencies.append((time.perf_counter() - t0) * 1000)
    wait(task)
latencies = sorted(latencies[2:])
print(f"task start: POST /tasks to first output line over {runs} runs: p50 {latencies[len(latencies)//2]:.0f} ms, "
      f"p90 {latencies[int(len(latencies)*0.9)]:.0f} ms (target p50 <= 150 ms)")
t0 = time.perf_counter()
task = call("POST", f"/project/{project}/tasks", {"template_id": many})["id"]
wait(task)
last = call("GET", f"/project/{project}/tasks/{task}/output?offset={lines-1}&limit=10")
elapsed = time.perf_counter() - t0
ok = len(last) == 1 and last[0]["output"] == str(lines)
print(f"log ingest: {lines} lines stored in {elapsed:.2f} s = {lines/elapsed:,.0f} lines/s, last line readable: {ok} "
      f"(target >= 200,000 lines/s)")
PY
