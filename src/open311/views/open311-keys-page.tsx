// Admins issue Open311 keys to organisations (each shown once) and revoke them; each key's requests are counted.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, FormError, type FormErrors, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
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
  return (
    <Layout
      ctx={ctx}
      title="Open311 密钥"
      crumbs={[{ label: '首页', href: '/' }, { label: '管理', href: '/admin' }, { label: 'Open311 密钥' }]}
    >
      <h1>Open311 密钥</h1>
      <p
        safe
      >{`接入机构用 Open311 GeoReport v2 客户端通过 ${base}/open311/v2 提交和跟踪留言；提交请求须带本页签发的 api_key。留言的来源显示为 Open311 和机构名称，并照常经编辑审核。`}</p>
      <Notice text={notice} />
      {issued ? (
        <section class="panel" aria-labelledby="issued-key">
          <h2 id="issued-key" safe>{`已为“${issued.organisation}”签发密钥`}</h2>
          <p>密钥只显示这一次，请立即复制并安全地交给对方；平台只保存它的摘要。</p>
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
          label="接入机构名称"
          hint="如“某某市 12345 热线 App”，显示为留言的来源"
          errors={errors}
          maxlength={100}
          required
        />
        <Submit label="签发新密钥" />
      </form>
      <h2>已签发的密钥</h2>
      {keys.length === 0 ? (
        <p>还没有签发密钥。</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">机构</th>
                <th scope="col">密钥前缀</th>
                <th scope="col">签发时间</th>
                <th scope="col">最近使用</th>
                <th scope="col">请求数</th>
                <th scope="col">状态</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr>
                  <td safe>{k.organisation}</td>
                  <td>
                    <code safe>{`o311_${k.keyPrefix}_…`}</code>
                  </td>
                  <td safe>{ctx.time.dateTime(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? ctx.time.dateTime(k.lastUsedAt) : '—'}</td>
                  <td safe>{String(k.requests)}</td>
                  <td>
                    {k.revokedAt ? (
                      <span safe>{`已吊销（${ctx.time.date(k.revokedAt)}）`}</span>
                    ) : (
                      <form method="post" action={`/admin/open311/${k.id}/revoke`} class="inline">
                        <CsrfField ctx={ctx} />
                        <button type="submit" class="danger" safe>
                          {`吊销 ${k.organisation} 的密钥`}
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
