// Keeps @fastify/session's sessions in the database, so every app process sees every login.
import type { FastifySessionObject } from '@fastify/session';
import type { Db } from '../db/kysely.ts';
import { digest } from '../security/secret-box.ts';
import { sessionsRepository } from './sessions.repository.ts';

type Callback = (err?: unknown) => void;

/** Default lifetime of a session without a cookie expiry. */
const FALLBACK_TTL_MS = 7 * 24 * 3600_000;

export class DatabaseSessionStore {
  constructor(private readonly db: Db) {}

  get(sessionId: string, callback: (err: unknown, result?: FastifySessionObject | null) => void): void {
    sessionsRepository
      .find(this.db, digest(sessionId), new Date().toISOString())
      .then((row) => callback(null, row ? (JSON.parse(row.data) as FastifySessionObject) : null))
      .catch((err: unknown) => callback(err));
  }

  set(
    sessionId: string,
    session: FastifySessionObject & { ip?: string; userAgent?: string },
    callback: Callback,
  ): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires) : new Date(Date.now() + FALLBACK_TTL_MS);
    sessionsRepository
      .save(this.db, {
        sidHash: digest(sessionId),
        userId: session.userId ?? null,
        data: JSON.stringify(session),
        expiresAt: expires.toISOString(),
        ip: session.ip ?? null,
        userAgent: session.userAgent?.slice(0, 255) ?? null,
      })
      .then(() => callback())
      .catch((err: unknown) => callback(err));
  }

  destroy(sessionId: string, callback: Callback): void {
    sessionsRepository
      .delete(this.db, digest(sessionId))
      .then(() => callback())
      .catch((err: unknown) => callback(err));
  }
}
