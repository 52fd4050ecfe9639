// What every page template needs to know about the request it renders.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import type { Locale, Translate } from '../i18n/i18n.ts';
import type { Names } from '../i18n/place-names.ts';
import type { NumberFormat } from './number-format.ts';
import type { TimeFormat } from './time-format.ts';

export interface PageContext {
  locale: Locale;
  t: Translate;
  /** Path and query of the current page, so the language switch can come back to it. */
  path: string;
  user: CurrentUser | null;
  /** Unread notifications of the signed-in user, for the header. */
  unread: number;
  /** Times in the platform's time zone (Beijing time by default), for the page's language. */
  time: TimeFormat;
  /** Numbers and percentages as the page's language writes them. */
  num: NumberFormat;
  /** Places, leaders' posts and units in the page's language (English, Traditional or as stored). */
  names: Names;
  /** Token for the hidden `_csrf` field every form carries. */
  csrfToken: string;
}
