// `liuyan seed demo`: demo accounts (one per role) and some fifty messages in every status, so a newcomer sees a
// living platform. Every state is reached through the real services (submit, review, accept, assign, return,
// extension, reply, sign, rate, follow-up, the scheduler), so hash chains, notifications and deadlines are right;
// only the handling deadline of the one overdue message is moved into the past before the scheduler runs.
//
// Run once: when the demo admin exists nothing is created and the accounts are listed again. The admin is created
// last, so a run that failed half-way is not mistaken for a finished one.
//
// Units outside 正定县 (北京、上海、深圳 dispatching units) act through one listed unit-head account each: a
// unit head may accept, draft, approve and assign, so one account suffices. 河北省 and 石家庄市 units get no
// handling account (the 石家庄 supervisor watches over 正定), so their messages stay submitted, rejected or pending.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { loadCurrentUser } from '../accounts/accounts.service.ts';
import { hashPassword, passwordProblem } from '../accounts/passwords.ts';
import { ROLE_LABELS, type Role } from '../accounts/roles.ts';
import { COMMAND_LINE, createStaff } from '../accounts/staff.service.ts';
import { usersRepository } from '../accounts/users.repository.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Db } from '../db/kysely.ts';
import {
  type Domain,
  type MessageStatus,
  type MessageType,
  type RejectReason,
  STATUSES,
} from '../messages/message-kinds.ts';
import { approveMessage, rejectMessage } from '../messages/review.ts';
import type { SensitiveWords } from '../messages/sensitive-words.ts';
import { submitMessage } from '../messages/submit-message.ts';
import { importUnits } from '../units/import-units.ts';
import { runSchedulerOnce } from '../workflow/supervision.ts';
import {
  accept,
  approveReply,
  assign,
  decideExtension,
  draftReply,
  followUp,
  rate,
  requestExtension,
  returnMessage,
  setPriority,
  signReply,
  superviseByHand,
} from '../workflow/transitions.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { seedSolicitationDemo } from '../solicitations/demo.ts';
import { seedDemoHolders } from '../leaders/demo-leaders.ts';
import { seedDemoNews } from '../news/demo-news.ts';

export interface DemoAccount {
  role: string;
  roleLabel: string;
  phone: string;
  nickname: string;
  scope: { type: string; id: string; name: string };
  boards: { id: number; name: string }[];
}

export interface DemoDeps {
  secret: string;
  store: AttachmentStore;
  sensitiveWords: SensitiveWords;
}

export interface DemoOptions {
  password: string;
  log?: (line: string) => void;
}

export interface DemoResult {
  accounts: DemoAccount[];
  /** Messages written by the demo netizens. */
  messages: number;
  /** False when the demo data already existed and nothing was created. */
  created: boolean;
}

export const DEMO_PASSWORD_DEFAULT = 'Liuyan-Demo-2026!';

// ── Accounts ────────────────────────────────────────────────────────────────────────────────────────────────

/** The 正定县 department created for the demo, below the county's dispatching unit. */
export const DEMO_DEPARTMENT = {
  regionCode: '130123',
  name: '正定县住房和城乡建设局',
  responsibilities: '负责全县城乡建设、住房保障、物业管理、市政设施建设和维护等工作。',
};

const COUNTY_UNIT = 130123001;
const CITY_UNIT = 130100001;
const LEADER_BOARD = 1301232;

type AccountScope =
  { type: 'global' } | { type: 'unit'; unitId: number | 'department' } | { type: 'board'; boardId: number };

interface AccountSpec {
  key: string;
  role: Role | 'netizen';
  phone: string;
  nickname: string;
  scope: AccountScope | null;
}

/** Reserved-looking numbers (199 0000 xxxx): valid mainland mobiles by their shape, never handed out for real use. */
export const DEMO_ADMIN_PHONE = '19900000001';

const ACCOUNTS: AccountSpec[] = [
  { key: 'admin', role: 'admin', phone: DEMO_ADMIN_PHONE, nickname: '演示系统管理员', scope: { type: 'global' } },
  { key: 'editor', role: 'editor', phone: '19900000002', nickname: '演示平台编辑', scope: { type: 'global' } },
  {
    key: 'countyStaff',
    role: 'unit_staff',
    phone: '19900000011',
    nickname: '正定县督查室办理员',
    scope: { type: 'unit', unitId: COUNTY_UNIT },
  },
  {
    key: 'countyHead',
    role: 'unit_head',
    phone: '19900000012',
    nickname: '正定县督查室主任',
    scope: { type: 'unit', unitId: COUNTY_UNIT },
  },
  {
    key: 'deptStaff',
    role: 'unit_staff',
    phone: '19900000021',
    nickname: '县住建局办理员',
    scope: { type: 'unit', unitId: 'department' },
  },
  {
    key: 'deptHead',
    role: 'unit_head',
    phone: '19900000022',
    nickname: '县住建局负责人',
    scope: { type: 'unit', unitId: 'department' },
  },
  {
    key: 'leader',
    role: 'leader',
    phone: '19900000031',
    nickname: '正定县县长',
    scope: { type: 'board', boardId: LEADER_BOARD },
  },
  {
    key: 'beijingLeader',
    role: 'leader',
    phone: '19900000032',
    nickname: '北京市市长',
    scope: { type: 'board', boardId: 1100002 },
  },
  {
    key: 'shenzhenLeader',
    role: 'leader',
    phone: '19900000033',
    nickname: '深圳市市长',
    scope: { type: 'board', boardId: 4403002 },
  },
  {
    key: 'supervisor',
    role: 'supervisor',
    phone: '19900000041',
    nickname: '石家庄市督查员',
    scope: { type: 'unit', unitId: CITY_UNIT },
  },
  {
    key: 'beijingHead',
    role: 'unit_head',
    phone: '19900000051',
    nickname: '北京市委督查室办理员',
    scope: { type: 'unit', unitId: 110000001 },
  },
  {
    key: 'shanghaiHead',
    role: 'unit_head',
    phone: '19900000052',
    nickname: '上海市委督查室办理员',
    scope: { type: 'unit', unitId: 310000001 },
  },
  {
    key: 'shenzhenHead',
    role: 'unit_head',
    phone: '19900000053',
    nickname: '深圳市督查局办理员',
    scope: { type: 'unit', unitId: 440300001 },
  },
  { key: 'netizen1', role: 'netizen', phone: '19900000101', nickname: '古城老街坊', scope: null },
  { key: 'netizen2', role: 'netizen', phone: '19900000102', nickname: '骑车上班族', scope: null },
];

// ── Text bank: messages are built from these parts ─────────────────────────────────────────────────────────────

interface RegionText {
  name: string;
  /** Where in the region a message is about: towns, districts. */
  districts: string[];
}

const REGIONS: Record<string, RegionText> = {
  '130123': {
    name: '正定县',
    districts: ['正定镇', '新城铺镇', '诸福屯镇', '曲阳桥乡', '南牛乡', '西平乐乡', '北早现乡'],
  },
  '130100': { name: '石家庄市', districts: ['长安区', '桥西区', '裕华区', '新华区'] },
  '130000': { name: '河北省', districts: ['保定市', '沧州市', '邯郸市'] },
  '110000': { name: '北京市', districts: ['朝阳区', '海淀区', '丰台区', '通州区', '昌平区'] },
  '310000': { name: '上海市', districts: ['浦东新区', '闵行区', '徐汇区', '宝山区'] },
  '440300': { name: '深圳市', districts: ['南山区', '宝安区', '龙岗区', '福田区'] },
};

interface Problem {
  domain: Domain;
  type: MessageType;
  /** Placeholders: {place} (district + spot), {region}, {time}. */
  title: string;
  spots: string[];
  detail: string;
  ask: string;
  /** What the unit did, for the reply (not used for thanks). */
  action: string;
  resolved: boolean;
}

const PROBLEMS: Record<string, Problem> = {
  streetlight: {
    domain: 'urban',
    type: 'help',
    title: '{place}路灯损坏夜间出行不便',
    spots: ['一处老旧小区', '背街小巷'],
    detail: '{time}，{place}的路灯坏了大半，晚上一片漆黑，老人孩子出门经常摔倒，骑电动车的也容易撞到行人。',
    ask: '希望尽快派人维修路灯，并定期巡查。',
    action: '我局已安排市政维修队对该路段路灯进行全面排查，更换损坏灯具12盏，并将该路段纳入每月夜间巡查范围。',
    resolved: true,
  },
  elevator: {
    domain: 'urban',
    type: 'consult',
    title: '{place}加装电梯政策咨询',
    spots: ['一处九十年代建成的小区'],
    detail:
      '我住在{place}，楼栋都是六层，没有电梯，住户多是老年人，上下楼非常困难。听说有加装电梯的补贴政策，但不知道找哪个部门申请、需要多少户同意。',
    ask: '请问加装电梯的申请流程和补贴标准是什么？',
    action:
      '根据现行老旧小区加装电梯实施办法，需经本单元参与表决的业主双三分之二以上同意，由业主代表向所在街道（镇）提出申请，财政按每部电梯给予定额补贴。具体流程可到所在街道便民服务中心咨询。',
    resolved: true,
  },
  propertyFee: {
    domain: 'urban',
    type: 'complain',
    title: '{place}物业未经业主同意上调物业费',
    spots: ['一处商品房小区'],
    detail:
      '{place}的物业公司上月贴出通知，物业费每平方米上涨0.5元，没有召开业主大会，也没有公示收支情况，服务质量却越来越差，电梯经常停运。',
    ask: '请主管部门核查物业收费是否合规。',
    action:
      '经我局核查，该物业公司调整收费标准未履行业主共同决定程序，已责令其暂停执行新标准，并在小区公示近两年物业服务收支情况。下一步将指导街道和社区推动成立业主委员会。',
    resolved: true,
  },
  drainage: {
    domain: 'urban',
    type: 'suggest',
    title: '{place}雨天路面积水严重',
    spots: ['一处下穿通道', '主干道路口'],
    detail: '{time}，{place}每逢下雨就积水，最深的时候能没过小腿，车辆熄火、行人绕行，这个问题已经持续好几年了。',
    ask: '建议对该处雨水管网进行改造，增设排水口。',
    action:
      '经现场勘查，该处积水主要原因是雨水管径偏小、收水口堵塞。我局已组织清淤，并将该路段雨水管网改造列入明年市政设施改造计划。',
    resolved: false,
  },
  bus: {
    domain: 'transport',
    type: 'suggest',
    title: '建议为{place}增开公交线路',
    spots: ['新建居民区', '产业园区'],
    detail: '{place}入住的人越来越多，但最近的公交站要步行二十多分钟，早晚高峰打车也很难，上班上学很不方便。',
    ask: '建议增开或延伸一条公交线路，方便群众出行。',
    action: '我单位已会同公交公司开展客流调查，计划于下月起将现有一条公交线路延伸至该区域，并增设两个站点。',
    resolved: true,
  },
  trafficLight: {
    domain: 'transport',
    type: 'suggest',
    title: '{place}红绿灯时长设置不合理',
    spots: ['一所学校门口的路口', '一个十字路口'],
    detail: '{place}的行人绿灯只有十几秒，老人和带孩子的家长经常走到一半就变灯，非常危险。',
    ask: '建议延长行人过街绿灯时间，并增设提示牌。',
    action: '交警部门已对该路口信号配时进行优化，行人过街绿灯时间由15秒延长至30秒，并增设了行人过街安全提示标志。',
    resolved: true,
  },
  pothole: {
    domain: 'transport',
    type: 'help',
    title: '{place}道路坑洼不平亟待修补',
    spots: ['通往村里的公路', '主干道辅路'],
    detail: '{time}，{place}路面多处坑洼，下雨后积水看不出深浅，已经有骑电动车的群众摔伤。',
    ask: '请有关部门尽快修补路面。',
    action: '我单位已安排养护队伍对该路段坑槽进行修补，共修补路面约300平方米，并设置了警示标志。',
    resolved: true,
  },
  irrigation: {
    domain: 'agriculture',
    type: 'help',
    title: '{place}灌溉机井损坏急需维修',
    spots: ['某村村东农田'],
    detail: '{place}的灌溉机井去年就坏了，一直没人修，眼看要浇地了，村民只能从几里外拉水，成本太高。',
    ask: '请帮助协调维修机井，保障春灌。',
    action: '经乡政府与水利部门现场核实，该机井水泵老化损坏，已更换新水泵并恢复供水，保障了春灌用水。',
    resolved: true,
  },
  landRent: {
    domain: 'agriculture',
    type: 'complain',
    title: '{place}土地流转费拖欠未付',
    spots: ['某村'],
    detail:
      '我们{place}的承包地流转给一家合作社种植苗木，合同约定每年年底支付流转费，但去年的钱到现在还没给，多次找合作社都推脱。',
    ask: '请政府帮助我们追讨流转费。',
    action:
      '经乡政府协调，合作社已制定还款计划，承诺分两期付清拖欠的土地流转费，首期款项已于本月发放到户。乡农经站将持续跟踪。',
    resolved: true,
  },
  villageRoad: {
    domain: 'agriculture',
    type: 'consult',
    title: '{place}村内道路硬化政策咨询',
    spots: ['某村'],
    detail: '{place}的主街还是土路，晴天一身土，雨天一身泥。听说有农村道路硬化项目，不知道我们村能否纳入。',
    ask: '请问申请条件和程序是什么？',
    action:
      '农村道路硬化项目由村委会提出申请，经乡镇汇总后报县交通运输部门审核，按年度计划分批实施。该村已纳入明年项目储备库。',
    resolved: true,
  },
  nightWork: {
    domain: 'environment',
    type: 'complain',
    title: '{place}工地夜间施工噪声扰民',
    spots: ['一处在建楼盘'],
    detail: '{time}，{place}每天晚上十点以后还在施工，打桩机、渣土车的声音特别大，附近居民根本睡不着，孩子也没法学习。',
    ask: '请查处违规夜间施工。',
    action:
      '执法人员已对该工地进行夜间检查，对违规夜间施工行为依法立案处罚，并责令其严格执行夜间施工审批制度，22时后不得进行高噪声作业。',
    resolved: true,
  },
  bbqSmoke: {
    domain: 'environment',
    type: 'complain',
    title: '{place}露天烧烤油烟污染严重',
    spots: ['商业街', '一处居民楼下'],
    detail: '{place}每到晚上就有好几家露天烧烤，油烟直接飘进居民家里，窗户都不敢开，还占道经营。',
    ask: '请有关部门依法整治。',
    action:
      '执法部门已联合街道对该处露天烧烤进行集中整治，引导商户入室经营并安装油烟净化设施，后续将安排人员定时巡查。',
    resolved: true,
  },
  riverTrash: {
    domain: 'environment',
    type: 'suggest',
    title: '{place}垃圾堆积影响环境',
    spots: ['村边河道', '河道沿岸'],
    detail: '{time}，{place}堆了不少生活垃圾和建筑垃圾，天热了气味很大，还有人往河里倒污水。',
    ask: '建议清理垃圾并加强日常巡河。',
    action:
      '我单位已组织清理河道两岸垃圾约20吨，并在沿岸设置了垃圾收集点和警示牌，河长巡查频次由每周一次调整为每周三次。',
    resolved: true,
  },
  enrolment: {
    domain: 'education',
    type: 'consult',
    title: '{place}小学入学划片范围咨询',
    spots: ['新建小区'],
    detail: '我家去年在{place}买了房，孩子今年该上一年级了，但小区刚交付，学区划分还没有公布，不知道能上哪所小学。',
    ask: '请问今年的招生划片什么时候公布？',
    action:
      '今年义务教育招生划片方案将于5月上旬在教育局网站和各学校公告栏公布，新交付小区已纳入就近学校招生范围，适龄儿童可凭房产证明和户籍证明报名。',
    resolved: true,
  },
  schoolGate: {
    domain: 'education',
    type: 'suggest',
    title: '{place}上下学时段交通拥堵',
    spots: ['一所小学门口'],
    detail: '{place}每天上学放学时接送车辆乱停乱放，孩子们在车流中穿行，非常危险。',
    ask: '建议设置临时停车区和护学岗。',
    action: '交警部门已在该校门口设置即停即走区域，上下学时段安排警力和志愿者设立护学岗，学校也错峰安排放学时间。',
    resolved: true,
  },
  afterSchool: {
    domain: 'education',
    type: 'consult',
    title: '{place}课后服务收费标准咨询',
    spots: ['一所学校'],
    detail: '{place}通知说课后服务要按学期收费，但没有说明具体标准和服务内容，家长们都不太清楚。',
    ask: '请问课后服务收费是否有统一标准？',
    action:
      '课后服务收费实行政府指导价，按学期收取，家庭经济困难学生免收。学校应在收费前向家长公示服务内容和收费标准，我局已要求该校补充公示。',
    resolved: true,
  },
  medicalInsurance: {
    domain: 'health',
    type: 'consult',
    title: '{place}异地就医医保报销咨询',
    spots: [''],
    detail: '我父亲的医保在老家，现在跟着我在{place}生活，经常需要看病，每次都要先垫付再回老家报销，非常麻烦。',
    ask: '请问如何办理异地就医备案，能否直接结算？',
    action:
      '参保人可通过国家医保服务平台或当地医保经办窗口办理异地就医备案，备案后在联网定点医疗机构就医可直接结算，无需垫付。',
    resolved: true,
  },
  clinicHours: {
    domain: 'health',
    type: 'suggest',
    title: '建议{place}社区卫生服务站延长服务时间',
    spots: [''],
    detail:
      '{place}的社区卫生服务站只在工作日白天开放，上班族下班后去就关门了，周末也不开，小孩发烧只能跑大医院排长队。',
    ask: '建议增加晚间和周末门诊。',
    action: '我委已协调该社区卫生服务中心自下月起开设工作日晚间门诊（至20时）和周六全天门诊，方便群众就近就医。',
    resolved: true,
  },
  hospitalQueue: {
    domain: 'health',
    type: 'complain',
    title: '{place}挂号难排队时间长',
    spots: ['一家三甲医院'],
    detail: '{place}网上号源一放出来就没了，现场挂号要排两三个小时，还有人在门口倒卖号源。',
    ask: '请加强管理，打击号贩子。',
    action: '该院已增加专家号源投放，推行分时段预约，并联合公安部门开展打击号贩子专项行动。',
    resolved: true,
  },
  bikeTheft: {
    domain: 'security',
    type: 'help',
    title: '{place}电动车频繁被盗',
    spots: ['一处开放式小区'],
    detail: '{time}，{place}已经丢了五六辆电动车，监控有好几个是坏的，报警后一直没有下文。',
    ask: '希望加强巡逻，修复监控。',
    action: '辖区派出所已加强该小区周边夜间巡逻，督促物业修复损坏监控，并对近期盗窃案件并案侦查。',
    resolved: false,
  },
  gateControl: {
    domain: 'security',
    type: 'suggest',
    title: '建议完善{place}门禁和消防通道管理',
    spots: ['一处老旧小区'],
    detail: '{place}的门禁形同虚设，外来人员随意进出，消防通道常年被私家车占用。',
    ask: '建议加装门禁系统，清理消防通道。',
    action: '街道已协调物业更换单元门禁系统，并联合消防部门清理占用消防通道车辆，施划禁停标线。',
    resolved: true,
  },
  scenicParking: {
    domain: 'tourism',
    type: 'suggest',
    title: '{place}景区周边停车难',
    spots: ['古城'],
    detail: '{place}景区节假日游客很多，周边停车位严重不足，车辆乱停乱放，本地居民出行也受影响。',
    ask: '建议增设临时停车场并开通接驳车。',
    action: '我单位已在景区周边新增临时停车泊位400个，节假日开通免费接驳车，并通过导航软件实时发布停车信息。',
    resolved: true,
  },
  forcedShopping: {
    domain: 'tourism',
    type: 'complain',
    title: '{place}一日游团强制购物',
    spots: [''],
    detail: '上个月我参加了{place}的一日游团，导游带我们进了三家购物店，不买东西就甩脸色，还不让上车。',
    ask: '请旅游主管部门依法查处。',
    action: '文化和旅游执法部门已对涉事旅行社立案调查，依法责令改正并处罚款，涉事导游已被暂扣导游证。',
    resolved: true,
  },
  unpaidWages: {
    domain: 'employment',
    type: 'help',
    title: '{place}拖欠农民工工资',
    spots: ['一处工地'],
    detail: '我们二十多个工友在{place}干了半年，包工头拖欠工资不给，说是开发商没结账。',
    ask: '恳请帮助我们讨回血汗钱。',
    action: '人社部门已约谈施工总承包企业，督促其通过农民工工资专用账户足额支付拖欠工资，目前已全部发放到位。',
    resolved: true,
  },
  socialInsurance: {
    domain: 'employment',
    type: 'consult',
    title: '{place}灵活就业人员社保缴纳咨询',
    spots: [''],
    detail: '我现在在{place}做灵活就业，想自己缴纳养老保险和医疗保险，不知道去哪里办理、缴费基数怎么选。',
    ask: '请问具体办理流程是什么？',
    action:
      '灵活就业人员可持身份证到社保经办窗口或通过网上服务平台办理参保登记，缴费基数可在规定的上下限范围内自主选择。',
    resolved: true,
  },
  training: {
    domain: 'employment',
    type: 'consult',
    title: '{place}职业技能培训补贴咨询',
    spots: [''],
    detail: '我在{place}工作，想参加电工职业技能培训，听说可以申请培训补贴，但不清楚需要什么条件。',
    ask: '请问补贴申请条件和标准是什么？',
    action:
      '取得职业资格证书或职业技能等级证书的参训人员，可按规定申请职业技能提升补贴，具体可咨询当地公共就业服务机构。',
    resolved: true,
  },
  fitness: {
    domain: 'culture',
    type: 'suggest',
    title: '{place}健身器材损坏缺乏维护',
    spots: ['一处社区广场'],
    detail: '{place}的健身器材好几件都坏了，有的螺丝松动，老人孩子使用很不安全。',
    ask: '建议维修更换器材并定期检查。',
    action: '我单位已对该广场健身器材进行检修，更换损坏器材6件，并明确由社区负责日常巡检。',
    resolved: true,
  },
  library: {
    domain: 'culture',
    type: 'suggest',
    title: '建议{place}图书馆延长开放时间',
    spots: [''],
    detail: '{place}的图书馆周一闭馆，平时晚上五点就关门，上班族和学生很难有时间去。',
    ask: '建议周末和晚间延长开放时间。',
    action: '图书馆自下月起将工作日开放时间延长至21时，周一上午增加自助借还服务。',
    resolved: true,
  },
  squareDance: {
    domain: 'culture',
    type: 'complain',
    title: '{place}广场舞音响噪声扰民',
    spots: ['一处小区旁'],
    detail: '{time}，{place}的广场每天早晚都有广场舞，音响开得很大，晚上九点多还没结束。',
    ask: '请有关部门协调管理。',
    action: '社区已与广场舞队伍负责人沟通，约定活动时间为19时至20时30分，并控制音响音量，网格员将定时巡查。',
    resolved: true,
  },
  bankElderly: {
    domain: 'finance',
    type: 'suggest',
    title: '{place}适老化服务不足',
    spots: ['一家银行网点'],
    detail: '{place}现在业务都要在机器上自助办理，老年人不会操作，柜台窗口只开一个，排队很久。',
    ask: '建议银行保留人工服务，设置老年人绿色通道。',
    action:
      '金融监管部门已约谈相关银行，要求其在各网点设置爱心窗口和老年人优先通道，并安排大堂经理协助老年客户办理业务。',
    resolved: true,
  },
  insuranceClaim: {
    domain: 'finance',
    type: 'complain',
    title: '{place}车险理赔拖延推诿',
    spots: [''],
    detail: '我的车上个月在{place}被追尾，保险公司定损后一直拖着不赔，打客服电话总说在审核。',
    ask: '请监管部门督促保险公司依法理赔。',
    action: '经金融监管部门协调，该保险公司已完成理赔审核，赔款已支付到账，并对其理赔时效问题进行了通报。',
    resolved: true,
  },
  businessLicence: {
    domain: 'enterprise',
    type: 'consult',
    title: '{place}开办小餐馆证照办理咨询',
    spots: [''],
    detail: '我想在{place}开一家小餐馆，需要办理营业执照和食品经营许可证，不知道能不能网上办理、需要多长时间。',
    ask: '请问具体流程和所需材料。',
    action: '个体工商户营业执照和食品经营许可可通过政务服务网“一件事一次办”一并申请，材料齐全的一般3个工作日内办结。',
    resolved: true,
  },
  projectArrears: {
    domain: 'enterprise',
    type: 'help',
    title: '{place}市政配套项目工程款长期拖欠',
    spots: [''],
    detail:
      '我们是一家小微企业，三年前承接了{place}一个市政配套项目，验收合格后还有一部分尾款没有支付，企业资金周转非常困难。',
    ask: '恳请帮助协调支付。',
    action: '经核实，该项目尾款已列入清欠计划，财政部门将于本季度内分批支付，相关单位已与企业签订还款协议。',
    resolved: false,
  },
  startupLoan: {
    domain: 'enterprise',
    type: 'consult',
    title: '{place}小微企业创业担保贷款咨询',
    spots: [''],
    detail: '我们公司在{place}成立不到两年，想申请创业担保贷款扩大生产，不知道贴息政策和申请条件。',
    ask: '请问如何申请？',
    action:
      '符合条件的小微企业可向当地人社部门或担保机构申请创业担保贷款，财政按规定给予贴息，具体可到政务服务中心人社窗口咨询。',
    resolved: true,
  },
  serviceHall: {
    domain: 'government',
    type: 'suggest',
    title: '{place}政务服务大厅窗口设置建议',
    spots: [''],
    detail: '{place}政务服务大厅午休时间窗口全部关闭，上班族只能请假来办事，而且一些事项要跑好几个窗口。',
    ask: '建议推行午间不打烊和一窗通办。',
    action: '政务服务中心已推行午间延时服务，设立综合受理窗口，群众办理高频事项可一窗受理。',
    resolved: true,
  },
  propertyCertificate: {
    domain: 'government',
    type: 'consult',
    title: '{place}回迁小区不动产权证办理进度咨询',
    spots: [''],
    detail: '我们{place}的回迁小区交房已经五年了，房产证一直办不下来，影响孩子上学和房屋交易。',
    ask: '请问什么时候能办理？',
    action: '经核查，该小区因开发企业未完成竣工验收备案导致无法办证，目前已督促企业补办手续，预计年底前启动首次登记。',
    resolved: false,
  },
  onlineService: {
    domain: 'government',
    type: 'suggest',
    title: '建议{region}网上办事平台简化操作',
    spots: [''],
    detail: '网上办事平台注册流程复杂，经常要求重复上传同样的材料，手机端经常打不开。',
    ask: '建议优化平台，实现材料一次提交、多次复用。',
    action: '我单位已将该建议转交大数据管理部门，平台将于下一版本上线电子证照自动调取功能，减少重复提交。',
    resolved: true,
  },
  thanksService: {
    domain: 'government',
    type: 'thanks',
    title: '感谢{region}政务服务中心工作人员耐心帮助',
    spots: [''],
    detail: '前几天我到政务服务中心办理业务，材料不全，工作人员耐心指导，还主动帮我联系相关部门，当天就办好了。',
    ask: '特此留言，向他们表示感谢！',
    action: '',
    resolved: true,
  },
  thanksHospital: {
    domain: 'health',
    type: 'thanks',
    title: '感谢{place}医护人员悉心照料',
    spots: ['一家社区医院'],
    detail: '我母亲前段时间在{place}住院，医生护士每天耐心查房、细心护理，出院后还打电话回访。',
    ask: '特向他们表示衷心的感谢！',
    action: '',
    resolved: true,
  },
};

const GREETINGS = ['尊敬的{board}：您好！', '领导您好！', '您好！', '尊敬的领导：您好！'];
const INTROS = ['我是{region}的一名居民。', '', '我是一名在{region}工作的外地人。', '我家住在{region}。', ''];
const TIMES = ['近一个月来', '今年以来', '最近两周', '从去年冬天开始', '这段时间'];
const CLOSINGS = [
  '恳请领导关注，盼复！',
  '希望有关部门尽快协调解决，谢谢！',
  '麻烦领导百忙之中给予答复，谢谢！',
  '期待早日解决，谢谢！',
];
const REPLY_OPENINGS = [
  '网友您好！您反映的问题已收悉。',
  '您好！收到您的留言后，我单位高度重视，立即安排人员进行了核查。',
  '网友您好！感谢您的留言。',
];
const REPLY_CLOSINGS = [
  '感谢您对{region}工作的关心和支持！',
  '如仍有问题，欢迎继续留言反映。感谢您的理解与支持！',
  '感谢您的监督，我们将持续跟进。',
];
const FOLLOW_UPS = [
  '答复说已经整改，但我这两天去现场看，情况并没有明显变化，请问具体什么时候能落实到位？',
  '感谢答复。想再问一下，后续有没有长效管理措施，会不会过段时间又反弹？',
];
const SECOND_REPLIES = [
  '针对您的追问，我单位再次安排工作人员到现场核实，已督促责任单位在本周内完成整改，并建立每周回访机制。整改完成后将及时向您反馈。',
  '关于长效管理，我们已将该处纳入日常巡查台账，明确专人负责，每月检查一次，发现问题及时处置。感谢您的持续关注！',
];
const RATINGS = [
  { resolution: 5, timeliness: 5, attitude: 5, comment: '问题解决了，办理很及时，非常满意！' },
  { resolution: 4, timeliness: 5, attitude: 5, comment: '回复很快，态度也好，希望后续能保持。' },
  { resolution: 3, timeliness: 4, attitude: 4, comment: '有改善，但还没有完全解决。' },
  { resolution: 5, timeliness: 4, attitude: 5, comment: '' },
  { resolution: 2, timeliness: 3, attitude: 4, comment: '追问后才有进展，希望落实到位。' },
];
const REMARKS = '本人白天上班，方便联系的时间是工作日晚上七点以后。';
const ASSIGN_NOTES = ['请你单位核实情况，依法依规办理，按时答复网友。', '请于办理时限内提出处理意见并答复网友。'];

/** Messages that an editor declines to publish, written out in full. */
const REJECTED: Record<
  string,
  { domain: Domain; type: MessageType; title: string; body: string; reason: RejectReason; note: string }
> = {
  severalIssues: {
    domain: 'urban',
    type: 'complain',
    title: '反映正定镇多个民生问题',
    body: '一是小区门口路灯不亮；二是垃圾清运不及时；三是学校周边流动摊贩多；四是医保报销手续繁琐。这几个问题都很突出，希望领导统一协调解决。',
    reason: 'several_issues',
    note: '请按“一事一留言”的要求，将不同事项分别留言，便于办理单位分别办理。',
  },
  inCourt: {
    domain: 'urban',
    type: 'help',
    title: '房屋买卖合同纠纷请求领导过问',
    body: '我与开发商的房屋买卖合同纠纷已向区人民法院起诉，目前正在审理中，希望领导督促法院尽快判决，维护我的合法权益。',
    reason: 'in_court',
    note: '该事项已进入诉讼程序，请通过法定途径依法维护权益。',
  },
  spam: {
    domain: 'employment',
    type: 'consult',
    title: '兼职刷单日结工资轻松赚钱',
    body: '招聘兼职，在家动动手指刷单，日结工资，一天轻松赚三百，有意者加微信详聊，名额有限，先到先得。',
    reason: 'illegal',
    note: '广告信息，不予公开。',
  },
  wrongBoard: {
    domain: 'agriculture',
    type: 'consult',
    title: '咨询老家宅基地确权登记问题',
    body: '我在深圳打工多年，老家在外省农村，想咨询老家宅基地确权登记的事情，村里说要本人回去办理，请问能否在深圳办理？',
    reason: 'wrong_board',
    note: '该事项由户籍所在地有关部门办理，请到当地的领导留言板留言。',
  },
};

// ── The plan: which message goes where and how far it gets ────────────────────────────────────────────────────

type Flow =
  | 'submitted'
  | 'rejected'
  | 'pending'
  /** Accepted by the board's unit, still being handled there. */
  | 'accepted'
  /** A reply drafted and sent to the unit head, awaiting approval. */
  | 'drafted'
  /** A reply approved and sent to the board's leader, waiting for the signature. */
  | 'to-sign'
  /** Accepted; its handling deadline is then moved into the past and the scheduler raises a 督办. */
  | 'overdue'
  /** Assigned to the 正定 department; `extended` adds a granted extension, `returned` sends it back. */
  | 'department'
  | 'department-extended'
  | 'department-returned'
  /** Replied, then the author asked a follow-up question: back with the unit. */
  | 'follow-up-open'
  | 'replied'
  | 'replied-by-department'
  | 'closed'
  | 'closed-after-follow-up'
  | 'closed-after-follow-up-by-department'
  /** A thanks message, acknowledged: closed at once. */
  | 'thanks';

interface PlannedMessage {
  board: number;
  /** A key of PROBLEMS, or of REJECTED for the rejected flow. */
  text: string;
  flow: Flow;
  /** The leader signs the (last) reply. */
  sign?: boolean;
  private?: boolean;
  /** Writes a mobile number into the body, to show masking on publication. */
  phoneInBody?: boolean;
}

const PLAN: PlannedMessage[] = [
  // 正定县 (县委书记 1301231, 县长 1301232 → 正定县委县政府督查室)
  { board: 1301232, text: 'nightWork', flow: 'submitted' },
  { board: 1301231, text: 'severalIssues', flow: 'rejected' },
  { board: 1301232, text: 'pothole', flow: 'pending' },
  { board: 1301231, text: 'irrigation', flow: 'accepted' },
  { board: 1301232, text: 'clinicHours', flow: 'drafted' },
  { board: 1301232, text: 'landRent', flow: 'overdue' },
  { board: 1301231, text: 'streetlight', flow: 'department' },
  { board: 1301232, text: 'drainage', flow: 'department-extended' },
  { board: 1301231, text: 'squareDance', flow: 'department-returned' },
  { board: 1301232, text: 'schoolGate', flow: 'follow-up-open' },
  { board: 1301232, text: 'bbqSmoke', flow: 'replied', sign: true },
  { board: 1301232, text: 'bus', flow: 'to-sign' },
  { board: 1301231, text: 'propertyFee', flow: 'replied-by-department' },
  { board: 1301231, text: 'unpaidWages', flow: 'replied', private: true },
  { board: 1301232, text: 'scenicParking', flow: 'closed', sign: true },
  { board: 1301231, text: 'villageRoad', flow: 'closed' },
  { board: 1301231, text: 'elevator', flow: 'closed-after-follow-up-by-department' },
  { board: 1301232, text: 'propertyCertificate', flow: 'closed-after-follow-up', sign: true },
  { board: 1301231, text: 'thanksService', flow: 'thanks' },
  { board: 1301232, text: 'projectArrears', flow: 'pending' },
  { board: 1301232, text: 'riverTrash', flow: 'closed', sign: true },
  // 石家庄市 and 河北省: no handling accounts, so review only
  { board: 1301002, text: 'enrolment', flow: 'submitted' },
  { board: 1301001, text: 'bikeTheft', flow: 'pending' },
  { board: 1301002, text: 'hospitalQueue', flow: 'pending' },
  { board: 1301001, text: 'inCourt', flow: 'rejected' },
  { board: 1300002, text: 'socialInsurance', flow: 'submitted' },
  { board: 1300001, text: 'onlineService', flow: 'pending' },
  // 北京市
  { board: 1100002, text: 'library', flow: 'submitted', phoneInBody: true },
  { board: 1100001, text: 'spam', flow: 'rejected' },
  { board: 1100002, text: 'trafficLight', flow: 'pending' },
  { board: 1100002, text: 'riverTrash', flow: 'accepted' },
  { board: 1100001, text: 'gateControl', flow: 'drafted' },
  { board: 1100002, text: 'bankElderly', flow: 'replied', sign: true },
  { board: 1100001, text: 'medicalInsurance', flow: 'replied' },
  { board: 1100002, text: 'businessLicence', flow: 'closed' },
  { board: 1100001, text: 'fitness', flow: 'closed' },
  // 上海市
  { board: 3100002, text: 'insuranceClaim', flow: 'submitted' },
  { board: 3100001, text: 'afterSchool', flow: 'pending' },
  { board: 3100002, text: 'forcedShopping', flow: 'accepted' },
  { board: 3100002, text: 'startupLoan', flow: 'replied' },
  { board: 3100001, text: 'training', flow: 'replied' },
  { board: 3100002, text: 'serviceHall', flow: 'closed' },
  { board: 3100001, text: 'thanksHospital', flow: 'thanks' },
  // 深圳市
  { board: 4403002, text: 'streetlight', flow: 'submitted' },
  { board: 4403001, text: 'wrongBoard', flow: 'rejected' },
  { board: 4403002, text: 'bus', flow: 'pending' },
  { board: 4403002, text: 'bbqSmoke', flow: 'accepted' },
  { board: 4403001, text: 'businessLicence', flow: 'replied' },
  { board: 4403002, text: 'bankElderly', flow: 'closed-after-follow-up', sign: true },
  { board: 4403002, text: 'clinicHours', flow: 'closed', sign: true },
  { board: 4403001, text: 'squareDance', flow: 'closed' },
];

/** Minutes between two demo submissions: the messages arrive over the last day and a half or so. */
const SUBMIT_STEP_MINUTES = 43;

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length]!;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

interface Workers {
  staff: CurrentUser;
  head: CurrentUser;
}

async function boardInfo(db: Db, boardId: number) {
  const board = await db
    .selectFrom('boards')
    .innerJoin('regions', 'regions.code', 'boards.region_code')
    .select(['boards.id', 'boards.title', 'boards.unit_id', 'boards.region_code', 'regions.name as region_name'])
    .where('boards.id', '=', boardId)
    .executeTakeFirst();
  if (!board) throw new Error(`演示数据需要留言板 ${boardId}：请先导入参考数据（npx liuyan seed reference）`);
  return board;
}

async function departmentId(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('handling_units')
    .select('id')
    .where('region_code', '=', DEMO_DEPARTMENT.regionCode)
    .where('name', '=', DEMO_DEPARTMENT.name)
    .executeTakeFirst();
  return row?.id;
}

async function ensureDepartment(db: Db, log: (line: string) => void): Promise<number> {
  const parent = await db.selectFrom('handling_units').select('name').where('id', '=', COUNTY_UNIT).executeTakeFirst();
  if (!parent) throw new Error(`演示数据需要办理单位 ${COUNTY_UNIT}：请先导入参考数据（npx liuyan seed reference）`);
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const csv = [
    'region_code,name,kind,parent,responsibilities',
    [DEMO_DEPARTMENT.regionCode, DEMO_DEPARTMENT.name, 'department', parent.name, DEMO_DEPARTMENT.responsibilities]
      .map(quote)
      .join(','),
  ].join('\n');
  const outcome = await importUnits(db, csv);
  if (!outcome.ok) throw new Error(`无法创建演示办理单位：${outcome.errors.map((e) => e.message).join('；')}`);
  const id = await departmentId(db);
  if (id === undefined) throw new Error('无法创建演示办理单位');
  log(`办理单位：${DEMO_DEPARTMENT.name}（${id}），隶属 ${parent.name}`);
  return id;
}

async function describeAccounts(db: Db): Promise<DemoAccount[]> {
  const deptId = await departmentId(db);
  const accounts: DemoAccount[] = [];
  for (const spec of ACCOUNTS) {
    let scope: DemoAccount['scope'] = { type: 'none', id: '', name: '—' };
    let boards: DemoAccount['boards'] = [];
    if (spec.scope?.type === 'global') scope = { type: 'global', id: '', name: '全平台' };
    else if (spec.scope?.type === 'unit') {
      const unitId = spec.scope.unitId === 'department' ? deptId : spec.scope.unitId;
      if (unitId === undefined) continue;
      const unit = await db.selectFrom('handling_units').select('name').where('id', '=', unitId).executeTakeFirst();
      scope = { type: 'unit', id: String(unitId), name: unit?.name ?? '' };
      const rows = await db
        .selectFrom('boards')
        .innerJoin('regions', 'regions.code', 'boards.region_code')
        .select(['boards.id', 'boards.title', 'regions.name as region_name'])
        .where('boards.unit_id', '=', unitId)
        .orderBy('boards.id')
        .execute();
      boards = rows.map((b) => ({ id: b.id, name: `${b.region_name}${b.title}` }));
    } else if (spec.scope?.type === 'board') {
      const board = await boardInfo(db, spec.scope.boardId);
      const name = `${board.region_name}${board.title}`;
      scope = { type: 'board', id: String(board.id), name };
      boards = [{ id: board.id, name }];
    }
    accounts.push({
      role: spec.role,
      roleLabel: spec.role === 'netizen' ? '网民' : ROLE_LABELS[spec.role],
      phone: spec.phone,
      nickname: spec.nickname,
      scope,
      boards,
    });
  }
  return accounts;
}

async function countDemoMessages(db: Db): Promise<number> {
  const phones = ACCOUNTS.filter((a) => a.role === 'netizen').map((a) => a.phone);
  const row = await db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.author_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('users.phone', 'in', phones)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ── The seed ────────────────────────────────────────────────────────────────────────────────────────────────

export async function seedDemo(db: Db, deps: DemoDeps, options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? (() => {});
  if (await usersRepository.findByPhone(db, DEMO_ADMIN_PHONE)) {
    log('演示数据已存在，未重复创建');
    return { accounts: await describeAccounts(db), messages: await countDemoMessages(db), created: false };
  }
  // Refuse a weak password before anything is written.
  for (const spec of ACCOUNTS) {
    const problem = passwordProblem(options.password, [spec.phone, spec.nickname]);
    if (problem) throw problem;
  }
  for (const board of new Set(PLAN.map((p) => p.board))) await boardInfo(db, board);

  const deptId = await ensureDepartment(db, log);

  // Accounts: netizens directly (registration needs an SMS code), staff through createStaff; the admin last.
  const users = new Map<string, CurrentUser>();
  const load = async (key: string, id: number) => {
    const user = await loadCurrentUser(db, id);
    if (!user) throw new Error(`无法读取演示账号 ${key}`);
    users.set(key, user);
  };
  const passwordHash = await hashPassword(options.password);
  for (const spec of ACCOUNTS) {
    if (spec.key === 'admin') continue;
    if (spec.role === 'netizen') {
      const existing = await usersRepository.findByPhone(db, spec.phone);
      const id =
        existing?.id ??
        (await usersRepository.insert(db, {
          phone: spec.phone,
          passwordHash,
          nickname: spec.nickname,
          isStaff: false,
        }));
      await load(spec.key, id);
    } else {
      await load(spec.key, await createStaff(db, COMMAND_LINE, staffInput(spec, options.password, deptId)));
    }
    log(`账号：${spec.role === 'netizen' ? '网民' : ROLE_LABELS[spec.role]} ${spec.phone} ${spec.nickname}`);
  }
  const user = (key: string) => users.get(key)!;
  const workers = new Map<number, Workers>([
    [COUNTY_UNIT, { staff: user('countyStaff'), head: user('countyHead') }],
    [deptId, { staff: user('deptStaff'), head: user('deptHead') }],
    [110000001, { staff: user('beijingHead'), head: user('beijingHead') }],
    [310000001, { staff: user('shanghaiHead'), head: user('shanghaiHead') }],
    [440300001, { staff: user('shenzhenHead'), head: user('shenzhenHead') }],
  ]);
  const editor = user('editor');
  // Each board's leader signs its replies (their board's holder is named first, so the signatures are theirs).
  const leaders = new Map(
    ACCOUNTS.flatMap((a) => (a.scope?.type === 'board' ? [[a.scope.boardId, user(a.key)] as const] : [])),
  );
  await seedDemoHolders(db, log);
  const netizens = [user('netizen1'), user('netizen2')];

  const start = Date.now() - (PLAN.length + 1) * SUBMIT_STEP_MINUTES * 60_000;
  const overdue: number[] = [];
  const accepted: number[] = [];
  const districtTurn = new Map<string, number>();
  let replies = 0;
  let ratings = 0;

  for (const [index, plan] of PLAN.entries()) {
    const board = await boardInfo(db, plan.board);
    const region = REGIONS[board.region_code];
    if (!region) throw new Error(`演示数据没有地区 ${board.region_code} 的文本`);
    const author = pick(netizens, index);
    const turn = districtTurn.get(board.region_code) ?? 0;
    districtTurn.set(board.region_code, turn + 1);
    const values = { region: region.name, board: board.title, time: pick(TIMES, index), place: '' };

    let input: { domain: Domain; type: MessageType; title: string; body: string };
    let problem: Problem | undefined;
    if (plan.flow === 'rejected') {
      const r = REJECTED[plan.text];
      if (!r) throw new Error(`演示数据没有文本 ${plan.text}`);
      input = { domain: r.domain, type: r.type, title: r.title, body: r.body };
    } else {
      problem = PROBLEMS[plan.text];
      if (!problem) throw new Error(`演示数据没有文本 ${plan.text}`);
      values.place = `${pick(region.districts, turn + index)}${pick(problem.spots, index)}`;
      const body = [
        fill(pick(GREETINGS, index), values),
        fill(pick(INTROS, index + turn), values),
        fill(problem.detail, values),
        problem.ask,
        plan.phoneInBody ? '我的联系电话是19900009999，欢迎工作人员联系。' : '',
        problem.type === 'thanks' ? '' : pick(CLOSINGS, index),
      ].join('');
      input = { domain: problem.domain, type: problem.type, title: fill(problem.title, values), body };
    }
    const submitted = await submitMessage(
      {
        db,
        secret: deps.secret,
        store: deps.store,
        sensitiveWords: deps.sensitiveWords,
        authorId: author.id,
        channel: index % 4 === 3 ? 'api' : 'web',
        now: new Date(start + index * SUBMIT_STEP_MINUTES * 60_000),
      },
      {
        boardId: plan.board,
        ...input,
        location: values.place || undefined,
        visibility: plan.private ? 'private' : 'public',
        remarks: index % 5 === 2 ? REMARKS : undefined,
      },
    );
    const id = submitted.id;

    if (plan.flow === 'submitted') {
      log(`留言 ${index + 1}/${PLAN.length}：${input.title}（待审核）`);
      continue;
    }
    if (plan.flow === 'rejected') {
      const r = REJECTED[plan.text]!;
      await rejectMessage(db, editor, id, { reason: r.reason, note: r.note });
      log(`留言 ${index + 1}/${PLAN.length}：${input.title}（未通过审核）`);
      continue;
    }
    await approveMessage(db, editor, id);
    if (plan.flow === 'pending') {
      log(`留言 ${index + 1}/${PLAN.length}：${input.title}（待回复）`);
      continue;
    }

    const p = problem!;
    const unit = workers.get(board.unit_id);
    if (!unit) throw new Error(`演示数据没有办理单位 ${board.unit_id} 的工作人员`);
    const dept = workers.get(deptId)!;
    const replyText = (round: number) =>
      round === 1
        ? [pick(REPLY_OPENINGS, index), p.action, fill(pick(REPLY_CLOSINGS, index), { region: region.name })].join('')
        : pick(SECOND_REPLIES, index);
    /**
     * Staff draft and send the reply and the head approves it: it is published, or, when the leader is to sign it,
     * sent to the leader, who reads and signs it, and it is published with the signature.
     */
    const answer = async (by: Workers, round: number) => {
      await draftReply(db, by.staff, id, { body: replyText(round), resolved: p.resolved, submit: true });
      await approveReply(db, by.head, id, { sign: Boolean(plan.sign) });
      if (plan.sign) await signReply(db, leaders.get(plan.board)!, id);
      replies += 1;
    };
    const toDepartment = () => assign(db, unit.staff, id, { unitId: deptId, note: pick(ASSIGN_NOTES, index) });
    const rateIt = async () => {
      await rate(db, author, id, pick(RATINGS, ratings));
      ratings += 1;
    };
    const askAgain = () => followUp(db, author, id, { question: pick(FOLLOW_UPS, index) });

    await accept(db, unit.staff, id);
    switch (plan.flow) {
      case 'thanks':
        break;
      case 'accepted':
        accepted.push(id);
        break;
      case 'drafted':
        await draftReply(db, unit.staff, id, { body: replyText(1), resolved: p.resolved, submit: true });
        break;
      case 'to-sign':
        await draftReply(db, unit.staff, id, { body: replyText(1), resolved: p.resolved, submit: true });
        await approveReply(db, unit.head, id, { sign: true });
        break;
      case 'overdue':
        overdue.push(id);
        break;
      case 'department':
        await toDepartment();
        break;
      case 'department-extended': {
        await toDepartment();
        const extensionId = await requestExtension(db, dept.staff, id, {
          days: 10,
          reason: '该处雨水管网改造需委托设计单位现场勘测并编制方案，申请延期10天。',
        });
        await decideExtension(db, unit.head, id, { extensionId, grant: true, note: '同意延期，请抓紧办理。' });
        break;
      }
      case 'department-returned':
        await toDepartment();
        await returnMessage(db, dept.staff, id, {
          reason: '该事项不属于我局职责，建议由属地镇政府会同公安派出所办理。',
        });
        break;
      case 'follow-up-open':
        await answer(unit, 1);
        await askAgain();
        break;
      case 'replied':
        await answer(unit, 1);
        break;
      case 'replied-by-department':
        await toDepartment();
        await answer(dept, 1);
        break;
      case 'closed':
        await answer(unit, 1);
        await rateIt();
        break;
      case 'closed-after-follow-up':
        await answer(unit, 1);
        await askAgain();
        await answer(unit, 2);
        await rateIt();
        break;
      case 'closed-after-follow-up-by-department':
        await toDepartment();
        await answer(dept, 1);
        await askAgain();
        await answer(dept, 2);
        await rateIt();
        break;
    }
    const status = await db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    log(`留言 ${index + 1}/${PLAN.length}：${input.title}（${statusLabel(status.status)}）`);
  }

  // The one overdue message: its handling deadline passed two days ago, and the scheduler raises the 督办. The
  // county marks it urgent; the city's supervisor issues a 督办 by hand on a message the county has just accepted.
  if (overdue.length > 0) {
    const past = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
    await db.updateTable('messages').set({ handle_due_at: past }).where('id', 'in', overdue).execute();
    await setPriority(db, user('countyStaff'), overdue[0]!, { priority: 'urgent' });
  }
  if (accepted.length > 0) {
    await superviseByHand(db, user('supervisor'), accepted[0]!, {
      note: '群众反映的灌溉问题关系春耕，请抓紧核实处理并按时答复。',
      dueDate: chinaDate(new Date(Date.now() + 5 * 24 * 3600_000)),
    });
  }
  const report = await runSchedulerOnce(db);
  log(
    `定时任务：督办 ${report.supervised} 条，升级督办 ${report.escalated} 条，自动办结 ${report.closed} 条，审核超时提醒 ${report.reviewOverdue} 条`,
  );
  await seedSolicitationDemo(db, { secret: deps.secret, sensitiveWords: deps.sensitiveWords, editor, log });
  await seedDemoNews(db, { id: editor.id }, log);

  const admin = ACCOUNTS.find((a) => a.key === 'admin')!;
  await createStaff(db, COMMAND_LINE, staffInput(admin, options.password, deptId));
  log(`账号：${ROLE_LABELS.admin} ${admin.phone} ${admin.nickname}`);
  log(`完成：${PLAN.length} 条留言，${replies} 条答复，${ratings} 条评价`);
  return { accounts: await describeAccounts(db), messages: await countDemoMessages(db), created: true };
}

function staffInput(spec: AccountSpec, password: string, deptId: number) {
  const scope = spec.scope;
  const scoped =
    scope?.type === 'unit'
      ? { scopeType: 'unit', scopeId: String(scope.unitId === 'department' ? deptId : scope.unitId) }
      : scope?.type === 'board'
        ? { scopeType: 'board', scopeId: String(scope.boardId) }
        : {};
  return { phone: spec.phone, nickname: spec.nickname, password, role: spec.role, ...scoped };
}

function statusLabel(status: string): string {
  return STATUSES[status as MessageStatus] ?? status;
}
