#!/usr/bin/env bash
# A crowd watching one task's live log: 1, 10, 100 and 200 websocket clients (signed in as the admin) on
# one server while a bash task prints 25,000 lines at 5,000 lines/s. Prints, for each crowd, the lines the
# worst-served watcher got and the lag p50/p99 (print to arrival) over all watchers, beside 1 watcher in
# the same run. Goal: 100 watchers get every line with p99 <= 1 s; 200 watchers get every line.
# Usage: bench/live-crowd.sh [lines] [crowds...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
lines="${1:-25000}"
shift || true
crowds=("${@:-1 10 100 200}")
start_server
sign_in
mkdir -p "$work/repo"
# 5,000 lines a second: 50 lines, then a hundredth of a second; each line says when it was printed (µs).
cat >"$work/repo/loud.sh" <<SCRIPT
for chunk in \$(seq 0 $((lines / 50 - 1))); do
  for i in \$(seq 1 50); do echo "line \$((chunk * 50 + i)) \${EPOCHREALTIME/./}"; done
  sleep 0.01
done
SCRIPT
bench_project "$work/repo"
template=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"loud\",\"app\":\"bash\",\"playbook\":\"loud.sh\",\"repository_id\":$repository}" | id_of)
echo "live log of a task printing $lines lines at 5,000 lines/s ($(nproc) cores, ${BENCH_DIALECT:-sqlite})"
for crowd in ${crowds[@]}; do
  rm -f "$work/ready" "$work/go"
  "$JAVA_HOME/bin/java" bench/LiveCrowd.java "ws://${base#http://}/ws" "$token" "$crowd" "$lines" \
    "$work/ready" "$work/go" >"$work/crowd" &
  watcher=$!
  until [ -f "$work/ready" ]; do sleep 0.1; done
  task=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/tasks" -d "{\"template_id\":$template}" | id_of)
  echo "$task" >"$work/go"
  wait "$watcher"
  cat "$work/crowd"
done
