// The admin page for deadline rules: pick a region, see the rules in force and where each comes from, set its own.
import { escapeHtml } from '@kitajs/html';
import {
  type MessageTypeKey,
  type RulesOverride,
  type WorkingRules,
  XINFANG_PRESET,
} from '../../deadlines/working-rules.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../../i18n/i18n.ts';
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

export const RULE_FIELDS: readonly { field: RuleField; kind: FieldKind }[] = [
  { field: 'dayKind', kind: 'dayKind' },
  { field: 'reviewHours', kind: 'hours' },
  { field: 'acceptDays', kind: 'days' },
  { field: 'handlingDays.consult', kind: 'days' },
  { field: 'handlingDays.suggest', kind: 'days' },
  { field: 'handlingDays.complain', kind: 'days' },
  { field: 'handlingDays.help', kind: 'days' },
  { field: 'handlingDays.thanks', kind: 'days' },
  { field: 'extensionMaxDays', kind: 'days' },
  { field: 'maxExtensions', kind: 'times' },
  { field: 'objectionDays', kind: 'days' },
  { field: 'ratingDays', kind: 'days' },
  { field: 'escalationDays', kind: 'days' },
  { field: 'documentTitle', kind: 'text' },
  { field: 'documentUrl', kind: 'url' },
];

/** The command line speaks the default language; pages pass their own. */
const zh = translator(DEFAULT_LOCALE);

type Preset = NonNullable<RulesOverride['preset']>;

export function presetLabel(preset: Preset, t: Translate = zh): string {
  return t(`rules.preset.${preset}`);
}

export function dayKindLabel(kind: WorkingRules['dayKind'], t: Translate = zh): string {
  return t(`rules.dayKind.${kind}`);
}

/** A field's value in resolved rules or in an override (undefined: the override leaves it alone). */
export function fieldValue(source: WorkingRules | RulesOverride, field: RuleField): string | number | null | undefined {
  if (field.startsWith('handlingDays.')) {
    return source.handlingDays?.[field.slice('handlingDays.'.length) as MessageTypeKey];
  }
  return (source as Record<string, string | number | null | undefined>)[field];
}

export function fieldLabel(field: string, t: Translate = zh): string {
  return RULE_FIELDS.some((f) => f.field === field) ? t(`rules.field.${field as RuleField}`) : field;
}

/** A count with its unit: one and several read differently in English. */
function counted(t: Translate, unit: 'hours' | 'working' | 'calendar' | 'times', n: number | string): string {
  return t(`rules.value.${unit}.${Number(n) === 1 ? 'one' : 'other'}`, { n });
}

/** How a value reads, in the rules' own day kind. */
export function describeValue(
  field: RuleField,
  value: string | number | null | undefined,
  dayKind: WorkingRules['dayKind'],
  t: Translate = zh,
): string {
  if (value === null || value === undefined || value === '') return t('rules.value.unset');
  const kind = RULE_FIELDS.find((f) => f.field === field)?.kind;
  switch (kind) {
    case 'dayKind':
      return value === 'working' || value === 'calendar' ? dayKindLabel(value, t) : String(value);
    case 'text':
      return value === XINFANG_PRESET.documentTitle ? t('rules.xinfangDocument') : String(value);
    case 'hours':
      return counted(t, 'hours', value);
    case 'days':
      if (field === 'handlingDays.thanks' && value === 0) return t('rules.value.noHandling');
      return counted(t, dayKind, value);
    case 'times':
      return counted(t, 'times', value);
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

/** Where a value comes from; `place` names a region in the page's language. */
export function describeSource(
  source: RuleSource,
  t: Translate = zh,
  place: (name: string) => string = (n) => n,
): string {
  if (source.kind === 'default') return t('rules.source.default');
  const region = place(source.region.name);
  if (source.kind === 'region') return t('admin.scope.withId', { name: region, id: source.region.code });
  return source.preset === 'xinfang'
    ? t('rules.source.xinfang', { region })
    : t('rules.source.defaultPreset', { region });
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
  ...(region
    ? [{ label: ctx.t('rules.title'), href: '/admin/rules' }, { label: ctx.names.place(region.name) }]
    : [{ label: ctx.t('rules.title') }]),
];

/** "Hebei Province (130000)", "河北省（130000）". */
const regionWithCode = (ctx: PageContext, r: { code: string; name: string }) =>
  ctx.t('admin.scope.withId', { name: ctx.names.place(r.name), id: r.code });

function RegionPicker({ ctx, code, error }: { ctx: PageContext; code?: string; error?: string }): JSX.Element {
  return (
    <form method="get" action="/admin/rules" class="stack" role="search">
      <Field
        name="region"
        label={ctx.t('rules.pick.label')}
        inputmode="numeric"
        maxlength={6}
        value={code}
        errors={error ? { region: error } : undefined}
        idPrefix="pick"
      />
      <Submit label={ctx.t('rules.pick.submit')} kind="secondary" />
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

/** A value as the page shows it: the document's title is what the region's admin typed. */
function RuleValue({ ctx, view, row }: { ctx: PageContext; view: RegionRulesView; row: RulesRow }): JSX.Element {
  if (row.field === 'documentUrl' && typeof row.value === 'string')
    return (
      <a href={row.value} rel="noopener noreferrer" translate="no" safe>
        {row.value}
      </a>
    );
  // A title a region's admin typed is theirs; the preset's (《信访工作条例》) is the platform's and is translated.
  const own = row.field === 'documentTitle' && row.source.kind === 'region' && typeof row.value === 'string';
  return (
    <span translate={own ? 'no' : undefined} safe>
      {describeValue(row.field, row.value, view.rules.dayKind, ctx.t)}
    </span>
  );
}

function RulesTable({ ctx, view }: { ctx: PageContext; view: RegionRulesView }): JSX.Element {
  const { t } = ctx;
  return (
    <table class="data">
      <thead>
        <tr>
          <th safe>{t('rules.col.item')}</th>
          <th safe>{t('rules.col.current')}</th>
          <th safe>{t('rules.col.source')}</th>
        </tr>
      </thead>
      <tbody>
        {view.rows.map((row) => (
          <tr>
            <td safe>{fieldLabel(row.field, t)}</td>
            <td>
              <RuleValue ctx={ctx} view={view} row={row} />
            </td>
            <td safe>{describeSource(row.source, t, ctx.names.place)}</td>
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
  const { t } = ctx;
  const code = view.region.code;
  const hintFor = (field: RuleField) => {
    const inherited = view.inherited[field];
    const dayKind = view.inherited.dayKind.value === 'calendar' ? 'calendar' : 'working';
    return t('rules.inherit', {
      value: describeValue(field, inherited.value, dayKind, t),
      source: describeSource(inherited.source, t, ctx.names.place),
    });
  };
  const unit = (kind: FieldKind) =>
    t(kind === 'hours' ? 'rules.unit.hours' : kind === 'times' ? 'rules.unit.times' : 'rules.unit.days');
  return (
    <form method="post" action={`/admin/rules/${code}`} class="stack" novalidate>
      <CsrfField ctx={ctx} />
      <FormError errors={errors} />
      <p class="hint" safe>
        {t('rules.form.hint')}
      </p>
      <Select
        name="preset"
        label={t('rules.form.preset')}
        value={values.preset}
        errors={errors}
        options={[
          { value: '', label: t('rules.form.noPreset') },
          { value: 'default', label: presetLabel('default', t) },
          { value: 'xinfang', label: presetLabel('xinfang', t) },
        ]}
      />
      <Select
        name="dayKind"
        label={fieldLabel('dayKind', t)}
        value={values.dayKind}
        errors={errors}
        hint={hintFor('dayKind')}
        options={[
          { value: '', label: t('rules.form.inherit') },
          { value: 'working', label: t('rules.form.working') },
          { value: 'calendar', label: dayKindLabel('calendar', t) },
        ]}
      />
      <fieldset>
        <legend safe>{t('rules.form.limits')}</legend>
        {RULE_FIELDS.filter((f) => f.kind === 'hours' || f.kind === 'days' || f.kind === 'times').map((f) => (
          <Field
            name={f.field}
            label={t('rules.form.withUnit', { label: fieldLabel(f.field, t), unit: unit(f.kind) })}
            inputmode="numeric"
            maxlength={6}
            value={values[f.field]}
            errors={errors}
            hint={hintFor(f.field)}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend safe>{t('rules.form.document')}</legend>
        <Field
          name="documentTitle"
          label={t('rules.form.documentTitle')}
          maxlength={200}
          value={values.documentTitle}
          errors={errors}
          hint={hintFor('documentTitle')}
        />
        <Field
          name="documentUrl"
          label={t('rules.form.documentUrl')}
          type="url"
          maxlength={2000}
          value={values.documentUrl}
          errors={errors}
          hint={hintFor('documentUrl')}
        />
      </fieldset>
      <Submit label={t('rules.form.save')} />
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
  const { t } = ctx;
  const title = view ? t('rules.titleOf', { region: regionWithCode(ctx, view.region) }) : t('rules.title');
  const parent = view?.ancestors.at(-1);
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs(ctx, view?.region)}>
      <h1 safe>{title}</h1>
      <Notice text={notice} />
      <RegionPicker ctx={ctx} code={pickedCode ?? view?.region.code} error={pickError} />
      {view ? (
        <>
          <nav aria-label={t('rules.nav')}>
            {view.ancestors.length > 0 ? (
              <p>
                <span safe>{t('rules.parents')}</span>
                {view.ancestors.map((a, i) => (
                  <>
                    {i > 0 ? ' › ' : ''}
                    <a href={`/admin/rules?region=${a.code}`} rel={a === parent ? 'up' : undefined} safe>
                      {ctx.names.place(a.name)}
                    </a>
                  </>
                ))}
              </p>
            ) : (
              <p>
                <a href="/admin/rules" safe>
                  {t('rules.allProvinces')}
                </a>
              </p>
            )}
          </nav>
          <h2 safe>{t('rules.current')}</h2>
          <p class="hint" safe>
            {t('rules.currentHint')}
          </p>
          <RulesTable ctx={ctx} view={view} />
          <h2 safe>{t('rules.own')}</h2>
          <OverrideForm ctx={ctx} view={view} values={values} errors={errors} />
          {view.ownIsEmpty ? (
            ''
          ) : (
            <form method="post" action={`/admin/rules/${view.region.code}/clear`} class="stack">
              <CsrfField ctx={ctx} />
              <p class="hint" safe>
                {t('rules.clearHint')}
              </p>
              <Submit label={t('rules.clear')} kind="danger" />
            </form>
          )}
          {view.children.length > 0 ? (
            <>
              <h2 safe>{t('rules.children')}</h2>
              <ul>
                {view.children.map((c) => (
                  <li>
                    <a href={`/admin/rules?region=${c.code}`} safe>
                      {regionWithCode(ctx, c)}
                    </a>
                    {c.hasOverride ? escapeHtml(` · ${t('rules.hasOwn')}`) : ''}
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
          <h2 safe>{t('rules.provinces')}</h2>
          <ul>
            {provinces.map((p) => (
              <li>
                <a href={`/admin/rules?region=${p.code}`} safe>
                  {regionWithCode(ctx, p)}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
