// Where a `next` or `backTo` may send the browser: only a path on this site, whatever was typed.
const BASE = 'http://liuyan.invalid';

/**
 * A same-site path for a redirect, or `fallback`. The value is parsed as a browser would (tabs and newlines dropped,
 * backslashes as slashes), so `/%09/evil.example`, `/\evil.example` and `//evil.example` all resolve off-site and are
 * refused; what is kept is re-serialised by the URL parser, so it never carries CR, LF, NUL or raw non-ASCII into a
 * Location header.
 */
export function safeRedirect(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that starts with two slashes would be read as another host by the browser.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return path;
}
