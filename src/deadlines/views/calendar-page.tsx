// The holiday schedules: which years the official calendar covers, which were loaded by hand, and the form to load
// the State Council's schedule for a new year.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, FormError, type FormErrors, Notice } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import { type Markup, sentence } from '../../admin/views/sentence.ts';
import type { ScheduleDay } from '../calendar.service.ts';

/** The Chinese words the schedule also takes, marked as Chinese on a page in any language. */
const ZH_HOLIDAY: Markup = { html: '<span lang="zh-CN">放假</span>' };
const ZH_WORKDAY: Markup = { html: '<span lang="zh-CN">上班</span>' };

export function CalendarPage({
  ctx,
  covered,
  loaded,
  text,
  errors,
  notice,
}: {
  ctx: PageContext;
  covered: { from: number; to: number };
  loaded: ScheduleDay[];
  text?: string;
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const { t } = ctx;
  const years = [...new Set(loaded.map((d) => d.date.slice(0, 4)))];
  const title = t('calendar.title');
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('admin.title'), href: '/admin' }, { label: title }]}
    >
      <h1 safe>{title}</h1>
      <Notice text={notice} />
      <p safe>
        {years.length > 0
          ? t('calendar.coverageLoaded', {
              from: covered.from,
              to: covered.to,
              years: years.join(t('log.listSeparator')),
            })
          : t('calendar.coverage', { from: covered.from, to: covered.to })}
      </p>
      <p safe>{t('calendar.provisional')}</p>
      <form method="post" action="/admin/calendar" class="stack wide">
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        <div class={errors?.schedule ? 'field has-error' : 'field'}>
          <label for="f-schedule" safe>
            {t('calendar.field')}
          </label>
          {/* What the admin typed is theirs (holiday names in Chinese): translation tools leave it alone. */}
          <textarea
            id="f-schedule"
            name="schedule"
            rows="12"
            aria-describedby="f-schedule-hint"
            placeholder={t('calendar.placeholder')}
            translate="no"
            safe
          >
            {text ?? ''}
          </textarea>
          <p class="hint" id="f-schedule-hint">
            {sentence(t, 'calendar.hint', { holidayZh: ZH_HOLIDAY, workdayZh: ZH_WORKDAY })}
          </p>
          {errors?.schedule ? (
            <p class="error" role="alert" safe>
              {errors.schedule}
            </p>
          ) : (
            ''
          )}
        </div>
        <div class="actions">
          <button type="submit" class="primary" safe>
            {t('calendar.submit')}
          </button>
        </div>
      </form>
      {loaded.length > 0 ? (
        <section aria-labelledby="loaded-heading">
          <h2 id="loaded-heading" safe>
            {t('calendar.loaded')}
          </h2>
          <div class="table-scroll" tabindex="0" role="region" aria-labelledby="loaded-heading">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col" safe>
                    {t('calendar.col.date')}
                  </th>
                  <th scope="col" safe>
                    {t('calendar.col.kind')}
                  </th>
                  <th scope="col" safe>
                    {t('calendar.col.name')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {loaded.map((d) => (
                  <tr>
                    <td safe>{d.date}</td>
                    <td safe>{t(d.kind === 'holiday' ? 'calendar.kind.holiday' : 'calendar.kind.workday')}</td>
                    <td translate="no" safe>
                      {d.name}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}
