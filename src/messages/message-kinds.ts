// Message types, domains (with their scope notes), statuses and the published reasons for not publishing, with the
// Simplified Chinese names the API also accepts; pages and API answers name them in the reader's language through
// message-labels.ts.

export const MESSAGE_TYPES = {
  consult: '咨询',
  suggest: '建言',
  complain: '投诉',
  help: '求助',
  thanks: '感谢',
} as const;
export type MessageType = keyof typeof MESSAGE_TYPES;

/** The 13 domains in the platform's order, each with the note that tells people what belongs there. */
export const DOMAINS = {
  urban: { label: '城建', note: '基础设施、市容秩序、住房、物业管理等' },
  transport: { label: '交通', note: '道路、公交、出行、交通管理等' },
  agriculture: { label: '三农', note: '农业、农村、农民相关问题' },
  environment: { label: '环保', note: '污染、噪声、生态环境等' },
  education: { label: '教育', note: '入学、学校管理、教育收费等' },
  health: { label: '医疗', note: '就医、医院管理、医疗保险等' },
  security: { label: '治安', note: '社会治安、公共安全等' },
  tourism: { label: '旅游', note: '景区、旅游服务与市场等' },
  employment: { label: '就业', note: '劳动关系、工资、培训、工作条件等' },
  culture: { label: '文娱', note: '文化、娱乐、体育等' },
  finance: { label: '金融', note: '银行、保险、证券、借贷等' },
  enterprise: { label: '企业', note: '企业经营、投资、登记等' },
  government: { label: '政务', note: '政府事务、政策咨询与落实等' },
} as const;
export type Domain = keyof typeof DOMAINS;

export const STATUSES = {
  submitted: '待审核',
  rejected: '未通过审核',
  pending: '待回复',
  assigned: '办理中',
  replied: '已办理',
  closed: '已办结',
} as const;
export type MessageStatus = keyof typeof STATUSES;

/**
 * Why an editor may decline to publish, after the platform's published rules. The author sees the
 * reason; the key is stable for the API and statistics.
 */
export const REJECT_REASONS = {
  illegal: '含有违法或有害信息',
  other_channel: '属于人大、法院、检察院或公安机关等受理范围的事项',
  in_court: '已进入或已经过诉讼程序的事项',
  petition: '已通过信访或纪检监察渠道反映的事项',
  already_handled: '已在本平台受理、办理中或已办结的事项',
  unverified: '内容未经核实，或属于传闻',
  personal_data: '公开内容中含有他人个人信息',
  duplicate: '重复或测试留言',
  author_request: '留言人要求不公开',
  flooding: '同一账号或多个账号就同一事项大量留言',
  several_issues: '一条留言反映多个事项（请一事一留言）',
  formal_procedure: '属于政府信息公开申请、行政复议、诉讼或执行事项',
  wrong_board: '留言板、类型或领域选择错误，或不属于该办理单位职责',
  channel_question: '询问本平台或其他渠道办理进度的留言',
} as const;
export type RejectReason = keyof typeof REJECT_REASONS;

export const VISIBILITIES = { public: '公开', private: '不公开（仅本人、平台编辑和办理单位可见）' } as const;
export type Visibility = keyof typeof VISIBILITIES;

/** Accepts the stable key or the Chinese name (the API contract allows either). */
export function parseKey<T extends string>(
  table: Record<T, string | { label: string }>,
  value: unknown,
): T | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (Object.hasOwn(table, v)) return v as T;
  const entry = (Object.entries(table) as [T, string | { label: string }][]).find(
    ([, l]) => (typeof l === 'string' ? l : l.label) === v,
  );
  return entry?.[0];
}
