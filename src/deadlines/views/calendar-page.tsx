// The holiday schedules: which years the official calendar covers, which were loaded by hand, and the form to load
// the State Council's schedule for a new year.
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, FormError, type FormErrors, Notice } from '../../web/views/form.tsx';
import { Layout } from '../../web/views/layout.tsx';
import type { ScheduleDay } from '../calendar.service.ts';

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
  const years = [...new Set(loaded.map((d) => d.date.slice(0, 4)))];
  return (
    <Layout
      ctx={ctx}
      title="放假安排"
      crumbs={[{ label: '首页', href: '/' }, { label: '管理', href: '/admin' }, { label: '放假安排' }]}
    >
      <h1>放假安排</h1>
      <Notice text={notice} />
      <p safe>
        {`工作日按国务院公布的放假安排计算。日历数据包覆盖 ${covered.from}–${covered.to} 年${years.length > 0 ? `；已导入 ${years.join('、')} 年` : ''}。`}
      </p>
      <p>
        此后的年份暂按法定节假日计算（元旦、春节四天、清明、劳动节两天、端午、中秋、国庆三天，不含调休），这样算出的时限在留言页面上标明“暂按法定节假日计算”。国务院公布新一年的放假安排后，在这里导入，未办结留言的时限会按新安排重新计算，并记入办理记录。
      </p>
      <form method="post" action="/admin/calendar" class="stack wide">
        <CsrfField ctx={ctx} />
        <FormError errors={errors} />
        <div class={errors?.schedule ? 'field has-error' : 'field'}>
          <label for="f-schedule">放假安排（每行一天）</label>
          <textarea
            id="f-schedule"
            name="schedule"
            rows="12"
            aria-describedby="f-schedule-hint"
            placeholder={'2027-02-05,放假,春节\n2027-02-14,上班,春节调休'}
            safe
          >
            {text ?? ''}
          </textarea>
          <p class="hint" id="f-schedule-hint">
            格式：日期,放假 或 上班,名称（也可写 holiday / workday）。导入一年时，该年已导入的安排整体替换。
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
          <button type="submit" class="primary">
            导入并重新计算时限
          </button>
        </div>
      </form>
      {loaded.length > 0 ? (
        <section aria-labelledby="loaded-heading">
          <h2 id="loaded-heading">已导入的安排</h2>
          <div class="table-scroll" tabindex="0" role="region" aria-labelledby="loaded-heading">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">日期</th>
                  <th scope="col">放假/上班</th>
                  <th scope="col">名称</th>
                </tr>
              </thead>
              <tbody>
                {loaded.map((d) => (
                  <tr>
                    <td safe>{d.date}</td>
                    <td>{d.kind === 'holiday' ? '放假' : '上班'}</td>
                    <td safe>{d.name}</td>
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
