// Staff read every text the platform received: when, from which (masked) number, what it said, what was done.
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { InboundLogRow } from '../inbound.repository.ts';

export interface InboundLogView {
  rows: InboundLogRow[];
  older: number | null;
  phone: string;
  enabled: readonly string[];
}

const OUTCOMES: Record<string, string> = {
  message: '新留言',
  invalid: '留言未成立',
  ambiguous: '地名有歧义',
  track: '查询进度',
  'track-unknown': '查询码不存在',
  rate: '评价',
  'follow-up': '追问',
  refused: '未能办理',
  unsubscribe: '退订',
  help: '回复帮助',
  flood: '过于频繁',
  ignored: '非大陆手机号，未处理',
};

const STATUS: Record<string, string> = { received: '待处理', processing: '处理中', done: '已处理', failed: '失败' };

export function InboundLogPage({ ctx, view }: { ctx: PageContext; view: InboundLogView }): JSX.Element {
  return (
    <Layout ctx={ctx} title="上行短信记录" crumbs={[{ label: '首页', href: '/' }, { label: '上行短信记录' }]}>
      <h1>上行短信记录</h1>
      <p>
        {view.enabled.length > 0
          ? `已接入的短信网关格式：${view.enabled.join('、')}。每条短信先保存再处理，网关重发的同一条只处理一次。`
          : '尚未接入短信网关（SMS_INBOUND_PROVIDERS 未设置）。'}
      </p>
      <form method="get" action="/admin/sms-inbound" class="filters">
        <div class="field">
          <label for="sms-phone">按手机号筛选</label>
          <input id="sms-phone" name="phone" type="text" inputmode="numeric" maxlength={11} value={view.phone} />
        </div>
        <div class="actions">
          <button type="submit" class="secondary">
            筛选
          </button>
        </div>
      </form>
      {view.rows.length === 0 ? (
        <p>没有记录。</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">编号</th>
                <th scope="col">收到时间</th>
                <th scope="col">号码</th>
                <th scope="col">内容</th>
                <th scope="col">处理</th>
                <th scope="col">回复</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr>
                  <td safe>{String(r.id)}</td>
                  <td safe>{ctx.time.dateTime(r.receivedAt)}</td>
                  <td safe>{r.phone}</td>
                  <td safe>{r.text}</td>
                  <td>
                    <span safe>{r.outcome ? (OUTCOMES[r.outcome] ?? r.outcome) : (STATUS[r.status] ?? r.status)}</span>
                    {r.messageId ? (
                      <>
                        {' '}
                        <a href={`/messages/${r.messageId}`} safe>{`留言 ${r.messageId}`}</a>
                      </>
                    ) : (
                      ''
                    )}
                    {r.error ? (
                      <p class="error" safe>
                        {r.error}
                      </p>
                    ) : (
                      ''
                    )}
                  </td>
                  <td safe>{r.reply ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.older !== null ? (
        <nav class="pager" aria-label="翻页">
          <a
            href={`/admin/sms-inbound?before=${view.older}${view.phone ? `&phone=${encodeURIComponent(view.phone)}` : ''}`}
          >
            更早的记录
          </a>
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}
