// One award's printable certificate: a page of its own, whose links and tools disappear when printed.
import type { PageContext } from '../../web/page-context.ts';
import type { AwardRow } from '../evaluation.repository.ts';
import { percent } from '../evaluation-tables.ts';
import { levelLabel } from '../scoring.ts';

/** The day in the platform's time zone, written out: 2026 年 12 月 4 日. */
function chineseDate(ctx: PageContext, iso: string): string {
  const [y, m, d] = ctx.time.ymd(iso);
  return `${y} 年 ${m} 月 ${d} 日`;
}

/** A figure as a certificate prints it; null when it was not computed, and then the certificate leaves it out. */
const rate = (value: number | null): string | null => {
  const p = percent(value);
  return p === null ? null : `${p.toFixed(1)}%`;
};

export function CertificatePage({
  ctx,
  award,
  publishedAt,
  issuer,
}: {
  ctx: PageContext;
  award: AwardRow;
  publishedAt: string;
  /** The body that issues the certificate (颁发单位), as the admin set it for the year. */
  issuer: string;
}): JSX.Element {
  const { year } = award;
  const unit = award.kind === 'unit' ? award.unit : null;
  const worker = award.kind === 'worker' ? award.worker : null;
  const honour = `${year}年度网民留言办理工作${unit ? '先进单位' : '先进工作者'}`;
  const recipient = unit ? unit.unitName : worker ? `${worker.name}同志（${worker.unitName}）` : '';
  // Only what was computed: a figure over too small a sample has no place on a certificate.
  const listed: [string, string | null][] = unit
    ? [
        ['层级', levelLabel(unit.level)],
        ['同级排名', unit.rank ? `第 ${unit.rank} 名` : null],
        ['综合得分', unit.score === null ? null : unit.score.toFixed(2)],
        ['收到留言', `${unit.received} 条`],
        ['答复率', rate(unit.replyRate)],
        ['按时答复率', rate(unit.onTimeRate)],
        ['满意度', rate(unit.satisfaction)],
        ['解决率', rate(unit.resolutionRate)],
      ]
    : worker
      ? [
          ['公开答复', `${worker.replies} 条`],
          ['评价', `${worker.ratings} 条`],
          ['满意度', worker.satisfaction === null ? null : `${worker.satisfaction.toFixed(1)}%`],
        ]
      : [];
  const figures = listed.filter((f): f is [string, string] => f[1] !== null);
  const title = `荣誉证书：${recipient}`;
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} - ${ctx.t('site.name')}`}</title>
          <link rel="stylesheet" href="/static/style.css" />
          <link rel="stylesheet" href="/honours/certificate.css" />
        </head>
        <body>
          <nav class="certificate-tools no-print" aria-label="证书">
            <a href={`/honours/${year}`} safe>{`返回 ${year} 年度荣誉榜`}</a>
            <span class="meta"> 用浏览器的“打印”功能打印本证书（打印时不含本行和页面导航）。</span>
          </nav>
          <main id="main" class="certificate">
            <h1>荣誉证书</h1>
            <p class="recipient" safe>{`${recipient}：`}</p>
            <p class="citation" safe>
              {`在${year}年度网民留言办理工作中，${unit ? '你单位' : '你'}认真办理网民留言，答复及时、解决实际问题，成绩突出，经年度考评，被评为`}
            </p>
            <p class="honour" safe>{`${honour}`}</p>
            <p class="citation">特发此证，以资鼓励。</p>
            <dl aria-label="考评数据">
              {figures.map(([label, value]) => (
                <div>
                  <dt safe>{label}</dt>
                  <dd safe>{value}</dd>
                </div>
              ))}
            </dl>
            <p class="issuer">
              <span safe>{issuer || ctx.t('site.name')}</span>
              <br />
              <span safe>{chineseDate(ctx, publishedAt)}</span>
            </p>
            <p class="number" safe>{`证书编号：${year}-${String(award.id).padStart(4, '0')}`}</p>
          </main>
        </body>
      </html>
    </>
  );
}
