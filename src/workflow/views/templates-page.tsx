// The unit head's page of reply templates.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';

export interface UnitTemplates {
  id: number;
  name: string;
  templates: { id: number; title: string; body: string }[];
}

export function TemplatesPage({
  ctx,
  units,
  notice,
}: {
  ctx: PageContext;
  units: UnitTemplates[];
  notice?: string;
}): JSX.Element {
  return (
    <Layout
      ctx={ctx}
      title="答复模板"
      crumbs={[{ label: '首页', href: '/' }, { label: '工作台', href: '/workbench' }, { label: '答复模板' }]}
    >
      <h1>答复模板</h1>
      <Notice text={notice} />
      {units.map((u) => (
        <section class="panel" aria-labelledby={`u-${u.id}`}>
          <h2 id={`u-${u.id}`} safe>
            {u.name}
          </h2>
          <ul>
            {u.templates.map((tpl) => (
              <li>
                <strong safe>{tpl.title}</strong>
                <p class="meta" safe>
                  {tpl.body}
                </p>
                <form method="post" action={`/workbench/templates/${u.id}/${tpl.id}/delete`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="link">
                    删除
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action={`/workbench/templates/${u.id}`} class="stack wide">
            <CsrfField ctx={ctx} />
            <Field name="title" label="模板标题" idPrefix={`t${u.id}`} maxlength={50} />
            <div class="field">
              <label for={`t${u.id}-body`}>模板内容</label>
              <textarea id={`t${u.id}-body`} name="body" rows="5"></textarea>
            </div>
            <Submit label="添加模板" kind="secondary" />
          </form>
        </section>
      ))}
    </Layout>
  );
}
