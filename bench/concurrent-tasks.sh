#!/usr/bin/env bash
# 50 concurrent tasks with max_parallel_tasks=50: all complete; the server's resident memory before and after.
# Usage: bench/concurrent-tasks.sh [tasks]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-50}"
export SEMAPHORE_MAX_PARALLEL_TASKS="$count"
. bench/lib.sh
start_server

token=$(curl -sf -c "$work/jar" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}' &&
  curl -sf -b "$work/jar" -X POST "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
auth=(-H "Authorization: Bearer $token")
id_of() { sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }
repo="$work/repo"; mkdir -p "$repo"
printf 'for i in $(seq 20); do echo "line $i"; sleep 0.1; done\n' > "$repo/work.sh"
project=$(curl -sf "${auth[@]}" -X POST "$base/projects" -d '{"name":"bench"}' | id_of)
key=$(curl -sf "${auth[@]}" "$base/project/$project/keys" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
repository=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/repositories" \
  -d "{\"name\":\"local\",\"git_url\":\"$repo\",\"ssh_key_id\":$key}" | id_of)
template=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"work\",\"app\":\"bash\",\"playbook\":\"work.sh\",\"repository_id\":$repository,\"allow_parallel_tasks\":true}" | id_of)

before=$(( $(ps -o rss= -p "$pid") / 1024 ))
start=$(date +%s%N)
for _ in $(seq "$count"); do
  curl -sf "${auth[@]}" -X POST "$base/project/$project/tasks" -d "{\"template_id\":$template}" >/dev/null
done
peak=0
while :; do
  rss=$(( $(ps -o rss= -p "$pid") / 1024 )); [ "$rss" -gt "$peak" ] && peak=$rss
  list=$(curl -sf "${auth[@]}" "$base/project/$project/tasks")
  done_count=$( (grep -o '"status":"success"' <<<"$list" || true) | wc -l)
  failed=$( (grep -o '"status":"error"' <<<"$list" || true) | wc -l)
  [ $((done_count + failed)) -ge "$count" ] && break
  sleep 0.2
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
after=$(( $(ps -o rss= -p "$pid") / 1024 ))
echo "concurrent tasks: $count queued, $done_count succeeded, $failed failed in ${elapsed} ms (each runs ~2 s)"
echo "memory: resident before ${before} MB, peak ${peak} MB, after ${after} MB"
