// The open-data dump's files and columns, described once: the writer, schema.json, the /open-data page and the docs follow it.

export const OPEN_DATA_VERSION = 1;

export const OPEN_DATA_LICENCE = {
  name: 'CC BY 4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/deed.zh-hans',
  note: '本数据集按“知识共享 署名 4.0 国际”许可协议（CC BY 4.0）开放：可自由复制、分发、加工和商业使用，使用时请注明来源“留言平台开放数据”及数据日期。留言和答复的著作权归其作者；数据已去除留言人的个人信息，请勿尝试识别留言人。',
};

export type ColumnType = 'integer' | 'text' | 'timestamp' | 'date' | 'flag';

export interface OpenDataColumn {
  name: string;
  type: ColumnType;
  description: string;
}

export interface OpenDataFile {
  name: string;
  description: string;
  columns: OpenDataColumn[];
}

const TYPE_NOTES: Record<ColumnType, string> = {
  integer: '整数',
  text: '文本',
  timestamp: 'ISO 8601 UTC 时间，如 2026-03-01T02:30:00.000Z',
  date: '北京时间日期 YYYY-MM-DD',
  flag: '0 或 1',
};
export const COLUMN_TYPES = TYPE_NOTES;

const c = (name: string, type: ColumnType, description: string): OpenDataColumn => ({ name, type, description });

/** The CSV files, in the order they are written and listed. */
export const DATA_FILES: OpenDataFile[] = [
  {
    name: 'messages.csv',
    description:
      '每条经平台编辑审核通过、转到办理单位的留言一行（含不公开的留言，但不公开留言的标题和正文留空）。发布的全部统计数字都由这些行计算。',
    columns: [
      c('message_id', 'integer', '留言编号，与网站上 /messages/{编号} 的编号相同'),
      c('board_id', 'integer', '留言板编号（见 boards.csv）'),
      c('unit_id', 'integer', '当前办理单位编号（见 units.csv）；按单位统计时使用'),
      c('region_code', 'text', '留言所属地区代码（GB/T 2260，见 regions.csv）'),
      c('province_code', 'text', '所属省级地区代码'),
      c('city_code', 'text', '所属地级地区代码；省级留言和直辖市所辖区县的留言为空'),
      c('type', 'text', '类型：consult 咨询、suggest 建言、complain 投诉、help 求助、thanks 感谢'),
      c('domain', 'text', '领域：urban 城建、transport 交通、agriculture 三农、environment 环保等（共 13 个）'),
      c('visibility', 'text', 'public 公开，private 不公开（标题和正文留空）'),
      c('channel', 'text', '来源渠道：web 网站、api 客户端（App、小程序）、sms 短信、open311 Open311 接入'),
      c('status', 'text', '生成数据时的状态：pending 待回复、assigned 办理中、replied 已办理、closed 已办结'),
      c('received_at', 'timestamp', '审核通过、转到办理单位的时间（收到留言的时间）'),
      c('received_day', 'date', '收到留言的日期（北京时间），按它把留言计入统计期'),
      c('expected', 'flag', '1 表示应答复；感谢类留言只需签收，为 0'),
      c('replied_at', 'timestamp', '首次公开发布答复的时间；未答复为空'),
      c('due_at', 'timestamp', '首次答复时有效的办理时限（含批准的延期）；为空表示无时限'),
      c('on_time', 'flag', '1 表示首次答复不晚于 due_at（due_at 为空也算按时）；未答复为空'),
      c('handling_days', 'integer', '从审核通过到首次答复经过的工作日数（审核通过当天不计）；未答复为空'),
      c('resolved', 'flag', '最后一次答复标明问题已解决'),
      c('overdue', 'flag', '超过受理或办理时限被督办过'),
      c('returned', 'flag', '被下级单位在异议期内退回过'),
      c('reopened', 'flag', '留言人追问过、重新办理过'),
      c('signed', 'flag', '答复由留言对象（领导本人）签发'),
      c('rating_resolution', 'integer', '留言人最后一次评价的“解决程度”，1–5 分；未评价为空'),
      c('rating_timeliness', 'integer', '最后一次评价的“办理时间”，1–5 分；未评价为空'),
      c('rating_attitude', 'integer', '最后一次评价的“办理态度”，1–5 分；未评价为空'),
      c('title', 'text', '公开留言的标题（手机号、身份证号、银行卡号已打码）；不公开的留言为空'),
      c('body', 'text', '公开留言的正文（个人信息已打码）；不公开的留言为空'),
    ],
  },
  {
    name: 'replies.csv',
    description: '公开留言的已发布答复，每条答复一行（一条留言追问后可有多轮答复）。',
    columns: [
      c('reply_id', 'integer', '答复编号'),
      c('message_id', 'integer', '所答复的留言编号（见 messages.csv）'),
      c('round', 'integer', '第几轮答复：1 为首次答复，追问后重新答复为 2、3……'),
      c('unit_id', 'integer', '答复单位编号（见 units.csv）'),
      c('unit_name', 'text', '答复单位名称'),
      c('body', 'text', '答复正文，与网站上公开的一致'),
      c('resolved', 'flag', '答复标明问题已解决'),
      c('published_at', 'timestamp', '答复公开发布的时间'),
      c('signer_name', 'text', '签发答复的领导姓名；非领导签发为空'),
    ],
  },
  {
    name: 'regions.csv',
    description: '行政区划（GB/T 2260）：省级、地级、县级。',
    columns: [
      c('code', 'text', '地区代码'),
      c('name', 'text', '地区名称'),
      c('level', 'text', 'province 省级、city 地级、county 县级'),
      c('parent_code', 'text', '上级地区代码；省级为空'),
    ],
  },
  {
    name: 'units.csv',
    description: '办理单位。',
    columns: [
      c('id', 'integer', '单位编号'),
      c('name', 'text', '单位名称'),
      c('level', 'text', 'province 省级、city 地级、county 县级'),
      c('region_code', 'text', '单位所在地区代码'),
      c('parent_id', 'integer', '上级单位编号；最上级为空'),
    ],
  },
  {
    name: 'boards.csv',
    description: '领导留言板。',
    columns: [
      c('id', 'integer', '留言板编号'),
      c('region_code', 'text', '地区代码'),
      c('title', 'text', '留言板名称，如“县长”'),
      c('holder_name', 'text', '领导姓名（公开信息）；未设置为空'),
      c('unit_id', 'integer', '转办的办理单位编号'),
    ],
  },
];

export const SCHEMA_FILE = 'schema.json';
export const MANIFEST_FILE = 'manifest.json';

/** Every file a dump directory holds, in the order the page lists them. */
export const ALL_FILES: string[] = [...DATA_FILES.map((f) => f.name), SCHEMA_FILE, MANIFEST_FILE];

export function isOpenDataFile(name: string): boolean {
  return ALL_FILES.includes(name);
}

/** How the published figures follow from messages.csv; repeated in schema.json so the dump explains itself. */
export const RECOMPUTE_NOTES: string[] = [
  '统计范围：某地区（含下级地区）取 messages.csv 中 province_code、city_code 或 region_code 等于该地区代码的行；某留言板取 board_id，某单位取 unit_id；统计期取 received_day 落在期内的行。',
  '收到留言 = 行数；应答复 = expected 之和；已答复 = replied_at 不为空的行数；按时答复 = on_time 之和。',
  '答复率 = 已答复 ÷ 应答复；按时答复率 = 按时答复 ÷ 已答复；追问率 = reopened 之和 ÷ 已答复；分母不足 5 时不计算（“样本不足”）。',
  '办理用时中位数和 90% 办理用时：已答复留言的 handling_days 从小到大排列，共 n 条，分别取第 ⌈0.5×n⌉ 和第 ⌈0.9×n⌉ 条。',
  '满意度：对三项评分都不为空的每一行，各项折算为 (分数 − 1) ÷ 4 × 100，按 manifest.json 中的权重加权平均后，再对所有评价取平均；分项满意度是该项折算值的平均；评价不足 5 条时不计算。',
  '已解决、超期、退回、追问、领导签发 = 对应列之和。',
];

export function schemaDocument() {
  return {
    version: OPEN_DATA_VERSION,
    encoding:
      "CSV 文件为 UTF-8（带 BOM），逗号分隔，首行为列名，含逗号、引号或换行的值用双引号括起（RFC 4180）；空值写为空字符串。以 =、+、-、@、制表符或回车开头的文本前加一个英文单引号（'），以免电子表格把它当作公式执行；数字不加。",
    types: TYPE_NOTES,
    files: DATA_FILES,
    recompute: RECOMPUTE_NOTES,
    licence: OPEN_DATA_LICENCE,
  };
}
