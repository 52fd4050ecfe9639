// The error page shown for 404, 500 and every other HTML error.
import type { PageContext } from '../page-context.ts';
import { Layout } from './layout.tsx';

export function ErrorPage({
  ctx,
  status,
  message,
}: {
  ctx: PageContext;
  status: number;
  message: string;
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={`${status} ${ctx.t('error.title')}`}>
      <section class="error-page">
        <h1 safe>{`${status} ${ctx.t('error.title')}`}</h1>
        <p safe>{message}</p>
        <p>
          <a href="/" safe>
            {ctx.t('error.backHome')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
