#!/usr/bin/env bash
# The web UI in Debian's Chromium: (0) typing a search into a list of 1,000 templates; (1) opening a
# finished 100,000-line task until every line is in the view, by URL and from the History page;
# (2) a task printing ~5,000 lines/s for 10 s watched live: how far the view trails the task at its
# end, and the longest the page's main thread was blocked meanwhile.
# Usage: bench/ui.sh [lines]      (issue targets: open under 1 s; keeps up without freezing; smooth search)
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-100000}"
[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund >/dev/null)
. bench/lib.sh
start_server
repo="$work/repo"; mkdir -p "$repo"
printf 'seq %s\n' "$lines" > "$repo/many.sh"
# 50 bursts of 1,000 lines every 0.2 s: about 5,000 lines/s for 10 s.
printf 'for b in $(seq 50); do seq $((b*1000-999)) $((b*1000)); sleep 0.2; done\n' > "$repo/stream.sh"
node bench/ui.mjs "${base%/api}" "$repo" "$lines"
