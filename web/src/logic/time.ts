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

/** A time as a clock in {@code zone} shows it ("" or an unknown zone: the browser's), with the zone named. */
export function inZone(time: string | null, zone: string): string {
  if (!time) {
    return '';
  }
  try {
    const shown = new Date(time).toLocaleString(undefined, zone ? { timeZone: zone } : undefined);
    return zone ? `${shown} (${zone})` : shown;
  } catch {
    return new Date(time).toLocaleString();
  }
}

/** Who started a task: its user, else the schedule or integration that did, else the server. */
export function startedBy(task: { user_name: string | null; schedule_id?: number | null; integration_id?: number | null }): string {
  if (task.user_name) {
    return task.user_name;
  }
  if (task.schedule_id) {
    return `schedule #${task.schedule_id}`;
  }
  if (task.integration_id) {
    return `integration #${task.integration_id}`;
  }
  return 'Semaphore';
}
