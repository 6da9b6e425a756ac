import { describe, expect, it } from 'vitest';
import { LogFollower } from './logFollower';
import type { OutputLine } from '../api/types';

function server(total: () => number) {
  const calls: [number, number][] = [];
  const fetchPage = async (offset: number, limit: number): Promise<OutputLine[]> => {
    calls.push([offset, limit]);
    await new Promise((r) => setTimeout(r, 1));
    const end = Math.min(total(), offset + limit);
    return Array.from({ length: Math.max(0, end - offset) }, (_, i) => ({
      id: offset + i + 1,
      task_id: 1,
      time: '',
      output: 'line ' + (offset + i + 1),
    }));
  };
  return { calls, fetchPage };
}

describe('LogFollower', () => {
  it('reads a long log in pages, in order', async () => {
    const { calls, fetchPage } = server(() => 25);
    const seen: number[] = [];
    const follower = new LogFollower(fetchPage, (lines) => seen.push(...lines.map((l) => l.id)), 10);
    await follower.poke();
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(calls).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ]);
  });

  it('never overlaps reads and catches up after a burst of pokes', async () => {
    let total = 3;
    const { calls, fetchPage } = server(() => total);
    const seen: number[] = [];
    const follower = new LogFollower(fetchPage, (lines) => seen.push(...lines.map((l) => l.id)), 100);
    const first = follower.poke();
    total = 8;
    follower.poke();
    follower.poke();
    await first;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
