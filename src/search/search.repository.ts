// SQL for the search index: one entry per message, its normalised text and tokens, kept in step in the same transaction.
import type { Db } from '../db/kysely.ts';
import { writeSearchEntry } from '../db/dialect.ts';
import { normalisedTokens, searchableText } from './tokenize.ts';
import { settingsRepository } from '../accounts/settings.repository.ts';

/** Set once every message written before search existed has its entry. */
const BACKFILLED_KEY = 'search.backfilled';

export const searchRepository = {
  /** Rebuilds a message's entry from its title, public body and published replies. */
  async reindex(trx: Db, messageId: number): Promise<void> {
    const message = await trx
      .selectFrom('messages')
      .select(['title', 'body'])
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!message) return;
    const replies = await trx
      .selectFrom('replies')
      .select('body')
      .where('message_id', '=', messageId)
      .where('status', '=', 'published')
      .orderBy('id')
      .execute();
    await this.write(trx, messageId, [message.title, message.body, ...replies.map((r) => r.body)]);
  },

  /** Writes an entry from known texts (the bulk generator uses this directly). */
  async write(trx: Db, messageId: number, texts: string[]): Promise<void> {
    const text = searchableText(texts);
    await writeSearchEntry(trx, { messageId, text, tokens: normalisedTokens(text).join(' ') });
  },

  /**
   * Indexes messages that have no entry yet (written before search existed), in batches; returns how many.
   * Messages written since are indexed in their own transaction, so once a pass has found none missing the
   * database says so, and later starts skip the anti-join over every message (seconds at a million).
   */
  async indexMissing(db: Db, batch = 500): Promise<number> {
    if (await settingsRepository.get(db, BACKFILLED_KEY, false)) return 0;
    let done = 0;
    for (;;) {
      const missing = await db
        .selectFrom('messages')
        .leftJoin('message_search', 'message_search.message_id', 'messages.id')
        .select('messages.id')
        .where('message_search.message_id', 'is', null)
        .orderBy('messages.id')
        .limit(batch)
        .execute();
      if (missing.length === 0) {
        await settingsRepository.set(db, BACKFILLED_KEY, true);
        return done;
      }
      await db.transaction().execute(async (trx) => {
        for (const { id } of missing) await this.reindex(trx, id);
      });
      done += missing.length;
    }
  },
};
