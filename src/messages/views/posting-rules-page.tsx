// The posting rules: what a good message is, how it is handled and in what time, and every reason an editor may
// decline to publish one (the same list the editor chooses from).
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import { DOMAINS, MESSAGE_TYPES, REJECT_REASONS } from '../message-kinds.ts';

export function PostingRulesPage({ ctx }: { ctx: PageContext }): JSX.Element {
  return (
    <Layout ctx={ctx} title="留言规则" crumbs={[{ label: '首页', href: '/' }, { label: '留言规则' }]}>
      <h1>留言规则</h1>
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">怎样留言</h2>
        <ul>
          <li>选择事项发生地的领导留言板；不确定时，可以选择上一级领导。</li>
          <li>一条留言只反映一件事；标题写明具体事项，正文先写诉求，再写时间、地点、经过和期望的结果。</li>
          <li>
            姓名、电话、身份证号、住址请写在“备注”里：备注不公开，只有办理单位能看到。写在标题或正文里的电话、身份证号和银行卡号会被遮盖。
          </li>
          <li>可以选择“不公开”：留言只有本人、平台编辑和办理单位能看到，但同样受理和答复。</li>
          <li safe>
            {`留言类型：${Object.values(MESSAGE_TYPES).join('、')}；领域：${Object.values(DOMAINS)
              .map((d) => d.label)
              .join('、')}。`}
          </li>
        </ul>
      </section>
      <section aria-labelledby="flow-heading">
        <h2 id="flow-heading">办理流程和时限</h2>
        <ol>
          <li>平台编辑审核，一般在 24 小时内；通过后公开并转交办理单位。</li>
          <li>办理单位在 3 个工作日内受理，可以交办给有关部门。</li>
          <li>
            答复时限按类型计算：咨询 5 个工作日，建言和求助 10 个工作日，投诉 15
            个工作日；延期最多一次、需说明理由并公开。
          </li>
          <li>答复后可以评价，也可以追问一次；评价期一般为 20 个工作日，逾期自动办结。</li>
        </ol>
        <p class="hint">各地可以按本地区的工作机制调整时限；每条留言的页面上都显示它自己的时限。</p>
      </section>
      <section aria-labelledby="reasons-heading">
        <h2 id="reasons-heading">不予公开的情形</h2>
        <p>有下列情形之一的留言，平台编辑不予公开，并把原因告诉留言人：</p>
        <ol id="reject-reasons">
          {Object.values(REJECT_REASONS).map((reason) => (
            <li>{reason}</li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
