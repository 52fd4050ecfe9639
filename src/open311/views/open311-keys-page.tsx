// Admins issue Open311 keys to organisations (each shown once) and revoke them; each key's requests are counted.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { quote, sentence } from '../../admin/views/sentence.ts';
import type { KeyRow } from '../open311.repository.ts';

export function Open311KeysPage({
  ctx,
  keys,
  base,
  issued,
  errors,
  notice,
}: {
  ctx: PageContext;
  keys: KeyRow[];
  base: string;
  issued?: { organisation: string; key: string };
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  const title = t('open311.keys.title');
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('admin.title'), href: '/admin' }, { label: title }]}
    >
      <h1 safe>{title}</h1>
      <p safe>{t('open311.keys.intro', { endpoint: `${base}/open311/v2` })}</p>
      <Notice text={notice} />
      {issued ? (
        <section class="panel" aria-labelledby="issued-key">
          {/* The organisation's name is as the admin typed it. */}
          <h2 id="issued-key">{sentence(t, 'open311.keys.issued', { organisation: quote(issued.organisation) })}</h2>
          <p safe>{t('open311.keys.once')}</p>
          <p>
            <code class="secret" safe>
              {issued.key}
            </code>
          </p>
        </section>
      ) : (
        ''
      )}
      <form method="post" action="/admin/open311" class="stack">
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        <Field
          name="organisation"
          label={t('open311.keys.organisation')}
          hint={t('open311.keys.organisationHint')}
          errors={errors}
          maxlength={100}
          required
        />
        <Submit label={t('open311.keys.issue')} />
      </form>
      <h2 safe>{t('open311.keys.list')}</h2>
      {keys.length === 0 ? (
        <p safe>{t('open311.keys.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('open311.keys.col.organisation')}
                </th>
                <th scope="col" safe>
                  {t('open311.keys.col.prefix')}
                </th>
                <th scope="col" safe>
                  {t('open311.keys.col.issued')}
                </th>
                <th scope="col" safe>
                  {t('open311.keys.col.lastUsed')}
                </th>
                <th scope="col" safe>
                  {t('open311.keys.col.requests')}
                </th>
                <th scope="col" safe>
                  {t('open311.keys.col.status')}
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr>
                  <td translate="no" safe>
                    {k.organisation}
                  </td>
                  <td>
                    <code safe>{`o311_${k.keyPrefix}_…`}</code>
                  </td>
                  <td safe>{ctx.time.dateTime(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? ctx.time.dateTime(k.lastUsedAt) : '—'}</td>
                  <td safe>{ctx.num.count(k.requests)}</td>
                  <td>
                    {k.revokedAt ? (
                      <span safe>{t('open311.keys.revoked', { date: ctx.time.date(k.revokedAt) })}</span>
                    ) : (
                      <form method="post" action={`/admin/open311/${k.id}/revoke`} class="inline">
                        <CsrfField ctx={ctx} />
                        <button type="submit" class="danger">
                          {sentence(t, 'open311.keys.revoke', { organisation: quote(k.organisation) })}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
