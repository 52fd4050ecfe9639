// Admin pages: the index, finding users, one user's roles and logins, new staff, the admin log, security settings.
import { escapeHtml } from '@kitajs/html';
import { isRole, ROLE_SCOPES, ROLES, type Role } from '../../accounts/roles.ts';
import { maskPhone } from '../../accounts/phone.ts';
import type { Translate } from '../../i18n/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { asHtml, type Markup, quote, sentence, unitParam } from './sentence.ts';

/** A role's name in the page's language; a role the platform no longer knows is shown as stored. */
export function roleLabel(t: Translate, role: string): string {
  return isRole(role) ? t(`admin.role.${role}`) : role;
}

/** "Nickname (199****0011)": the nickname is what the person chose, marked as theirs. */
function Person({ ctx, nickname, phone }: { ctx: PageContext; nickname: string; phone: string | null }): JSX.Element {
  return sentence(ctx.t, 'admin.person', { name: quote(nickname), phone: phone ? maskPhone(phone) : '—' });
}

export interface UserRow {
  id: number;
  phone: string | null;
  nickname: string;
  isStaff: boolean;
}

export interface UnitRef {
  id: number;
  name: string;
}

const crumbs = (ctx: PageContext, label?: string, own?: boolean) => [
  { label: ctx.t('nav.home'), href: '/' },
  { label: ctx.t('admin.title'), href: '/admin' },
  ...(label ? [{ label, own }] : []),
];

export function AdminIndexPage({
  ctx,
  isAdmin,
  units,
  notice,
}: {
  ctx: PageContext;
  isAdmin: boolean;
  units: UnitRef[];
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.title')} crumbs={crumbs(ctx)}>
      <h1 safe>{t('admin.title')}</h1>
      <Notice text={notice} />
      <ul>
        {isAdmin ? (
          <>
            <li>
              <a href="/admin/users" safe>
                {t('admin.users')}
              </a>
            </li>
            <li>
              <a href="/admin/staff" safe>
                {t('admin.staff')}
              </a>
            </li>
            <li>
              <a href="/admin/log" safe>
                {t('admin.log')}
              </a>
            </li>
            <li>
              <a href="/admin/private-reads" safe>
                {t('reads.title')}
              </a>
            </li>
            <li>
              <a href="/admin/settings" safe>
                {t('admin.settings')}
              </a>
            </li>
            <li>
              <a href="/admin/rules" safe>
                {t('admin.link.rules')}
              </a>
            </li>
            <li>
              <a href="/admin/evaluation" safe>
                {t('admin.link.evaluation')}
              </a>
            </li>
            <li>
              <a href="/admin/open311" safe>
                {t('open311.keys.title')}
              </a>
            </li>
            <li>
              <a href="/admin/sms-inbound" safe>
                {t('admin.link.smsInbound')}
              </a>
            </li>
          </>
        ) : (
          ''
        )}
        {units.map((u) => (
          <li>
            <a href={`/admin/units/${u.id}`}>
              {sentence(t, 'admin.unitStaffOf', { unit: unitParam(ctx.names, u.name) })}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function UsersPage({ ctx, query, users }: { ctx: PageContext; query: string; users: UserRow[] }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.users')} crumbs={crumbs(ctx, t('admin.users'))}>
      <h1 safe>{t('admin.users')}</h1>
      <form method="get" action="/admin/users" class="stack" role="search">
        <Field name="q" label={t('admin.search')} value={query} maxlength={32} />
        <Submit label={t('admin.searchSubmit')} kind="secondary" />
      </form>
      {query && users.length === 0 ? <p safe>{t('admin.noUsers')}</p> : ''}
      <ul>
        {users.map((u) => (
          <li>
            <a href={`/admin/users/${u.id}`}>
              <Person ctx={ctx} nickname={u.nickname} phone={u.phone} />
              {u.isStaff ? <span safe>{` · ${t('admin.users.staffMark')}`}</span> : ''}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface GrantRow {
  id: number;
  role: Role;
  scopeType: string;
  scopeId: string;
  /** The scope as the page's language names it. */
  scope: Markup;
}

function RoleSelect({
  ctx,
  roles,
  selected,
}: {
  ctx: PageContext;
  roles: readonly Role[];
  selected?: string;
}): JSX.Element {
  return (
    <div class="field">
      <label for="f-role" safe>
        {ctx.t('admin.role')}
      </label>
      <select id="f-role" name="role">
        {roles.map((r) => (
          <option value={r} selected={r === selected} safe>
            {ctx.t('admin.roleOption', {
              role: roleLabel(ctx.t, r),
              scopes: ROLE_SCOPES[r].map((s) => ctx.t(`admin.scope.${s}`)).join(' / '),
            })}
          </option>
        ))}
      </select>
    </div>
  );
}

function ScopeFields({
  ctx,
  errors,
  values,
}: {
  ctx: PageContext;
  errors?: FormErrors;
  values?: Record<string, string>;
}): JSX.Element {
  const { t } = ctx;
  return (
    <>
      <div class="field">
        <label for="f-scopeType" safe>
          {t('admin.scopeType')}
        </label>
        <select id="f-scopeType" name="scopeType">
          {(['global', 'unit', 'region', 'board'] as const).map((s) => (
            <option value={s} selected={values?.scopeType === s} safe>
              {t(`admin.scope.${s}`)}
            </option>
          ))}
        </select>
        {errors?.scopeType ? (
          <p class="error" role="alert" safe>
            {errors.scopeType}
          </p>
        ) : (
          ''
        )}
      </div>
      <Field name="scopeId" label={t('admin.scopeId')} value={values?.scopeId} maxlength={16} errors={errors} />
    </>
  );
}

export function UserPage({
  ctx,
  user,
  grants,
  sessions,
  grantableRoles,
  errors,
  values,
  notice,
}: {
  ctx: PageContext;
  user: UserRow;
  grants: GrantRow[];
  sessions: number;
  grantableRoles: readonly Role[];
  errors?: FormErrors;
  values?: Record<string, string>;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  const title = t('admin.user', { id: user.id });
  return (
    <Layout ctx={ctx} title={title} crumbs={crumbs(ctx, title)}>
      <h1>
        <Person ctx={ctx} nickname={user.nickname} phone={user.phone} />
      </h1>
      <Notice text={notice} />
      <h2 safe>{t('admin.grants')}</h2>
      {grants.length === 0 ? <p safe>{t('admin.noGrants')}</p> : ''}
      <ul>
        {grants.map((g) => (
          <li>
            <span>
              {escapeHtml(`${roleLabel(t, g.role)} · `)}
              {asHtml(g.scope)}
            </span>{' '}
            <form method="post" action={`/admin/users/${user.id}/grants/${g.id}/revoke`} class="inline">
              <CsrfField ctx={ctx} />
              <button type="submit" class="link" safe>
                {t('account.revoke')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      {grantableRoles.length > 0 ? (
        <>
          <h2 safe>{t('admin.grant')}</h2>
          <form method="post" action={`/admin/users/${user.id}/grants`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <FormError errors={errors} />
            <RoleSelect ctx={ctx} roles={grantableRoles} selected={values?.role} />
            <ScopeFields ctx={ctx} errors={errors} values={values} />
            <Submit label={t('admin.grant')} />
          </form>
        </>
      ) : (
        ''
      )}
      <h2 safe>{t('account.security')}</h2>
      <p safe>{t('admin.sessions', { count: sessions })}</p>
      <form method="post" action={`/admin/users/${user.id}/sessions/revoke`} class="stack">
        <CsrfField ctx={ctx} />
        <Submit label={t('admin.endSessions')} kind="danger" />
      </form>
    </Layout>
  );
}

export function StaffPage({
  ctx,
  action,
  title,
  ownTitle,
  roles,
  staff,
  fixedUnit,
  errors,
  values,
  notice,
}: {
  ctx: PageContext;
  action: string;
  title: string;
  /** The title is a unit's name as people wrote it. */
  ownTitle?: boolean;
  roles: readonly Role[];
  staff: { id: number; phone: string | null; nickname: string; role: string }[];
  /** A unit head creates staff only for their unit: the scope is fixed. */
  fixedUnit?: UnitRef;
  errors?: FormErrors;
  values?: Record<string, string>;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title} ownTitle={ownTitle} crumbs={crumbs(ctx, title, ownTitle)}>
      <h1 translate={ownTitle ? 'no' : undefined} safe>
        {title}
      </h1>
      <Notice text={notice} />
      {staff.length > 0 ? (
        <ul>
          {staff.map((s) => (
            <li>
              <a href={`/admin/users/${s.id}`}>
                <Person ctx={ctx} nickname={s.nickname} phone={s.phone} />
                <span safe>{` · ${roleLabel(t, s.role)}`}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      <h2 safe>{t('admin.staff')}</h2>
      <p class="hint" safe>
        {t('admin.staffHint')}
      </p>
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        <Field
          name="phone"
          label={t('form.phone')}
          type="tel"
          inputmode="numeric"
          maxlength={20}
          value={values?.phone}
          errors={errors}
        />
        <Field name="nickname" label={t('form.nickname')} maxlength={20} value={values?.nickname} errors={errors} />
        <Field
          name="password"
          label={t('form.password')}
          type="password"
          autocomplete="new-password"
          hint={t('form.passwordHint')}
          errors={errors}
        />
        <RoleSelect ctx={ctx} roles={roles} selected={values?.role} />
        {fixedUnit ? (
          <>
            <input type="hidden" name="scopeType" value="unit" />
            <input type="hidden" name="scopeId" value={String(fixedUnit.id)} />
          </>
        ) : (
          <ScopeFields ctx={ctx} errors={errors} values={values} />
        )}
        <Submit label={t('admin.staff')} />
      </form>
    </Layout>
  );
}

export function SettingsPage({
  ctx,
  required,
  weights,
  notice,
  errors,
}: {
  ctx: PageContext;
  required: Role[];
  /** The published satisfaction weights (percent), as saved or as just typed when they were refused. */
  weights: Record<'resolution' | 'timeliness' | 'attitude', number | string>;
  notice?: string;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.settings')} crumbs={crumbs(ctx, t('admin.settings'))}>
      <h1 safe>{t('admin.settings')}</h1>
      <Notice text={notice} />
      <form method="post" action="/admin/settings" class="stack">
        <CsrfField ctx={ctx} />
        <fieldset>
          <legend safe>{t('admin.totpRoles')}</legend>
          {ROLES.map((r) => (
            <div>
              <input type="checkbox" id={`totp-${r}`} name={`totp_${r}`} value="1" checked={required.includes(r)} />{' '}
              <label for={`totp-${r}`} safe>
                {roleLabel(t, r)}
              </label>
            </div>
          ))}
        </fieldset>
        <Submit label={t('form.save')} />
      </form>
      <h2 id="weights" safe>
        {t('admin.weights.title')}
      </h2>
      <p>
        <span safe>{t('admin.weights.intro')}</span>{' '}
        <a href="/stats" safe>
          {t('admin.weights.method')}
        </a>
      </p>
      <form method="post" action="/admin/settings/weights" class="stack">
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        {(
          [
            ['resolution', t('admin.weights.resolution')],
            ['timeliness', t('admin.weights.timeliness')],
            ['attitude', t('admin.weights.attitude')],
          ] as const
        ).map(([name, label]) => (
          <Field
            name={name}
            label={label}
            inputmode="numeric"
            maxlength={3}
            value={String(weights[name])}
            errors={errors}
          />
        ))}
        <Submit label={t('form.save')} />
      </form>
    </Layout>
  );
}
