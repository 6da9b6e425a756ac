#!/usr/bin/env bash
# 50 concurrent tasks with max_parallel_tasks=50: all complete; the server's resident memory before and after.
# Usage: bench/concurrent-tasks.sh [tasks]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-50}"
export SEMAPHORE_MAX_PARALLEL_TASKS="$count"
. bench/lib.sh
start_server

sign_in
repo="$work/repo"; mkdir -p "$repo"
printf 'for i in $(seq 20); do echo "line $i"; sleep 0.1; done\n' > "$repo/work.sh"
bench_project "$repo"
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
