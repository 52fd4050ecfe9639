// The demo's news: the annual conferences of 2009–2012 as the platform's public reports give them, and two
// announcements taken from its help pages, written and published through the editors' own service (so they are in
// the admin log like any article). Only what the reports say: the conferences' dates, places and award lists are not
// in them, and each report says so rather than inventing them. Source: shared/reference/platform-facts.md.
import type { Db } from '../db/kysely.ts';
import type { Category } from './article-kinds.ts';
import { articlesService, type Editor } from './articles.service.ts';

interface DemoArticle {
  category: Category;
  conferenceYear?: number;
  title: string;
  summary: string;
  body: string;
}

const ARCHIVE_NOTE = '> 本文为平台根据公开资料整理的存档。会议的具体日期、地点和受表彰名单，现有资料未载，暂缺。';

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    category: 'conference',
    conferenceYear: 2009,
    title: '2009 年度网民留言办理工作会议',
    summary: '人民网《地方领导留言板》召开 2009 年度留言办理单位会议，会上有讲话、经验交流和表彰。',
    body: [
      '人民网《地方领导留言板》召开 2009 年度留言办理单位会议。会议安排了讲话和办理工作的经验交流，并对办理工作进行了表彰。',
      '## 留言板的这一年',
      [
        '- 2008 年起，除台湾外的各省、自治区、直辖市以及香港、澳门都开通了领导留言板，涉及各级领导一千多位。',
        '- 截至 2009 年，留言板共收到网民留言约 40 万条。',
        '- 2009 年，留言板通过公开征集确定了口号：**“社情民意的集散地，亲民爱民的回音壁”**。',
      ].join('\n'),
      ARCHIVE_NOTE,
    ].join('\n\n'),
  },
  {
    category: 'conference',
    conferenceYear: 2010,
    title: '2010 年度网民留言办理工作会议',
    summary: '2010 年度留言办理单位会议召开，会上有讲话、经验交流和表彰；这一年，留言板开通了县级领导留言板。',
    body: [
      '人民网《地方领导留言板》召开 2010 年度留言办理单位会议。会议安排了讲话和办理工作的经验交流，并对办理工作进行了表彰。',
      '## 留言板的这一年',
      '- 2010 年，留言板开通了县级领导留言板。',
      ARCHIVE_NOTE,
    ].join('\n\n'),
  },
  {
    category: 'conference',
    conferenceYear: 2011,
    title: '2011 年度网民留言办理工作会议',
    summary: '2011 年度留言办理单位会议召开，会上有讲话、经验交流和表彰。',
    body: [
      '人民网《地方领导留言板》召开 2011 年度留言办理单位会议。会议安排了讲话和办理工作的经验交流，并对办理工作进行了表彰。',
      ARCHIVE_NOTE,
    ].join('\n\n'),
  },
  {
    category: 'conference',
    conferenceYear: 2012,
    title: '2012 年度网民留言办理工作会议：表彰 87 个先进单位、53 名先进工作者',
    summary:
      '会议表彰 87 个先进单位和 53 名先进工作者；51 位省级党委书记和省长、近千位市县领导已公开回复网民留言；视频栏目《“帖”近现场》开通。',
    body: [
      '人民网《地方领导留言板》召开 2012 年度网民留言办理工作会议。会议安排了讲话和办理工作的经验交流，并进行了表彰。',
      '## 表彰',
      '会议表彰了 **87 个先进单位**和 **53 名先进工作者**。',
      '## 会议报告中的数字',
      [
        '| 项目 | 数字 |',
        '| --- | --- |',
        '| 公开回复过网民留言的省级党委书记和省长 | 51 位 |',
        '| 公开回复过网民留言的市、县领导 | 近千位 |',
        '| 出台文件、建立办理网民留言固定工作机制的省份 | 19 个 |',
        '| 留言办理单位 | 1200 多家 |',
        '| 当年解决的问题 | 约 5 万个 |',
      ].join('\n'),
      '## 新栏目和新渠道',
      [
        '- 会上，人民网开通视频栏目《“帖”近现场》，用影像记录领导与网民通过“留言—回复”互动的真实故事。',
        '- 报告还介绍了留言板的 WAP 手机访问，以及通过短信提交意见建议的渠道。',
      ].join('\n'),
      '> 本文为平台根据公开资料整理的存档。会议的具体日期、地点和受表彰名单，现有资料未载，暂缺。',
    ].join('\n\n'),
  },
  {
    category: 'announcement',
    title: '关于留言审核的说明',
    summary: '每条留言公开前都经过审核，尽量在 24 小时内完成；不予公开的，留言人可以看到原因。',
    body: [
      '每条留言在公开之前都由平台编辑审核，审核尽量在 **24 小时**内完成。',
      '## 不予公开的常见情形',
      [
        '- 含有违法或有害内容的；',
        '- 属于人大、法院、检察院、公安机关处理的事项，已进入诉讼或已由法院作出处理的，已通过信访、纪检监察渠道反映的；',
        '- 已在留言板受理、正在办理或经审核已办结的同一事项；',
        '- 未经核实的消息，或在公开内容中写入他人个人信息的；',
        '- 重复留言、测试留言，或一个账号、多个账号就同一事项刷屏的；',
        '- 一条留言反映多个事项的；',
        '- 选错留言板、类别或领域，或不属于办理单位职责范围的。',
      ].join('\n'),
      '留言未通过审核的，留言人可以在“我的留言”中看到原因。更多说明见[留言须知](/help/rules)。',
    ].join('\n\n'),
  },
  {
    category: 'announcement',
    title: '留言前请选择事发地的领导留言板',
    summary: '请给事发地所在地区的领导留言，一事一留言；联系方式等个人信息请写在不公开的“备注”里。',
    body: [
      '## 选对留言板',
      '请选择事情发生地所在地区的领导留言板；不确定由哪一级办理时，可以给上一级领导留言。',
      '## 一事一留言',
      '一条留言只反映一件事；同一件事也不要拆成多条留言。',
      '## 写清楚',
      [
        '- 标题要具体，例如“校门口乱停车，进入小区道路受阻”，而不是“请领导关注”。',
        '- 正文先写诉求，再写时间、起因、经过、涉及的单位、金额、造成的影响和期望的结果。正文是办理的依据。',
      ].join('\n'),
      '## 保护个人信息',
      '联系方式、身份证号、姓名和住址请写在“备注”里，备注不公开。写在公开正文里的手机号、身份证号和银行卡号会被遮挡。',
      '[现在去选择留言板](/boards/choose)',
    ].join('\n\n'),
  },
];

/** Writes and publishes the demo articles, the oldest first, so the announcements are the newest. */
export async function seedDemoNews(db: Db, editor: Editor, log: (line: string) => void = () => {}): Promise<number> {
  for (const article of DEMO_ARTICLES) {
    const id = await articlesService.create(db, editor, { ...article, conferenceYear: article.conferenceYear ?? '' });
    await articlesService.publish(db, editor, id);
    log(`新闻公告：${article.title}`);
  }
  return DEMO_ARTICLES.length;
}
