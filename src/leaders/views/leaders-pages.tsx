// The leaders' pages: "公开回复的领导", the leaders who replied in public by level, and one leader's page with the
// replies they signed, their figures and their board.
import type { MessageKey } from '../../i18n/i18n.ts';
import { Pager } from '../../news/views/pager.tsx';
import type { RegionLevel } from '../../regions/region-kinds.ts';
import { type FigureKey, formatFigure } from '../../stats/figures.ts';
import type { Figures } from '../../stats/figures.ts';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { boardName } from '../../web/views/names.tsx';
import type { Leader, LeadersOverview, LeaderWhoReplied, SignedReply, Term } from '../leaders.service.ts';

const levelLabel = (ctx: PageContext, level: RegionLevel) => ctx.t(`leaders.level.${level}` as MessageKey);

/** "2024-03-01 至今" or "2020-01-01 至 2024-03-01"; a start not recorded is said so. */
export function TermDates({ ctx, term }: { ctx: PageContext; term: Pick<Term, 'since' | 'until'> }): JSX.Element {
  const { t } = ctx;
  return (
    <span class="term">
      {term.since ? <Time ctx={ctx} iso={term.since} dateOnly /> : <span safe>{t('leaders.sinceUnknown')}</span>}
      <span safe>{` ${t('leaders.to')} `}</span>
      {term.until ? <Time ctx={ctx} iso={term.until} dateOnly /> : <span safe>{t('leaders.now')}</span>}
    </span>
  );
}

/** "正定县县长" / "County Head, Zhengding County": a leader's post at their place, in the page's language. */
const postAt = (ctx: PageContext, l: Pick<Leader, 'regionName' | 'post'>) =>
  ctx.t('leaders.postAt', { place: ctx.names.place(l.regionName), post: ctx.names.post(l.post) });

/** The post and the person: the person's name is theirs (a proper name), not translated. */
function LeaderName({ ctx, leader }: { ctx: PageContext; leader: Pick<Leader, 'regionName' | 'post' | 'name'> }) {
  return (
    <>
      <span safe>{`${postAt(ctx, leader)} `}</span>
      <span translate="no" safe>
        {leader.name}
      </span>
    </>
  );
}

const leaderName = (ctx: PageContext, l: Pick<Leader, 'regionName' | 'post' | 'name'>) => `${postAt(ctx, l)} ${l.name}`;

function LeaderTable({ ctx, leaders, caption }: { ctx: PageContext; leaders: LeaderWhoReplied[]; caption: string }) {
  const { t } = ctx;
  return (
    <div class="table-scroll">
      <table class="data">
        <caption class="visually-hidden" safe>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col" safe>
              {t('leaders.col.leader')}
            </th>
            <th scope="col" safe>
              {t('leaders.col.term')}
            </th>
            <th scope="col" class="num" safe>
              {t('leaders.col.signed')}
            </th>
            <th scope="col" safe>
              {t('leaders.col.last')}
            </th>
          </tr>
        </thead>
        <tbody>
          {leaders.map((l) => (
            <tr>
              <th scope="row">
                <a href={`/leaders/${l.id}`}>
                  <LeaderName ctx={ctx} leader={l} />
                </a>
              </th>
              <td>
                <TermDates ctx={ctx} term={l} />
              </td>
              <td class="num" safe>
                {ctx.num.count(l.signed)}
              </td>
              <td>
                <Time ctx={ctx} iso={l.lastSignedAt} dateOnly />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const LEVEL_PREVIEW = 20;

export function LeadersPage({
  ctx,
  overview,
  level,
  page,
  pageSize,
}: {
  ctx: PageContext;
  overview: LeadersOverview;
  /** One level listed in full, page by page; absent: every level, the first of each. */
  level?: RegionLevel;
  page: number;
  pageSize: number;
}): JSX.Element {
  const { t } = ctx;
  const { counts, byLevel } = overview;
  const title = t('leaders.title');
  const crumbs = [
    { label: t('nav.home'), href: '/' },
    { label: title, href: '/leaders' },
    ...(level ? [{ label: levelLabel(ctx, level) }] : []),
  ];
  const levels: RegionLevel[] = level ? [level] : ['province', 'city', 'county'];
  return (
    <Layout ctx={ctx} title={level ? `${title} · ${levelLabel(ctx, level)}` : title} crumbs={crumbs}>
      <h1 safe>{level ? `${title} · ${levelLabel(ctx, level)}` : title}</h1>
      <p class="lead headline" safe>
        {t('leaders.headline', { province: counts.province, local: counts.city + counts.county })}
      </p>
      <dl class="figures">
        {(['province', 'city', 'county'] as const).map((l) => (
          <div>
            <dt safe>{levelLabel(ctx, l)}</dt>
            <dd safe>{ctx.num.count(counts[l])}</dd>
          </div>
        ))}
      </dl>
      <p class="meta" safe>
        {t('leaders.formula')}
      </p>
      {levels.map((l) => {
        const all = byLevel[l];
        const shown = level ? all.slice((page - 1) * pageSize, page * pageSize) : all.slice(0, LEVEL_PREVIEW);
        const heading = t('leaders.levelHeading', { level: levelLabel(ctx, l), n: all.length });
        return (
          <section aria-labelledby={`level-${l}`}>
            <h2 id={`level-${l}`} safe>
              {heading}
            </h2>
            {all.length === 0 ? (
              <p safe>{t('leaders.noneAtLevel')}</p>
            ) : (
              <LeaderTable ctx={ctx} leaders={shown} caption={heading} />
            )}
            {level ? (
              <Pager
                ctx={ctx}
                page={page}
                pageSize={pageSize}
                total={all.length}
                href={(n) => `/leaders?level=${l}${n > 1 ? `&page=${n}` : ''}`}
              />
            ) : all.length > shown.length ? (
              <p>
                <a href={`/leaders?level=${l}`} safe>
                  {t('leaders.allAtLevel', { level: levelLabel(ctx, l), n: all.length })}
                </a>
              </p>
            ) : (
              ''
            )}
          </section>
        );
      })}
    </Layout>
  );
}

const FIGURE_KEYS: FigureKey[] = ['received', 'replied', 'replyRate', 'satisfaction', 'ratings'];

export function LeaderPage({
  ctx,
  leader,
  signedTotal,
  replies,
  page,
  pageSize,
  figures,
  terms,
}: {
  ctx: PageContext;
  leader: Leader;
  signedTotal: number;
  replies: SignedReply[];
  page: number;
  pageSize: number;
  figures: { from: string; to: string; figures: Figures };
  /** Every holder of the board, the current one first. */
  terms: Term[];
}): JSX.Element {
  const { t } = ctx;
  const name = leaderName(ctx, leader);
  const crumbs = [
    { label: t('nav.home'), href: '/' },
    { label: t('leaders.title'), href: '/leaders' },
    { label: name },
  ];
  return (
    <Layout ctx={ctx} title={name} crumbs={crumbs}>
      <h1>
        <LeaderName ctx={ctx} leader={leader} />
      </h1>
      {leader.current ? (
        ''
      ) : (
        <p class="notice" safe>
          {t('leaders.former')}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt safe>{t('leaders.post')}</dt>
          <dd safe>{t('leaders.postLevel', { post: postAt(ctx, leader), level: levelLabel(ctx, leader.level) })}</dd>
        </div>
        <div>
          <dt safe>{t('leaders.board')}</dt>
          <dd>
            <a href={`/boards/${leader.boardId}`} safe>
              {boardName(ctx, leader.regionName, leader.boardTitle)}
            </a>
          </dd>
        </div>
        <div>
          <dt safe>{t('leaders.term')}</dt>
          <dd>
            <TermDates ctx={ctx} term={leader} />
          </dd>
        </div>
      </dl>
      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading" safe>
          {t('leaders.figures')}
        </h2>
        <dl class="figures">
          <div>
            <dt safe>{t('leaders.signedReplies')}</dt>
            <dd safe>{ctx.num.count(signedTotal)}</dd>
          </div>
          {FIGURE_KEYS.map((key) => (
            <div>
              <dt safe>{t(`stats.figure.${key}` as MessageKey)}</dt>
              <dd safe>{formatFigure(key, figures.figures[key], t)}</dd>
            </div>
          ))}
        </dl>
        <p class="meta" safe>
          {t('leaders.figuresNote', { from: ctx.time.date(figures.from), to: ctx.time.date(figures.to) })}
        </p>
      </section>
      <section aria-labelledby="replies-heading">
        <h2 id="replies-heading" safe>
          {t('leaders.repliesHeading', { n: signedTotal })}
        </h2>
        {replies.length === 0 ? (
          <p safe>{t('leaders.noReplies')}</p>
        ) : (
          <ul class="message-list signed-replies">
            {replies.map((r) => (
              <li>
                <a href={`/messages/${r.messageId}`} translate="no" safe>
                  {r.title}
                </a>
                <p class="meta">
                  <span safe>{`${t('leaders.signedAt')} `}</span>
                  <Time ctx={ctx} iso={r.signedAt} dateOnly />
                  {r.resolved ? (
                    <>
                      {' · '}
                      <span safe>{t('leaders.resolved')}</span>
                    </>
                  ) : (
                    ''
                  )}
                </p>
                <p class="excerpt" translate="no" safe>
                  {r.excerpt}
                </p>
              </li>
            ))}
          </ul>
        )}
        <Pager
          ctx={ctx}
          page={page}
          pageSize={pageSize}
          total={signedTotal}
          href={(n) => `/leaders/${leader.id}${n > 1 ? `?page=${n}` : ''}`}
        />
      </section>
      {terms.length > 1 ? (
        <section aria-labelledby="terms-heading">
          <h2 id="terms-heading" safe>
            {t('leaders.terms')}
          </h2>
          <ul class="terms">
            {terms.map((term) => (
              <li>
                {term.id === leader.id ? (
                  <strong>
                    <span safe>{`${ctx.names.post(term.post)} `}</span>
                    <span translate="no" safe>
                      {term.name}
                    </span>
                  </strong>
                ) : (
                  <a href={`/leaders/${term.id}`}>
                    <span safe>{`${ctx.names.post(term.post)} `}</span>
                    <span translate="no" safe>
                      {term.name}
                    </span>
                  </a>
                )}{' '}
                <TermDates ctx={ctx} term={term} />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** The board page's line about its holder: the current one linked to their page, and those before. */
export function BoardHolders({
  ctx,
  holderName,
  terms,
}: {
  ctx: PageContext;
  /** The board's holder as recorded on the board (shown unlinked if no term of theirs is on record). */
  holderName: string | null;
  terms: Term[];
}): JSX.Element {
  const { t } = ctx;
  const current = terms[0]?.until === null ? terms[0] : undefined;
  const rest = current ? terms.slice(1) : terms;
  return (
    <>
      <div>
        <dt safe>{t('board.holder')}</dt>
        {current ? (
          <dd>
            <a href={`/leaders/${current.id}`} translate="no" safe>
              {current.name}
            </a>
          </dd>
        ) : holderName ? (
          <dd translate="no" safe>
            {holderName}
          </dd>
        ) : (
          <dd safe>{t('board.holderUnknown')}</dd>
        )}
      </div>
      {rest.length > 0 ? (
        <div>
          <dt safe>{t('leaders.formerHolders')}</dt>
          <dd>
            {rest.map((term, i) => (
              <>
                {i > 0 ? <span safe>{t('leaders.listSeparator')}</span> : ''}
                <a href={`/leaders/${term.id}`} translate="no" safe>
                  {term.name}
                </a>
              </>
            ))}
          </dd>
        </div>
      ) : (
        ''
      )}
    </>
  );
}
