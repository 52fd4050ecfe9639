// The admin's evaluation pages: the years, one year's settings, run, awardee lists with their edits, and the tables.
import { escapeHtml } from '@kitajs/html';
import type { DataTable } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { Link, Sentence, UserText } from '../../web/views/sentence.tsx';
import type { AwardRow, EditRow } from '../evaluation.repository.ts';
import { type EvaluationYear, REASON_MAX } from '../evaluation.service.ts';
import { unitAwardsTable, workerAwardsTable } from '../evaluation-tables.ts';
import {
  INDICATOR_KEYS,
  indicatorFormula,
  indicatorLabel,
  levelLabel,
  ISSUER_MAX,
  SETTING_FIELDS,
  type UnitResult,
  type WorkerResult,
} from '../scoring.ts';
import { DownloadLinks, FormulaNote, TableView } from './evaluation-parts.tsx';
import { namesAsWritten } from './honours-pages.tsx';

const crumbs = (ctx: PageContext, label?: string, year?: number) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('nav.admin'), href: '/admin' },
  { label: ctx.t('evaluation.title'), href: '/admin/evaluation' },
  ...(year ? [{ label: ctx.t('evaluation.year', { year }), href: `/admin/evaluation/${year}` }] : []),
  ...(label ? [{ label }] : []),
];

/** A moment in the platform's time zone (Beijing time by default), or a dash. */
const when = (ctx: PageContext, iso: string | null) => (iso ? ctx.time.dateTime(iso) : '—');

/**
 * A unit's name as markup: a dispatching unit's in the page's language, a name people gave as written (marked so);
 * a person's name, or an awardee as the edits record them ("name（unit）"), always as written.
 */
function nameMarkup(ctx: PageContext, name: string, kind: 'unit' | 'worker'): JSX.Element {
  if (kind === 'worker' || ctx.names.unitKeptAsWritten(name)) return <UserText text={name} />;
  return escapeHtml(ctx.names.unit(name));
}

/** The name an award is listed under, as markup. */
function awardMarkup(ctx: PageContext, award: AwardRow): JSX.Element {
  if (award.kind === 'unit') return nameMarkup(ctx, award.unit?.unitName ?? '', 'unit');
  const w = award.worker;
  return w ? <UserText text={`${w.name}（${w.unitName}）`} /> : '';
}

export function EvaluationIndexPage({
  ctx,
  years,
  current,
}: {
  ctx: PageContext;
  years: EvaluationYear[];
  current: number;
}): JSX.Element {
  const { t } = ctx;
  const listed = new Map(years.map((y) => [y.year, y]));
  const all = [...new Set([current, current - 1, ...years.map((y) => y.year)])].sort((a, b) => b - a);
  return (
    <Layout ctx={ctx} title={t('evaluation.title')} crumbs={crumbs(ctx)}>
      <h1 safe>{t('evaluation.heading')}</h1>
      <p class="lead">
        <Sentence
          text={t('evaluation.lead')}
          slots={{
            honours: <Link href="/honours" text={t('nav.honours')} />,
          }}
        />
      </p>
      <table class="data">
        <thead>
          <tr>
            <th scope="col" safe>
              {t('evaluation.col.year')}
            </th>
            <th scope="col" safe>
              {t('evaluation.col.status')}
            </th>
            <th scope="col" safe>
              {t('evaluation.col.runAt')}
            </th>
            <th scope="col" safe>
              {t('evaluation.col.publishedAt')}
            </th>
          </tr>
        </thead>
        <tbody>
          {all.map((year) => {
            const y = listed.get(year);
            return (
              <tr>
                <td>
                  <a href={`/admin/evaluation/${year}`} safe>
                    {t('evaluation.year', { year })}
                  </a>
                </td>
                <td safe>{t(`evaluation.status.${y?.status ?? 'draft'}`)}</td>
                <td safe>{when(ctx, y?.runAt ?? null)}</td>
                <td safe>{when(ctx, y?.publishedAt ?? null)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

export interface YearPageData {
  state: EvaluationYear;
  units: UnitResult[];
  workers: WorkerResult[];
  awards: AwardRow[];
  edits: EditRow[];
}

function ReasonField({
  ctx,
  id,
  errors,
  name = 'reason',
}: {
  ctx: PageContext;
  id: string;
  errors?: FormErrors;
  name?: string;
}): JSX.Element {
  const error = errors?.[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id} safe>
        {ctx.t('evaluation.reason')}
      </label>
      <textarea
        id={id}
        name="reason"
        rows="2"
        maxlength={REASON_MAX}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      ></textarea>
      {error ? (
        <p class="error" id={`${id}-error`} role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

function FieldError({ errors, name, id }: { errors?: FormErrors; name: string; id: string }): JSX.Element {
  return errors?.[name] ? (
    <p class="error" id={id} role="alert" safe>
      {errors[name]}
    </p>
  ) : (
    ''
  );
}

function AwardList({
  ctx,
  year,
  kind,
  awards,
  editable,
  errors,
  errorFor,
}: {
  ctx: PageContext;
  year: number;
  kind: 'unit' | 'worker';
  awards: AwardRow[];
  editable: boolean;
  errors?: FormErrors;
  /** The award whose removal failed, so its errors show beside its form. */
  errorFor?: number;
}): JSX.Element {
  const { t } = ctx;
  const listed = awards.filter((a) => a.kind === kind && (kind === 'unit' ? a.unit : a.worker));
  const table = kind === 'unit' ? unitAwardsTable(year, listed, ctx) : workerAwardsTable(year, listed, ctx);
  const unitNames = listed.map((a) => a.unit?.unitName ?? a.worker?.unitName ?? null);
  return (
    <TableView
      ctx={ctx}
      table={table}
      asWritten={namesAsWritten(ctx, unitNames, kind === 'worker')}
      extra={{
        label: t(editable ? 'evaluation.sourceRemove' : 'evaluation.source'),
        cell: (i) => {
          const award = listed[i]!;
          return (
            <>
              <span class="meta" safe>
                {t(award.source === 'added' ? 'evaluation.source.added' : 'evaluation.source.proposed')}
              </span>
              {editable ? (
                <form method="post" action={`/admin/evaluation/${year}/awards/${award.id}/remove`} class="stack">
                  <CsrfField ctx={ctx} />
                  <ReasonField
                    ctx={ctx}
                    id={`remove-${award.id}`}
                    errors={errorFor === award.id ? errors : undefined}
                  />
                  <button type="submit" class="link">
                    <Sentence text={t('evaluation.remove')} slots={{ name: awardMarkup(ctx, award) }} />
                  </button>
                </form>
              ) : (
                ''
              )}
            </>
          );
        },
      }}
    />
  );
}

/** One award list of the year with, while it may still change, the form to add to it. */
function AwardSection(props: Parameters<typeof AwardList>[0] & { title: string; options: AddOption[] }): JSX.Element {
  const { ctx, year, kind, errors } = props;
  return (
    <section aria-labelledby={`${kind}-awards`}>
      <h2 id={`${kind}-awards`} safe>
        {props.title}
      </h2>
      <AwardList {...props} />
      {props.editable ? <AddForm ctx={ctx} year={year} kind={kind} errors={errors} options={props.options} /> : ''}
    </section>
  );
}

/** A choice of the form that adds to a list; `asWritten` when its text holds a name people gave. */
interface AddOption {
  id: number;
  label: string;
  asWritten: boolean;
}

function AddForm({
  ctx,
  year,
  kind,
  options,
  errors,
}: {
  ctx: PageContext;
  year: number;
  kind: 'unit' | 'worker';
  options: AddOption[];
  errors?: FormErrors;
}): JSX.Element {
  const mine = errors && errors._kind === kind ? errors : undefined;
  const field = kind === 'unit' ? 'unitId' : 'userId';
  const id = `add-${kind}`;
  return (
    <form method="post" action={`/admin/evaluation/${year}/awards`} class="stack wide">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="kind" value={kind} />
      <FormError errors={mine} />
      <div class={mine?.[field] ? 'field has-error' : 'field'}>
        <label for={`${id}-id`} safe>
          {ctx.t(kind === 'unit' ? 'evaluation.addUnit' : 'evaluation.addWorker')}
        </label>
        <select id={`${id}-id`} name="id" aria-describedby={mine?.[field] ? `${id}-id-error` : undefined}>
          {options.map((o) => (
            // An option holds text only: one with a name people gave is marked as a whole.
            <option value={String(o.id)} translate={o.asWritten ? 'no' : undefined} safe>
              {o.label}
            </option>
          ))}
        </select>
        <FieldError errors={mine} name={field} id={`${id}-id-error`} />
      </div>
      <ReasonField ctx={ctx} id={`${id}-reason`} errors={mine} />
      <Submit label={ctx.t('evaluation.addSubmit')} kind="secondary" />
    </form>
  );
}

export function EvaluationYearPage({
  ctx,
  data,
  values,
  errors,
  errorFor,
  notice,
}: {
  ctx: PageContext;
  data: YearPageData;
  /** The settings form's values (what was typed, after an error). */
  values: Record<string, string>;
  errors?: FormErrors;
  errorFor?: number;
  notice?: string;
}): JSX.Element {
  const { t, num, names } = ctx;
  const { state, units, workers, awards, edits } = data;
  const { year } = state;
  const published = state.status === 'published';
  const editable = state.status === 'run' || state.status === 'confirmed';
  const awardedUnits = new Set(awards.filter((a) => a.kind === 'unit').map((a) => a.unit?.unitId));
  const awardedWorkers = new Set(awards.filter((a) => a.kind === 'worker').map((a) => a.worker?.userId));
  const configErrors = errors && errors._form_of === 'config' ? errors : undefined;
  const stepErrors = errors && errors._form_of === 'step' ? errors : undefined;
  return (
    <Layout ctx={ctx} title={t('evaluation.yearTitle', { year })} crumbs={crumbs(ctx, undefined, year)}>
      <h1 safe>{t('evaluation.yearHeading', { year })}</h1>
      <Notice text={notice} />
      <p>
        <span safe>{t('evaluation.statusLine')}</span>
        <strong safe>{t(`evaluation.status.${state.status}`)}</strong>
        <span class="meta" safe>
          {t('evaluation.statusTimes', {
            run: when(ctx, state.runAt),
            confirmed: when(ctx, state.confirmedAt),
            published: when(ctx, state.publishedAt),
          })}
        </span>
      </p>
      {published ? (
        <p>
          <a href={`/honours/${year}`} safe>
            {t('evaluation.onHonours', { year })}
          </a>
        </p>
      ) : (
        ''
      )}

      <section class="panel" aria-labelledby="settings">
        <h2 id="settings" safe>
          {t('evaluation.settings')}
        </h2>
        <FormError errors={configErrors} />
        {published ? (
          <p class="meta" safe>
            {t('evaluation.settingsLocked')}
          </p>
        ) : (
          <form method="post" action={`/admin/evaluation/${year}/config`} class="stack wide">
            <CsrfField ctx={ctx} />
            <fieldset class={configErrors?.weights ? 'field has-error' : 'field'}>
              <legend safe>{t('evaluation.weights')}</legend>
              {INDICATOR_KEYS.map((k) => (
                <Field
                  name={`weight_${k}`}
                  label={indicatorLabel(k, t)}
                  value={values[`weight_${k}`]}
                  errors={configErrors}
                  inputmode="numeric"
                  maxlength={3}
                  hint={indicatorFormula(k, t)}
                />
              ))}
              <FieldError errors={configErrors} name="weights" id="weights-error" />
            </fieldset>
            {SETTING_FIELDS.map((s) => (
              <Field
                name={s.field}
                label={t(s.label)}
                value={values[s.field]}
                errors={configErrors}
                inputmode="numeric"
                maxlength={7}
                hint={s.hint ? t(s.hint) : undefined}
              />
            ))}
            <Field
              name="issuer"
              label={t('evaluation.issuer')}
              value={values.issuer}
              errors={configErrors}
              maxlength={ISSUER_MAX}
              hint={t('evaluation.issuer.hint')}
            />
            <Submit label={t('evaluation.saveSettings')} kind="secondary" />
          </form>
        )}
      </section>

      <FormulaNote ctx={ctx} config={state.runConfig ?? state.config} />

      <section class="panel" aria-labelledby="run">
        <h2 id="run" safe>
          {t('evaluation.runHeading')}
        </h2>
        <FormError errors={errors && errors._form_of === 'run' ? errors : undefined} />
        {published ? (
          <p class="meta" safe>
            {t('evaluation.runLocked')}
          </p>
        ) : (
          <form method="post" action={`/admin/evaluation/${year}/run`} class="stack">
            <CsrfField ctx={ctx} />
            <p class="meta" safe>
              {t('evaluation.runHint')}
            </p>
            <Submit label={t(state.runAt ? 'evaluation.rerun' : 'evaluation.run')} />
          </form>
        )}
        {state.runAt ? (
          <p>
            <span safe>
              {t('evaluation.runSummary', {
                ranked: num.count(units.filter((u) => u.eligible).length),
                unranked: num.count(units.filter((u) => !u.eligible).length),
              })}
            </span>
            <a href={`/admin/evaluation/${year}/results`} safe>
              {t('evaluation.allResults')}
            </a>{' '}
            ·{' '}
            <a href={`/admin/evaluation/${year}/workers`} safe>
              {t('evaluation.workers')}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>

      {state.runAt ? (
        <>
          <AwardSection
            {...{ ctx, year, awards, editable, errors, errorFor }}
            kind="unit"
            title={t('evaluation.unitList')}
            options={units
              .filter((u) => !awardedUnits.has(u.unitId))
              .map((u) => ({
                id: u.unitId,
                label: t('evaluation.option.unit', {
                  level: levelLabel(u.level, t),
                  name: names.unit(u.unitName),
                  standing: u.rank
                    ? t('evaluation.option.ranked', { rank: num.count(u.rank), score: num.decimal(u.score ?? 0, 2) })
                    : t('evaluation.notRanked'),
                }),
                asWritten: names.unitKeptAsWritten(u.unitName),
              }))}
          />
          <AwardSection
            {...{ ctx, year, awards, editable, errors, errorFor }}
            kind="worker"
            title={t('evaluation.workerList')}
            options={workers
              .filter((w) => !awardedWorkers.has(w.userId))
              .map((w) => ({
                id: w.userId,
                label: t(w.eligible ? 'evaluation.option.worker' : 'evaluation.option.workerShort', {
                  name: w.name,
                  unit: names.unit(w.unitName),
                  replies: num.count(w.replies),
                }),
                asWritten: true,
              }))}
          />
          <section aria-labelledby="edits">
            <h2 id="edits" safe>
              {t('evaluation.edits')}
            </h2>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col" safe>
                    {t('evaluation.edits.at')}
                  </th>
                  <th scope="col" safe>
                    {t('evaluation.edits.admin')}
                  </th>
                  <th scope="col" safe>
                    {t('evaluation.edits.change')}
                  </th>
                  <th scope="col" safe>
                    {t('evaluation.edits.reason')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {edits.map((e) => (
                  <tr>
                    <td safe>{when(ctx, e.at)}</td>
                    {e.actorName ? (
                      <td translate="no" safe>
                        {e.actorName}
                      </td>
                    ) : (
                      <td>—</td>
                    )}
                    <td>
                      <Sentence
                        text={t(`evaluation.edit.${e.action}.${e.kind}`)}
                        slots={{ name: nameMarkup(ctx, e.name, e.kind) }}
                      />
                    </td>
                    <td translate="no" safe>
                      {e.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {edits.length === 0 ? (
              <p class="meta" safe>
                {t('evaluation.edits.none')}
              </p>
            ) : (
              ''
            )}
          </section>
          <section class="panel" aria-labelledby="publish">
            <h2 id="publish" safe>
              {t('evaluation.publishHeading')}
            </h2>
            <FormError errors={stepErrors} />
            {published ? (
              <p safe>{t('evaluation.publishedOn', { when: when(ctx, state.publishedAt) })}</p>
            ) : (
              <>
                <form method="post" action={`/admin/evaluation/${year}/confirm`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="secondary" disabled={state.status === 'confirmed'} safe>
                    {t(state.status === 'confirmed' ? 'evaluation.confirmed' : 'evaluation.confirm')}
                  </button>
                </form>{' '}
                <form method="post" action={`/admin/evaluation/${year}/publish`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="primary" safe>
                    {t('evaluation.publish')}
                  </button>
                </form>
                <p class="meta" safe>
                  {t('evaluation.publishHint')}
                </p>
              </>
            )}
          </section>
        </>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** One of the run's full tables (all units, or all staff who replied), with its downloads. */
export function EvaluationTablePage({
  ctx,
  year,
  table,
  path,
  label,
  asWritten,
}: {
  ctx: PageContext;
  year: number;
  table: DataTable;
  path: string;
  label: string;
  asWritten?: (column: string, index: number) => boolean;
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={table.title} crumbs={crumbs(ctx, label, year)}>
      <h1 safe>{table.title}</h1>
      <DownloadLinks ctx={ctx} base={path} />
      <TableView ctx={ctx} table={table} asWritten={asWritten} />
    </Layout>
  );
}
