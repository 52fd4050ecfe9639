// The unit head's page of reply templates.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, Notice, Submit } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { UnitName } from '../../web/views/names.tsx';

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
  const { t } = ctx;
  const title = t('wb.links.templates');
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('wb.title'), href: '/workbench' }, { label: title }]}
    >
      <h1 safe>{title}</h1>
      <Notice text={notice} />
      {units.map((u) => (
        <section class="panel" aria-labelledby={`u-${u.id}`}>
          <h2 id={`u-${u.id}`}>
            <UnitName ctx={ctx} name={u.name} />
          </h2>
          {u.templates.length === 0 ? (
            <p class="meta" safe>
              {t('workflow.templates.none')}
            </p>
          ) : (
            ''
          )}
          <ul>
            {u.templates.map((tpl) => (
              <li>
                <strong translate="no" safe>
                  {tpl.title}
                </strong>
                <p class="meta" translate="no" safe>
                  {tpl.body}
                </p>
                <form method="post" action={`/workbench/templates/${u.id}/${tpl.id}/delete`} class="inline">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="link" safe>
                    {t('workflow.templates.delete')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action={`/workbench/templates/${u.id}`} class="stack wide">
            <CsrfField ctx={ctx} />
            <Field name="title" label={t('workflow.templates.titleField')} idPrefix={`t${u.id}`} maxlength={50} />
            <div class="field">
              <label for={`t${u.id}-body`} safe>
                {t('workflow.templates.body')}
              </label>
              <textarea id={`t${u.id}-body`} name="body" rows="5"></textarea>
            </div>
            <Submit label={t('workflow.templates.add')} kind="secondary" />
          </form>
        </section>
      ))}
    </Layout>
  );
}
