#!/usr/bin/env bash
# GET /api/projects for a user who is a member of 100 projects, under load from wrk on loopback.
# Usage: bench/projects-throughput.sh [seconds] [connections]   (wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"; connections="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
. bench/lib.sh
start_server

curl -sf -c "$work/admin" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}'
user_id=$(curl -sf -b "$work/admin" -X POST -H "Content-Type: application/json" "$base/users" \
  -d '{"username":"bench","name":"Bench","email":"bench@example.test","password":"benchpass"}' |
  sed -n 's/.*"id":\([0-9]*\).*/\1/p')
for i in $(seq 100); do
  project=$(curl -sf -b "$work/admin" -X POST -H "Content-Type: application/json" "$base/projects" -d "{\"name\":\"project $i\"}" |
    sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  curl -sf -b "$work/admin" -X POST -H "Content-Type: application/json" "$base/project/$project/users" -d "{\"user_id\":$user_id,\"role\":\"task_runner\"}"
done
curl -sf -c "$work/user" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"bench","password":"benchpass"}'
token=$(curl -sf -b "$work/user" -X POST -H "Content-Type: application/json" "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
count=$(curl -sf -H "Authorization: Bearer $token" "$base/projects" | grep -o '"id":' | wc -l)
echo "the user sees $count projects"

wrk -t2 -c"$connections" -d15s -H "Authorization: Bearer $token" "$base/projects" >/dev/null   # warm-up: let the JIT finish
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base/projects" | tee "$work/wrk"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk")
echo "projects: ${rps} requests/s, p99 ${p99} with ${connections} connections (targets >= 5000/s, p99 <= 20ms)"
echo "memory: resident set after load: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
