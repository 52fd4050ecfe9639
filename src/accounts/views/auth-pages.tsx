// Registration, login (password, SMS code, second factor) and password reset pages.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';

export interface AuthFormState {
  values?: Record<string, string>;
  errors?: FormErrors;
  notice?: string;
}

function CodeRow({
  ctx,
  state,
  sendTo,
  idPrefix,
}: {
  ctx: PageContext;
  state: AuthFormState;
  sendTo: string;
  idPrefix?: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <>
      <Field
        name="phone"
        label={t('form.phone')}
        type="tel"
        inputmode="numeric"
        autocomplete="tel"
        maxlength={20}
        hint={t('form.phoneHint')}
        value={state.values?.phone}
        errors={state.errors}
        idPrefix={idPrefix}
      />
      <div class="actions">
        <button type="submit" class="secondary" formaction={sendTo} formnovalidate safe>
          {t('form.sendCode')}
        </button>
      </div>
      <Field
        name="code"
        label={t('form.code')}
        inputmode="numeric"
        autocomplete="one-time-code"
        maxlength={6}
        value={state.values?.code}
        errors={state.errors}
        idPrefix={idPrefix}
      />
    </>
  );
}

export function RegisterPage({ ctx, state }: { ctx: PageContext; state: AuthFormState }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('register.title')}>
      <h1 safe>{t('register.title')}</h1>
      <p class="lead" safe>
        {t('register.intro')}
      </p>
      <Notice text={state.notice} />
      <form method="post" action="/register" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <FormError errors={state.errors} />
        <CodeRow ctx={ctx} state={state} sendTo="/register/code" />
        <Field
          name="nickname"
          label={t('form.nickname')}
          maxlength={20}
          autocomplete="nickname"
          hint={t('form.nicknameHint')}
          value={state.values?.nickname}
          errors={state.errors}
        />
        <Field
          name="password"
          label={t('form.password')}
          type="password"
          autocomplete="new-password"
          hint={t('form.passwordHint')}
          errors={state.errors}
        />
        <Submit label={t('register.submit')} />
      </form>
      <p>
        <a href="/login" safe>
          {t('register.haveAccount')}
        </a>
      </p>
    </Layout>
  );
}

export function LoginPage({
  ctx,
  state,
  next,
}: {
  ctx: PageContext;
  state: AuthFormState & { method?: 'password' | 'code' };
  next: string;
}): JSX.Element {
  const { t } = ctx;
  const forMethod = (method: 'password' | 'code'): AuthFormState =>
    (state.method ?? 'password') === method ? state : { values: { phone: state.values?.phone ?? '' } };
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      <h1 safe>{t('login.title')}</h1>
      <Notice text={state.notice} />
      <section class="panel" aria-labelledby="by-password">
        <h2 id="by-password" safe>
          {t('login.byPassword')}
        </h2>
        <form method="post" action="/login" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <FormError errors={forMethod('password').errors} />
          <Field
            name="phone"
            label={t('form.phone')}
            type="tel"
            inputmode="numeric"
            autocomplete="username"
            maxlength={20}
            value={forMethod('password').values?.phone}
            errors={forMethod('password').errors}
          />
          <Field
            name="password"
            label={t('form.password')}
            type="password"
            autocomplete="current-password"
            errors={forMethod('password').errors}
          />
          <Submit label={t('login.submit')} />
        </form>
      </section>
      <section class="panel" aria-labelledby="by-code">
        <h2 id="by-code" safe>
          {t('login.byCode')}
        </h2>
        <form method="post" action="/login/by-code" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <FormError errors={forMethod('code').errors} />
          <CodeRow ctx={ctx} state={forMethod('code')} sendTo="/login/code" idPrefix="c" />
          <Submit label={t('login.submit')} />
        </form>
      </section>
      <p>
        <a href="/password-reset" safe>
          {t('login.forgot')}
        </a>{' '}
        ·{' '}
        <a href="/register" safe>
          {t('login.noAccount')}
        </a>
      </p>
    </Layout>
  );
}

export function TotpLoginPage({
  ctx,
  state,
  next,
}: {
  ctx: PageContext;
  state: AuthFormState;
  next: string;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.totpTitle')}>
      <h1 safe>{t('login.totpTitle')}</h1>
      <p safe>{t('login.totpIntro')}</p>
      <form method="post" action="/login/totp" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={next} />
        <FormError errors={state.errors} />
        <Field
          name="code"
          label={t('login.totpCode')}
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={6}
          errors={state.errors}
        />
        <Submit label={t('login.submit')} />
      </form>
    </Layout>
  );
}

export function ResetPage({ ctx, state }: { ctx: PageContext; state: AuthFormState }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <h1 safe>{t('reset.title')}</h1>
      <p class="lead" safe>
        {t('reset.intro')}
      </p>
      <Notice text={state.notice} />
      <form method="post" action="/password-reset" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <FormError errors={state.errors} />
        <CodeRow ctx={ctx} state={state} sendTo="/password-reset/code" />
        <Field
          name="password"
          label={t('form.newPassword')}
          type="password"
          autocomplete="new-password"
          hint={t('form.passwordHint')}
          errors={state.errors}
        />
        <Submit label={t('reset.submit')} />
      </form>
    </Layout>
  );
}
