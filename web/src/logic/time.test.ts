import { describe, expect, it } from 'vitest';
import { duration } from './time';

describe('duration', () => {
  it('reads seconds, minutes and hours', () => {
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T00:00:03Z')).toBe('3 s');
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T00:02:05Z')).toBe('2 min 5 s');
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T01:04:00Z')).toBe('1 h 4 min');
    expect(duration(null, null)).toBe('');
  });
});
