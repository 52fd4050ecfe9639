// The editors' pages for solicitations: the list, the form that opens or changes one, and one solicitation's desk —
// ending a phase early, the entries to review, every entry with its votes, the suspicious votes, the results.
import { escapeHtml } from '@kitajs/html';
import { quote, sentence } from '../../admin/views/sentence.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { REFUSE_REASON_MAX } from '../entries.service.ts';
import { type DateField, PHASES } from '../phases.ts';
import type { EditorDetail, EditorEntry, SolicitationSummary } from '../solicitation-view.ts';
import {
  ENTRIES_PER_USER_MAX,
  NOTE_MAX,
  PRIZE_MAX,
  RULES_MAX,
  RULES_MIN,
  TITLE_MAX,
  VOID_REASON_MAX,
  VOTES_PER_USER_MAX,
} from '../solicitations.service.ts';
import { BURST_MINUTES, BURST_VOTES, NEW_ACCOUNT_HOURS } from '../votes.service.ts';
import { StageBadge, Timeline } from './solicitation-pages.tsx';

export const EDITOR_BASE = '/editor/solicitations';

const PII_KINDS = ['phone', 'id_card', 'bank_card'] as const;
const piiLabel = (ctx: PageContext, kind: string) =>
  (PII_KINDS as readonly string[]).includes(kind) ? ctx.t(`sol.ed.pii.${kind as (typeof PII_KINDS)[number]}`) : kind;
const STATUS_CLASS: Record<EditorEntry['status'], string> = {
  submitted: 'status-pending',
  approved: 'status-closed',
  refused: 'status-rejected',
};

function crumbs(ctx: PageContext, last?: string, own?: boolean) {
  const title = ctx.t('sol.ed.title');
  return [
    { label: ctx.t('nav.home'), href: '/' },
    ...(last
      ? [
          { label: title, href: EDITOR_BASE },
          { label: last, own },
        ]
      : [{ label: title }]),
  ];
}

export function EditorListPage({
  ctx,
  rows,
  notice,
}: {
  ctx: PageContext;
  rows: (SolicitationSummary & { waiting: number; flagged: number })[];
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sol.ed.title')} crumbs={crumbs(ctx)}>
      <div class="wb-head">
        <h1 safe>{t('sol.ed.title')}</h1>
        <ul class="wb-links">
          <li>
            <a href={`${EDITOR_BASE}/new`} safe>
              {t('sol.ed.new')}
            </a>
          </li>
          <li>
            <a href="/solicitations" safe>
              {t('sol.ed.publicPage')}
            </a>
          </li>
        </ul>
      </div>
      <Notice text={notice} />
      {rows.length === 0 ? (
        <p safe>{t('sol.ed.list.empty')}</p>
      ) : (
        <div class="table-scroll" tabindex="0" role="region" aria-label={t('sol.ed.title')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('sol.ed.col.title')}
                </th>
                <th scope="col" safe>
                  {t('sol.ed.col.stage')}
                </th>
                <th scope="col" safe>
                  {t('sol.ed.col.waiting')}
                </th>
                <th scope="col" safe>
                  {t('sol.ed.col.flagged')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr>
                  <td>
                    <a href={`${EDITOR_BASE}/${s.id}`} translate="no" safe>
                      {s.title}
                    </a>
                  </td>
                  <td>
                    <StageBadge ctx={ctx} s={s} />
                  </td>
                  <td safe>{ctx.num.count(s.waiting)}</td>
                  <td safe>{ctx.num.count(s.flagged)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function SolicitationFields({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  return (
    <>
      <Field
        name="title"
        label={t('sol.ed.form.title')}
        value={values.title}
        errors={errors}
        maxlength={TITLE_MAX}
        required
      />
      <div class={errors?.rules ? 'field has-error' : 'field'}>
        <label for="f-rules" safe>
          {t('sol.ed.form.rules')}
        </label>
        <textarea
          id="f-rules"
          name="rules"
          rows="8"
          maxlength={RULES_MAX}
          aria-describedby={errors?.rules ? 'f-rules-hint f-rules-error' : 'f-rules-hint'}
          aria-invalid={errors?.rules ? 'true' : undefined}
          translate="no"
          safe
        >
          {values.rules ?? ''}
        </textarea>
        <p class="hint" id="f-rules-hint" safe>
          {t('sol.ed.form.rulesHint', { min: RULES_MIN, max: RULES_MAX })}
        </p>
        {errors?.rules ? (
          <p class="error" id="f-rules-error" role="alert" safe>
            {errors.rules}
          </p>
        ) : (
          ''
        )}
      </div>
      <Field
        name="entriesPerUser"
        label={t('sol.ed.form.entriesPerUser')}
        type="number"
        inputmode="numeric"
        hint={`1–${ENTRIES_PER_USER_MAX}`}
        value={values.entriesPerUser ?? '1'}
        errors={errors}
        required
      />
      <Field
        name="votesPerUser"
        label={t('sol.ed.form.votesPerUser')}
        type="number"
        inputmode="numeric"
        hint={`1–${VOTES_PER_USER_MAX}`}
        value={values.votesPerUser ?? '3'}
        errors={errors}
        required
      />
      <fieldset class="field">
        <legend safe>{t('sol.ed.form.dates')}</legend>
        {PHASES.flatMap((phase) =>
          (['Start', 'End'] as const).map((edge) => {
            const name: DateField = `${phase}${edge}`;
            return (
              <Field
                name={name}
                label={`${t(`sol.phase.${phase}`)} · ${t(edge === 'Start' ? 'sol.edge.start' : 'sol.edge.end')}`}
                type="date"
                value={values[name]}
                errors={errors}
                required
              />
            );
          }),
        )}
      </fieldset>
    </>
  );
}

export function EditorFormPage({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  const title = t('sol.ed.new');
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs(ctx, title)}>
      <h1 safe>{title}</h1>
      <FormError errors={errors} />
      <form method="post" action={EDITOR_BASE} class="stack wide">
        <CsrfField ctx={ctx} />
        <SolicitationFields ctx={ctx} values={values} errors={errors} />
        <Submit label={t('sol.ed.form.create')} />
      </form>
    </Layout>
  );
}

function Flags({ ctx, e }: { ctx: PageContext; e: EditorEntry }): JSX.Element {
  const { t } = ctx;
  return (
    <>
      {e.flags.personalData.length > 0 ? (
        <p class="flag" safe>
          {t('sol.ed.masked', {
            what: e.flags.personalData.map((k) => piiLabel(ctx, k)).join(t('log.listSeparator')),
          })}
        </p>
      ) : (
        ''
      )}
      {e.flags.sensitiveWords.length > 0 ? (
        <p class="flag">
          {sentence(t, 'sol.ed.sensitive', { words: quote(e.flags.sensitiveWords.join(t('log.listSeparator'))) })}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

function ReviewForms({ ctx, base, e }: { ctx: PageContext; base: string; e: EditorEntry }): JSX.Element {
  const { t } = ctx;
  return (
    <div class="review-actions">
      {e.status !== 'approved' ? (
        <form method="post" action={`${base}/entries/${e.id}/approve`} class="inline">
          <CsrfField ctx={ctx} />
          <button type="submit" class="primary" safe>
            {t('sol.ed.approve')}
          </button>
        </form>
      ) : (
        ''
      )}
      {e.status !== 'refused' ? (
        <form method="post" action={`${base}/entries/${e.id}/refuse`} class="stack">
          <CsrfField ctx={ctx} />
          <Field
            name="reason"
            label={t('sol.ed.refuseReason')}
            idPrefix={`r${e.id}`}
            maxlength={REFUSE_REASON_MAX}
            required
          />
          <Submit label={t('sol.ed.refuse')} kind="danger" />
        </form>
      ) : (
        ''
      )}
    </div>
  );
}

/** "3. Title": the entry's number, then its title as the author wrote it. */
function EntryTitle({ id, title }: { id: number; title: string }): JSX.Element {
  return (
    <>
      {escapeHtml(`${id}. `)}
      <span translate="no" safe>
        {title}
      </span>
    </>
  );
}

export function EditorDeskPage({
  ctx,
  d,
  values,
  notice,
  errors,
}: {
  ctx: PageContext;
  d: EditorDetail;
  /** The settings form's values (the saved ones, or what was typed when it came back with problems). */
  values: Record<string, string>;
  notice?: string;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  const s = d.solicitation;
  const base = `${EDITOR_BASE}/${s.id}`;
  const approved = d.entries.filter((e) => e.status === 'approved');
  const formOpen = errors !== undefined && Object.keys(errors).some((k) => k !== '_form');
  return (
    <Layout ctx={ctx} title={s.title} ownTitle crumbs={crumbs(ctx, s.title, true)}>
      <div class="wb-head">
        <h1 translate="no" safe>
          {s.title}
        </h1>
        <ul class="wb-links">
          <li>
            <a href={`/solicitations/${s.id}`} safe>
              {t('sol.ed.publicPage')}
            </a>
          </li>
        </ul>
      </div>
      <Notice text={notice} />
      <FormError errors={errors} />
      <p class="meta">
        <StageBadge ctx={ctx} s={s} />{' '}
        <span safe>{t('sol.allowances', { entries: s.entriesPerUser, votes: s.votesPerUser })}</span>
      </p>
      <Timeline ctx={ctx} s={s} />
      {d.canAdvance ? (
        <form method="post" action={`${base}/advance`} class="stack">
          <CsrfField ctx={ctx} />
          <p class="hint" safe>
            {t('sol.ed.advanceHint')}
          </p>
          <Submit label={t(`sol.ed.advance.${s.stage === 'closed' ? 'results' : s.stage}`)} kind="secondary" />
        </form>
      ) : (
        ''
      )}

      <section aria-labelledby="queue">
        <h2 id="queue" safe>
          {t('sol.ed.withCount', { label: t('sol.ed.queue'), n: ctx.num.count(d.waiting.length) })}
        </h2>
        {d.waiting.length === 0 ? (
          <p class="meta" safe>
            {t('sol.ed.queue.empty')}
          </p>
        ) : (
          d.waiting.map((e) => (
            <article class="panel review-item" aria-labelledby={`e-${e.id}`}>
              <h3 id={`e-${e.id}`}>
                <EntryTitle id={e.id} title={e.title} />
              </h3>
              <p class="meta">
                <span>{sentence(t, 'sol.byAuthor', { author: quote(e.author) })}</span>
                {' · '}
                <Time ctx={ctx} iso={e.submittedAt} />
              </p>
              <Flags ctx={ctx} e={e} />
              {e.body ? (
                <div class="message-body" translate="no" safe>
                  {e.body}
                </div>
              ) : (
                ''
              )}
              <ReviewForms ctx={ctx} base={base} e={e} />
            </article>
          ))
        )}
      </section>

      <section aria-labelledby="all">
        <h2 id="all" safe>
          {t('sol.ed.allEntries')}
        </h2>
        <ul class="message-list">
          {d.entries.map((e) => (
            <li>
              <strong>
                <EntryTitle id={e.id} title={e.title} />
              </strong>{' '}
              <span class={`badge ${STATUS_CLASS[e.status]}`} safe>
                {t(`sol.entryStatus.${e.status}`)}
              </span>
              {e.rank !== null ? (
                <>
                  {' '}
                  <span class="badge signed" safe>
                    {t('sol.rank', { rank: e.rank })}
                  </span>
                </>
              ) : (
                ''
              )}
              <p class="meta">
                {sentence(t, 'sol.byAuthor', { author: quote(e.author) })}
                {escapeHtml(
                  ` · ${t('sol.ed.voteCounts', {
                    valid: ctx.num.count(e.validVotes),
                    flagged: ctx.num.count(e.flaggedVotes),
                    voided: ctx.num.count(e.voidedVotes),
                  })}`,
                )}
              </p>
              {e.status === 'refused' && e.refuseReason ? (
                <p class="meta">{sentence(t, 'sol.refusedBecause', { reason: quote(e.refuseReason) })}</p>
              ) : (
                ''
              )}
              {e.status !== 'submitted' && !s.announcedAt ? (
                <details>
                  <summary safe>{e.status === 'approved' ? t('sol.ed.refuse') : t('sol.ed.approve')}</summary>
                  <ReviewForms ctx={ctx} base={base} e={e} />
                </details>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="suspicious">
        <h2 id="suspicious" safe>
          {t('sol.ed.suspicious')}
        </h2>
        <p class="hint" safe>
          {t('sol.ed.suspiciousIntro', { burst: BURST_VOTES, minutes: BURST_MINUTES, hours: NEW_ACCOUNT_HOURS })}
        </p>
        {d.flagged.length === 0 ? (
          <p class="meta" safe>
            {t('sol.ed.suspicious.empty')}
          </p>
        ) : (
          <form method="post" action={`${base}/votes/void`} class="stack wide">
            <CsrfField ctx={ctx} />
            <div class="choices">
              {d.flagged.map((v) => {
                const flags = [v.burst ? t('sol.ed.flag.burst') : '', v.newAccount ? t('sol.ed.flag.newAccount') : '']
                  .filter(Boolean)
                  .join(t('log.listSeparator'));
                const label = (
                  <>
                    <span>
                      {sentence(t, 'sol.ed.flaggedVote', {
                        id: v.id,
                        title: quote(v.entryTitle),
                        voter: quote(v.voterNickname),
                        voterId: v.voterId,
                      })}
                    </span>
                    <strong safe>{flags}</strong>
                    <span class="hint">
                      <span safe>{`${t('sol.ed.col.when')} `}</span>
                      <Time ctx={ctx} iso={v.votedAt} />
                      <span safe>{` · ${t('sol.ed.col.registered')} `}</span>
                      <Time ctx={ctx} iso={v.voterRegisteredAt} />
                      <span safe>{` · ${t('sol.ed.col.network')} ${v.network ?? '—'}`}</span>
                      {v.voidedAt ? (
                        <span>
                          {' · '}
                          {sentence(t, 'sol.ed.voidedBecause', { reason: quote(v.voidReason ?? '') })}
                        </span>
                      ) : (
                        ''
                      )}
                    </span>
                  </>
                );
                return v.voidedAt ? (
                  <div class="choice">
                    <span>{label}</span>
                  </div>
                ) : (
                  <div class="choice">
                    <input type="checkbox" id={`vote-${v.id}`} name="voteIds" value={String(v.id)} />
                    <label for={`vote-${v.id}`}>{label}</label>
                  </div>
                );
              })}
            </div>
            {d.flagged.some((v) => !v.voidedAt) ? (
              <>
                <Field
                  name="reason"
                  label={t('sol.ed.voidReason')}
                  idPrefix="void"
                  maxlength={VOID_REASON_MAX}
                  required
                />
                <Submit label={t('sol.ed.void')} kind="danger" />
              </>
            ) : (
              ''
            )}
          </form>
        )}
      </section>

      <section aria-labelledby="announce">
        <h2 id="announce" safe>
          {t('sol.ed.announce')}
        </h2>
        {!d.canAnnounce ? (
          <p class="meta" safe>
            {t('sol.ed.announceLater')}
          </p>
        ) : (
          <form method="post" action={`${base}/announce`} class="stack wide">
            <CsrfField ctx={ctx} />
            <p class="hint" safe>
              {t('sol.ed.announceHint')}
            </p>
            <ul class="message-list">
              {approved.map((e) => (
                <li>
                  <strong id={`announce-title-${e.id}`} translate="no" safe>
                    {e.title}
                  </strong>
                  <span class="meta" safe>{` · ${t('sol.votes', { n: ctx.num.count(e.validVotes) })}`}</span>
                  <div class="filters">
                    <div class="field">
                      <label for={`rank-${e.id}`} id={`rank-label-${e.id}`} safe>
                        {t('sol.ed.col.rank')}
                      </label>
                      <input
                        id={`rank-${e.id}`}
                        name={`rank_${e.id}`}
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="100"
                        value={e.rank !== null ? String(e.rank) : ''}
                        aria-labelledby={`rank-label-${e.id} announce-title-${e.id}`}
                      />
                    </div>
                    <div class="field">
                      <label for={`prize-${e.id}`} id={`prize-label-${e.id}`} safe>
                        {t('sol.ed.col.prize')}
                      </label>
                      <input
                        id={`prize-${e.id}`}
                        name={`prize_${e.id}`}
                        maxlength={PRIZE_MAX}
                        value={e.prize ?? ''}
                        aria-labelledby={`prize-label-${e.id} announce-title-${e.id}`}
                      />
                    </div>
                  </div>
                </li>
              ))}
            </ul>
            <div class="field">
              <label for="f-note" safe>
                {t('sol.ed.note')}
              </label>
              <textarea id="f-note" name="note" rows="3" maxlength={NOTE_MAX} translate="no" safe>
                {s.announcement ?? ''}
              </textarea>
            </div>
            <Submit label={t('sol.ed.announceSend')} />
          </form>
        )}
      </section>

      <details class="panel" open={formOpen}>
        <summary safe>{t('sol.ed.edit')}</summary>
        <form method="post" action={base} class="stack wide">
          <CsrfField ctx={ctx} />
          <SolicitationFields ctx={ctx} values={values} errors={formOpen ? errors : undefined} />
          <Submit label={t('sol.ed.form.save')} />
        </form>
      </details>
    </Layout>
  );
}
