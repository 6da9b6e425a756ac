#!/usr/bin/env bash
# 1,000 active schedules due in the same minute: how long after that minute their tasks are all queued
# (each exactly once), measured from the tasks' own creation times. Waits for the next whole minute.
# Usage: bench/schedules.sh [schedules]     (issue target: all queued within 5 s of the minute)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
export SEMAPHORE_MAX_PARALLEL_TASKS=2
. bench/lib.sh
start_server

token=$(curl -sf -c "$work/jar" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}' &&
  curl -sf -b "$work/jar" -X POST "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
repo="$work/repo"; mkdir -p "$repo"
printf 'true\n' > "$repo/noop.sh"

python3 - "$base" "$token" "$repo" "$count" <<'PY'
import json, sys, time, urllib.request, datetime
base, token, repo, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
project = call("POST", "/projects", {"name": "bench"})["id"]
key = call("GET", f"/project/{project}/keys")[0]["id"]
repository = call("POST", f"/project/{project}/repositories", {"name": "local", "git_url": repo, "ssh_key_id": key})["id"]
template = call("POST", f"/project/{project}/templates", {"name": "noop", "app": "bash", "playbook": "noop.sh",
                "repository_id": repository, "allow_parallel_tasks": True})["id"]
# The minute after the one in which creating them ends; at least 20 s away.
start = time.time()
due = (int(start) // 60 + 1) * 60
estimate = 0.01 * count + 5
if due - start < estimate:
    due += 60
minute = datetime.datetime.fromtimestamp(due, datetime.timezone.utc).minute
t0 = time.perf_counter()
for i in range(count):
    call("POST", f"/project/{project}/schedules", {"template_id": template, "name": f"s{i}", "cron_format": f"{minute} * * * *"})
print(f"created {count} schedules in {time.perf_counter() - t0:.1f} s; due at {datetime.datetime.fromtimestamp(due, datetime.timezone.utc):%H:%M:%S} UTC")
time.sleep(max(0, due - time.time()) + 1)
deadline = time.time() + 60
while True:
    tasks = [t for t in call("GET", f"/project/{project}/tasks?limit=1000") if t.get("schedule_id")]
    if len(tasks) >= count or time.time() > deadline:
        break
    time.sleep(0.5)
per = {}
for t in tasks:
    per[t["schedule_id"]] = per.get(t["schedule_id"], 0) + 1
created = sorted(datetime.datetime.fromisoformat(t["created"].replace("Z", "+00:00")).timestamp() - due for t in tasks)
print(f"schedules: {len(per)} of {count} queued a task, {sum(1 for n in per.values() if n > 1)} more than once;"
      f" first {created[0]:.2f} s, median {created[len(created)//2]:.2f} s, last {created[-1]:.2f} s after the minute"
      f" (target: all within 5 s)")
PY
