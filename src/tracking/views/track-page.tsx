// The tracking-code page: a small form, and what the code tells (the status; for a public message its page).
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { TrackResult } from '../tracking.service.ts';

export interface TrackView {
  code: string;
  result?: TrackResult;
  /** Why the code found nothing: a malformed code or an unknown one. */
  problem?: string;
  smsNumber?: string;
}

const EXCERPT = 200;

export function TrackPage({ ctx, view }: { ctx: PageContext; view: TrackView }): JSX.Element {
  const r = view.result;
  return (
    <Layout ctx={ctx} title="查询留言进度" crumbs={[{ label: '首页', href: '/' }, { label: '查询留言进度' }]}>
      <h1>查询留言进度</h1>
      <p>输入写留言后收到的 8 位查询码（如 VS92E3L9），不用登录即可查看办理进度。</p>
      <form method="get" action="/track" class="track-form" role="search">
        <div class={view.problem ? 'field has-error' : 'field'}>
          <label for="track-code">查询码</label>
          <input
            id="track-code"
            name="code"
            type="text"
            value={view.code}
            maxlength={20}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            required
            aria-invalid={view.problem ? 'true' : undefined}
            aria-describedby={view.problem ? 'track-code-error' : undefined}
          />
          {view.problem ? (
            <p class="error" id="track-code-error" role="alert" safe>
              {view.problem}
            </p>
          ) : (
            ''
          )}
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            查询
          </button>
        </div>
      </form>
      {r ? (
        <section aria-labelledby="track-result" class="track-result">
          <h2 id="track-result" safe>{`查询码 ${r.code}`}</h2>
          <dl class="facts">
            <dt>办理状态</dt>
            <dd>
              <strong safe>{r.statusLabel}</strong>
            </dd>
            {r.published ? (
              <>
                <dt>留言</dt>
                <dd>
                  <a href={r.published.path} safe>
                    {r.published.title}
                  </a>
                </dd>
                <dt>留言板</dt>
                <dd safe>{r.published.board}</dd>
                {r.published.unit ? (
                  <>
                    <dt>办理单位</dt>
                    <dd safe>{r.published.unit}</dd>
                  </>
                ) : (
                  ''
                )}
                {r.published.dueAt ? (
                  <>
                    <dt>办理时限</dt>
                    <dd safe>{ctx.time.date(r.published.dueAt)}</dd>
                  </>
                ) : (
                  ''
                )}
                {r.published.duplicateOf ? (
                  <>
                    <dt>重复留言</dt>
                    <dd>
                      与<a href={`/messages/${r.published.duplicateOf}`} safe>{`留言 ${r.published.duplicateOf}`}</a>
                      反映同一事项，随原留言办理。
                    </dd>
                  </>
                ) : (
                  ''
                )}
              </>
            ) : (
              ''
            )}
          </dl>
          {r.published && r.reply ? (
            <div class="reply-excerpt">
              <h3 safe>{`${r.reply.unit}的答复（${ctx.time.date(r.reply.publishedAt)}）`}</h3>
              <p safe>
                {[...r.reply.body].length > EXCERPT ? `${[...r.reply.body].slice(0, EXCERPT).join('')}…` : r.reply.body}
              </p>
            </div>
          ) : (
            ''
          )}
          {r.published ? (
            <p>
              <a href={r.published.path}>查看留言全文和办理记录</a>
            </p>
          ) : (
            <p>
              {r.status === 'submitted'
                ? '留言正在审核，审核通过后转交办理单位。'
                : '这条留言不公开（或未公开），这里只显示办理状态；留言人登录后可在“我的留言”中查看全部内容。'}
            </p>
          )}
        </section>
      ) : (
        ''
      )}
      {view.smsNumber ? <p class="hint" safe>{`也可以发短信“查 查询码”到 ${view.smsNumber} 查询进度。`}</p> : ''}
    </Layout>
  );
}
