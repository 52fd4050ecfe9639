// The tracking-code page: a small form, and what the code tells (the status; for a public message its page).
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { boardName, UnitName } from '../../web/views/names.tsx';
import { statusLabel } from '../../messages/message-labels.ts';
import { Link, Sentence } from '../../web/views/sentence.tsx';
import type { TrackResult } from '../tracking.service.ts';

export interface TrackView {
  code: string;
  result?: TrackResult;
  /** Why the code found nothing: a malformed code or an unknown one. */
  problem?: string;
  smsNumber?: string;
}

const EXCERPT = 200;

export function TrackPage({ ctx, view }: { ctx: PageContext; view: TrackView }): JSX.Element {
  const { t } = ctx;
  const r = view.result;
  return (
    <Layout
      ctx={ctx}
      title={t('track.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('track.title') }]}
    >
      <h1 safe>{t('track.title')}</h1>
      <p safe>{t('track.intro')}</p>
      <form method="get" action="/track" class="track-form" role="search">
        <div class={view.problem ? 'field has-error' : 'field'}>
          <label for="track-code" safe>
            {t('track.code')}
          </label>
          <input
            id="track-code"
            name="code"
            type="text"
            value={view.code}
            maxlength={20}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            required
            aria-invalid={view.problem ? 'true' : undefined}
            aria-describedby={view.problem ? 'track-code-error' : undefined}
          />
          {view.problem ? (
            <p class="error" id="track-code-error" role="alert" safe>
              {view.problem}
            </p>
          ) : (
            ''
          )}
        </div>
        <div class="actions">
          <button type="submit" class="primary" safe>
            {t('track.submit')}
          </button>
        </div>
      </form>
      {r ? (
        <section aria-labelledby="track-result" class="track-result">
          <h2 id="track-result" safe>
            {t('track.result', { code: r.code })}
          </h2>
          <dl class="facts">
            <dt safe>{t('track.status')}</dt>
            <dd>
              <strong safe>{statusLabel(t, r.status)}</strong>
            </dd>
            {r.published ? (
              <>
                <dt safe>{t('track.message')}</dt>
                <dd>
                  <a href={r.published.path} translate="no" safe>
                    {r.published.title}
                  </a>
                </dd>
                <dt safe>{t('track.board')}</dt>
                <dd safe>{boardName(ctx, r.published.regionName, r.published.boardTitle)}</dd>
                {r.published.unit ? (
                  <>
                    <dt safe>{t('track.unit')}</dt>
                    <dd>
                      <UnitName ctx={ctx} name={r.published.unit} />
                    </dd>
                  </>
                ) : (
                  ''
                )}
                {r.published.dueAt ? (
                  <>
                    <dt safe>{t('track.due')}</dt>
                    <dd safe>{ctx.time.date(r.published.dueAt)}</dd>
                  </>
                ) : (
                  ''
                )}
                {r.published.duplicateOf ? (
                  <>
                    <dt safe>{t('track.duplicate')}</dt>
                    <dd>
                      <Sentence
                        text={t('track.duplicateOf')}
                        slots={{
                          link: (
                            <Link
                              href={`/messages/${r.published.duplicateOf}`}
                              text={t('message.number', { id: r.published.duplicateOf })}
                            />
                          ),
                        }}
                      />
                    </dd>
                  </>
                ) : (
                  ''
                )}
              </>
            ) : (
              ''
            )}
          </dl>
          {r.published && r.reply ? (
            <div class="reply-excerpt">
              <h3>
                <Sentence
                  text={t('track.reply', { date: ctx.time.date(r.reply.publishedAt) })}
                  slots={{ unit: <UnitName ctx={ctx} name={r.reply.unit} /> }}
                />
              </h3>
              <p translate="no" safe>
                {[...r.reply.body].length > EXCERPT ? `${[...r.reply.body].slice(0, EXCERPT).join('')}…` : r.reply.body}
              </p>
            </div>
          ) : (
            ''
          )}
          {r.published ? (
            <p>
              <a href={r.published.path} safe>
                {t('track.readAll')}
              </a>
            </p>
          ) : (
            <p safe>{r.status === 'submitted' ? t('track.inReview') : t('track.private')}</p>
          )}
        </section>
      ) : (
        ''
      )}
      {view.smsNumber ? (
        <p class="hint" safe>
          {t('track.bySms', { number: view.smsNumber })}
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}
