// The editors' review queue: each waiting message with what needs attention (past the review deadline, masked
// personal data, sensitive words, flooding), and the forms to approve, decline or link it; approval in a batch.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { boardName } from '../../web/views/names.tsx';
import { Time } from '../../web/views/time.tsx';
import { Badge, Filled, Own, slot } from '../../workflow/views/staff-parts.tsx';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { Flooding } from '../flooding.ts';
import { DOMAINS, MESSAGE_TYPES, REJECT_REASONS } from '../message-kinds.ts';
import { domainLabel, rejectReasonLabel, typeLabel } from '../message-labels.ts';

export interface ReviewRow {
  id: number;
  title: string;
  body: string;
  board: string;
  type: string;
  domain: string;
  flags: { personalData: string[]; sensitiveWords: string[] };
  submittedAt: string;
  reviewDueAt: string;
  /** Past its review deadline. */
  overdue: boolean;
  /** Keys of the type and domain now set, for the editor to keep or correct. */
  typeKey: string;
  domainKey: string;
  /** Where the message came from: 网站, 短信, Open311 · 某机构 … (the key and organisation name it in any language). */
  channel: string;
  channelKey: string;
  organisation: string | null;
  /** The board: its region's name and title, named in the page's language. */
  regionName: string;
  boardTitle: string;
  /** A text message: the editor must choose its type and domain before approving. */
  needsClassification: boolean;
  flooding: Flooding | null;
}

export interface ReviewBatch {
  approved: number;
  failed: number[];
}

const PII = ['phone', 'id_card', 'bank_card'] as const;
const CHANNELS = ['web', 'api', 'sms', 'open311'];

/** The channel in the page's language; an Open311 client's organisation as its key names it. */
function channelName(ctx: PageContext, m: ReviewRow): JSX.Element {
  const channel = CHANNELS.includes(m.channelKey)
    ? ctx.t(`workflow.channel.${m.channelKey}` as MessageKey)
    : m.channelKey;
  if (!m.organisation) return <span safe>{channel}</span>;
  return (
    <Filled
      text={ctx.t('workflow.channel.withOrganisation', { channel, organisation: slot(0) })}
      parts={[<Own text={m.organisation} />]}
    />
  );
}

function Classification({ ctx, m }: { ctx: PageContext; m: ReviewRow }): JSX.Element {
  const { t } = ctx;
  return (
    <>
      {m.needsClassification ? (
        <p class="flag" safe>
          {t('review.classifySms')}
        </p>
      ) : (
        ''
      )}
      <div class="field">
        <label for={`type-${m.id}`} safe>
          {t('wb.filter.type')}
        </label>
        <select id={`type-${m.id}`} name="type" required={m.needsClassification}>
          {m.needsClassification ? (
            <option value="" safe>
              {t('review.choose')}
            </option>
          ) : (
            ''
          )}
          {Object.keys(MESSAGE_TYPES).map((k) => (
            <option value={k} selected={!m.needsClassification && k === m.typeKey} safe>
              {typeLabel(t, k)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`domain-${m.id}`} safe>
          {t('wb.filter.domain')}
        </label>
        <select id={`domain-${m.id}`} name="domain" required={m.needsClassification}>
          {m.needsClassification ? (
            <option value="" safe>
              {t('review.choose')}
            </option>
          ) : (
            ''
          )}
          {Object.keys(DOMAINS).map((k) => (
            <option value={k} selected={!m.needsClassification && k === m.domainKey} safe>
              {domainLabel(t, k)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function ReviewItem({ ctx, m }: { ctx: PageContext; m: ReviewRow }): JSX.Element {
  const { t } = ctx;
  const separator = t('workflow.listSeparator');
  // The newest few by number; a long run is summed up.
  const ids = (list: number[]) =>
    list.length <= 5
      ? list.map((id) => `#${id}`).join(separator)
      : t('review.andMore', {
          ids: list
            .slice(0, 5)
            .map((id) => `#${id}`)
            .join(separator),
          n: list.length,
        });
  return (
    <article class={m.overdue ? 'panel review-item overdue' : 'panel review-item'} aria-labelledby={`m-${m.id}`}>
      <div class="review-head">
        {m.needsClassification ? (
          ''
        ) : (
          <input
            type="checkbox"
            name="ids"
            value={String(m.id)}
            form="batch-approve"
            id={`pick-${m.id}`}
            aria-label={t('review.pick', { id: m.id })}
          />
        )}
        <h2 id={`m-${m.id}`} translate="no" safe>{`${m.id}. ${m.title}`}</h2>
      </div>
      <p class="meta">
        {m.overdue ? <Badge kind="urgent" text={t('review.overdue')} /> : ''}{' '}
        <span safe>
          {`${boardName(ctx, m.regionName, m.boardTitle)} · ${m.needsClassification ? t('review.unclassified') : `${typeLabel(t, m.typeKey)} · ${domainLabel(t, m.domainKey)}`} · `}
        </span>
        <Filled text={t('review.via', { channel: slot(0) })} parts={[channelName(ctx, m)]} />
        {' · '}
        <span safe>{t('review.submitted')}</span> <Time ctx={ctx} iso={m.submittedAt} /> ·{' '}
        <span safe>{t('review.due')}</span> <Time ctx={ctx} iso={m.reviewDueAt} />
      </p>
      {m.flooding ? (
        <p class="flag" safe>
          {[
            m.flooding.sameAccount.length > 0 ? t('review.floodingAccount', { ids: ids(m.flooding.sameAccount) }) : '',
            m.flooding.sameNetwork.length > 0 ? t('review.floodingNetwork', { ids: ids(m.flooding.sameNetwork) }) : '',
          ]
            .filter(Boolean)
            .join(' ')}
        </p>
      ) : (
        ''
      )}
      {m.flags.personalData.length > 0 ? (
        <p class="flag" safe>
          {t('review.masked', {
            what: m.flags.personalData
              .map((k) => ((PII as readonly string[]).includes(k) ? t(`review.pii.${k as (typeof PII)[number]}`) : k))
              .join(separator),
          })}
        </p>
      ) : (
        ''
      )}
      {m.flags.sensitiveWords.length > 0 ? (
        <p class="flag">
          <Filled
            text={t('review.sensitive', { words: slot(0) })}
            parts={[<Own text={m.flags.sensitiveWords.join(separator)} />]}
          />
        </p>
      ) : (
        ''
      )}
      <div class="message-body" translate="no" safe>
        {m.body}
      </div>
      <div class="review-actions">
        <form method="post" action={`/review/${m.id}/approve`} class="stack">
          <CsrfField ctx={ctx} />
          <Classification ctx={ctx} m={m} />
          <Submit label={t('review.approve')} />
        </form>
        <form method="post" action={`/review/${m.id}/reject`} class="stack">
          <CsrfField ctx={ctx} />
          <div class="field">
            <label for={`reason-${m.id}`} safe>
              {t('review.reason')}
            </label>
            <select id={`reason-${m.id}`} name="reason" required>
              <option value="" selected safe>
                {t('review.chooseReason')}
              </option>
              {Object.keys(REJECT_REASONS).map((k) => (
                <option value={k} safe>
                  {rejectReasonLabel(t, k)}
                </option>
              ))}
            </select>
          </div>
          <Field name="note" label={t('review.note')} idPrefix={`r${m.id}`} maxlength={1000} />
          <Submit label={t('review.reject')} kind="danger" />
        </form>
      </div>
      <details>
        <summary safe>{t('review.duplicate')}</summary>
        <form method="post" action={`/review/${m.id}/duplicate`} class="stack">
          <CsrfField ctx={ctx} />
          <Field name="original" label={t('review.original')} inputmode="numeric" idPrefix={`d${m.id}`} />
          <Submit label={t('review.link')} kind="secondary" />
        </form>
      </details>
    </article>
  );
}

export function ReviewPage({
  ctx,
  rows,
  size,
  notice,
  errors,
  batch,
}: {
  ctx: PageContext;
  rows: ReviewRow[];
  /** The whole queue, beyond the page shown. */
  size: { total: number; overdue: number };
  notice?: string;
  errors?: FormErrors;
  batch?: ReviewBatch;
}): JSX.Element {
  const { t } = ctx;
  const title = t('review.title');
  const batchable = rows.some((m) => !m.needsClassification);
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: t('nav.home'), href: '/' }, { label: title }]}>
      <div class="wb-head">
        <h1 safe>{title}</h1>
        <ul class="wb-links">
          <li>
            <a href="/workbench/notices" safe>
              {t('wb.links.reviewNotices')}
            </a>
          </li>
        </ul>
      </div>
      <Notice text={notice} />
      {batch ? (
        <div class="notice" role="status">
          <p safe>{t('review.batchApproved', { n: batch.approved })}</p>
          {batch.failed.length > 0 ? (
            <p safe>{t('review.batchFailed', { ids: batch.failed.join(t('workflow.listSeparator')) })}</p>
          ) : (
            ''
          )}
        </div>
      ) : (
        ''
      )}
      <FormError errors={errors} />
      <p class="meta" safe>
        {size.total === 0
          ? t('review.empty')
          : t('review.size', { total: size.total, overdue: size.overdue, shown: rows.length })}
      </p>
      {batchable ? (
        <form method="post" action="/review/batch" id="batch-approve" class="batch-bar">
          <CsrfField ctx={ctx} />
          <button type="submit" class="secondary" safe>
            {t('review.batchApprove')}
          </button>
          <span class="hint" safe>
            {t('review.batchHint')}
          </span>
        </form>
      ) : (
        ''
      )}
      {rows.map((m) => (
        <ReviewItem ctx={ctx} m={m} />
      ))}
    </Layout>
  );
}
