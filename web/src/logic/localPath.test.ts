import { describe, expect, it } from 'vitest';
import { localPath } from './localPath';

describe('localPath', () => {
  it('keeps paths of this app', () => {
    expect(localPath('/project/1/templates?x=1#y')).toBe('/project/1/templates?x=1#y');
    expect(localPath('/')).toBe('/');
  });

  it('refuses every known way to another host', () => {
    const bypasses = [
      '//evil.example', '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '\\/evil.example',
      '/\\evil.example', '/\\/evil.example', ' //evil.example', 'https://evil.example', 'javascript:alert(1)',
      '/\u0000/evil.example', '/\u00a0/evil.example', '/\u3000/evil.example', 'evil.example', '',
      '/x'.repeat(600),
    ];
    for (const bypass of bypasses) {
      expect(localPath(bypass), JSON.stringify(bypass)).toBe('/');
    }
    expect(localPath(null)).toBe('/');
  });
});
