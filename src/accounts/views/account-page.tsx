// The signed-in person's own page: profile, password, logins, app tokens, two-step verification, data and deletion.
import { Time } from '../../web/views/time.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { maskPhone } from '../phone.ts';
import { ROLE_LABELS } from '../roles.ts';

export interface AccountView {
  createdAt: string;
  tokens: { id: number; channel: string; name: string; createdAt: string }[];
  totpRequired: boolean;
}

export interface AccountState {
  notice?: string;
  /** Which form the errors belong to, so they show under the right section. */
  form?: 'nickname' | 'password' | 'delete';
  errors?: FormErrors;
  values?: Record<string, string>;
}

export function AccountPage({
  ctx,
  view,
  state,
}: {
  ctx: PageContext;
  view: AccountView;
  state: AccountState;
}): JSX.Element {
  const { t } = ctx;
  const user = ctx.user!;
  const errorsFor = (form: AccountState['form']) => (state.form === form ? state.errors : undefined);
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      <h1 safe>{t('account.title')}</h1>
      <Notice text={state.notice} />
      {view.totpRequired ? (
        <p class="notice" role="alert" safe>
          {t('account.totpRequired')}
        </p>
      ) : (
        ''
      )}
      <section class="panel" aria-labelledby="profile">
        <h2 id="profile" safe>
          {t('account.profile')}
        </h2>
        <dl class="facts">
          <div>
            <dt safe>{t('form.nickname')}</dt>
            <dd safe>{user.nickname}</dd>
          </div>
          <div>
            <dt safe>{t('account.phone')}</dt>
            <dd safe>{maskPhone(user.phone)}</dd>
          </div>
          <div>
            <dt safe>{t('account.since')}</dt>
            <dd>
              <Time ctx={ctx} iso={view.createdAt} dateOnly />
            </dd>
          </div>
        </dl>
        {user.grants.length > 0 ? (
          <>
            <h3 safe>{t('account.roles')}</h3>
            <ul>
              {user.grants.map((g) => (
                <li safe>{`${ROLE_LABELS[g.role]}${g.scopeId ? `（${g.scopeType} ${g.scopeId}）` : ''}`}</li>
              ))}
            </ul>
          </>
        ) : (
          ''
        )}
        <h3 safe>{t('account.nickname')}</h3>
        <form method="post" action="/account/nickname" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            name="nickname"
            label={t('form.nickname')}
            maxlength={20}
            value={state.form === 'nickname' ? state.values?.nickname : user.nickname}
            errors={errorsFor('nickname')}
          />
          <Submit label={t('form.save')} kind="secondary" />
        </form>
        <h3 safe>{t('account.password')}</h3>
        <form method="post" action="/account/password" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <FormError errors={errorsFor('password')} />
          <Field
            name="current"
            label={t('form.currentPassword')}
            type="password"
            autocomplete="current-password"
            errors={errorsFor('password')}
          />
          <Field
            name="password"
            label={t('form.newPassword')}
            type="password"
            autocomplete="new-password"
            hint={t('form.passwordHint')}
            errors={errorsFor('password')}
          />
          <Submit label={t('form.save')} kind="secondary" />
        </form>
      </section>

      <section class="panel" aria-labelledby="security">
        <h2 id="security" safe>
          {t('account.security')}
        </h2>
        {user.isStaff || user.grants.length > 0 || user.totpEnabled ? (
          <>
            <h3 safe>{t('account.totp')}</h3>
            <p safe>{user.totpEnabled ? t('account.totpOn') : t('account.totpOff')}</p>
            {user.totpEnabled ? (
              <form method="post" action="/account/totp/disable" class="stack" novalidate>
                <CsrfField ctx={ctx} />
                <Field
                  name="code"
                  label={t('login.totpCode')}
                  inputmode="numeric"
                  maxlength={6}
                  errors={state.errors}
                />
                <Submit label={t('account.totpDisable')} kind="danger" />
              </form>
            ) : (
              <p>
                <a class="button" href="/account/totp" safe>
                  {t('account.totpSetup')}
                </a>
              </p>
            )}
          </>
        ) : (
          ''
        )}
        <h3 safe>{t('account.tokens')}</h3>
        {view.tokens.length === 0 ? (
          <p safe>{t('account.noTokens')}</p>
        ) : (
          <ul>
            {view.tokens.map((token) => (
              <li>
                <span safe>
                  {t('account.token', {
                    channel: token.channel,
                    name: token.name,
                    created: ctx.time.date(token.createdAt),
                  })}
                </span>{' '}
                <form method="post" action={`/account/tokens/${token.id}/revoke`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="link" safe>
                    {t('account.revoke')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h3 safe>{t('account.logoutAll')}</h3>
        <p class="hint" safe>
          {t('account.logoutAllHint')}
        </p>
        <form method="post" action="/logout/all" class="stack">
          <CsrfField ctx={ctx} />
          <Submit label={t('account.logoutAll')} kind="secondary" />
        </form>
      </section>

      <section class="panel" aria-labelledby="notices">
        <h2 id="notices" safe>
          {t('account.notices')}
        </h2>
        <p safe>{t('account.noticesHint')}</p>
        <p>
          <a class="button" href="/account/notices" safe>
            {t('account.noticesOpen')}
          </a>
        </p>
      </section>

      <section class="panel" aria-labelledby="data">
        <h2 id="data" safe>
          {t('account.data')}
        </h2>
        <p safe>{t('account.dataHint')}</p>
        <p>
          <a class="button" href="/account/export.json" download="liuyan-my-data.json" safe>
            {t('account.download')}
          </a>
        </p>
        <h3 safe>{t('account.delete')}</h3>
        <p class="hint" safe>
          {t('account.deleteHint')}
        </p>
        <form method="post" action="/account/delete" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            name="password"
            label={t('form.currentPassword')}
            type="password"
            autocomplete="current-password"
            errors={errorsFor('delete')}
            idPrefix="d"
          />
          <Submit label={t('account.deleteSubmit')} kind="danger" />
        </form>
      </section>
    </Layout>
  );
}

export function TotpSetupPage({
  ctx,
  secret,
  qrSvg,
  errors,
}: {
  ctx: PageContext;
  secret: string;
  /** Raw SVG: trusted because the qrcode library draws it from our own otpauth URI. */
  qrSvg: string;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  const safeQrSvg = qrSvg;
  return (
    <Layout ctx={ctx} title={t('account.totpSetup')}>
      <h1 safe>{t('account.totpSetup')}</h1>
      <p safe>{t('account.totpScan')}</p>
      {/* The QR code is SVG made by the qrcode library from our own otpauth URI: reviewed, no user text in it. */}
      <div class="qr" role="img" aria-label={t('account.totpSecret')}>
        {safeQrSvg}
      </div>
      <p>
        <span safe>{t('account.totpSecret')}</span>：
        <code class="secret" safe>
          {secret}
        </code>
      </p>
      <form method="post" action="/account/totp" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <Field
          name="code"
          label={t('login.totpCode')}
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={6}
          errors={errors}
        />
        <Submit label={t('form.save')} />
      </form>
    </Layout>
  );
}
