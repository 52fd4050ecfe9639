// The open-data page: the latest dump's files with row counts and checksums, the schema, the formulas and the licence.
import { Time } from '../../web/views/time.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { Manifest } from '../dump-writer.ts';
import { COLUMN_TYPES, DATA_FILES, OPEN_DATA_LICENCE, RECOMPUTE_NOTES } from '../open-data.schema.ts';

const DESCRIPTIONS: Record<string, string> = {
  ...Object.fromEntries(DATA_FILES.map((f) => [f.name, f.description])),
  'schema.json': '各文件的列、类型和说明，以及由数据重新计算统计数字的方法（机器可读）。',
  'manifest.json': '本次数据的日期、生成时间、满意度权重，以及每个文件的行数、字节数和 SHA-256 校验值。',
};

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function OpenDataPage({ ctx, manifest }: { ctx: PageContext; manifest: Manifest | null }): JSX.Element {
  const title = '开放数据';
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ label: '首页', href: '/' }, { label: title }]}>
      <h1>开放数据</h1>
      <p>
        {
          '平台每天生成一份开放数据：经审核转到办理单位的全部留言（每条一行，含办理时间、是否按时、评价等统计所需的全部字段）、公开留言的标题和正文、已发布的答复，以及地区、办理单位和留言板。留言人的姓名、手机号、昵称、补充说明（备注）、账号编号和不公开的附件都不在其中；不公开留言只有统计字段，没有标题和正文。平台公布的各项统计数字都可以由这些文件重新算出。'
        }
      </p>
      {manifest ? (
        <section aria-labelledby="files-heading">
          <h2 id="files-heading" safe>
            {`最新数据：${manifest.date}`}
          </h2>
          <p class="meta">
            生成于 <Time ctx={ctx} iso={manifest.generatedAt} />
            <span
              safe
            >{`；满意度权重：解决程度 ${manifest.satisfactionWeights.resolution}、办理时间 ${manifest.satisfactionWeights.timeliness}、办理态度 ${manifest.satisfactionWeights.attitude}。`}</span>
          </p>
          <div class="table-scroll" tabindex="0" role="region" aria-labelledby="files-heading">
            <table class="data" id="files">
              <thead>
                <tr>
                  <th scope="col">文件</th>
                  <th scope="col">内容</th>
                  <th scope="col">行数</th>
                  <th scope="col">大小</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {[...manifest.files, { name: 'manifest.json', rows: null, bytes: null, sha256: '' }].map((f) => (
                  <tr>
                    <th scope="row">
                      <a href={`/open-data/latest/${encodeURIComponent(f.name)}`} safe>
                        {f.name}
                      </a>
                    </th>
                    <td safe>{DESCRIPTIONS[f.name] ?? ''}</td>
                    <td safe>{f.rows === null ? '—' : f.rows.toLocaleString('zh-CN')}</td>
                    <td safe>{f.bytes === null ? '—' : size(f.bytes)}</td>
                    <td>
                      <code safe>{f.sha256}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        <p>尚未生成开放数据；平台每天自动生成一次，管理员也可以运行 liuyan opendata dump 立即生成。</p>
      )}
      <section aria-labelledby="schema-heading">
        <h2 id="schema-heading">数据结构</h2>
        <p>
          {
            "CSV 文件为 UTF-8 编码（带 BOM，Excel 可直接打开），逗号分隔，首行为列名；含逗号、引号或换行的值用双引号括起（RFC 4180），空值为空字符串。以 =、+、-、@、制表符或回车开头的文本前加一个英文单引号（'），以免电子表格把它当作公式执行；数字不加。"
          }
        </p>
        {DATA_FILES.map((file) => (
          <>
            <h3 id={`file-${file.name.replace(/[^a-z0-9]+/gi, '-')}`} safe>
              {file.name}
            </h3>
            <p safe>{file.description}</p>
            <div
              class="table-scroll"
              tabindex="0"
              role="region"
              aria-labelledby={`file-${file.name.replace(/[^a-z0-9]+/gi, '-')}`}
            >
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">列</th>
                    <th scope="col">类型</th>
                    <th scope="col">说明</th>
                  </tr>
                </thead>
                <tbody>
                  {file.columns.map((c) => (
                    <tr>
                      <th scope="row">
                        <code safe>{c.name}</code>
                      </th>
                      <td>
                        <code safe>{COLUMN_TYPES[c.type]}</code>
                      </td>
                      <td safe>{c.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
      </section>
      <section aria-labelledby="recompute-heading">
        <h2 id="recompute-heading">由数据重新计算统计数字</h2>
        <ul>
          {RECOMPUTE_NOTES.map((note) => (
            <li safe>{note}</li>
          ))}
        </ul>
        <p>
          各地区的年度指标表见<a href="/stats/indicators">年度指标表</a>，各项统计见<a href="/stats">统计</a>。
        </p>
      </section>
      <section aria-labelledby="licence-heading">
        <h2 id="licence-heading">许可</h2>
        <p safe>{OPEN_DATA_LICENCE.note}</p>
        <p>
          <a href={OPEN_DATA_LICENCE.url} rel="license" safe>
            {OPEN_DATA_LICENCE.name}
          </a>
        </p>
      </section>
    </Layout>
  );
}
