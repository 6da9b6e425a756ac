/**
 * Where to go after signing in: a path of this app only, never another site. Browsers drop tabs and line
 * breaks inside a URL and read a backslash as a slash, so `/\t/evil` and `/\evil` would lead to another host:
 * any control character, space or backslash, and any start other than one slash, gives `/` instead. The
 * server holds `return_to` to the same rule.
 */
export function localPath(next: string | null | undefined): string {
  if (!next || next.length > 1000 || !next.startsWith('/') || next.startsWith('//')) {
    return '/';
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0020\u007f\\\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(next) ? '/' : next;
}
