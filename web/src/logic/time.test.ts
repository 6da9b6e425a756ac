import { describe, expect, it } from 'vitest';
import { duration, inZone, startedBy } from './time';

describe('duration', () => {
  it('reads seconds, minutes and hours', () => {
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T00:00:03Z')).toBe('3 s');
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T00:02:05Z')).toBe('2 min 5 s');
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T01:04:00Z')).toBe('1 h 4 min');
    expect(duration(null, null)).toBe('');
  });
});

describe('startedBy', () => {
  it('names the user, else the schedule or integration, else the server', () => {
    expect(startedBy({ user_name: 'ada', schedule_id: 3 })).toBe('ada');
    expect(startedBy({ user_name: null, schedule_id: 3 })).toBe('schedule #3');
    expect(startedBy({ user_name: null, schedule_id: null, integration_id: 9 })).toBe('integration #9');
    expect(startedBy({ user_name: null })).toBe('Semaphore');
  });
});

describe('inZone', () => {
  it('shows the time on the clock of the zone, naming it', () => {
    const shown = inZone('2026-03-08T07:30:00Z', 'America/New_York');
    expect(shown).toContain('(America/New_York)');
    expect(shown).toMatch(/3:30/);
    expect(inZone(null, 'UTC')).toBe('');
  });
});
