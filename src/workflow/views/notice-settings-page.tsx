// How a staff member hears of new work: always in the site, and by SMS or e-mail when they choose it.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';

export function NoticeSettingsPage({
  ctx,
  sms,
  email,
  emailAddress,
  notice,
}: {
  ctx: PageContext;
  sms: boolean;
  email: boolean;
  /** The confirmed address e-mail would go to; null when there is none yet. */
  emailAddress: string | null;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  const title = t('wb.notices.title');
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('wb.title'), href: '/workbench' }, { label: title }]}
    >
      <h1 safe>{title}</h1>
      <Notice text={notice} />
      <p safe>{t('wb.notices.intro')}</p>
      <ul class="compact">
        <li safe>{t('wb.notices.kind.assigned')}</li>
        <li safe>{t('wb.notices.kind.returned')}</li>
        <li safe>{t('wb.notices.kind.approval')}</li>
        <li safe>{t('wb.notices.kind.signature')}</li>
        <li safe>{t('wb.notices.kind.supervision')}</li>
        <li safe>{t('wb.notices.kind.review')}</li>
      </ul>
      <form method="post" action="/workbench/notices" class="stack">
        <CsrfField ctx={ctx} />
        <fieldset>
          <legend safe>{t('wb.notices.channels')}</legend>
          <div class="choice">
            <input type="checkbox" id="n-site" checked disabled />{' '}
            <label for="n-site" safe>
              {t('wb.notices.site')}
            </label>
          </div>
          <div class="choice">
            <input type="checkbox" id="n-sms" name="sms" value="1" checked={sms} />{' '}
            <label for="n-sms" safe>
              {t('wb.notices.sms')}
            </label>
          </div>
          <div class="choice">
            <input
              type="checkbox"
              id="n-email"
              name="email"
              value="1"
              checked={email && emailAddress !== null}
              disabled={emailAddress === null}
            />{' '}
            <label for="n-email" safe>
              {emailAddress ? t('wb.notices.email', { address: emailAddress }) : t('wb.notices.emailNone')}
            </label>
          </div>
        </fieldset>
        <Submit label={t('form.save')} />
      </form>
      <p>
        <a href="/notifications" safe>
          {t('wb.links.notifications')}
        </a>{' '}
        ·{' '}
        <a href="/account/notices" safe>
          {t('wb.notices.all')}
        </a>
      </p>
    </Layout>
  );
}
