// Links that go out by e-mail: the site's own address, and signed unsubscribe links that need no login.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { NoticeKind } from '../notify/notice-preferences.ts';

/** Where the site is reached from outside: PUBLIC_URL, or the address it listens on. */
export function siteBase(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  return config.publicUrl ?? `http://${config.host}:${config.port}`;
}

function signature(secret: string, userId: number, kind: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}:${kind}`).digest('base64url').slice(0, 32);
}

export function unsubscribePath(secret: string, userId: number, kind: NoticeKind): string {
  return `/unsubscribe?u=${userId}&k=${kind}&s=${signature(secret, userId, kind)}`;
}

/** Whether an unsubscribe link is genuine, compared in constant time. */
export function checkUnsubscribe(secret: string, userId: number, kind: string, given: string): boolean {
  const expected = Buffer.from(signature(secret, userId, kind));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
