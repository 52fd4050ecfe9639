// The signed-in person's own page: profile, password, logins, app tokens, two-step verification, data and deletion.
import { Time } from '../../web/views/time.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { type Locale, LOCALE_NAMES, LOCALES } from '../../i18n/i18n.ts';
import { Sentence, UserText } from '../../web/views/sentence.tsx';
import { maskPhone } from '../phone.ts';
import { TOKEN_CHANNELS, type TokenChannel } from '../tokens.service.ts';

const isTokenChannel = (channel: string): channel is TokenChannel =>
  (TOKEN_CHANNELS as readonly string[]).includes(channel);

/**
 * The account's language: the site, and the notices, e-mails and SMS sent to it. Each language is named in itself
 * (and marked so), so someone who cannot read the page's language still finds their own.
 */
function LanguageSection({
  ctx,
  view,
  errors,
}: {
  ctx: PageContext;
  view: AccountView;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  const chosen = view.locale ?? ctx.locale;
  const error = errors?.locale;
  return (
    <section class="panel" aria-labelledby="language">
      <h2 id="language" safe>
        {t('account.language')}
      </h2>
      <p safe>{t('account.languageHint')}</p>
      <form method="post" action="/account/language" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class={error ? 'field has-error' : 'field'} aria-describedby={error ? 'f-locale-error' : undefined}>
          <legend safe>{t('account.language')}</legend>
          <div class="choices grid">
            {LOCALES.map((locale) => (
              <div class="choice">
                <input
                  type="radio"
                  id={`f-locale-${locale}`}
                  name="locale"
                  value={locale}
                  checked={chosen === locale}
                />
                <label for={`f-locale-${locale}`} lang={locale} safe>
                  {LOCALE_NAMES[locale]}
                </label>
              </div>
            ))}
          </div>
          {error ? (
            <p class="error" id="f-locale-error" role="alert" safe>
              {error}
            </p>
          ) : (
            ''
          )}
        </fieldset>
        <Submit label={t('account.languageSave')} kind="secondary" />
      </form>
    </section>
  );
}

export interface AccountView {
  createdAt: string;
  /** The account's stored language; null when it never chose one (the page's language is used then). */
  locale: Locale | null;
  tokens: { id: number; channel: string; name: string; createdAt: string }[];
  totpRequired: boolean;
}

export interface AccountState {
  notice?: string;
  /** Which form the errors belong to, so they show under the right section. */
  form?: 'nickname' | 'password' | 'delete' | 'language';
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
            <dd translate="no" safe>
              {user.nickname}
            </dd>
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
                <li safe>
                  {g.scopeId
                    ? t('account.grant', {
                        role: t(`admin.role.${g.role}`),
                        scope: t(`admin.scope.${g.scopeType}`),
                        id: g.scopeId,
                      })
                    : t(`admin.role.${g.role}`)}
                </li>
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
                <Sentence
                  text={t('account.token', {
                    channel: isTokenChannel(token.channel) ? t(`account.tokenChannel.${token.channel}`) : token.channel,
                    created: ctx.time.date(token.createdAt),
                  })}
                  slots={{ name: <UserText text={token.name} /> }}
                />{' '}
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

      <LanguageSection ctx={ctx} view={view} errors={errorsFor('language')} />

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
        <Sentence
          text={t('account.totpSecretIs')}
          slots={{
            secret: (
              <code class="secret" safe>
                {secret}
              </code>
            ),
          }}
        />
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
