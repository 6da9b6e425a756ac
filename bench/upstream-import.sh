#!/usr/bin/env bash
# `semaphore import` of an upstream database holding many tasks with their output: lines per second,
# beside the same database's own full read of those lines (the baseline: a scan of task__output), and
# the importer's resident memory sampled every 2 s (flat: it streams, it does not load).
# Usage: bench/upstream-import.sh [tasks] [lines per task]      (issue target: >= 100,000 lines/s)
# BENCH_DIALECT=postgres: upstream and this server on PostgreSQL (127.0.0.1:5432) instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
tasks="${1:-100000}"
per_task="${2:-100}"
. bench/lib.sh
dialect="${BENCH_DIALECT:-sqlite}"

# Upstream's tables the import needs, as upstream names them (a hand-written subset of its schema).
ddl() {
  local id="$1" ts="$2"
  cat <<SQL
CREATE TABLE "user" (id $id, created $ts NOT NULL, username VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL, password VARCHAR(255) NOT NULL, admin BOOLEAN NOT NULL, external BOOLEAN NOT NULL,
  alert BOOLEAN NOT NULL, pro BOOLEAN NOT NULL);
CREATE TABLE project (id $id, created $ts NOT NULL, name VARCHAR(255) NOT NULL, alert BOOLEAN NOT NULL,
  alert_chat VARCHAR(30), max_parallel_tasks INTEGER NOT NULL, type VARCHAR(20));
CREATE TABLE access_key (id $id, name VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL, project_id INTEGER,
  secret TEXT, environment_id INTEGER, user_id INTEGER, owner VARCHAR(20));
CREATE TABLE project__repository (id $id, project_id INTEGER NOT NULL, git_url TEXT NOT NULL,
  ssh_key_id INTEGER NOT NULL, name VARCHAR(255), git_branch VARCHAR(255));
CREATE TABLE project__template (id $id, project_id INTEGER NOT NULL, repository_id INTEGER NOT NULL,
  playbook VARCHAR(255) NOT NULL, name VARCHAR(100) NOT NULL, app VARCHAR(50) NOT NULL);
CREATE TABLE task (id $id, template_id INTEGER NOT NULL, status VARCHAR(255) NOT NULL, playbook VARCHAR(255) NOT NULL,
  created $ts, start $ts, "end" $ts, user_id INTEGER, project_id INTEGER, message VARCHAR(250) NOT NULL,
  commit_message VARCHAR(100) NOT NULL, params TEXT);
CREATE TABLE task__output (id $id, task_id INTEGER NOT NULL, time $ts NOT NULL, output TEXT NOT NULL);
INSERT INTO "user" VALUES (1, '2025-01-01 00:00:00', 'ops', 'Ops', 'ops@example.test', 'x', true, false, false, false);
INSERT INTO project VALUES (1, '2025-01-01 00:00:00', 'history', false, NULL, 0, '');
INSERT INTO access_key VALUES (1, 'None', 'none', 1, NULL, NULL, NULL, '');
INSERT INTO project__repository VALUES (1, 1, '/srv/playbooks', 1, 'playbooks', '');
INSERT INTO project__template VALUES (1, 1, 1, 'site.yml', 'Site', 'ansible');
SQL
}

line_text="'TASK [configure] ok: [web-' || t || '.example.test] changed=0 unreachable=0 failed=0 line ' || l"
echo "making an upstream database: $tasks tasks x $per_task lines ($dialect)"
t0=$(date +%s.%N)
if [ "$dialect" = postgres ]; then
  upstream_db="upstream_$RANDOM$RANDOM"
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $upstream_db" >/dev/null
  trap 'cleanup; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $upstream_db WITH (FORCE)" >/dev/null || true' EXIT
  { ddl "SERIAL PRIMARY KEY" TIMESTAMP
    echo "INSERT INTO task SELECT t, 1, 'success', 'site.yml', '2025-01-01', '2025-01-01', '2025-01-01 00:01', 1, 1, 'run ' || t, '', '{}' FROM generate_series(1, $tasks) t;"
    echo "INSERT INTO task__output (task_id, time, output) SELECT t, TIMESTAMP '2025-01-01' + l * INTERVAL '1 ms', $line_text FROM generate_series(1, $tasks) t, generate_series(1, $per_task) l ORDER BY t, l;"
    echo "CREATE INDEX task__output__task_id ON task__output (task_id);"
    echo "ANALYZE;" # as autovacuum has long done on a database in use
  } | psql -q -h 127.0.0.1 -U postgres -d "$upstream_db" -v ON_ERROR_STOP=1 >/dev/null
  from=(--from-dialect postgres --from-host 127.0.0.1:5432 --from-user postgres --from-name "$upstream_db")
  scan() { psql -qtA -h 127.0.0.1 -U postgres -d "$upstream_db" -c "SELECT count(*), sum(length(output)) FROM task__output" >/dev/null; }
  target=(SEMAPHORE_DB_DIALECT=postgres SEMAPHORE_DB_HOST=127.0.0.1:5432 SEMAPHORE_DB_USER=postgres)
  bench_db="bench_$RANDOM$RANDOM"
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $bench_db" >/dev/null
  target+=(SEMAPHORE_DB="$bench_db")
else
  upstream="$work/upstream.sqlite"
  { ddl "INTEGER PRIMARY KEY AUTOINCREMENT" DATETIME
    echo "WITH RECURSIVE n(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM n WHERE t < $tasks)"
    echo "INSERT INTO task SELECT t, 1, 'success', 'site.yml', '2025-01-01 00:00:00+00:00', '2025-01-01 00:00:00+00:00', '2025-01-01 00:01:00+00:00', 1, 1, 'run ' || t, '', '{}' FROM n;"
    echo "WITH RECURSIVE n(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM n WHERE t < $tasks), m(l) AS (SELECT 1 UNION ALL SELECT l + 1 FROM m WHERE l < $per_task)"
    echo "INSERT INTO task__output (task_id, time, output) SELECT t, '2025-01-01 00:00:00.' || printf('%09d', l * 1000000) || '+00:00', $line_text FROM n, m ORDER BY t, l;"
    echo "CREATE INDEX task__output__task_id ON task__output (task_id);"
  } | sqlite3 "$upstream"
  from=(--from-dialect sqlite --from-host "$upstream")
  scan() { sqlite3 "$upstream" "SELECT count(*), sum(length(output)) FROM task__output" >/dev/null; }
  target=(SEMAPHORE_DB_DIALECT=sqlite SEMAPHORE_DB_HOST="$work/ours.sqlite")
fi
lines=$((tasks * per_task))
printf 'made in %.0f s\n' "$(echo "$(date +%s.%N) - $t0" | bc)"

t0=$(date +%s.%N); scan; t1=$(date +%s.%N)
scan_seconds=$(echo "$t1 - $t0" | bc)

# A small heap: an importer that held a table or a task's log in memory would fail here.
heap="${BENCH_HEAP:--Xmx128m}"
env "${target[@]}" SEMAPHORE_JAVA_OPTS="$heap" bin/semaphore import --no-config "${from[@]}" >"$work/import.log" 2>&1 &
importer=$!
samples=()
while kill -0 "$importer" 2>/dev/null; do
  java_pid=$(pgrep -P "$importer" java || echo "$importer")
  rss=$(ps -o rss= -p "$java_pid" 2>/dev/null || true)
  [ -n "$rss" ] && samples+=("$rss")
  sleep 2
done
wait "$importer" || { cat "$work/import.log"; exit 1; }
t2=$(date +%s.%N)
import_seconds=$(echo "$t2 - $t1" | bc)
grep -E '^(task|task__output) ' "$work/import.log" || true

printf '%s lines, %s tasks (%s)\n' "$lines" "$tasks" "$dialect"
printf '  baseline: upstream database scanning its task__output: %.1f s, %.0f lines/s\n' "$scan_seconds" "$(echo "$lines / $scan_seconds" | bc -l)"
printf '  semaphore import (whole run, JVM start included, %s): %.1f s, %.0f lines/s\n' "$heap" "$import_seconds" "$(echo "$lines / $import_seconds" | bc -l)"
if [ "${#samples[@]}" -gt 2 ]; then
  sorted=$(printf '%s\n' "${samples[@]:1}" | sort -n)
  printf '  importer resident memory, sampled every 2 s after the first: min %d MB, max %d MB (%d samples)\n' \
    "$(( $(echo "$sorted" | head -1) / 1024 ))" "$(( $(echo "$sorted" | tail -1) / 1024 ))" "$(( ${#samples[@]} - 1 ))"
fi
