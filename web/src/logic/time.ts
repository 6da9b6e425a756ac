/** "3 s", "2 min 5 s", "1 h 4 min": how long from start to end (or to now). */
export function duration(start: string | null, end: string | null, now = Date.now()): string {
  if (!start) {
    return '';
  }
  const ms = (end ? Date.parse(end) : now) - Date.parse(start);
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${s % 60} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function when(time: string | null): string {
  return time ? new Date(time).toLocaleString() : '';
}
