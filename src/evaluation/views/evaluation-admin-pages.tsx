// The admin's evaluation pages: the years, one year's settings, run, awardee lists with their edits, and the tables.
import type { DataTable } from '../../exports/table-export.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { AwardRow, EditRow } from '../evaluation.repository.ts';
import { awardName, type EvaluationYear, REASON_MAX, STATUS_LABELS } from '../evaluation.service.ts';
import { unitAwardsTable, workerAwardsTable } from '../evaluation-tables.ts';
import {
  INDICATOR_KEYS,
  INDICATORS,
  levelLabel,
  ISSUER_MAX,
  SETTING_FIELDS,
  type UnitResult,
  type WorkerResult,
} from '../scoring.ts';
import { DownloadLinks, FormulaNote, TableView } from './evaluation-parts.tsx';

const crumbs = (label?: string, year?: number) => [
  { label: '首页', href: '/' },
  { label: '管理', href: '/admin' },
  { label: '年度考评', href: '/admin/evaluation' },
  ...(year ? [{ label: `${year} 年度`, href: `/admin/evaluation/${year}` }] : []),
  ...(label ? [{ label }] : []),
];

/** A moment in the platform's time zone (Beijing time by default), or a dash. */
const when = (ctx: PageContext, iso: string | null) => (iso ? ctx.time.dateTime(iso) : '—');

export function EvaluationIndexPage({
  ctx,
  years,
  current,
}: {
  ctx: PageContext;
  years: EvaluationYear[];
  current: number;
}): JSX.Element {
  const listed = new Map(years.map((y) => [y.year, y]));
  const all = [...new Set([current, current - 1, ...years.map((y) => y.year)])].sort((a, b) => b - a);
  return (
    <Layout ctx={ctx} title="年度考评" crumbs={crumbs()}>
      <h1>年度网民留言办理工作考评</h1>
      <p class="lead">
        设定年度考评指标和权重，运行考评，确认先进单位和先进工作者名单后发布到
        <a href="/honours">荣誉榜</a>。
      </p>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">年度</th>
            <th scope="col">状态</th>
            <th scope="col">运行时间</th>
            <th scope="col">发布时间</th>
          </tr>
        </thead>
        <tbody>
          {all.map((year) => {
            const y = listed.get(year);
            return (
              <tr>
                <td>
                  <a href={`/admin/evaluation/${year}`} safe>{`${year} 年度`}</a>
                </td>
                <td safe>{STATUS_LABELS[y?.status ?? 'draft']}</td>
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

function ReasonField({ id, errors, name = 'reason' }: { id: string; errors?: FormErrors; name?: string }): JSX.Element {
  const error = errors?.[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>调整理由（必填）</label>
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
  const listed = awards.filter((a) => a.kind === kind);
  const table = kind === 'unit' ? unitAwardsTable(year, listed) : workerAwardsTable(year, listed);
  return (
    <TableView
      table={table}
      extra={{
        label: editable ? '来源 / 移出' : '来源',
        cell: (i) => {
          const award = listed[i]!;
          return (
            <>
              <span class="meta">{award.source === 'added' ? '管理员添加' : '系统建议'}</span>
              {editable ? (
                <form method="post" action={`/admin/evaluation/${year}/awards/${award.id}/remove`} class="stack">
                  <CsrfField ctx={ctx} />
                  <ReasonField id={`remove-${award.id}`} errors={errorFor === award.id ? errors : undefined} />
                  <button type="submit" class="link" safe>
                    {`移出名单：${awardName(award)}`}
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
function AwardSection(
  props: Parameters<typeof AwardList>[0] & { title: string; options: { id: number; label: string }[] },
): JSX.Element {
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
  options: { id: number; label: string }[];
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
        <label for={`${id}-id`}>{kind === 'unit' ? '添加先进单位' : '添加先进工作者'}</label>
        <select id={`${id}-id`} name="id" aria-describedby={mine?.[field] ? `${id}-id-error` : undefined}>
          {options.map((o) => (
            <option value={String(o.id)} safe>
              {o.label}
            </option>
          ))}
        </select>
        <FieldError errors={mine} name={field} id={`${id}-id-error`} />
      </div>
      <ReasonField id={`${id}-reason`} errors={mine} />
      <Submit label="添加到名单" kind="secondary" />
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
  const { state, units, workers, awards, edits } = data;
  const { year } = state;
  const published = state.status === 'published';
  const editable = state.status === 'run' || state.status === 'confirmed';
  const awardedUnits = new Set(awards.filter((a) => a.kind === 'unit').map((a) => a.unit?.unitId));
  const awardedWorkers = new Set(awards.filter((a) => a.kind === 'worker').map((a) => a.worker?.userId));
  const configErrors = errors && errors._form_of === 'config' ? errors : undefined;
  const stepErrors = errors && errors._form_of === 'step' ? errors : undefined;
  return (
    <Layout ctx={ctx} title={`${year} 年度考评`} crumbs={crumbs(undefined, year)}>
      <h1 safe>{`${year} 年度网民留言办理工作考评`}</h1>
      <Notice text={notice} />
      <p>
        状态：<strong safe>{STATUS_LABELS[state.status]}</strong>
        <span class="meta" safe>
          {`（运行：${when(ctx, state.runAt)}；确认：${when(ctx, state.confirmedAt)}；发布：${when(ctx, state.publishedAt)}）`}
        </span>
      </p>
      {published ? (
        <p>
          <a href={`/honours/${year}`} safe>{`查看荣誉榜上的 ${year} 年度名单`}</a>
        </p>
      ) : (
        ''
      )}

      <section class="panel" aria-labelledby="settings">
        <h2 id="settings">考评指标、权重和名额</h2>
        <FormError errors={configErrors} />
        {published ? (
          <p class="meta">结果已发布，设置不能再修改。</p>
        ) : (
          <form method="post" action={`/admin/evaluation/${year}/config`} class="stack wide">
            <CsrfField ctx={ctx} />
            <fieldset class={configErrors?.weights ? 'field has-error' : 'field'}>
              <legend>指标权重（整数，合计 100；权重为 0 的指标不计入）</legend>
              {INDICATOR_KEYS.map((k) => (
                <Field
                  name={`weight_${k}`}
                  label={INDICATORS[k].label}
                  value={values[`weight_${k}`]}
                  errors={configErrors}
                  inputmode="numeric"
                  maxlength={3}
                  hint={INDICATORS[k].formula}
                />
              ))}
              <FieldError errors={configErrors} name="weights" id="weights-error" />
            </fieldset>
            {SETTING_FIELDS.map((s) => (
              <Field
                name={s.field}
                label={s.label}
                value={values[s.field]}
                errors={configErrors}
                inputmode="numeric"
                maxlength={7}
                hint={s.hint || undefined}
              />
            ))}
            <Field
              name="issuer"
              label="证书颁发单位"
              value={values.issuer}
              errors={configErrors}
              maxlength={ISSUER_MAX}
              hint="印在每张荣誉证书上，如“某某省网民留言办理工作领导小组办公室”；确认名单前须填写。"
            />
            <Submit label="保存设置" kind="secondary" />
          </form>
        )}
      </section>

      <FormulaNote config={state.runConfig ?? state.config} />

      <section class="panel" aria-labelledby="run">
        <h2 id="run">运行考评</h2>
        <FormError errors={errors && errors._form_of === 'run' ? errors : undefined} />
        {published ? (
          <p class="meta">结果已发布，不能重新运行。</p>
        ) : (
          <form method="post" action={`/admin/evaluation/${year}/run`} class="stack">
            <CsrfField ctx={ctx} />
            <p class="meta">
              按当前设置计算每个办理单位的各项指标、综合得分和同级排名，并提出先进单位、先进工作者建议名单。
              重新运行会替换上一次的结果和名单（包括手工调整），并撤销确认。
            </p>
            <Submit label={state.runAt ? '重新运行考评' : '运行考评'} />
          </form>
        )}
        {state.runAt ? (
          <p>
            <span safe>
              {`参评单位 ${units.filter((u) => u.eligible).length} 个，不参评 ${units.filter((u) => !u.eligible).length} 个（全年收到留言的单位）。`}
            </span>
            <a href={`/admin/evaluation/${year}/results`}>全部单位的得分和排名</a> ·{' '}
            <a href={`/admin/evaluation/${year}/workers`}>工作人员答复情况</a>
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
            title="先进单位名单"
            options={units
              .filter((u) => !awardedUnits.has(u.unitId))
              .map((u) => ({
                id: u.unitId,
                label: `${levelLabel(u.level)} · ${u.unitName}（${u.rank ? `第 ${u.rank} 名，${u.score} 分` : '不参评'}）`,
              }))}
          />
          <AwardSection
            {...{ ctx, year, awards, editable, errors, errorFor }}
            kind="worker"
            title="先进工作者名单"
            options={workers
              .filter((w) => !awardedWorkers.has(w.userId))
              .map((w) => ({
                id: w.userId,
                label: `${w.name}（${w.unitName}，答复 ${w.replies} 条${w.eligible ? '' : '，未达条件'}）`,
              }))}
          />
          <section aria-labelledby="edits">
            <h2 id="edits">名单调整记录</h2>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">时间</th>
                  <th scope="col">管理员</th>
                  <th scope="col">调整</th>
                  <th scope="col">理由</th>
                </tr>
              </thead>
              <tbody>
                {edits.map((e) => (
                  <tr>
                    <td safe>{when(ctx, e.at)}</td>
                    <td safe>{e.actorName ?? '—'}</td>
                    <td
                      safe
                    >{`${e.action === 'add' ? '添加' : '移出'}${e.kind === 'unit' ? '先进单位' : '先进工作者'}：${e.name}`}</td>
                    <td safe>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {edits.length === 0 ? <p class="meta">名单未经调整。</p> : ''}
          </section>
          <section class="panel" aria-labelledby="publish">
            <h2 id="publish">确认和发布</h2>
            <FormError errors={stepErrors} />
            {published ? (
              <p safe>{`已于 ${when(ctx, state.publishedAt)} 发布。`}</p>
            ) : (
              <>
                <form method="post" action={`/admin/evaluation/${year}/confirm`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="secondary" disabled={state.status === 'confirmed'}>
                    {state.status === 'confirmed' ? '名单已确认' : '确认名单'}
                  </button>
                </form>{' '}
                <form method="post" action={`/admin/evaluation/${year}/publish`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="primary">
                    发布到荣誉榜
                  </button>
                </form>
                <p class="meta">确认后再调整名单，需重新确认。发布后名单公开，不能再修改。</p>
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
}: {
  ctx: PageContext;
  year: number;
  table: DataTable;
  path: string;
  label: string;
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={table.title} crumbs={crumbs(label, year)}>
      <h1 safe>{table.title}</h1>
      <DownloadLinks base={path} />
      <TableView table={table} />
    </Layout>
  );
}
