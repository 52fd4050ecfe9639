// The admin page for deadline rules: pick a region, see the rules in force and where each comes from, set its own.
import type { MessageTypeKey, RulesOverride, WorkingRules } from '../../deadlines/working-rules.ts';
import type { Region } from '../../regions/regions.service.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';

// Fields, labels and how values read: shared by the page and the `liuyan rules` command.

export const MESSAGE_TYPE_KEYS: readonly MessageTypeKey[] = ['consult', 'suggest', 'complain', 'help', 'thanks'];

export type RuleField =
  | 'dayKind'
  | 'reviewHours'
  | 'acceptDays'
  | `handlingDays.${MessageTypeKey}`
  | 'extensionMaxDays'
  | 'maxExtensions'
  | 'objectionDays'
  | 'ratingDays'
  | 'escalationDays'
  | 'documentTitle'
  | 'documentUrl';

type FieldKind = 'dayKind' | 'hours' | 'days' | 'times' | 'text' | 'url';

export const RULE_FIELDS: readonly { field: RuleField; label: string; kind: FieldKind }[] = [
  { field: 'dayKind', label: '计日方式', kind: 'dayKind' },
  { field: 'reviewHours', label: '审核时限', kind: 'hours' },
  { field: 'acceptDays', label: '受理时限', kind: 'days' },
  { field: 'handlingDays.consult', label: '咨询类办理时限', kind: 'days' },
  { field: 'handlingDays.suggest', label: '建言类办理时限', kind: 'days' },
  { field: 'handlingDays.complain', label: '投诉类办理时限', kind: 'days' },
  { field: 'handlingDays.help', label: '求助类办理时限', kind: 'days' },
  { field: 'handlingDays.thanks', label: '感谢类办理时限', kind: 'days' },
  { field: 'extensionMaxDays', label: '延期最长天数', kind: 'days' },
  { field: 'maxExtensions', label: '延期次数上限', kind: 'times' },
  { field: 'objectionDays', label: '退回时限', kind: 'days' },
  { field: 'ratingDays', label: '评价期限', kind: 'days' },
  { field: 'escalationDays', label: '督办升级期限', kind: 'days' },
  { field: 'documentTitle', label: '依据文件名称', kind: 'text' },
  { field: 'documentUrl', label: '依据文件链接', kind: 'url' },
];

export const PRESET_LABELS: Record<NonNullable<RulesOverride['preset']>, string> = {
  default: '默认（平台默认时限，按工作日计）',
  xinfang: '信访（《信访工作条例》：按自然日计）',
};

export const DAY_KIND_LABELS: Record<WorkingRules['dayKind'], string> = {
  working: '工作日',
  calendar: '自然日',
};

/** A field's value in resolved rules or in an override (undefined: the override leaves it alone). */
export function fieldValue(source: WorkingRules | RulesOverride, field: RuleField): string | number | null | undefined {
  if (field.startsWith('handlingDays.')) {
    return source.handlingDays?.[field.slice('handlingDays.'.length) as MessageTypeKey];
  }
  return (source as Record<string, string | number | null | undefined>)[field];
}

export function fieldLabel(field: string): string {
  return RULE_FIELDS.find((f) => f.field === field)?.label ?? field;
}

/** How a value reads, in the rules' own day kind. */
export function describeValue(
  field: RuleField,
  value: string | number | null | undefined,
  dayKind: WorkingRules['dayKind'],
): string {
  if (value === null || value === undefined || value === '') return '（未设置）';
  const kind = RULE_FIELDS.find((f) => f.field === field)?.kind;
  switch (kind) {
    case 'dayKind':
      return DAY_KIND_LABELS[value as WorkingRules['dayKind']] ?? String(value);
    case 'hours':
      return `${value} 小时`;
    case 'days':
      if (field === 'handlingDays.thanks' && value === 0) return '0（无需办理）';
      return `${value} 个${DAY_KIND_LABELS[dayKind]}`;
    case 'times':
      return `${value} 次`;
    default:
      return String(value);
  }
}

export interface RegionRef {
  code: string;
  name: string;
}

/** Where a value in force comes from. */
export type RuleSource =
  | { kind: 'default' }
  | { kind: 'preset'; preset: NonNullable<RulesOverride['preset']>; region: RegionRef }
  | { kind: 'region'; region: RegionRef };

export function describeSource(source: RuleSource): string {
  if (source.kind === 'default') return '默认';
  if (source.kind === 'region') return `${source.region.name}（${source.region.code}）`;
  return source.preset === 'xinfang'
    ? `信访预设（${source.region.name}选用）`
    : `默认（${source.region.name}选用默认预设）`;
}

// The page.

export interface ChildRegion extends Region {
  hasOverride: boolean;
}

export interface RulesRow {
  field: RuleField;
  value: string | number | null;
  source: RuleSource;
}

export interface RegionRulesView {
  region: Region;
  /** Province first, down to the region's parent. */
  ancestors: Region[];
  children: ChildRegion[];
  rules: WorkingRules;
  rows: RulesRow[];
  ownIsEmpty: boolean;
  /** What each field becomes when the region leaves it empty. */
  inherited: Record<RuleField, { value: string | number | null; source: RuleSource }>;
}

const crumbs = (ctx: PageContext, region?: Region) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('admin.title'), href: '/admin' },
  ...(region ? [{ label: '办理时限', href: '/admin/rules' }, { label: region.name }] : [{ label: '办理时限' }]),
];

function RegionPicker({ code, error }: { code?: string; error?: string }): JSX.Element {
  return (
    <form method="get" action="/admin/rules" class="stack" role="search">
      <Field
        name="region"
        label="地区代码（6 位数字，如 130000）"
        inputmode="numeric"
        maxlength={6}
        value={code}
        errors={error ? { region: error } : undefined}
        idPrefix="pick"
      />
      <Submit label="查看" kind="secondary" />
    </form>
  );
}

function Select({
  name,
  label,
  options,
  value,
  errors,
  hint,
}: {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  value?: string;
  errors?: FormErrors;
  hint?: string;
}): JSX.Element {
  const id = `f-${name}`;
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id} safe>
        {label}
      </label>
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? '')} safe>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {hint}
        </p>
      ) : (
        ''
      )}
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

function RulesTable({ view }: { view: RegionRulesView }): JSX.Element {
  return (
    <table class="data">
      <thead>
        <tr>
          <th>项目</th>
          <th>现行</th>
          <th>来源</th>
        </tr>
      </thead>
      <tbody>
        {view.rows.map((row) => (
          <tr>
            <td safe>{fieldLabel(row.field)}</td>
            <td>
              {row.field === 'documentUrl' && typeof row.value === 'string' ? (
                <a href={row.value} rel="noopener noreferrer" safe>
                  {row.value}
                </a>
              ) : (
                <span safe>{describeValue(row.field, row.value, view.rules.dayKind)}</span>
              )}
            </td>
            <td safe>{describeSource(row.source)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OverrideForm({
  ctx,
  view,
  values,
  errors,
}: {
  ctx: PageContext;
  view: RegionRulesView;
  values: Record<string, string>;
  errors?: FormErrors;
}): JSX.Element {
  const code = view.region.code;
  const hintFor = (field: RuleField) => {
    const inherited = view.inherited[field];
    const dayKind = view.inherited.dayKind.value === 'calendar' ? 'calendar' : 'working';
    return `留空则沿用：${describeValue(field, inherited.value, dayKind)}（${describeSource(inherited.source)}）`;
  };
  return (
    <form method="post" action={`/admin/rules/${code}`} class="stack" novalidate>
      <CsrfField ctx={ctx} />
      <FormError errors={errors} />
      <p class="hint">
        留空的项目沿用上级地区（或所选预设）的设置；选用预设时，先整体采用该预设，再叠加本地区填写的项目。下级地区未单独设置的项目沿用本地区的设置。
      </p>
      <Select
        name="preset"
        label="预设"
        value={values.preset}
        errors={errors}
        options={[
          { value: '', label: '不使用预设（沿用上级）' },
          { value: 'default', label: PRESET_LABELS.default },
          { value: 'xinfang', label: PRESET_LABELS.xinfang },
        ]}
      />
      <Select
        name="dayKind"
        label="计日方式"
        value={values.dayKind}
        errors={errors}
        hint={hintFor('dayKind')}
        options={[
          { value: '', label: '沿用' },
          { value: 'working', label: '工作日（按国务院公布的节假日和调休）' },
          { value: 'calendar', label: '自然日' },
        ]}
      />
      <fieldset>
        <legend>时限</legend>
        {RULE_FIELDS.filter((f) => f.kind === 'hours' || f.kind === 'days' || f.kind === 'times').map((f) => (
          <Field
            name={f.field}
            label={`${f.label}（${f.kind === 'hours' ? '小时' : f.kind === 'times' ? '次' : '天'}）`}
            inputmode="numeric"
            maxlength={6}
            value={values[f.field]}
            errors={errors}
            hint={hintFor(f.field)}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend>依据文件</legend>
        <Field
          name="documentTitle"
          label="依据文件名称（如《河北省网民留言办理工作办法》）"
          maxlength={200}
          value={values.documentTitle}
          errors={errors}
          hint={hintFor('documentTitle')}
        />
        <Field
          name="documentUrl"
          label="依据文件链接（http:// 或 https://）"
          type="url"
          maxlength={2000}
          value={values.documentUrl}
          errors={errors}
          hint={hintFor('documentUrl')}
        />
      </fieldset>
      <Submit label="保存本地区设置" />
    </form>
  );
}

export function RulesPage({
  ctx,
  provinces,
  view,
  pickedCode,
  pickError,
  values = {},
  errors,
  notice,
}: {
  ctx: PageContext;
  /** Shown when no region is chosen. */
  provinces: Region[];
  view?: RegionRulesView;
  pickedCode?: string;
  pickError?: string;
  values?: Record<string, string>;
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const title = view ? `${view.region.name}（${view.region.code}）的办理时限` : '办理时限';
  const parent = view?.ancestors.at(-1);
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs(ctx, view?.region)}>
      <h1 safe>{title}</h1>
      <Notice text={notice} />
      <RegionPicker code={pickedCode ?? view?.region.code} error={pickError} />
      {view ? (
        <>
          <nav aria-label="上下级地区">
            {view.ancestors.length > 0 ? (
              <p>
                上级地区：
                {view.ancestors.map((a, i) => (
                  <>
                    {i > 0 ? ' › ' : ''}
                    <a href={`/admin/rules?region=${a.code}`} rel={a === parent ? 'up' : undefined} safe>
                      {a.name}
                    </a>
                  </>
                ))}
              </p>
            ) : (
              <p>
                <a href="/admin/rules">全部省级地区</a>
              </p>
            )}
          </nav>
          <h2>现行规则</h2>
          <p class="hint">按默认值、上级地区和本地区的设置依次叠加得出；下级地区未单独设置时即按此执行。</p>
          <RulesTable view={view} />
          <h2>本地区的设置</h2>
          <OverrideForm ctx={ctx} view={view} values={values} errors={errors} />
          {view.ownIsEmpty ? (
            ''
          ) : (
            <form method="post" action={`/admin/rules/${view.region.code}/clear`} class="stack">
              <CsrfField ctx={ctx} />
              <p class="hint">清除后本地区全部沿用上级设置。</p>
              <Submit label="清除本地区设置" kind="danger" />
            </form>
          )}
          {view.children.length > 0 ? (
            <>
              <h2>下级地区</h2>
              <ul>
                {view.children.map((c) => (
                  <li>
                    <a href={`/admin/rules?region=${c.code}`} safe>
                      {`${c.name}（${c.code}）`}
                    </a>
                    {c.hasOverride ? ' · 有单独设置' : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            ''
          )}
        </>
      ) : (
        <>
          <h2>省级地区</h2>
          <ul>
            {provinces.map((p) => (
              <li>
                <a href={`/admin/rules?region=${p.code}`} safe>
                  {`${p.name}（${p.code}）`}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
