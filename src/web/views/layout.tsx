// The page frame: header with language switch, breadcrumb, main content, footer.
import type { Children } from '@kitajs/html';
import { LOCALE_NAMES, LOCALES } from '../../i18n/i18n.ts';
import type { PageContext } from '../page-context.ts';

export interface Crumb {
  label: string;
  href?: string;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  crumbs?: Crumb[];
  children?: Children;
}

export function Layout({ ctx, title, crumbs, children }: LayoutProps): JSX.Element {
  const { t } = ctx;
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} - ${t('site.name')}`}</title>
          <link rel="stylesheet" href="/static/style.css" />
        </head>
        <body>
          <a class="skip" href="#main" safe>
            {t('site.skip')}
          </a>
          <header class="site-header">
            <a class="brand" href="/" safe>
              {t('site.name')}
            </a>
            <nav aria-label={t('nav.account')} class="user-nav">
              <a href="/search" safe>
                {t('nav.search')}
              </a>
              <a href="/stats" safe>
                {t('nav.stats')}
              </a>
              <a href="/honours" safe>
                {t('nav.honours')}
              </a>
              {ctx.user ? (
                <>
                  <a href="/account" safe>
                    {ctx.user.nickname}
                  </a>
                  <a href="/my/messages" safe>
                    {t('nav.myMessages')}
                  </a>
                  <a href="/my/follows" safe>
                    {t('nav.myFollows')}
                  </a>
                  {ctx.user.totpPending ? (
                    <a href="/account/totp" class="attention" safe>
                      {t('nav.setUpTotp')}
                    </a>
                  ) : (
                    ''
                  )}
                  {ctx.user.grants.some((g) => g.role !== 'editor' && g.role !== 'admin') ? (
                    <a href="/workbench" safe>
                      {t('nav.workbench')}
                    </a>
                  ) : (
                    ''
                  )}
                  {ctx.user.grants.some((g) => g.role === 'editor') ? (
                    <a href="/review" safe>
                      {t('nav.review')}
                    </a>
                  ) : (
                    ''
                  )}
                  {ctx.user.grants.some((g) => g.role === 'admin' || g.role === 'unit_head') ? (
                    <a href="/admin" safe>
                      {t('nav.admin')}
                    </a>
                  ) : (
                    ''
                  )}
                  <form method="post" action="/logout" class="inline">
                    <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                    <button type="submit" class="link" safe>
                      {t('nav.logout')}
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <a href={`/login?next=${encodeURIComponent(ctx.path)}`} safe>
                    {t('nav.login')}
                  </a>
                  <a href="/register" safe>
                    {t('nav.register')}
                  </a>
                </>
              )}
            </nav>
            <nav aria-label={t('nav.language')} class="lang-switch">
              {LOCALES.map((locale) =>
                locale === ctx.locale ? (
                  <span aria-current="true" safe>
                    {LOCALE_NAMES[locale]}
                  </span>
                ) : (
                  <a href={`/lang/${locale}?next=${encodeURIComponent(ctx.path)}`} lang={locale} hreflang={locale} safe>
                    {LOCALE_NAMES[locale]}
                  </a>
                ),
              )}
            </nav>
          </header>
          {crumbs && crumbs.length > 0 ? <Breadcrumb ctx={ctx} crumbs={crumbs} /> : ''}
          <main id="main">{children}</main>
          <footer class="site-footer">
            <p safe>{t('footer.about')}</p>
            <p>
              <a href="/api/v1/openapi.json" safe>
                {t('footer.api')}
              </a>
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}

function Breadcrumb({ ctx, crumbs }: { ctx: PageContext; crumbs: Crumb[] }): JSX.Element {
  return (
    <nav class="breadcrumb" aria-label={ctx.t('nav.breadcrumb')}>
      <ol>
        {crumbs.map((c, i) =>
          c.href && i < crumbs.length - 1 ? (
            <li>
              <a href={c.href} safe>
                {c.label}
              </a>
            </li>
          ) : (
            <li aria-current="page" safe>
              {c.label}
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
