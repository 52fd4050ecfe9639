// One award's printable certificate: a page of its own, whose links and tools disappear when printed. It reads in
// the page's language as a certificate in that language would; the names on it stay as written.
import type { Locale } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { AwardRow } from '../evaluation.repository.ts';
import { levelLabel } from '../scoring.ts';

/** Dates written out as a certificate writes them: 2026年12月4日, 4 December 2026. */
const DATE_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-CN', 'zh-HK': 'zh-HK', en: 'en-GB' };

/** The day in the platform's time zone, written out in the page's language. */
function writtenDate(ctx: PageContext, iso: string): string {
  const [y, m, d] = ctx.time.ymd(iso);
  return new Intl.DateTimeFormat(DATE_LOCALES[ctx.locale], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(y, m - 1, d));
}

export function CertificatePage({
  ctx,
  award,
  publishedAt,
  issuer,
}: {
  ctx: PageContext;
  award: AwardRow;
  publishedAt: string;
  /** The body that issues the certificate (颁发单位), as the admin set it for the year. */
  issuer: string;
}): JSX.Element {
  const { t, num, names } = ctx;
  const { year } = award;
  const unit = award.kind === 'unit' ? award.unit : null;
  const worker = award.kind === 'worker' ? award.worker : null;
  const honour = t(unit ? 'certificate.honour.unit' : 'certificate.honour.worker', { year });
  const recipient = unit
    ? names.unit(unit.unitName)
    : worker
      ? t('certificate.worker', { name: worker.name, unit: names.unit(worker.unitName) })
      : '';
  const rate = (value: number | null) => (value === null ? null : num.percent(value));
  // Only what was computed: a figure over too small a sample has no place on a certificate.
  const listed: [string, string | null][] = unit
    ? [
        [t('evaluation.col.level'), levelLabel(unit.level, t)],
        [t('certificate.rank'), unit.rank ? t('certificate.rankValue', { rank: num.count(unit.rank) }) : null],
        [t('evaluation.col.score'), unit.score === null ? null : num.decimal(unit.score, 2)],
        [t('evaluation.col.received'), t('certificate.count', { n: num.count(unit.received) })],
        [t('evaluation.indicator.replyRate'), rate(unit.replyRate)],
        [t('evaluation.indicator.onTimeRate'), rate(unit.onTimeRate)],
        [t('evaluation.indicator.satisfaction'), rate(unit.satisfaction)],
        [t('evaluation.indicator.resolutionRate'), rate(unit.resolutionRate)],
      ]
    : worker
      ? [
          [t('certificate.replies'), t('certificate.count', { n: num.count(worker.replies) })],
          [t('certificate.ratings'), t('certificate.count', { n: num.count(worker.ratings) })],
          [
            t('evaluation.indicator.satisfaction'),
            worker.satisfaction === null ? null : num.percent(worker.satisfaction / 100),
          ],
        ]
      : [];
  const figures = listed.filter((f): f is [string, string] => f[1] !== null);
  const title = t('certificate.pageTitle', { name: recipient });
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} - ${t('site.name')}`}</title>
          <link rel="stylesheet" href="/static/style.css" />
          <link rel="stylesheet" href="/honours/certificate.css" />
        </head>
        <body>
          <nav class="certificate-tools no-print" aria-label={t('honours.certificate')}>
            <a href={`/honours/${year}`} safe>
              {t('certificate.back', { year })}
            </a>
            <span class="meta" safe>
              {t('certificate.printHint')}
            </span>
          </nav>
          <main id="main" class="certificate">
            <h1 safe>{t('certificate.title')}</h1>
            {/* The names of the unit or the person, as written (with the form of address a certificate uses). */}
            <p class="recipient" translate="no" safe>
              {t('certificate.recipient', { name: recipient })}
            </p>
            <p class="citation" safe>
              {t(unit ? 'certificate.citation.unit' : 'certificate.citation.worker', { year })}
            </p>
            <p class="honour" safe>
              {honour}
            </p>
            <p class="citation" safe>
              {t('certificate.closing')}
            </p>
            <dl aria-label={t('certificate.figures')}>
              {figures.map(([label, value]) => (
                <div>
                  <dt safe>{label}</dt>
                  <dd safe>{value}</dd>
                </div>
              ))}
            </dl>
            <p class="issuer">
              {issuer ? (
                <span translate="no" safe>
                  {issuer}
                </span>
              ) : (
                <span safe>{t('site.name')}</span>
              )}
              <br />
              <span safe>{writtenDate(ctx, publishedAt)}</span>
            </p>
            <p class="number" safe>
              {t('certificate.number', { number: `${year}-${String(award.id).padStart(4, '0')}` })}
            </p>
          </main>
        </body>
      </html>
    </>
  );
}
