// How a staff member hears of new work: always in the site, and by SMS when they choose it.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { StaffStyles } from './staff-parts.tsx';

export function NoticeSettingsPage({
  ctx,
  sms,
  hasPhone,
  notice,
}: {
  ctx: PageContext;
  sms: boolean;
  hasPhone: boolean;
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
      <StaffStyles />
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
            <input type="checkbox" id="n-sms" name="sms" value="1" checked={sms} disabled={!hasPhone} />{' '}
            <label for="n-sms" safe>
              {t('wb.notices.sms')}
            </label>
          </div>
        </fieldset>
        <p class="hint" safe>
          {t('wb.notices.emailLater')}
        </p>
        <Submit label={t('form.save')} />
      </form>
      <p>
        <a href="/notifications" safe>
          {t('wb.links.notifications')}
        </a>
      </p>
    </Layout>
  );
}
