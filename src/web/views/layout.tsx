// The page frame: header with language switch, breadcrumb, main content, footer.
import type { Children } from '@kitajs/html';
import { LOCALE_NAMES, LOCALES } from '../../i18n/i18n.ts';
import type { PageContext } from '../page-context.ts';

export interface Crumb {
  label: string;
  href?: string;
  /** The label is what people wrote (a title, a name): marked translate="no". */
  own?: boolean;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  crumbs?: Crumb[];
  /** The title is what people wrote (an article's, a message's): marked translate="no". */
  ownTitle?: boolean;
  children?: Children;
}

export function Layout({ ctx, title, crumbs, ownTitle, children }: LayoutProps): JSX.Element {
  const { t } = ctx;
  const items = <NavigationItems ctx={ctx} />;
  const loginHref = `/login?next=${encodeURIComponent(ctx.path)}`;
  const notificationsLabel =
    ctx.unread > 0 ? t('nav.notificationsUnread', { count: ctx.unread }) : t('nav.notifications');
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title translate={ownTitle ? 'no' : undefined} safe>{`${title} - ${t('site.name')}`}</title>
          <link rel="stylesheet" href="/static/style.css" />
          <link rel="stylesheet" href="/static/staff.css" />
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        </head>
        <body>
          <a class="skip" href="#main" safe>
            {t('site.skip')}
          </a>
          <header class="site-header">
            <div class="bar">
              <a class="brand" href="/" safe>
                {t('site.name')}
              </a>
              {ctx.user ? (
                <a class="bar-link" href="/notifications" aria-label={notificationsLabel} safe>
                  {ctx.unread > 0 ? `${t('nav.notifications')} ${ctx.unread}` : t('nav.notifications')}
                </a>
              ) : (
                <a class="bar-link" href={loginHref} safe>
                  {t('nav.login')}
                </a>
              )}
              {/* On a phone the links fold into a menu that opens without JavaScript. */}
              <details class="menu">
                <summary safe>{t('nav.menu')}</summary>
                <Navigation ctx={ctx} where="menu" items={items} />
              </details>
            </div>
            <Navigation ctx={ctx} where="bar" items={items} />
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

/**
 * The site's links: once for the phone menu and once for the desktop bar (CSS shows one of them), so neither needs
 * JavaScript. Each role sees its own entries.
 */
function Navigation({
  ctx,
  where,
  items,
}: {
  ctx: PageContext;
  where: 'menu' | 'bar';
  items: JSX.Element;
}): JSX.Element {
  const label = where === 'menu' ? ctx.t('nav.menu') : ctx.t('nav.main');
  return (
    <nav aria-label={label} class={where === 'menu' ? 'menu-panel' : 'bar-nav'}>
      {items}
    </nav>
  );
}

/** The list both navigations show, rendered once per page. */
function NavigationItems({ ctx }: { ctx: PageContext }): JSX.Element {
  const { t, user } = ctx;
  const has = (test: (role: string) => boolean) => user?.grants.some((g) => test(g.role)) ?? false;
  const links: [string, string, string?][] = [
    ['/search', t('nav.search')],
    ['/stats', t('nav.stats')],
    ['/news', t('nav.news')],
    ['/leaders', t('nav.leaders')],
    ['/honours', t('nav.honours')],
    ['/stories', t('nav.stories')],
    ['/solicitations', t('sol.nav')],
  ];
  const mine: [string, string, string?][] = user
    ? [
        ['/my/messages', t('nav.myMessages')],
        ['/my/follows', t('nav.myFollows')],
        ...(user.totpPending
          ? ([['/account/totp', t('nav.setUpTotp'), 'attention']] as [string, string, string][])
          : []),
        ...(has((r) => r !== 'editor' && r !== 'admin')
          ? ([['/workbench', t('nav.workbench')]] as [string, string][])
          : []),
        ...(has((r) => r === 'editor')
          ? ([
              ['/review', t('nav.review')],
              ['/editor', t('nav.editor')],
            ] as [string, string][])
          : []),
        ...(has((r) => r === 'admin' || r === 'unit_head') ? ([['/admin', t('nav.admin')]] as [string, string][]) : []),
        ['/account', user.nickname],
      ]
    : [
        ['/login?next=' + encodeURIComponent(ctx.path), t('nav.login')],
        ['/register', t('nav.register')],
      ];
  return (
    <ul>
      {[...links, ...mine].map(([href, text, cls]) => (
        <li>
          <a
            href={href}
            class={cls}
            aria-current={ctx.path.split('?')[0] === href ? 'page' : undefined}
            translate={href === '/account' ? 'no' : undefined}
            safe
          >
            {text}
          </a>
        </li>
      ))}
      {user ? (
        <li>
          <form method="post" action="/logout" class="inline">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="link" safe>
              {t('nav.logout')}
            </button>
          </form>
        </li>
      ) : (
        ''
      )}
      <li class="langs">
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
      </li>
    </ul>
  );
}

function Breadcrumb({ ctx, crumbs }: { ctx: PageContext; crumbs: Crumb[] }): JSX.Element {
  return (
    <nav class="breadcrumb" aria-label={ctx.t('nav.breadcrumb')}>
      <ol>
        {crumbs.map((c, i) =>
          c.href && i < crumbs.length - 1 ? (
            <li>
              <a href={c.href} translate={c.own ? 'no' : undefined} safe>
                {c.label}
              </a>
            </li>
          ) : (
            <li aria-current="page" translate={c.own ? 'no' : undefined} safe>
              {c.label}
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
