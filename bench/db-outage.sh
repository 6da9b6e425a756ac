#!/usr/bin/env bash
# A database outage under a loud task: a bash task prints 5,000 lines/s for the outage and some more, and the
# machine's PostgreSQL is stopped for N s (default 60) meanwhile (pg_ctlcluster: this stops it for everything
# on this machine; run it as root, not beside the tests). Prints the server's heap before the outage (the
# same run's baseline) and at its worst during it, the output lines it held in memory and in files (its metrics),
# how long the API took to answer after the database came back, and what the task ended with: its status and
# lines stored against lines printed. BENCH_HOME=<a built checkout> runs an earlier version the same way.
# Usage: bench/db-outage.sh [outage seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
outage="${1:-60}"
export BENCH_DIALECT=postgres
export BENCH_SERVER_ENV="SEMAPHORE_METRICS_ENABLED=true"
source bench/lib.sh
cluster="$(ls /etc/postgresql | sort -V | tail -1)"
restart_pg() { pg_ctlcluster --skip-systemctl-redirect "$cluster" main start >/dev/null 2>&1 || true; }
trap 'restart_pg; cleanup' EXIT
start_server
sign_in
mkdir -p "$work/repo"
seconds=$((outage + 20))
# 5,000 lines a second: 50 lines, then a hundredth of a second.
cat >"$work/repo/loud.sh" <<SCRIPT
for chunk in \$(seq 0 $((seconds * 100 - 1))); do
  for i in \$(seq 1 50); do echo "line \$((chunk * 50 + i)) of the loud task, with some text to make it a line"; done
  sleep 0.01
done
SCRIPT
bench_project "$work/repo"
template=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"loud\",\"app\":\"bash\",\"playbook\":\"loud.sh\",\"repository_id\":$repository}" | id_of)
heap() { # the old generation in use now, MB: what the server holds on to (the young one is passing garbage)
  curl -sf "$base/metrics" | awk '/^jvm_memory_used_bytes/ && /Tenured Gen|Old Gen/ {s += $NF} END {printf "%.0f", s / 1048576}'
}
metric() { curl -sf "$base/metrics" | awk -v m="$1" '$1 == m {printf "%.0f", $2}'; }
task=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/tasks" -d "{\"template_id\":$template}" | id_of)
sleep 5
before=$(heap)
echo "database outage of $outage s under a task printing 5,000 lines/s ($(nproc) cores; ${BENCH_HOME:-this checkout})"
echo "old generation in use before the outage: $before MB"
pg_ctlcluster --skip-systemctl-redirect "$cluster" main stop -m fast
worst=0; held=0; chars=0; spilled=0
end=$((SECONDS + outage))
while [ $SECONDS -lt $end ]; do
  h=$(heap || echo 0); [ "${h:-0}" -gt "$worst" ] && worst=$h
  m=$(metric semaphore_task_output_pending_lines || true); [ "${m:-0}" -gt "$held" ] && held=$m
  c=$(metric semaphore_task_output_pending_chars || true); [ "${c:-0}" -gt "$chars" ] && chars=$c
  s=$(metric semaphore_task_output_spilled_lines || true); [ "${s:-0}" -gt "$spilled" ] && spilled=$s
  sleep 1
done
echo "old generation in use during the outage, at its worst: $worst MB (before: $before MB)"
echo "output held in memory at most: $held lines, $((chars / 1024)) K characters; kept in files at most: $spilled lines"
echo "(0 where the server has no such metrics: versions before the bounded buffer)"
restart_pg
back=$(date +%s%N)
until curl -sf "${auth[@]}" "$base/projects" >/dev/null 2>&1; do sleep 0.05; done
echo "the API answered $(( ($(date +%s%N) - back) / 1000000 )) ms after the database started again"
until curl -sf "${auth[@]}" "$base/project/$project/tasks/$task" | grep -qE '"status":"(success|error|stopped)"'; do
  sleep 1
done
status=$(curl -sf "${auth[@]}" "$base/project/$project/tasks/$task" | sed -n 's/.*"status":"\([a-z_]*\)".*/\1/p')
curl -sf "${auth[@]}" "$base/project/$project/tasks/$task/raw_output" | grep '^line ' >"$work/stored" || true
stored=$(wc -l <"$work/stored")
misplaced=$(awk '$2 != NR {bad++} END {print bad + 0}' "$work/stored")
echo "the task ended: $status, $stored of $((seconds * 5000)) lines stored, $misplaced out of order"
json=$(curl -sf "${auth[@]}" "$base/project/$project/tasks/$task")
started=$(echo "$json" | sed -n 's/.*"start":"\([^"]*\)".*/\1/p'); ended=$(echo "$json" | sed -n 's/.*"end":"\([^"]*\)".*/\1/p')
echo "it ran $(( $(date -d "$ended" +%s) - $(date -d "$started" +%s) )) s ($seconds s of printing when nothing holds it up)"
