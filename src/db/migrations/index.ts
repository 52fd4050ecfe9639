// Every migration in order. A landed migration is frozen; the schema canary test guards that.
import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.ts';
import * as accounts from './0002-accounts.ts';
import * as messages from './0003-messages.ts';
import * as handling from './0004-handling.ts';
import * as search from './0005-search.ts';
import * as stats from './0006-stats.ts';
import * as evaluation from './0007-evaluation.ts';
import * as loginFailures from './0008-login-failures.ts';
import * as channels from './0009-channels.ts';
import * as staffWork from './0010-staff-work.ts';
import * as citizenPages from './0011-citizen-pages.ts';
import * as oneAtATime from './0012-one-at-a-time.ts';
import * as stories from './0013-stories.ts';
import * as solicitations from './0014-solicitations.ts';
import * as newsLeaders from './0015-news-leaders.ts';
import * as locales from './0016-locales.ts';
import * as pageSpeed from './0017-page-speed.ts';
import * as statsVersions from './0018-stats-versions.ts';
import * as compactStorage from './0019-compact-storage.ts';
import * as statsMonthIndexes from './0020-stats-month-indexes.ts';
import * as inboxFlags from './0021-inbox-flags.ts';
import * as inboxFlagged from './0022-inbox-flagged.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-accounts': accounts,
  '0003-messages': messages,
  '0004-handling': handling,
  '0005-search': search,
  '0006-stats': stats,
  '0007-evaluation': evaluation,
  '0008-login-failures': loginFailures,
  '0009-channels': channels,
  '0010-staff-work': staffWork,
  '0011-citizen-pages': citizenPages,
  '0012-one-at-a-time': oneAtATime,
  '0013-stories': stories,
  '0014-solicitations': solicitations,
  '0015-news-leaders': newsLeaders,
  '0016-locales': locales,
  '0017-page-speed': pageSpeed,
  '0018-stats-versions': statsVersions,
  '0019-compact-storage': compactStorage,
  '0020-stats-month-indexes': statsMonthIndexes,
  '0021-inbox-flags': inboxFlags,
  '0022-inbox-flagged': inboxFlagged,
};
