#!/usr/bin/env bash
# The webhook receiver under load: deliveries to a project alias whose integration matches nothing
# (wrk, loopback), then a flood of 1,000 deliveries in about a second of which a few match: no more
# tasks than matched, every delivery recorded, the server still answering.
# Usage: bench/webhooks.sh [seconds] [connections]   (targets: >= 2,000 deliveries/s, p99 <= 20 ms)
# The receiver and wrk share the machine's cores: 4 connections keep wrk from starving the server.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"; connections="${2:-4}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
. bench/lib.sh
start_server

token=$(curl -sf -c "$work/jar" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}' &&
  curl -sf -b "$work/jar" -X POST "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
id_of() { sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }
repo="$work/repo"; mkdir -p "$repo"; printf 'true\n' > "$repo/noop.sh"
project=$(curl -sf "${auth[@]}" -X POST "$base/projects" -d '{"name":"bench"}' | id_of)
key=$(curl -sf "${auth[@]}" "$base/project/$project/keys" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
repository=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/repositories" \
  -d "{\"name\":\"local\",\"git_url\":\"$repo\",\"ssh_key_id\":$key}" | id_of)
template=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"noop\",\"app\":\"bash\",\"playbook\":\"noop.sh\",\"repository_id\":$repository,\"allow_parallel_tasks\":true}" | id_of)
integration=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/integrations" \
  -d "{\"name\":\"push to release\",\"template_id\":$template,\"searchable\":true}" | id_of)
curl -sf "${auth[@]}" -X POST "$base/project/$project/integrations/$integration/matchers" \
  -d '{"match_type":"body","method":"equals","body_data_type":"json","key":"ref","value":"refs/heads/release"}' >/dev/null
url=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/integrations/aliases" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "push"
wrk.body = '{"ref":"refs/heads/main","head_commit":{"id":"c0ffee"},"repository":{"name":"app"}}'
LUA
wrk -t2 -c"$connections" -d10s -s "$work/post.lua" "$url" >/dev/null   # warm-up: let the JIT finish
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "$url" | tee "$work/wrk"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk")
echo "webhooks (nothing matches): ${rps} deliveries/s, p99 ${p99} with ${connections} connections (targets >= 2000/s, p99 <= 20ms)"
sleep 3
recorded=$(curl -sf "${auth[@]}" "$base/project/$project/integrations/$integration/deliveries?limit=1" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
sent=$(awk '/requests in/ {print $1}' "$work/wrk")
echo "recorded: the newest delivery has id ${recorded} after $((sent)) measured (plus the warm-up's) deliveries; dropped: $(grep -c 'arrived faster' "$work/log" || true) warnings"

python3 - "$url" "$base" "$token" "$project" "$integration" <<'PY'
import json, sys, time, urllib.request, concurrent.futures
url, base, token, project, integration = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def deliver(i):
    ref = "refs/heads/release" if i % 200 == 0 else "refs/heads/main"
    body = json.dumps({"ref": ref, "n": i}).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.status
def call(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())
before = len([t for t in call(f"/project/{project}/tasks?limit=1000") if t.get("integration_id") == integration])
t0 = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(64) as pool:
    statuses = list(pool.map(deliver, range(1000)))
elapsed = time.perf_counter() - t0
time.sleep(2)
tasks = len([t for t in call(f"/project/{project}/tasks?limit=1000") if t.get("integration_id") == integration]) - before
ping = urllib.request.urlopen(base + "/ping").read().decode()
print(f"flood: 1,000 deliveries in {elapsed:.2f} s, all answered {sorted(set(statuses))}; 5 matched, {tasks} tasks started;"
      f" server answers ping: {ping}")
PY
