import { describe, expect, it } from 'vitest';
import { lineOf } from './CodeEditor';

describe('lineOf', () => {
  it('finds the line a server message names', () => {
    expect(lineOf("field 'inventory': line 3: expected '='")).toBe(3);
    expect(lineOf('YAML error at Line 12, column 4')).toBe(12);
    expect(lineOf('not JSON')).toBeNull();
  });
});
