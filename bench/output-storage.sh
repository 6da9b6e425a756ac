#!/usr/bin/env bash
# Bytes on disk per output line of a real Ansible run: stored plainly while the task runs, then after
# the task ends and its output is compacted (zstd chunks). Beside them, from the same run: the text's
# own bytes per line. The task runs ansible-playbook once (colours on, as templates do) over 400 local
# hosts with loops (commands on ten of them), then sleeps so that the plain rows can be measured before the end.
# Usage: bench/output-storage.sh            BENCH_DIALECT=postgres bench/output-storage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
start_server

sign_in

repo="$work/repo"; mkdir -p "$repo"
{ echo "[web]"; for i in $(seq 1 ${BENCH_HOSTS:-400}); do echo "web-$i.example.com ansible_connection=local ansible_python_interpreter=/usr/bin/python3"; done; } > "$repo/hosts"
cat > "$repo/site.yml" <<'YML'
- hosts: web
  gather_facts: false
  vars:
    packages: [nginx, openssl, curl, git, rsync, python3, logrotate, chrony, jq, unzip]
  tasks:
    - name: Check the packages each host needs
      debug:
        msg: "{{ inventory_hostname }} needs {{ item }} ({{ (inventory_hostname + item) | hash('md5') | truncate(12, True, '') }})"
      loop: "{{ packages }}"
    - name: Read the release of each host
      command: "echo {{ inventory_hostname }} {{ item }} {{ 1000 | random(seed=inventory_hostname + item) }}"
      loop: [kernel, os, uptime]
      changed_when: false
      when: inventory_hostname is match('web-[0-9][.]')
    - name: Render the site configuration
      debug:
        var: site
      vars:
        site:
          server_name: "{{ inventory_hostname }}"
          listen: [80, 443]
          upstreams: "{{ range(1, 4) | map('string') | map('regex_replace', '^', 'app-') | list }}"
          tls: {protocols: [TLSv1.2, TLSv1.3], cert: "/etc/ssl/{{ inventory_hostname }}.pem"}
    - name: Open the ports
      debug:
        msg: "allow {{ item.port }}/{{ item.proto }} on {{ inventory_hostname }}"
      loop:
        - {port: 22, proto: tcp}
        - {port: 80, proto: tcp}
        - {port: 443, proto: tcp}
        - {port: 123, proto: udp}
    - name: Skip what does not apply
      debug:
        msg: never
      when: inventory_hostname == 'nowhere'
      loop: "{{ packages }}"
YML
printf 'ANSIBLE_FORKS=10 ansible-playbook -i hosts site.yml\necho "== the playbook is done"\nsleep 6\n' > "$repo/run.sh"

bench_project "$repo"
environment=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/environment" \
  -d '{"name":"colour","json":"{}","env":"{\"ANSIBLE_FORCE_COLOR\":\"True\"}"}' | id_of)
template=$(curl -sf "${auth[@]}" -X POST "$base/project/$project/templates" \
  -d "{\"name\":\"ansible log\",\"app\":\"bash\",\"playbook\":\"run.sh\",\"repository_id\":$repository,\"environment_id\":$environment}" | id_of)

python3 - "$base" "$token" "$project" "$template" "${BENCH_DIALECT:-sqlite}" "$work/db.sqlite" "${bench_db:-}" <<'PY'
import json, sqlite3, subprocess, sys, time, urllib.request
base, token, project, template, dialect, sqlite_file, pg_db = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), *sys.argv[5:]
def call(path, method="GET", body=None, raw=False):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        data = r.read()
        return data if raw else json.loads(data or b"null")
def sql(query):
    if dialect == "postgres":
        out = subprocess.run(["psql", "-qtA", "-h", "127.0.0.1", "-U", "postgres", "-d", pg_db, "-c", query],
                             check=True, capture_output=True, text=True).stdout.split()
        return int(out[-1]) if out else 0
    with sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True) as c:
        return c.execute(query).fetchone()[0] or 0
def on_disk(table):
    if dialect == "postgres":
        sql(f"VACUUM {table}")
        return sql(f"SELECT pg_total_relation_size('{table}')")
    # the table's pages and its primary key's index pages
    return sql(f"SELECT SUM(d.pgsize) FROM dbstat d JOIN sqlite_master m ON m.name = d.name WHERE m.tbl_name = '{table}'")
def status(task):
    return call(f"/project/{project}/tasks/{task}")["status"]

task = call(f"/project/{project}/tasks", "POST", {"template_id": template})["id"]
def last_lines():
    stored = sql(f"SELECT COALESCE(MAX(first_line + line_count), 1) - 1 FROM task_output WHERE task_id = {task}")
    return call(f"/project/{project}/tasks/{task}/output?offset={max(0, stored - 3)}")
# measured once the playbook is done, while the script sleeps
while not any("the playbook is done" in l["output"] for l in last_lines()):
    time.sleep(0.2)
    if status(task) in ("success", "error", "stopped"):
        sys.exit(f"the task ended before it could be measured ({status(task)})")
plain = on_disk("task_output")
text = call(f"/project/{project}/tasks/{task}/output")
text_bytes = sum(len(l["output"].encode()) + 1 for l in text)
while status(task) not in ("success", "error", "stopped"):
    time.sleep(0.1)
ended = time.perf_counter()
while sql(f"SELECT COUNT(*) FROM task_output WHERE task_id = {task}") > 0:
    time.sleep(0.05)
compaction = time.perf_counter() - ended
packed = on_disk("task_output_packed")
left = on_disk("task_output")
after = call(f"/project/{project}/tasks/{task}/output")
same = [l["output"] for l in after] == [l["output"] for l in text]
if not same:
    a, b = [l["output"] for l in text], [l["output"] for l in after]
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    print(f"  read back differs: {len(a)} lines before, {len(b)} after; first at line {i + 1}: "
          f"{a[i] if i < len(a) else None!r} / {b[i] if i < len(b) else None!r}")
n = len(text)
print(f"{dialect}: {n:,} lines of ansible-playbook output ({text_bytes / n:.0f} bytes of text a line, with colour codes)")
print(f"  stored plainly (running task): {plain / n:6.1f} bytes a line on disk ({plain:,} bytes, table and key)")
print(f"  compacted (finished task):     {packed / n:6.1f} bytes a line on disk ({packed:,} bytes; "
      f"{plain / max(packed, 1):.1f}x smaller), the plain table left with {left:,} bytes")
print(f"  compaction after the end: {compaction * 1000:.0f} ms; output read back the same: {same}")
PY
