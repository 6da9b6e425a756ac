import { describe, expect, it } from 'vitest';
import { firstLogPage } from './prefetch';

describe('firstLogPage', () => {
  it('names the first page of the log a task link opens', () => {
    expect(firstLogPage('/project/4/templates/7', '?t=12')).toBe('/project/4/tasks/12/output?offset=0&limit=100000');
    expect(firstLogPage('/semaphore/project/4/templates/7', '?t=12')).toBe('/project/4/tasks/12/output?offset=0&limit=100000');
    expect(firstLogPage('/project/4/templates/7', '')).toBeNull();
    expect(firstLogPage('/project/4/history', '?t=12')).toBeNull();
  });
});
