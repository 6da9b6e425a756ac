#!/usr/bin/env bash
# GET /api/project/{id}/templates with 1,000 templates in the project (issue target: p99 <= 30 ms).
# Usage: bench/templates-list.sh [seconds] [connections]   (wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"; connections="${2:-1}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
. bench/lib.sh
start_server

curl -sf -c "$work/admin" -X POST "$base/auth/login" -H 'Content-Type: application/json' -d '{"auth":"admin","password":"benchpass"}'
token=$(curl -sf -b "$work/admin" -X POST -H "Content-Type: application/json" "$base/user/tokens" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
auth=(-H "Authorization: Bearer $token")
project=$(curl -sf "${auth[@]}" -X POST "$base/projects" -d '{"name":"big"}' | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
key=$(curl -sf "${auth[@]}" "$base/project/$project/keys" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
repo=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/repositories" \
  -d "{\"name\":\"r\",\"git_url\":\"https://example.test/r.git\",\"ssh_key_id\":$key}" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
inventory=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/inventory" \
  -d '{"name":"prod","type":"static","inventory":"host1"}' | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
# 1,000 templates over one keep-alive connection per batch, with survey variables like real ones.
body() {
  printf '{"name":"template %04d","app":"ansible","playbook":"site-%d.yml","repository_id":%s,"inventory_id":%s,' "$1" "$1" "$repo" "$inventory"
  printf '"arguments":"[\\"--forks\\", \\"10\\"]","survey_vars":[{"name":"version","type":"","required":true},{"name":"region","type":"enum","values":[{"name":"EU","value":"eu"}]}],'
  printf '"task_params":{"allow_debug":true,"limit":["web"]}}'
}
for i in $(seq 1000); do body "$i" > "$work/t$i.json"; done
for batch in $(seq 0 9); do
  args=()
  for i in $(seq $((batch * 100 + 1)) $((batch * 100 + 100))); do
    args+=(-o /dev/null -X POST "${auth[@]}" --data-binary "@$work/t$i.json" "$base/project/$project/templates")
    [ "$i" -lt $((batch * 100 + 100)) ] && args+=(--next)
  done
  curl -sf "${args[@]}"
done
count=$(curl -sf "${auth[@]}" "$base/project/$project/templates" | grep -o '"playbook"' | wc -l)
bytes=$(curl -sf "${auth[@]}" "$base/project/$project/templates" | wc -c)
echo "the project has $count templates; the list is $((bytes / 1024)) KiB"

wrk -t1 -c"$connections" -d15s "${auth[@]}" "$base/project/$project/templates" >/dev/null   # warm-up
wrk -t1 -c"$connections" -d"${seconds}s" --latency "${auth[@]}" "$base/project/$project/templates" | tee "$work/wrk"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk")
echo "templates: ${rps} requests/s, p99 ${p99} with ${connections} connections, 1,000 templates (target p99 <= 30ms)"
