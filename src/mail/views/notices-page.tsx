// The person's notice settings: an e-mail address (confirmed by a link), each kind of notice by channel, and the SMS
// notices stopped by a TD reply. Also the pages an e-mail link opens: confirm the address, unsubscribe.
import {
  NOTICE_KINDS,
  type NoticeChannel,
  type NoticeKind,
  noticeKindLabel,
  noticeKindNote,
  type Preferences,
} from '../../notify/notice-preferences.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { EmailView } from '../email-addresses.service.ts';

export interface NoticesView {
  email: EmailView;
  mailAvailable: boolean;
  preferences: Record<NoticeKind, Preferences>;
  kinds: NoticeKind[];
  smsOptedOut: boolean;
  phone: string | null;
}

const CHANNEL_KEYS = {
  site: 'noticeSettings.channel.site',
  sms: 'noticeSettings.channel.sms',
  email: 'noticeSettings.channel.email',
} as const satisfies Record<NoticeChannel, string>;

export function NoticesPage({
  ctx,
  view,
  notice,
  errors,
}: {
  ctx: PageContext;
  view: NoticesView;
  notice?: string;
  errors?: FormErrors;
}): JSX.Element {
  const { t } = ctx;
  const crumbs = [
    { label: t('nav.home'), href: '/' },
    { label: t('account.title'), href: '/account' },
    { label: t('account.notices') },
  ];
  return (
    <Layout ctx={ctx} title={t('account.notices')} crumbs={crumbs}>
      <h1 safe>{t('account.notices')}</h1>
      <Notice text={notice} />
      <FormError errors={errors} />
      <section aria-labelledby="email-h" class="panel">
        <h2 id="email-h" safe>
          {t('noticeSettings.email')}
        </h2>
        {view.email.address ? (
          <p safe>{t('noticeSettings.confirmed', { address: view.email.address })}</p>
        ) : (
          <p safe>{t('noticeSettings.noEmail')}</p>
        )}
        {view.email.pending ? (
          <p class="hint" safe>
            {t('noticeSettings.pending', { address: view.email.pending })}
          </p>
        ) : (
          ''
        )}
        {view.mailAvailable ? (
          <form method="post" action="/account/email" class="stack">
            <CsrfField ctx={ctx} />
            <Field
              name="email"
              type="email"
              label={t(view.email.address ? 'noticeSettings.change' : 'noticeSettings.add')}
              hint={t('noticeSettings.emailHint')}
              autocomplete="email"
              maxlength={254}
              errors={errors}
              required
            />
            <Submit label={t('noticeSettings.send')} kind="secondary" />
          </form>
        ) : (
          <p class="hint" safe>
            {t('noticeSettings.mailUnavailable')}
          </p>
        )}
        {view.email.address || view.email.pending ? (
          <form method="post" action="/account/email/remove" class="inline">
            <CsrfField ctx={ctx} />
            <Submit label={t('noticeSettings.remove')} kind="danger" />
          </form>
        ) : (
          ''
        )}
      </section>
      <section aria-labelledby="kinds-h" class="panel">
        <h2 id="kinds-h" safe>
          {t('noticeSettings.kinds')}
        </h2>
        {view.smsOptedOut ? (
          <form method="post" action="/account/notices/sms" class="stack">
            <CsrfField ctx={ctx} />
            <p class="flag" safe>
              {t('noticeSettings.smsOptedOut')}
            </p>
            <Submit label={t('noticeSettings.smsOptIn')} kind="secondary" />
          </form>
        ) : (
          ''
        )}
        <form method="post" action="/account/notices" class="stack">
          <CsrfField ctx={ctx} />
          {view.kinds.map((kind) => (
            <fieldset>
              <legend safe>{noticeKindLabel(t, kind)}</legend>
              <p class="hint" safe>
                {noticeKindNote(t, kind)}
              </p>
              {(NOTICE_KINDS[kind].channels as readonly NoticeChannel[]).map((channel) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name={`${kind}.${channel}`}
                    value="1"
                    checked={view.preferences[kind][channel]}
                  />{' '}
                  <span safe>{t(CHANNEL_KEYS[channel])}</span>
                </label>
              ))}
            </fieldset>
          ))}
          <Submit label={t('form.save')} />
        </form>
      </section>
    </Layout>
  );
}

export function ConfirmEmailPage({
  ctx,
  token,
  problem,
  done,
}: {
  ctx: PageContext;
  token: string;
  problem?: string;
  done?: boolean;
}): JSX.Element {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('confirmEmail.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('confirmEmail.title') }]}
    >
      <h1 safe>{t('confirmEmail.title')}</h1>
      {done ? (
        <p role="status" safe>
          {t('confirmEmail.done')}
        </p>
      ) : problem ? (
        <p class="error" role="alert" safe>
          {problem}
        </p>
      ) : (
        <form method="post" action="/account/email/confirm" class="stack">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="token" value={token} />
          <p safe>{t('confirmEmail.intro')}</p>
          <Submit label={t('confirmEmail.submit')} />
        </form>
      )}
    </Layout>
  );
}

export function UnsubscribePage({
  ctx,
  query,
  kind,
  done,
}: {
  ctx: PageContext;
  query?: { u: string; k: string; s: string };
  kind: NoticeKind;
  done: boolean;
}): JSX.Element {
  const { t } = ctx;
  const label = noticeKindLabel(t, kind);
  return (
    <Layout
      ctx={ctx}
      title={t('unsubscribe.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('unsubscribe.title') }]}
    >
      <h1 safe>{t('unsubscribe.title')}</h1>
      {done ? (
        <p role="status" safe>
          {t('unsubscribe.done', { kind: label })}
        </p>
      ) : (
        <form method="post" action="/unsubscribe" class="stack">
          <input type="hidden" name="u" value={query?.u} />
          <input type="hidden" name="k" value={query?.k} />
          <input type="hidden" name="s" value={query?.s} />
          <p safe>{t('unsubscribe.ask', { kind: label })}</p>
          <Submit label={t('unsubscribe.submit')} kind="danger" />
        </form>
      )}
    </Layout>
  );
}
