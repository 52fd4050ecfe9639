// The person's notice settings: an e-mail address (confirmed by a link), each kind of notice by channel, and the SMS
// notices stopped by a TD reply. Also the pages an e-mail link opens: confirm the address, unsubscribe.
import {
  NOTICE_KINDS,
  type NoticeChannel,
  type NoticeKind,
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

const CHANNEL_LABELS: Record<NoticeChannel, string> = { site: '站内', sms: '短信', email: '邮件' };
const crumbs = [{ label: '首页', href: '/' }, { label: '我的账号', href: '/account' }, { label: '通知设置' }];

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
  return (
    <Layout ctx={ctx} title="通知设置" crumbs={crumbs}>
      <h1>通知设置</h1>
      <Notice text={notice} />
      <FormError errors={errors} />
      <section aria-labelledby="email-h" class="panel">
        <h2 id="email-h">电子邮箱</h2>
        {view.email.address ? (
          <p safe>{`已确认的邮箱：${view.email.address}`}</p>
        ) : (
          <p>还没有确认的邮箱，通知不会发到邮箱。</p>
        )}
        {view.email.pending ? (
          <p
            class="hint"
            safe
          >{`确认邮件已发到 ${view.email.pending}，请打开邮件中的链接完成确认（24 小时内有效）。`}</p>
        ) : (
          ''
        )}
        {view.mailAvailable ? (
          <form method="post" action="/account/email" class="stack">
            <CsrfField ctx={ctx} />
            <Field
              name="email"
              type="email"
              label={view.email.address ? '换一个邮箱' : '登记邮箱'}
              hint="我们会发一封确认邮件，确认后才会向这个邮箱发送通知"
              autocomplete="email"
              maxlength={254}
              errors={errors}
              required
            />
            <Submit label="发送确认邮件" kind="secondary" />
          </form>
        ) : (
          <p class="hint">本站暂未开通邮件通知。</p>
        )}
        {view.email.address || view.email.pending ? (
          <form method="post" action="/account/email/remove" class="inline">
            <CsrfField ctx={ctx} />
            <Submit label="删除邮箱" kind="danger" />
          </form>
        ) : (
          ''
        )}
      </section>
      <section aria-labelledby="kinds-h" class="panel">
        <h2 id="kinds-h">每类通知的接收方式</h2>
        {view.smsOptedOut ? (
          <form method="post" action="/account/notices/sms" class="stack">
            <CsrfField ctx={ctx} />
            <p class="flag">您的手机号已回复 TD 退订，不会收到短信通知（验证码除外）。</p>
            <Submit label="恢复短信通知" kind="secondary" />
          </form>
        ) : (
          ''
        )}
        <form method="post" action="/account/notices" class="stack">
          <CsrfField ctx={ctx} />
          {view.kinds.map((kind) => (
            <fieldset>
              <legend>{NOTICE_KINDS[kind].label}</legend>
              <p class="hint">{NOTICE_KINDS[kind].note}</p>
              {(NOTICE_KINDS[kind].channels as readonly NoticeChannel[]).map((channel) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name={`${kind}.${channel}`}
                    value="1"
                    checked={view.preferences[kind][channel]}
                  />{' '}
                  <span safe>{CHANNEL_LABELS[channel]}</span>
                </label>
              ))}
            </fieldset>
          ))}
          <Submit label="保存" />
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
  return (
    <Layout ctx={ctx} title="确认邮箱" crumbs={[{ label: '首页', href: '/' }, { label: '确认邮箱' }]}>
      <h1>确认邮箱</h1>
      {done ? (
        <p role="status">邮箱已确认。登录后可在“我的账号 → 通知设置”中选择哪些通知发到邮箱。</p>
      ) : problem ? (
        <p class="error" role="alert" safe>
          {problem}
        </p>
      ) : (
        <form method="post" action="/account/email/confirm" class="stack">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="token" value={token} />
          <p>确认后，您选择的通知会发到这个邮箱。</p>
          <Submit label="确认这个邮箱" />
        </form>
      )}
    </Layout>
  );
}

export function UnsubscribePage({
  ctx,
  query,
  label,
  done,
}: {
  ctx: PageContext;
  query?: { u: string; k: string; s: string };
  label: string;
  done: boolean;
}): JSX.Element {
  return (
    <Layout ctx={ctx} title="退订邮件" crumbs={[{ label: '首页', href: '/' }, { label: '退订邮件' }]}>
      <h1>退订邮件</h1>
      {done ? (
        <p role="status" safe>{`已退订“${label}”的邮件。可随时在“我的账号 → 通知设置”中恢复。`}</p>
      ) : (
        <form method="post" action="/unsubscribe" class="stack">
          <input type="hidden" name="u" value={query?.u} />
          <input type="hidden" name="k" value={query?.k} />
          <input type="hidden" name="s" value={query?.s} />
          <p safe>{`不再通过邮件接收“${label}”？`}</p>
          <Submit label="退订" kind="danger" />
        </form>
      )}
    </Layout>
  );
}
