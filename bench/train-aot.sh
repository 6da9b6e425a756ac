#!/usr/bin/env bash
# Trains the JDK's AOT cache (JEP 483/514) on a short server run: start, log in, list, create,
# stop. bin/semaphore uses target/semaphore.aot when present. Rerun after every rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(bin/java-home)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
rm -f target/semaphore.aot
SEMAPHORE_DB_HOST="$work/db.sqlite" SEMAPHORE_PORT=":$port" SEMAPHORE_TMP_PATH="$work/tmp" \
SEMAPHORE_ADMIN=admin SEMAPHORE_ADMIN_PASSWORD=trainpass \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:AOTCacheOutput=target/semaphore.aot \
  -jar target/semaphore.jar server --no-config >"$work/log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.05
done
base="http://127.0.0.1:$port/api"
curl -sf -c "$work/jar" -X POST "$base/auth/login" -d '{"auth":"admin","password":"trainpass"}'
for i in 1 2 3 4 5; do
  curl -sf -b "$work/jar" "$base/user" >/dev/null
  curl -sf -b "$work/jar" -X POST "$base/projects" -d "{\"name\":\"p$i\"}" >/dev/null
  curl -sf -b "$work/jar" "$base/projects" >/dev/null
  curl -sf -b "$work/jar" "$base/events/last" >/dev/null
  curl -s -b "$work/jar" "$base/project/999" >/dev/null
done
kill "$pid"; wait "$pid" 2>/dev/null || true
ls -l target/semaphore.aot
