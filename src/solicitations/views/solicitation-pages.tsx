// The public pages of solicitations: the list (taking entries, voting, closed), one solicitation with its winners,
// rules, schedule, the entry form and the entries with their vote buttons, and an account's own entries.
import { escapeHtml } from '@kitajs/html';
import { quote, sentence } from '../../admin/views/sentence.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { ENTRY_BODY_MAX, ENTRY_TITLE_MAX, ENTRY_TITLE_MIN } from '../entries.service.ts';
import type { Group } from '../phases.ts';
import type {
  MyEntry,
  Participation,
  PhaseView,
  PublicEntry,
  SolicitationDetail,
  SolicitationSummary,
} from '../solicitation-view.ts';

const GROUP_CLASS: Record<Group, string> = {
  open: 'status-pending',
  voting: 'status-assigned',
  closed: 'status-closed',
};

/** Where a solicitation stands, as a badge coloured by its list. */
export function StageBadge({ ctx, s }: { ctx: PageContext; s: SolicitationSummary }): JSX.Element {
  return (
    <span class={`badge ${GROUP_CLASS[s.group]}`} safe>
      {ctx.t(s.stageKey)}
    </span>
  );
}

/** A Beijing calendar day (YYYY-MM-DD) as the page's language writes dates. */
function day(ctx: PageContext, date: string): string {
  return ctx.time.date(`${date}T12:00:00+08:00`);
}

export function PhaseSpan({ ctx, phase }: { ctx: PageContext; phase: PhaseView }): JSX.Element {
  return <span safe>{ctx.t('sol.span', { start: day(ctx, phase.start), end: day(ctx, phase.end) })}</span>;
}

export function Timeline({ ctx, s }: { ctx: PageContext; s: SolicitationSummary }): JSX.Element {
  return (
    <ol class="timeline">
      {s.phases.map((p) => (
        <li aria-current={p.current ? 'step' : undefined}>
          {p.current ? (
            <strong safe>{ctx.t(`sol.phase.${p.key}`)}</strong>
          ) : (
            <span safe>{ctx.t(`sol.phase.${p.key}`)}</span>
          )}
          {escapeHtml(ctx.t('sol.colon'))}
          <PhaseSpan ctx={ctx} phase={p} />
          {p.current ? <span safe>{ctx.t('sol.nowMark', { now: ctx.t('sol.now') })}</span> : ''}
        </li>
      ))}
    </ol>
  );
}

export function SolicitationListPage({
  ctx,
  solicitations,
}: {
  ctx: PageContext;
  solicitations: SolicitationSummary[];
}): JSX.Element {
  const { t } = ctx;
  const title = t('sol.title');
  const groups: Group[] = ['open', 'voting', 'closed'];
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('nav.home'), href: '/' }, { label: title }]}>
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('sol.intro')}
      </p>
      {groups.map((group) => {
        const listed = solicitations.filter((s) => s.group === group);
        return (
          <section aria-labelledby={`group-${group}`}>
            <h2 id={`group-${group}`} safe>
              {t(`sol.group.${group}`)}
            </h2>
            {listed.length === 0 ? (
              <p class="meta" safe>
                {t('sol.group.empty')}
              </p>
            ) : (
              <ul class="boards">
                {listed.map((s) => {
                  const shown = s.phases.find((p) => p.current) ?? (s.stage === 'upcoming' ? s.phases[0] : s.phases[3]);
                  return (
                    <li>
                      <a class="board-card" href={`/solicitations/${s.id}`}>
                        <strong translate="no" safe>
                          {s.title}
                        </strong>
                        <span class="meta">
                          <StageBadge ctx={ctx} s={s} />{' '}
                          {shown ? (
                            <>
                              <span safe>{`${t(`sol.phase.${shown.key}`)} `}</span>
                              <PhaseSpan ctx={ctx} phase={shown} />
                            </>
                          ) : (
                            ''
                          )}
                        </span>
                      </a>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
    </Layout>
  );
}

/** "No. 1 · First prize": the rank in the page's language, the prize as the editors named it. */
export function RankBadge({ ctx, rank, prize }: { ctx: PageContext; rank: number; prize: string | null }): JSX.Element {
  return (
    <span class="badge signed">
      {escapeHtml(ctx.t('sol.rank', { rank }))}
      {prize ? (
        <>
          {' · '}
          <span translate="no" safe>
            {prize}
          </span>
        </>
      ) : (
        ''
      )}
    </span>
  );
}

function EntryStatusBadge({ ctx, e }: { ctx: PageContext; e: MyEntry }): JSX.Element {
  const cls = e.status === 'approved' ? 'status-closed' : e.status === 'refused' ? 'status-rejected' : 'status-pending';
  return (
    <span class={`badge ${cls}`} safe>
      {ctx.t(`sol.entryStatus.${e.status}`)}
    </span>
  );
}

/** An account's entries, each with its state and, when refused, the editor's reason. */
export function MyEntryList({
  ctx,
  entries,
  showSolicitation,
}: {
  ctx: PageContext;
  entries: MyEntry[];
  showSolicitation?: boolean;
}): JSX.Element {
  const { t } = ctx;
  if (entries.length === 0)
    return (
      <p class="meta" safe>
        {t('sol.mine.empty')}
      </p>
    );
  return (
    <ul class="message-list">
      {entries.map((e) => (
        <li>
          <strong translate="no" safe>
            {e.title}
          </strong>{' '}
          <EntryStatusBadge ctx={ctx} e={e} />
          {e.rank !== null ? <RankBadge ctx={ctx} rank={e.rank} prize={e.prize} /> : ''}
          <p class="meta">
            {showSolicitation ? (
              <>
                <span safe>{t('sol.mine.in')}</span>
                <a href={`/solicitations/${e.solicitationId}`} translate="no" safe>
                  {e.solicitationTitle}
                </a>
                {' · '}
              </>
            ) : (
              ''
            )}
            <Time ctx={ctx} iso={e.submittedAt} />
          </p>
          {e.refuseReason ? (
            <p class="flag">{sentence(t, 'sol.refusedBecause', { reason: quote(e.refuseReason) })}</p>
          ) : (
            ''
          )}
        </li>
      ))}
    </ul>
  );
}

function EntryForm({
  ctx,
  s,
  values,
  errors,
}: {
  ctx: PageContext;
  s: SolicitationDetail;
  values?: Record<string, string>;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  return (
    <form method="post" action={`/solicitations/${s.id}/entries`} class="stack wide">
      <CsrfField ctx={ctx} />
      <Field
        name="title"
        label={t('sol.submit.entryTitle')}
        hint={t('sol.submit.entryTitleHint', { min: ENTRY_TITLE_MIN, max: ENTRY_TITLE_MAX })}
        value={values?.title}
        errors={errors}
        maxlength={ENTRY_TITLE_MAX}
        required
      />
      <div class={errors?.body ? 'field has-error' : 'field'}>
        <label for="f-body" safe>
          {t('sol.submit.body')}
        </label>
        <textarea
          id="f-body"
          name="body"
          rows="5"
          maxlength={ENTRY_BODY_MAX}
          aria-describedby={errors?.body ? 'f-body-hint f-body-error' : 'f-body-hint'}
          aria-invalid={errors?.body ? 'true' : undefined}
          translate="no"
          safe
        >
          {values?.body ?? ''}
        </textarea>
        <p class="hint" id="f-body-hint" safe>
          {t('sol.submit.bodyHint', { max: ENTRY_BODY_MAX })}
        </p>
        {errors?.body ? (
          <p class="error" id="f-body-error" role="alert" safe>
            {errors.body}
          </p>
        ) : (
          ''
        )}
      </div>
      <div class="check">
        <input id="f-anonymous" type="checkbox" name="anonymous" value="1" checked={values?.anonymous === '1'} />
        <label for="f-anonymous" safe>
          {t('sol.submit.anonymous')}
        </label>
      </div>
      <p class="hint" safe>
        {t('sol.submit.moderated')}
      </p>
      <Submit label={t('sol.submit.send')} />
    </form>
  );
}

function EntryItem({
  ctx,
  s,
  e,
  me,
  winner,
}: {
  ctx: PageContext;
  s: SolicitationDetail;
  e: PublicEntry;
  me: Participation | null;
  winner?: boolean;
}): JSX.Element {
  const { t } = ctx;
  const voted = me?.votedEntryIds.includes(e.id) ?? false;
  let vote: JSX.Element = '';
  if (s.votingOpen) {
    if (!ctx.user)
      vote = (
        <a class="button" href={`/login?next=${encodeURIComponent(`/solicitations/${s.id}`)}`} safe>
          {t('sol.loginToVote')}
        </a>
      );
    else if (me?.entries.some((mine) => mine.id === e.id))
      vote = (
        <span class="badge" safe>
          {t('sol.ownEntry')}
        </span>
      );
    else if (voted)
      vote = (
        <span class="badge status-closed" safe>
          {t('sol.voted')}
        </span>
      );
    else
      vote = (
        <form method="post" action={`/solicitations/${s.id}/vote`} class="inline">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="entryId" value={String(e.id)} />
          <button type="submit" class="secondary">
            <span aria-hidden="true" safe>
              {t('sol.vote')}
            </span>
            <span class="visually-hidden">{sentence(t, 'sol.voteFor', { title: quote(e.title) })}</span>
          </button>
        </form>
      );
  }
  return (
    <li class={winner ? 'panel' : undefined} id={`entry-${e.id}`}>
      <h3>
        {winner && e.rank !== null ? (
          <>
            <RankBadge ctx={ctx} rank={e.rank} prize={e.prize} />{' '}
          </>
        ) : (
          ''
        )}
        <span translate="no" safe>
          {e.title}
        </span>
      </h3>
      {e.body ? (
        <p class="message-body" translate="no" safe>
          {e.body}
        </p>
      ) : (
        ''
      )}
      <p class="meta">
        <span>{sentence(t, 'sol.byAuthor', { author: quote(e.author) })}</span>
        {e.votes !== null ? <span safe>{` · ${t('sol.votes', { n: e.votes })}`}</span> : ''}
      </p>
      {vote ? <div class="actions">{vote}</div> : ''}
    </li>
  );
}

export function SolicitationPage({
  ctx,
  s,
  me,
  notice,
  errors,
  values,
}: {
  ctx: PageContext;
  s: SolicitationDetail;
  /** The signed-in account's part; null for visitors. */
  me: Participation | null;
  notice?: string;
  errors?: FormErrors;
  /** What the author typed, when the entry form comes back with problems. */
  values?: Record<string, string>;
}): JSX.Element {
  const { t } = ctx;
  const winnerIds = new Set(s.winners.map((w) => w.id));
  const others = s.entries.filter((e) => !winnerIds.has(e.id));
  const rulesOpen = s.stage === 'upcoming' || s.stage === 'entries';
  return (
    <Layout
      ctx={ctx}
      title={s.title}
      ownTitle
      crumbs={[
        { label: t('nav.home'), href: '/' },
        { label: t('sol.title'), href: '/solicitations' },
        { label: s.title, own: true },
      ]}
    >
      <Notice text={notice} />
      <FormError errors={errors} />
      <h1 translate="no" safe>
        {s.title}
      </h1>
      <p class="meta">
        <StageBadge ctx={ctx} s={s} />{' '}
        <span safe>{t('sol.allowances', { entries: s.entriesPerUser, votes: s.votesPerUser })}</span>
      </p>

      {s.winners.length > 0 ? (
        <section aria-labelledby="results">
          <h2 id="results" safe>
            {t('sol.results')}
          </h2>
          {s.announcement ? (
            <p class="message-body" translate="no" safe>
              {s.announcement}
            </p>
          ) : (
            ''
          )}
          <ol class="message-list">
            {s.winners.map((e) => (
              <EntryItem ctx={ctx} s={s} e={e} me={me} winner />
            ))}
          </ol>
          {s.announcedAt ? (
            <p class="meta">
              <span safe>{t('sol.announcedAt')}</span>
              <Time ctx={ctx} iso={s.announcedAt} />
            </p>
          ) : (
            ''
          )}
        </section>
      ) : s.countsVisible ? (
        <p class="notice" safe>
          {t('sol.resultsPending')}
        </p>
      ) : (
        ''
      )}

      <details class="panel" open={rulesOpen}>
        <summary safe>{t('sol.rules')}</summary>
        <div class="message-body" translate="no" safe>
          {s.rules}
        </div>
      </details>

      <section aria-labelledby="timeline">
        <h2 id="timeline" safe>
          {t('sol.timeline')}
        </h2>
        <Timeline ctx={ctx} s={s} />
      </section>

      {me ? (
        <section aria-labelledby="mine">
          <h2 id="mine" safe>
            {t('sol.mine')}
          </h2>
          <MyEntryList ctx={ctx} entries={me.entries} />
          <p class="meta">
            <a href="/my/solicitations" safe>
              {t('sol.mine.all')}
            </a>
          </p>
        </section>
      ) : (
        ''
      )}

      {s.acceptingEntries ? (
        <section aria-labelledby="submit">
          <h2 id="submit" safe>
            {t('sol.submit.title')}
          </h2>
          {!ctx.user ? (
            <p>
              <a class="button" href={`/login?next=${encodeURIComponent(`/solicitations/${s.id}`)}`} safe>
                {t('sol.submit.loginFirst')}
              </a>
            </p>
          ) : me && !me.canSubmit ? (
            <p class="notice" safe>
              {t('sol.submit.limitReached', { max: s.entriesPerUser })}
            </p>
          ) : (
            <EntryForm ctx={ctx} s={s} values={values} errors={errors} />
          )}
        </section>
      ) : (
        ''
      )}

      <section aria-labelledby="entries">
        <h2 id="entries" safe>
          {t('sol.entries')}
        </h2>
        <p class="meta" safe>
          {[
            s.entries.length === 0
              ? t('sol.noEntries')
              : t(s.winners.length > 0 ? 'sol.entriesCountOthers' : 'sol.entriesCount', { n: s.entries.length }),
            s.votingOpen && me ? t('sol.votesLeft', { left: me.votesLeft, total: s.votesPerUser }) : '',
            !s.countsVisible && s.entries.length > 0 ? t('sol.countsHidden') : '',
          ]
            .filter(Boolean)
            .join(' ')}
        </p>
        {others.length > 0 ? (
          <ul class="message-list">
            {others.map((e) => (
              <EntryItem ctx={ctx} s={s} e={e} me={me} />
            ))}
          </ul>
        ) : (
          ''
        )}
      </section>
    </Layout>
  );
}

export function MyEntriesPage({ ctx, entries }: { ctx: PageContext; entries: MyEntry[] }): JSX.Element {
  const { t } = ctx;
  const title = t('sol.mine');
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { label: t('nav.home'), href: '/' },
        { label: t('sol.title'), href: '/solicitations' },
        { label: title },
      ]}
    >
      <h1 safe>{title}</h1>
      <MyEntryList ctx={ctx} entries={entries} showSolicitation />
    </Layout>
  );
}
