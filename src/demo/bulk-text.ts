// The text bank of the bulk generator (bulk-messages.ts): issues per domain, places, nicknames and reply parts.
//
// Templates: `[a|b|c]` picks one alternative, `{name}` fills a value. The values are {place} (town and spot),
// {spot}, {region}, {town}, {time}, {thing} (the issue's own nouns), {n} (a small count), {people} and {board}.
import type { Domain, MessageType, RejectReason } from '../messages/message-kinds.ts';

/** What kind of place an issue is about; the generator builds a name of that kind. */
export type SpotKind =
  | 'road'
  | 'community'
  | 'village'
  | 'school'
  | 'hospital'
  | 'market'
  | 'park'
  | 'site'
  | 'station'
  | 'river'
  | 'company'
  | 'bank'
  | 'scenic'
  | 'office'
  | 'none';

export interface IssueSpec {
  type: MessageType;
  spot: SpotKind;
  /** Nouns for {thing}: one is chosen per message and used in every part. */
  things?: string[];
  titles: string[];
  details: string[];
  asks: string[];
  /** What the unit did, the middle of the reply (unused for thanks). */
  actions: string[];
  /** Share of replies that say the matter is resolved. */
  resolved?: number;
}

/** How often each domain is written about, out of 100. */
export const DOMAIN_WEIGHTS: Record<Domain, number> = {
  urban: 20,
  transport: 14,
  agriculture: 8,
  environment: 9,
  education: 9,
  health: 8,
  security: 5,
  tourism: 3,
  employment: 8,
  culture: 3,
  finance: 3,
  enterprise: 4,
  government: 6,
};

export const ISSUES: Record<Domain, IssueSpec[]> = {
  urban: [
    {
      type: 'help',
      spot: 'community',
      things: ['路灯', '楼道灯', '照明灯', '庭院灯'],
      titles: ['{place}{thing}[损坏|不亮|坏了]夜间出行不便', '{place}{thing}长期[不亮|损坏]无人维修'],
      details: [
        '{time}，{place}的{thing}坏了[大半|好几盏|一多半]，晚上一片漆黑，{people}出门经常摔倒。',
        '{place}的{thing}[已经坏了很久|{time}一直不亮]，晚上[走路只能打手电|骑电动车容易撞到行人]。',
      ],
      asks: ['希望尽快派人维修{thing}，并定期巡查。', '请有关部门[尽快|抓紧]修复{thing}。'],
      actions: [
        '我单位已安排维修人员对该处{thing}进行全面排查，更换损坏灯具{n}盏，并纳入每月夜间巡查范围。',
        '经现场核实，该处{thing}因线路老化损坏，已于本周完成线路更换，目前照明已恢复正常。',
      ],
    },
    {
      type: 'consult',
      spot: 'community',
      titles: ['{place}加装电梯政策咨询', '老旧小区加装电梯[补贴|申请流程]咨询'],
      details: [
        '我住在{place}，楼栋都是[六|七]层，没有电梯，住户多是老年人，上下楼非常困难。',
        '{place}是[九十年代|两千年前后]建成的小区，{people}上下楼很吃力，大家都想加装电梯。',
      ],
      asks: ['请问加装电梯的申请流程和补贴标准是什么？', '请问需要多少户同意，找哪个部门申请？'],
      actions: [
        '根据现行老旧小区加装电梯实施办法，需经本单元参与表决的业主双三分之二以上同意，由业主代表向所在街道提出申请，财政按每部电梯给予定额补贴。',
        '加装电梯由业主自愿发起，街道负责协调，住建部门负责审批，具体流程和补贴标准可到所在街道便民服务中心咨询。',
      ],
    },
    {
      type: 'complain',
      spot: 'community',
      things: ['物业费', '停车费', '公摊电费', '垃圾清运费'],
      titles: ['{place}物业未经业主同意上调{thing}', '{place}物业乱收{thing}'],
      details: [
        '{place}的物业公司上月贴出通知，{thing}上涨[三成|一倍|不少]，没有召开业主大会，也没有公示收支情况。',
        '{place}物业{time}开始多收{thing}，服务质量却越来越差，[电梯经常停运|垃圾没人清理|门禁坏了没人修]。',
      ],
      asks: ['请主管部门核查物业收费是否合规。', '请相关部门依法查处，督促物业公示收支。'],
      actions: [
        '经我局核查，该物业公司调整收费标准未履行业主共同决定程序，已责令其暂停执行新标准，并公示近两年收支情况。',
        '我单位已约谈该物业公司，要求其按合同约定收费，多收部分予以退还，并指导社区推动成立业主委员会。',
      ],
    },
    {
      type: 'suggest',
      spot: 'road',
      titles: ['{place}雨天路面积水严重', '{place}[排水不畅|一下雨就积水]'],
      details: [
        '{time}，{place}每逢下雨就积水，最深的时候能没过小腿，车辆熄火、行人绕行。',
        '{place}的雨水口经常堵塞，[一场大雨|暴雨过后]路面积水好几天才退。',
      ],
      asks: ['建议对该处雨水管网进行改造，增设排水口。', '建议疏通管道，彻底解决积水问题。'],
      actions: [
        '经现场勘查，该处积水主要原因是雨水管径偏小、收水口堵塞。我局已组织清淤，并将该路段管网改造列入明年计划。',
        '我单位已对该路段雨水管道进行疏通，新增收水口{n}处，汛期将安排专人值守。',
      ],
      resolved: 0.55,
    },
    {
      type: 'complain',
      spot: 'community',
      things: ['违章搭建', '私搭乱建', '占用绿地建房', '楼顶加盖'],
      titles: ['{place}存在{thing}', '举报{place}{thing}问题'],
      details: [
        '{place}有住户{thing}，已经施工[一个多月|好几周]，影响采光和消防安全。',
        '{time}，{place}陆续出现{thing}，向物业反映后没有任何处理。',
      ],
      asks: ['请城管部门依法拆除。', '请有关部门依法查处。'],
      actions: [
        '城管执法部门已现场核查，认定该处属违法建设，已下达限期拆除通知书，当事人已自行拆除。',
        '经核实，该处建筑未取得规划许可，执法部门已依法立案，目前正在督促当事人整改。',
      ],
    },
    {
      type: 'help',
      spot: 'community',
      things: ['供暖', '自来水', '天然气', '电梯'],
      titles: ['{place}{thing}[长期|经常]不正常', '{place}{thing}问题[反映多次|一直]未解决'],
      details: [
        '{time}，{place}的{thing}经常出问题，[老人孩子|{people}]生活很不方便。',
        '{place}{thing}[时有时无|经常停]，找物业和公司都互相推诿。',
      ],
      asks: ['恳请有关部门协调解决。', '希望主管部门督促相关单位尽快处理。'],
      actions: [
        '我单位已协调供应企业上门检修，更换老化设备，目前{thing}已恢复正常，并将该小区纳入重点巡检范围。',
        '经核查，该问题系小区内部管网老化所致，已督促物业和供应企业制定改造方案，年内完成改造。',
      ],
    },
    {
      type: 'suggest',
      spot: 'community',
      things: ['垃圾分类', '垃圾清运', '楼道杂物', '垃圾桶'],
      titles: ['{place}{thing}管理亟需加强', '关于{place}{thing}的建议'],
      details: [
        '{place}的{thing}问题[比较突出|由来已久]，夏天气味很大，还招蚊蝇。',
        '{time}，{place}{thing}做得很不到位，居民意见很大。',
      ],
      asks: ['建议加强管理，增加清运频次。', '建议街道和物业共同整改。'],
      actions: [
        '街道已督促物业增加清运频次至每日两次，并在小区设置分类投放点和督导员。',
        '我单位已会同社区开展专项整治，清理杂物{n}车，后续纳入文明城市常态化检查。',
      ],
    },
  ],
  transport: [
    {
      type: 'suggest',
      spot: 'community',
      things: ['公交线路', '公交站点', '夜班公交', '社区巴士'],
      titles: ['建议为{place}增开{thing}', '{place}出行难希望增设{thing}'],
      details: [
        '{place}入住的人越来越多，但最近的公交站要步行二十多分钟，早晚高峰打车也很难。',
        '{place}周边没有{thing}，{people}出行非常不便，只能坐黑车。',
      ],
      asks: ['建议增开或延伸{thing}，方便群众出行。', '希望交通部门研究增设{thing}。'],
      actions: [
        '我单位已会同公交公司开展客流调查，计划于下月起将现有线路延伸至该区域，并增设{n}个站点。',
        '经研究，将于近期开通一条社区微循环线路，覆盖该区域，具体时刻表将通过公交公司公众号发布。',
      ],
    },
    {
      type: 'suggest',
      spot: 'road',
      things: ['红绿灯', '信号灯', '行人过街信号灯'],
      titles: ['{place}{thing}设置不合理', '{place}路口{thing}[时长太短|需要优化]'],
      details: [
        '{place}路口的行人绿灯只有十几秒，{people}经常走到一半就变灯，非常危险。',
        '{place}的{thing}设置不合理，高峰期车辆排队[几百米|很长]，经常出现剐蹭。',
      ],
      asks: ['建议优化{thing}时长，并增设提示牌。', '建议交警部门现场调研优化。'],
      actions: [
        '交警部门已对该路口信号配时进行优化，行人过街绿灯时间延长至30秒，并增设了提示标志。',
        '经现场调研，已调整该路口{thing}设置，高峰时段安排警力疏导，通行效率明显提升。',
      ],
    },
    {
      type: 'help',
      spot: 'road',
      titles: ['{place}道路坑洼不平亟待修补', '{place}路面[破损|塌陷]存在安全隐患'],
      details: [
        '{time}，{place}路面多处坑洼，下雨后积水看不出深浅，已经有骑电动车的群众摔伤。',
        '{place}路面塌陷了一个大坑，只用几块砖头围着，晚上很容易出事。',
      ],
      asks: ['请有关部门尽快修补路面。', '希望尽快处理，消除安全隐患。'],
      actions: [
        '我单位已安排养护队伍对该路段坑槽进行修补，共修补路面约{n}百平方米，并设置了警示标志。',
        '经现场查看，塌陷系地下管线渗漏所致，已协调产权单位修复管线，路面已恢复通行。',
      ],
    },
    {
      type: 'complain',
      spot: 'road',
      things: ['占道停车', '违停', '僵尸车', '共享单车乱停'],
      titles: ['{place}{thing}严重', '{place}{thing}问题无人管理'],
      details: [
        '{place}两侧{thing}现象严重，本来就不宽的路只剩一条车道，早晚高峰堵得水泄不通。',
        '{time}，{place}的{thing}越来越多，盲道和消防通道都被占了。',
      ],
      asks: ['请交警和城管部门加强管理。', '希望尽快清理，划定停车区域。'],
      actions: [
        '交警部门已加强该路段巡查，对{thing}行为依法处罚，并会同城管部门施划停车泊位。',
        '我单位已组织清理该路段{thing}{n}十余辆，并督促运营企业加强车辆调度。',
      ],
    },
    {
      type: 'consult',
      spot: 'none',
      things: ['驾驶证', '行驶证', '车辆年检'],
      titles: ['{thing}异地办理咨询', '关于{thing}办理[流程|材料]的咨询'],
      details: [
        '我户籍在外地，现在在{region}工作，{thing}快到期了，不知道能不能在{region}办理。',
        '想了解一下在{region}办理{thing}需要准备哪些材料，网上能不能办。',
      ],
      asks: ['请问具体流程是什么？', '请问需要多长时间，能否网上办理？'],
      actions: [
        '{thing}业务已实现全国通办，可通过交管12123手机应用或就近车管所办理，携带身份证即可。',
        '您可在{region}任一车管服务站办理，材料包括身份证和相关证件原件，一般当场办结。',
      ],
    },
    {
      type: 'suggest',
      spot: 'school',
      things: ['减速带', '护学岗', '临时停车区', '人行天桥'],
      titles: ['{place}上下学时段交通拥堵', '建议{place}周边设置{thing}'],
      details: [
        '{place}每天上学放学时车辆乱停乱放，孩子们在车流中穿行，非常危险。',
        '{place}门口是一条主干道，车速很快，没有{thing}，家长都很担心。',
      ],
      asks: ['建议设置临时停车区和护学岗。', '建议增设{thing}，保障学生安全。'],
      actions: [
        '交警部门已在该校门口设置即停即走区域，上下学时段安排警力和志愿者设立护学岗。',
        '我单位已在该路段增设减速带和警示标志，学校也错峰安排放学时间。',
      ],
    },
  ],
  agriculture: [
    {
      type: 'help',
      spot: 'village',
      things: ['灌溉机井', '水渠', '提灌站', '农田水利设施'],
      titles: ['{place}{thing}损坏急需维修', '{place}{thing}年久失修影响浇地'],
      details: [
        '{place}的{thing}去年就坏了，一直没人修，眼看要浇地了，村民只能从几里外拉水。',
        '{time}，{place}{thing}不能正常使用，{n}百多亩地浇不上水。',
      ],
      asks: ['请帮助协调维修{thing}，保障春灌。', '恳请水利部门尽快处理。'],
      actions: [
        '经乡政府与水利部门现场核实，该{thing}设备老化损坏，已更换新设备并恢复供水，保障了灌溉用水。',
        '该{thing}维修已纳入今年小型农田水利项目，施工队已进场，预计两周内完工。',
      ],
    },
    {
      type: 'complain',
      spot: 'village',
      things: ['土地流转费', '征地补偿款', '青苗补偿费', '粮食补贴'],
      titles: ['{place}{thing}拖欠未付', '{place}{thing}[迟迟不到位|发放不透明]'],
      details: [
        '{place}的{thing}按约定早该发放，但到现在还没有到位，村民多次询问都没有结果。',
        '{place}的{thing}{time}一直没有发放，村里也不公示，村民多次询问没有答复。',
      ],
      asks: ['请政府帮助我们追讨{thing}。', '请有关部门核查并公开发放情况。'],
      actions: [
        '经乡政府协调，相关单位已制定还款计划，承诺分两期付清拖欠的{thing}，首期款项已发放到户。',
        '经核查，该村{thing}已全部拨付到村，因村级账务处理延迟未能及时发放，现已督促发放并张榜公示。',
      ],
    },
    {
      type: 'consult',
      spot: 'village',
      things: ['道路硬化', '厕所改造', '危房改造', '饮水安全工程'],
      titles: ['{place}村内{thing}政策咨询', '{place}能否纳入{thing}项目'],
      details: [
        '{place}还有不少人家需要{thing}，听说有相关项目，不知道我们村能否纳入。',
        '想了解{thing}的补助政策，{place}很多户都符合条件，但不知道怎么申请。',
      ],
      asks: ['请问申请条件和程序是什么？', '请问今年的项目什么时候申报？'],
      actions: [
        '{thing}项目由村委会提出申请，经乡镇汇总后报县级主管部门审核，按年度计划分批实施。该村已纳入明年项目储备库。',
        '符合条件的农户可向村委会提出申请，经乡镇审核公示后实施，补助标准按县里当年文件执行。',
      ],
    },
    {
      type: 'help',
      spot: 'village',
      things: ['苹果', '西瓜', '大蒜', '土豆', '柑橘', '白菜'],
      titles: ['{place}{thing}滞销请求帮助', '{place}今年{thing}卖不出去'],
      details: [
        '{place}今年{thing}丰收，但收购商压价厉害，很多都烂在地里，村民损失很大。',
        '{time}，{place}的{thing}大量滞销，种植户投入了不少钱，现在血本无归。',
      ],
      asks: ['恳请政府帮忙联系销路。', '希望有关部门帮助对接电商和超市。'],
      actions: [
        '农业农村部门已联系本地商超和电商平台开展产销对接，已帮助销售{thing}{n}十余吨。',
        '乡政府已组织直播带货和机关食堂采购，并协调冷库资源，缓解了集中上市的销售压力。',
      ],
    },
    {
      type: 'complain',
      spot: 'village',
      things: ['假种子', '假化肥', '劣质农药'],
      titles: ['{place}村民买到{thing}造成减产', '举报[农资店|经销商]销售{thing}'],
      details: [
        '我们{place}好几户在镇上农资店买的{thing}，用了之后庄稼长势很差，减产一半以上。',
        '{time}，{place}村民反映购买的{thing}有问题，找经销商不认账。',
      ],
      asks: ['请农业执法部门查处并帮助索赔。', '请有关部门鉴定并依法处理。'],
      actions: [
        '农业综合执法大队已对涉事农资店立案调查，抽样送检，并组织专家现场鉴定损失，指导农户依法索赔。',
        '经检测，涉事产品不合格，执法部门已责令下架并依法处罚，经营者已与受损农户达成赔偿协议。',
      ],
    },
  ],
  environment: [
    {
      type: 'complain',
      spot: 'site',
      things: ['夜间施工', '夜间打桩', '深夜施工'],
      titles: ['{place}{thing}噪声扰民', '{place}{thing}影响休息'],
      details: [
        '{time}，{place}每天晚上十点以后还在施工，打桩机、渣土车的声音特别大，附近居民根本睡不着。',
        '{place}的{thing}经常持续到凌晨，孩子没法学习，老人整夜失眠。',
      ],
      asks: ['请查处违规{thing}。', '请有关部门依法管理。'],
      actions: [
        '执法人员已对该工地进行夜间检查，对违规施工行为依法立案处罚，并责令其22时后不得进行高噪声作业。',
        '我单位已约谈施工单位，要求其严格执行夜间施工审批制度，并安装噪声监测设备。',
      ],
    },
    {
      type: 'complain',
      spot: 'market',
      things: ['露天烧烤', '餐馆油烟', '夜市油烟'],
      titles: ['{place}{thing}污染严重', '{place}{thing}扰民'],
      details: [
        '{place}每到晚上就有好几家{thing}，油烟直接飘进居民家里，窗户都不敢开。',
        '{time}，{place}的{thing}越来越严重，还占道经营，垃圾满地。',
      ],
      asks: ['请有关部门依法整治。', '希望尽快解决油烟扰民问题。'],
      actions: [
        '执法部门已联合街道对该处进行集中整治，引导商户入室经营并安装油烟净化设施。',
        '我单位已对涉事商户下达整改通知，{n}家商户已完成油烟净化设备安装，后续将定时巡查。',
      ],
    },
    {
      type: 'suggest',
      spot: 'river',
      things: ['生活垃圾', '建筑垃圾', '漂浮垃圾'],
      titles: ['{place}{thing}堆积影响环境', '{place}[水质变差|发黑发臭]'],
      details: [
        '{time}，{place}堆了不少{thing}，天热了气味很大，还有人往河里倒污水。',
        '{place}的水{time}变得又黑又臭，岸边全是{thing}。',
      ],
      asks: ['建议清理{thing}并加强日常巡河。', '希望环保部门查明污染来源。'],
      actions: [
        '我单位已组织清理河道两岸垃圾约{n}十吨，并设置了垃圾收集点和警示牌，河长巡查频次调整为每周三次。',
        '经排查，污染系沿岸雨污混接所致，已完成{n}处排口整治，水质正在逐步好转。',
      ],
    },
    {
      type: 'complain',
      spot: 'company',
      things: ['异味', '粉尘', '黑烟', '废水'],
      titles: ['{place}排放{thing}', '举报{place}[偷排|违规排放]{thing}'],
      details: [
        '{place}经常在晚上排放{thing}，附近居民不敢开窗，很多人喉咙不舒服。',
        '{time}，{place}的{thing}问题越来越严重，周边村民意见很大。',
      ],
      asks: ['请生态环境部门调查处理。', '请依法查处，公开监测结果。'],
      actions: [
        '生态环境部门已对该企业开展突击检查和监测，发现其治污设施未正常运行，已责令停产整改并依法处罚。',
        '经监测，该企业排放指标符合标准，异味来自原料堆放，已督促其密闭储存并加装收集装置。',
      ],
      resolved: 0.6,
    },
    {
      type: 'complain',
      spot: 'community',
      things: ['广场舞音响', '商铺喇叭', '空调外机', '宠物犬吠'],
      titles: ['{place}{thing}噪声扰民', '{place}{thing}长期扰民'],
      details: [
        '{time}，{place}的{thing}声音很大，晚上九点多还不停。',
        '{place}附近{thing}从早响到晚，{people}休息受到严重影响。',
      ],
      asks: ['请有关部门协调管理。', '希望尽快处理。'],
      actions: [
        '社区已与相关人员沟通，约定活动时间并控制音量，网格员将定时巡查。',
        '我单位已上门劝导并依法告知相关规定，当事人承诺整改，目前噪声问题已明显改善。',
      ],
    },
  ],
  education: [
    {
      type: 'consult',
      spot: 'community',
      things: ['小学入学', '初中入学', '幼儿园入园'],
      titles: ['{place}{thing}划片范围咨询', '新建小区{thing}问题咨询'],
      details: [
        '我家去年在{place}买了房，孩子今年该上学了，但小区刚交付，学区划分还没有公布。',
        '{place}属于哪所学校的招生范围？往年的划片方案里没有这个小区。',
      ],
      asks: ['请问今年的招生划片什么时候公布？', '请问需要准备哪些材料？'],
      actions: [
        '今年义务教育招生划片方案将于5月上旬在教育局网站和各学校公告栏公布，新交付小区已纳入就近学校招生范围。',
        '适龄儿童可凭房产证明和户籍证明报名，具体划片范围请关注教育局官方网站发布的招生公告。',
      ],
    },
    {
      type: 'consult',
      spot: 'school',
      things: ['课后服务', '校服', '午餐', '教辅资料'],
      titles: ['{place}{thing}收费标准咨询', '{place}{thing}费用是否合规'],
      details: [
        '{place}通知说{thing}要按学期收费，但没有说明具体标准和服务内容，家长们都不太清楚。',
        '{place}{time}开始收取{thing}费用，家长想知道是否有统一标准。',
      ],
      asks: ['请问{thing}收费是否有统一标准？', '请教育部门核实是否合规。'],
      actions: [
        '{thing}收费实行政府指导价，按学期收取，家庭经济困难学生免收，学校应在收费前公示，我局已要求该校补充公示。',
        '经核查，该校收费项目已备案，但未充分告知家长，已责令学校重新公示并坚持自愿原则。',
      ],
    },
    {
      type: 'complain',
      spot: 'school',
      things: ['有偿补课', '违规补课'],
      titles: ['举报{place}教师{thing}', '{place}存在{thing}问题'],
      details: [
        '{place}有老师在校外{thing}，暗示学生参加，不参加的在课堂上被冷落。',
        '{time}，{place}{thing}问题比较突出，家长敢怒不敢言。',
      ],
      asks: ['请教育部门调查处理。', '希望严肃查处，减轻学生负担。'],
      actions: [
        '我局已成立调查组进驻该校调查，对涉事教师进行约谈并作出处理，同时在全县开展专项整治。',
        '经调查，反映问题部分属实，已责令学校整改，并对相关责任人进行了通报批评。',
      ],
    },
    {
      type: 'suggest',
      spot: 'school',
      things: ['教室', '操场', '食堂'],
      titles: ['{place}{thing}不够用建议扩建', '建议改善{place}{thing}条件'],
      details: [
        '{place}学生越来越多，{thing}明显不够用，周边新小区还在不断交付。',
        '{place}的{thing}条件比较差，{time}家长们反映强烈。',
      ],
      asks: ['建议尽快规划扩建或新建学校。', '希望教育部门加大投入。'],
      actions: [
        '该校扩建工程已列入今年教育基础设施建设计划，新增教学楼预计明年秋季投入使用。',
        '我局已安排专项资金对该校{thing}进行改造，暑期完成施工，不影响正常教学。',
      ],
      resolved: 0.6,
    },
    {
      type: 'help',
      spot: 'none',
      things: ['助学金', '学费减免', '生源地助学贷款'],
      titles: ['家庭困难学生{thing}申请求助', '孩子上学{thing}[怎么申请|没批下来]'],
      details: [
        '我家在{region}，家里有病人，孩子考上了大学，学费实在凑不齐，听说可以申请{thing}。',
        '孩子今年上高中，家庭经济困难，申请了{thing}但一直没有消息。',
      ],
      asks: ['恳请帮助。', '请问还需要什么材料？'],
      actions: [
        '经学生资助中心核实，您家庭符合资助条件，已为孩子办理{thing}，相关款项将于开学后一个月内发放。',
        '{thing}可在每年规定时间内通过学校或县学生资助管理中心申请，工作人员已与您电话联系并指导办理。',
      ],
    },
  ],
  health: [
    {
      type: 'consult',
      spot: 'none',
      things: ['异地就医', '门诊慢特病', '异地就医备案'],
      titles: ['{thing}报销咨询', '关于{thing}办理的咨询'],
      details: [
        '我父亲的医保在老家，现在跟着我在{region}生活，想了解{thing}怎么办理，是不是要先垫付再回老家报销。',
        '想咨询{thing}怎么办理，在{region}能不能直接结算，需要什么手续。',
      ],
      asks: ['请问如何办理，能否直接结算？', '请问办理流程是什么？'],
      actions: [
        '参保人可通过国家医保服务平台或当地医保经办窗口办理{thing}备案，备案后在联网定点医疗机构就医可直接结算。',
        '{thing}业务已实现线上办理，可通过医保公共服务平台申请，一般5个工作日内办结。',
      ],
    },
    {
      type: 'suggest',
      spot: 'hospital',
      things: ['夜间门诊', '周末门诊', '儿科门诊', '家庭医生'],
      titles: ['建议{place}开设{thing}', '{place}{thing}服务不足'],
      details: [
        '{place}只在工作日白天开放，上班族下班后去就关门了，小孩发烧只能跑大医院排长队。',
        '{place}没有{thing}，{people}看病很不方便。',
      ],
      asks: ['建议增加{thing}。', '希望卫健部门统筹解决。'],
      actions: [
        '我委已协调该医疗机构自下月起开设{thing}，方便群众就近就医。',
        '经研究，已在该区域增派医务人员，{thing}服务时间延长至20时。',
      ],
    },
    {
      type: 'complain',
      spot: 'hospital',
      things: ['挂号难', '排队时间长', '号贩子', '服务态度差'],
      titles: ['{place}{thing}', '{place}[存在|出现]{thing}问题'],
      details: [
        '{place}网上号源一放出来就没了，现场挂号要排两三个小时，还有人在门口倒卖号源。',
        '{time}，在{place}看病遇到{thing}问题，[老人|孩子|孕妇]等了一上午。',
      ],
      asks: ['请加强管理。', '请卫健部门督促整改。'],
      actions: [
        '该院已增加专家号源投放，推行分时段预约，并联合公安部门开展打击号贩子专项行动。',
        '我委已约谈该院负责人，责令其优化就诊流程，增设志愿服务岗，改进服务态度。',
      ],
    },
    {
      type: 'complain',
      spot: 'market',
      things: ['过期食品', '三无食品', '来源不明肉类'],
      titles: ['{place}销售{thing}', '举报{place}销售{thing}'],
      details: [
        '{time}，在{place}买到了{thing}，找商家理论被拒绝。',
        '{place}的几家店铺销售{thing}，卫生条件也很差，{people}都很担心食品安全。',
      ],
      asks: ['请市场监管部门查处。', '请有关部门依法处理。'],
      actions: [
        '市场监管部门已对涉事商户进行检查，查扣问题食品，依法立案处罚，并责令停业整改。',
        '执法人员已对该区域开展食品安全专项检查，检查商户{n}十余家，督促整改问题{n}处。',
      ],
    },
    {
      type: 'consult',
      spot: 'none',
      things: ['疫苗接种', '两癌筛查', '老年人体检', '免费孕检'],
      titles: ['{thing}在哪里办理', '{region}{thing}政策咨询'],
      details: [
        '想了解{region}的{thing}政策，在哪里可以预约，是否免费。',
        '家里[老人|孩子|爱人]需要{thing}，社区说不清楚，想问问具体安排。',
      ],
      asks: ['请问如何预约？', '请问具体政策是什么？'],
      actions: [
        '{thing}由各社区卫生服务中心和乡镇卫生院负责，可通过电话或线上平台预约，符合条件的免费。',
        '本年度{thing}工作已启动，具体时间和地点请咨询户籍或居住地所在社区卫生服务中心。',
      ],
    },
  ],
  security: [
    {
      type: 'help',
      spot: 'community',
      things: ['电动车', '自行车', '快递', '车内财物'],
      titles: ['{place}{thing}频繁被盗', '{place}{thing}失窃问题严重'],
      details: [
        '{time}，{place}已经丢了好几辆{thing}，监控有好几个是坏的，报警后一直没有下文。',
        '{place}{thing}失窃的事情{time}发生了多起，大家很没有安全感。',
      ],
      asks: ['希望加强巡逻，修复监控。', '请公安机关加大打击力度。'],
      actions: [
        '辖区派出所已加强该区域夜间巡逻，督促物业修复损坏监控，并对近期盗窃案件并案侦查。',
        '公安机关已抓获涉案嫌疑人{n}名，追回部分被盗财物，并在小区开展防盗宣传。',
      ],
      resolved: 0.6,
    },
    {
      type: 'suggest',
      spot: 'community',
      things: ['门禁', '消防通道', '监控', '电动车充电'],
      titles: ['建议完善{place}{thing}管理', '{place}{thing}存在安全隐患'],
      details: [
        '{place}的门禁形同虚设，外来人员随意进出，消防通道常年被私家车占用。',
        '{place}很多人把电动车推进楼道充电，{thing}问题很大，万一着火后果不堪设想。',
      ],
      asks: ['建议加装门禁系统，清理消防通道。', '建议增设集中充电桩。'],
      actions: [
        '街道已协调物业更换单元门禁系统，并联合消防部门清理占用消防通道车辆，施划禁停标线。',
        '我单位已在该小区新建电动车集中充电车棚，安装充电口{n}十余个，并开展楼道清理行动。',
      ],
    },
    {
      type: 'complain',
      spot: 'none',
      things: ['电信诈骗', '网络刷单诈骗', '冒充客服诈骗', '养老诈骗'],
      titles: ['遭遇{thing}请求帮助', '{region}[出现|有人遭遇]{thing}'],
      details: [
        '我家[老人|亲戚]{time}遭遇{thing}，被骗了好几万元，已经报警，想了解案件进展。',
        '最近{region}有不少人遭遇{thing}，希望加强宣传。',
      ],
      asks: ['恳请公安机关尽快侦破。', '希望加强反诈宣传。'],
      actions: [
        '公安机关已对该案立案侦查，已冻结部分涉案资金，办案民警已与您联系通报进展。',
        '我单位已在辖区开展反诈宣传进社区活动，并推广国家反诈中心应用，提醒群众提高警惕。',
      ],
      resolved: 0.5,
    },
  ],
  tourism: [
    {
      type: 'suggest',
      spot: 'scenic',
      things: ['停车位', '公共厕所', '接驳车', '指示牌'],
      titles: ['{place}景区周边{thing}不足', '建议{place}增设{thing}'],
      details: [
        '{place}节假日游客很多，周边{thing}严重不足，本地居民出行也受影响。',
        '{time}去{place}游玩，发现{thing}太少，体验很差。',
      ],
      asks: ['建议增设{thing}。', '希望完善景区配套设施。'],
      actions: [
        '我单位已在景区周边新增临时停车泊位{n}百个，节假日开通免费接驳车，并实时发布停车信息。',
        '景区已新建公共厕所{n}座，更新导览指示牌，旅游旺季增派服务人员。',
      ],
    },
    {
      type: 'complain',
      spot: 'scenic',
      things: ['强制购物', '门票乱收费', '宰客', '虚假宣传'],
      titles: ['{place}[一日游|旅游团]{thing}', '{place}存在{thing}问题'],
      details: [
        '上个月我参加了{place}的一日游团，导游带我们进了三家购物店，不买东西就甩脸色。',
        '{time}在{place}遇到{thing}，商家态度恶劣，投诉无门。',
      ],
      asks: ['请旅游主管部门依法查处。', '请有关部门维护游客权益。'],
      actions: [
        '文化和旅游执法部门已对涉事企业立案调查，依法责令改正并处罚款，涉事导游已被暂扣导游证。',
        '经调查核实，已督促商家退还多收费用，并对景区经营秩序开展专项整治。',
      ],
    },
  ],
  employment: [
    {
      type: 'help',
      spot: 'site',
      things: ['工资', '工程款', '加班费'],
      titles: ['{place}拖欠农民工{thing}', '{place}[包工头|施工方]拖欠{thing}'],
      details: [
        '我们二十多个工友在{place}干了半年，包工头拖欠{thing}不给，说是开发商没结账。',
        '{time}，{place}一直拖欠{thing}，马上要过年了，家里等着用钱。',
      ],
      asks: ['恳请帮助我们讨回血汗钱。', '请劳动监察部门介入。'],
      actions: [
        '人社部门已约谈施工总承包企业，督促其通过农民工工资专用账户足额支付拖欠{thing}，目前已全部发放到位。',
        '劳动保障监察大队已立案调查，责令企业限期支付，首批{thing}已发放，剩余部分月底前付清。',
      ],
    },
    {
      type: 'consult',
      spot: 'none',
      things: ['灵活就业社保', '失业保险金', '养老保险', '工伤认定'],
      titles: ['{region}{thing}办理咨询', '关于{thing}的咨询'],
      details: [
        '我现在在{region}做灵活就业，想了解{thing}怎么办理、缴费基数怎么选。',
        '我{time}刚离职，想咨询{thing}的申领条件和流程。',
      ],
      asks: ['请问具体办理流程是什么？', '请问需要什么材料？'],
      actions: [
        '可持身份证到社保经办窗口或通过网上服务平台办理{thing}相关业务，缴费基数可在规定范围内自主选择。',
        '符合条件的人员可通过人社部门网上服务平台申请{thing}，材料齐全的一般10个工作日内办结。',
      ],
    },
    {
      type: 'consult',
      spot: 'none',
      things: ['电工', '焊工', '育婴员', '养老护理员', '电子商务'],
      titles: ['{thing}职业技能培训补贴咨询', '{region}{thing}培训[报名|补贴]咨询'],
      details: [
        '我在{region}工作，想参加{thing}职业技能培训，听说可以申请培训补贴，但不清楚需要什么条件。',
        '想了解{region}今年有没有免费的{thing}培训班，在哪里报名。',
      ],
      asks: ['请问补贴申请条件和标准是什么？', '请问在哪里报名？'],
      actions: [
        '取得职业资格证书或职业技能等级证书的参训人员，可按规定申请职业技能提升补贴，具体可咨询当地公共就业服务机构。',
        '今年{thing}免费培训班将于下月开班，可到县公共就业服务中心或通过人社部门公众号报名。',
      ],
    },
    {
      type: 'complain',
      spot: 'company',
      things: ['不签劳动合同', '不缴社保', '超时加班', '违法辞退'],
      titles: ['{place}{thing}', '举报{place}存在{thing}问题'],
      details: [
        '我在{place}上班快一年了，公司{thing}，向领导反映就被威胁开除。',
        '{place}{thing}的情况很普遍，员工敢怒不敢言。',
      ],
      asks: ['请劳动监察部门调查处理。', '请依法维护劳动者权益。'],
      actions: [
        '劳动保障监察机构已对该企业开展检查，责令其依法签订劳动合同并补缴社会保险费。',
        '经调查，该企业存在违法用工行为，已下达整改指令书并依法处罚，涉及职工已依法获得补偿。',
      ],
    },
  ],
  culture: [
    {
      type: 'suggest',
      spot: 'park',
      things: ['健身器材', '篮球场', '乒乓球台', '座椅'],
      titles: ['{place}{thing}损坏缺乏维护', '建议{place}增设{thing}'],
      details: [
        '{place}的{thing}好几件都坏了，有的螺丝松动，{people}使用很不安全。',
        '{place}每天锻炼的人很多，但{thing}太少，经常要排队。',
      ],
      asks: ['建议维修更换{thing}并定期检查。', '建议增设{thing}。'],
      actions: [
        '我单位已对该处{thing}进行检修，更换损坏器材{n}件，并明确由社区负责日常巡检。',
        '体育部门已将该处纳入今年全民健身设施补短板项目，新增{thing}将于下季度安装到位。',
      ],
    },
    {
      type: 'suggest',
      spot: 'none',
      things: ['图书馆', '文化馆', '博物馆', '体育馆'],
      titles: ['建议{region}{thing}延长开放时间', '{region}{thing}开放时间不便'],
      details: [
        '{region}的{thing}周一闭馆，平时晚上五点就关门，上班族和学生很难有时间去。',
        '{region}{thing}{time}经常临时闭馆，也没有提前通知。',
      ],
      asks: ['建议周末和晚间延长开放时间。', '建议提前公告闭馆安排。'],
      actions: [
        '{thing}自下月起将工作日开放时间延长至21时，并通过官方公众号提前发布闭馆通知。',
        '经研究，{thing}将实行错时开放，周一上午增加自助服务，方便群众。',
      ],
    },
  ],
  finance: [
    {
      type: 'suggest',
      spot: 'bank',
      things: ['适老化服务', '人工窗口'],
      titles: ['{place}{thing}不足', '{place}{thing}问题'],
      details: [
        '{place}现在业务都要在机器上自助办理，老年人不会操作，柜台窗口只开一个，排队很久。',
        '{time}去{place}办业务，{thing}安排不合理，等了一个多小时。',
      ],
      asks: ['建议银行保留人工服务，设置老年人绿色通道。', '希望监管部门督促改进。'],
      actions: [
        '金融监管部门已约谈相关银行，要求其在各网点设置爱心窗口和老年人优先通道，并安排大堂经理协助办理。',
        '该行已调整网点窗口设置，高峰时段增开窗口，并为老年客户提供上门服务。',
      ],
    },
    {
      type: 'complain',
      spot: 'none',
      things: ['车险理赔', '医疗险理赔', '贷款提前还款', '信用卡年费'],
      titles: ['{thing}拖延推诿', '{thing}问题投诉'],
      details: [
        '我在{region}办理的{thing}遇到问题，保险公司一直拖着，打客服电话总说在审核。',
        '{time}，{thing}一事和金融机构沟通多次，对方互相推诿。',
      ],
      asks: ['请监管部门督促依法处理。', '请有关部门协调。'],
      actions: [
        '经金融监管部门协调，该机构已完成审核，款项已支付到账，并对其服务时效问题进行了通报。',
        '我单位已将您的诉求转交该机构总部处理，对方已与您联系并达成一致意见。',
      ],
    },
    {
      type: 'complain',
      spot: 'none',
      things: ['非法集资', '高息理财', '套路贷'],
      titles: ['举报{region}存在{thing}', '{thing}受害者求助'],
      details: [
        '{region}有公司以高额回报为诱饵，向老年人推销{thing}产品，很多人把养老钱都投进去了。',
        '我{time}被人介绍参与了{thing}，现在本金都拿不回来了。',
      ],
      asks: ['请有关部门依法查处。', '恳请帮助追回损失。'],
      actions: [
        '处置非法集资部门已会同公安机关对该公司开展调查，相关线索已移交公安机关依法处理。',
        '公安机关已对该案立案侦查，将依法追缴涉案资金，请您配合办案民警做好登记。',
      ],
      resolved: 0.4,
    },
  ],
  enterprise: [
    {
      type: 'consult',
      spot: 'none',
      things: ['餐馆', '便利店', '理发店', '网店', '民宿'],
      titles: ['开办{thing}证照办理咨询', '在{region}开{thing}需要办哪些手续'],
      details: [
        '我想在{region}开一家{thing}，需要办理营业执照和相关许可，不知道能不能网上办理、需要多长时间。',
        '准备在{region}开{thing}，想了解登记流程和需要准备的材料。',
      ],
      asks: ['请问具体流程和所需材料。', '请问能否一次办好？'],
      actions: [
        '个体工商户营业执照和相关许可可通过政务服务网“一件事一次办”一并申请，材料齐全的一般3个工作日内办结。',
        '您可到政务服务中心市场监管窗口办理，也可通过网上平台全程电子化申请，工作人员可提供帮办服务。',
      ],
    },
    {
      type: 'help',
      spot: 'none',
      things: ['工程款', '货款', '服务费'],
      titles: ['市政配套项目{thing}长期拖欠', '政府项目{thing}拖欠企业求助'],
      details: [
        '我们是一家小微企业，三年前承接了{region}一个市政配套项目，验收合格后还有一部分{thing}没有支付。',
        '企业为{region}有关单位提供服务，{thing}拖欠两年多，企业资金周转非常困难。',
      ],
      asks: ['恳请帮助协调支付。', '请有关部门督促履约。'],
      actions: [
        '经核实，该项目{thing}已列入清欠计划，财政部门将于本季度内分批支付，相关单位已与企业签订还款协议。',
        '我单位已督促相关单位与企业对账，确认欠款金额，首笔款项已于本月支付。',
      ],
      resolved: 0.45,
    },
    {
      type: 'consult',
      spot: 'none',
      things: ['创业担保贷款', '稳岗补贴', '研发费用加计扣除', '高新技术企业认定'],
      titles: ['小微企业{thing}咨询', '{region}{thing}政策咨询'],
      details: [
        '我们公司在{region}成立不到两年，想申请{thing}，不知道政策和申请条件。',
        '想了解{region}今年的{thing}政策有没有变化，在哪里申报。',
      ],
      asks: ['请问如何申请？', '请问申报时间和条件？'],
      actions: [
        '符合条件的企业可向当地主管部门申请{thing}，具体可到政务服务中心相关窗口咨询，或登录惠企政策平台查询。',
        '今年{thing}申报工作将于下月启动，通知将在政府网站发布，企业可提前准备相关材料。',
      ],
    },
  ],
  government: [
    {
      type: 'suggest',
      spot: 'office',
      things: ['午间服务', '综合窗口', '预约办理', '自助终端'],
      titles: ['{place}窗口设置建议', '建议{place}推行{thing}'],
      details: [
        '{place}午休时间窗口全部关闭，上班族只能请假来办事，而且一些事项要跑好几个窗口。',
        '{time}到{place}办事，发现{thing}不完善，来回跑了好几趟。',
      ],
      asks: ['建议推行午间不打烊和一窗通办。', '建议优化办事流程。'],
      actions: [
        '政务服务中心已推行午间延时服务，设立综合受理窗口，群众办理高频事项可一窗受理。',
        '我单位已增设{thing}，并推行帮办代办服务，进一步减少群众跑腿次数。',
      ],
    },
    {
      type: 'consult',
      spot: 'community',
      things: ['不动产权证', '房产证', '契税补贴'],
      titles: ['{place}{thing}办理进度咨询', '{place}交房多年{thing}办不下来'],
      details: [
        '我们{place}交房已经五年了，{thing}一直办不下来，影响孩子上学和房屋交易。',
        '{place}的{thing}{time}说在办理，到现在也没有消息。',
      ],
      asks: ['请问什么时候能办理？', '请有关部门督促开发商。'],
      actions: [
        '经核查，该小区因开发企业未完成竣工验收备案导致无法办证，目前已督促企业补办手续，预计年底前启动首次登记。',
        '该小区已完成首次登记，业主可持相关材料到不动产登记中心办理{thing}。',
      ],
      resolved: 0.5,
    },
    {
      type: 'suggest',
      spot: 'none',
      things: ['网上办事平台', '政务服务应用', '预约系统'],
      titles: ['建议{region}{thing}简化操作', '{region}{thing}使用不便'],
      details: [
        '{thing}注册流程复杂，经常要求重复上传同样的材料，手机端经常打不开。',
        '{time}用{thing}办事，多次提交失败，客服电话也打不通。',
      ],
      asks: ['建议优化平台，实现材料一次提交、多次复用。', '建议改进用户体验。'],
      actions: [
        '我单位已将该建议转交大数据管理部门，平台将于下一版本上线电子证照自动调取功能，减少重复提交。',
        '技术团队已修复相关问题，并增加了在线客服，欢迎继续提出意见建议。',
      ],
    },
    {
      type: 'consult',
      spot: 'none',
      things: ['落户', '居住证', '公租房', '人才补贴'],
      titles: ['{region}{thing}政策咨询', '关于{thing}申请条件的咨询'],
      details: [
        '我大学毕业后在{region}工作，想了解{thing}的申请条件和流程。',
        '{time}听说{region}的{thing}政策有调整，想确认一下具体要求。',
      ],
      asks: ['请问需要什么条件？', '请问在哪里办理？'],
      actions: [
        '{thing}相关政策请查阅{region}政府网站发布的最新文件，符合条件的可到政务服务中心或通过网上平台申请。',
        '您可携带身份证、劳动合同等材料到户籍或居住地所在派出所、政务服务中心办理{thing}相关业务。',
      ],
    },
  ],
};

/** Thanks: no reply needed, acknowledged by the unit. */
export const THANKS: { domain: Domain; spot: SpotKind; things: string[]; title: string; detail: string }[] = [
  {
    domain: 'government',
    spot: 'office',
    things: ['工作人员', '窗口同志'],
    title: '感谢{place}{thing}耐心帮助',
    detail: '前几天我到{place}办理业务，材料不全，{thing}耐心指导，还主动帮我联系相关部门，当天就办好了。',
  },
  {
    domain: 'health',
    spot: 'hospital',
    things: ['医护人员', '医生护士'],
    title: '感谢{place}{thing}悉心照料',
    detail: '我母亲前段时间在{place}住院，{thing}每天耐心查房、细心护理，出院后还打电话回访。',
  },
  {
    domain: 'urban',
    spot: 'community',
    things: ['社区工作人员', '网格员'],
    title: '感谢{place}{thing}为民办实事',
    detail: '{place}的{thing}[帮我们解决了|很快处理了]楼道堵塞的问题，效率很高，大家都很满意。',
  },
  {
    domain: 'security',
    spot: 'road',
    things: ['民警', '交警'],
    title: '感谢{place}{thing}帮助找回[钱包|手机|孩子]',
    detail: '{time}我在{place}遇到困难，{thing}第一时间赶到，帮我解决了问题。',
  },
  {
    domain: 'education',
    spot: 'school',
    things: ['老师', '班主任'],
    title: '感谢{place}{thing}的辛勤付出',
    detail: '孩子在{place}上学，{thing}非常负责，孩子进步很大，家长们都很感动。',
  },
];

// ── Places ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const STREET_PREFIXES = [
  ...'人民 解放 建设 中山 和平 胜利 新华 东风 朝阳 文化 光明 青年 友谊 红旗 团结 健康 工业 府前 滨河 迎宾'.split(' '),
  ...'振兴 育才 金桥 太平 龙泉 凤凰 永安 长安 复兴 五一 八一 幸福 民主 车站 学府 科技 创业 站前 环城 北环'.split(' '),
  ...'南环 东环 西环 黄河 长江 泰山 燕山 太行 金山 银河 星光 锦绣 华山 兴业 崇文 新城 体育 开元 沿江 望江'.split(' '),
  ...'丰收 向阳 前进 兴隆 富强 育英 桃园 杏林 梧桐 玉兰 松柏 翠柏 清风 明月 德胜 安定 广源 通达 平安 顺城'.split(' '),
];
export const STREET_SUFFIXES = ['路', '路', '街', '大街', '大道', '中路', '北路', '南路', '东路', '西路', '巷'];
export const COMMUNITY_PREFIXES = [
  ...'阳光 金色 碧水 翠湖 锦华 紫荆 丽景 华府 书香 康乐 御景 春天 星河 海棠 枫林 绿洲 怡和 馨园 盛世 天誉'.split(' '),
  ...'万象 瑞景 祥和 嘉禾 文苑 东方 城市 明珠 凯旋 福源 金域 和谐 安居 康居 惠民 朝晖 晨曦 滨江 湖畔 山水'.split(' '),
  ...'芳草 香榭 铂悦 云顶 东湖 西湖 南湖 北苑 水岸 悦府 龙城 凤鸣 泰和 长青 常青 锦江 鸿福 宏达 金地 银座'.split(' '),
];
export const COMMUNITY_SUFFIXES = [
  '小区',
  '小区',
  '花园',
  '家园',
  '新村',
  '苑',
  '嘉园',
  '华庭',
  '名都',
  '公寓',
  '雅居',
  '佳苑',
  '新城',
  '社区',
];
export const TOWN_NAMES = [
  ...'城关 东关 西关 南关 北关 城东 城西 城南 城北 老城 河东 河西 桥头 石桥 龙门 双河 三江 白马 青山 黄土'.split(' '),
  ...'马坊 杨柳 柳河 清河 大营 高庄 太和 安乐 永宁 长乐 新集 古城 红星 金沙 沙河 东升 新华 和平 兴隆 凤凰'.split(' '),
];
export const TOWN_SUFFIXES = ['镇', '镇', '乡', '街道', '街道'];
export const SURNAMES =
  '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金'.split(
    '',
  );
export const VILLAGE_SUFFIXES = [
  '庄',
  '家庄',
  '营',
  '屯',
  '寨',
  '家',
  '店',
  '堡',
  '坊',
  '集',
  '桥',
  '湾',
  '河',
  '岗',
  '洼',
];
export const VILLAGE_PREFIXES = ['', '', '', '东', '西', '南', '北', '前', '后', '大', '小', '上', '下'];
export const SCHOOL_NAMES = [
  '第一小学',
  '第二小学',
  '第三小学',
  '实验小学',
  '中心小学',
  '第一中学',
  '第二中学',
  '实验中学',
  '初级中学',
  '高级中学',
  '中心幼儿园',
  '育才学校',
];
export const HOSPITAL_NAMES = [
  '人民医院',
  '中医院',
  '妇幼保健院',
  '第二人民医院',
  '骨科医院',
  '社区卫生服务中心',
  '卫生院',
];
export const MARKET_NAMES = ['农贸市场', '菜市场', '商业街', '步行街', '夜市', '批发市场', '美食街'];
export const PARK_NAMES = ['公园', '广场', '湿地公园', '体育公园', '文化广场', '游园'];
export const SITE_NAMES = ['项目工地', '在建楼盘', '安置房项目工地', '商业综合体工地', '道路改造工地'];
export const STATION_NAMES = ['汽车站', '火车站', '高铁站', '客运中心', '公交枢纽'];
export const RIVER_NAMES = ['河', '河', '渠', '沟', '湖', '水库'];
export const COMPANY_NAMES = [
  '建筑公司',
  '物流园',
  '食品厂',
  '纺织厂',
  '电子厂',
  '机械厂',
  '化工厂',
  '产业园',
  '商贸公司',
];
export const BANK_NAMES = ['中国银行', '工商银行', '农业银行', '建设银行', '邮储银行', '农商银行', '交通银行'];
export const SCENIC_NAMES = ['古城', '老街', '景区', '森林公园', '湿地', '古镇', '博物馆', '风景区'];
export const OFFICE_NAMES = ['政务服务中心', '便民服务中心', '不动产登记中心', '社保服务大厅', '车管所'];

// ── Message parts ───────────────────────────────────────────────────────────────────────────────────────────────

export const GREETINGS = ['尊敬的{board}：您好！', '领导您好！', '您好！', '尊敬的领导：您好！', '{board}您好！', ''];
export const INTROS = [
  '我是{region}的一名居民。',
  '',
  '我是一名在{region}工作的外地人。',
  '我家住在{region}{town}。',
  '',
  '我是{town}的居民。',
  '我是一名退休职工。',
  '我是一名学生家长。',
];
export const TIMES = [
  '近一个月来',
  '今年以来',
  '最近两周',
  '从去年冬天开始',
  '这段时间',
  '入夏以来',
  '最近半年',
  '国庆节以后',
  '春节前后',
];
export const PEOPLE = ['老人孩子', '上班族', '附近居民', '学生家长', '周边商户', '行动不便的老人'];
/** A sentence between the problem and the request: for every complaint, suggestion or request for help… */
export const EXTRAS = [
  '',
  '',
  '',
  '之前打过12345热线反映，但一直没有解决。',
  '这个问题已经向有关方面反映过多次。',
  '希望领导能够重视。',
];
/** …for one about a place people live by… */
export const NEIGHBOURHOOD_EXTRAS = [
  '附上现场照片，请领导看一看。',
  '周边很多居民都有同样的感受。',
  '物业和社区都说不归他们管。',
];
/** …for one about another place… */
export const PLACE_EXTRAS = ['附上现场照片，请领导看一看。'];
/** …and for a question. */
export const CONSULT_EXTRAS = ['', '', '在网上查了很久，也没有找到明确的说法。', '打电话问过几次，说法不一。'];
export const CLOSINGS = [
  '恳请领导关注，盼复！',
  '希望有关部门尽快协调解决，谢谢！',
  '麻烦领导百忙之中给予答复，谢谢！',
  '期待早日解决，谢谢！',
  '谢谢！',
  '',
];
export const THANKS_CLOSINGS = ['特此留言，向他们表示感谢！', '特向他们表示衷心的感谢！', '为他们点赞！'];
export const REPLY_OPENINGS = [
  '网友您好！您反映的问题已收悉。',
  '您好！收到您的留言后，我单位高度重视，立即安排人员进行了核查。',
  '网友您好！感谢您的留言。',
  '您好！关于您反映的问题，现答复如下：',
];
export const REPLY_CLOSINGS = [
  '感谢您对{region}工作的关心和支持！',
  '如仍有问题，欢迎继续留言反映。感谢您的理解与支持！',
  '感谢您的监督，我们将持续跟进。',
  '如有疑问，可拨打12345政务服务便民热线咨询。',
];
export const FOLLOW_UPS = [
  '答复说已经整改，但我这两天去现场看，情况并没有明显变化，请问具体什么时候能落实到位？',
  '感谢答复。想再问一下，后续有没有长效管理措施，会不会过段时间又反弹？',
  '答复中说的办理时间已经过了，目前还没有进展，请再核实一下。',
];
export const SECOND_REPLIES = [
  '针对您的追问，我单位再次安排工作人员到现场核实，已督促责任单位在本周内完成整改，并建立每周回访机制。',
  '关于长效管理，我们已将该处纳入日常巡查台账，明确专人负责，每月检查一次，发现问题及时处置。感谢您的持续关注！',
  '经再次核实，前期整改确有不到位之处，已责成相关单位限期整改到位，整改完成后将电话告知您。',
];
export const RATING_COMMENTS = {
  good: ['问题解决了，办理很及时，非常满意！', '回复很快，态度也好。', '感谢领导关心，已经解决了。', '', ''],
  fair: ['有改善，但还没有完全解决。', '回复了，希望落实到位。', ''],
  poor: ['答复敷衍，问题没有解决。', '追问后才有进展，希望落实到位。', '和实际情况不符。'],
};
export const REJECT_NOTES: Partial<Record<RejectReason, string[]>> = {
  several_issues: ['请按“一事一留言”的要求，将不同事项分别留言，便于办理单位分别办理。'],
  in_court: ['该事项已进入诉讼程序，请通过法定途径依法维护权益。'],
  wrong_board: ['该事项由属地有关部门办理，请到当地的领导留言板留言。', '请选择正确的留言板和领域后重新留言。'],
  duplicate: ['您已就同一事项留言，请关注此前留言的办理情况。'],
  unverified: ['留言内容缺少具体时间、地点，请补充后重新留言。'],
  personal_data: ['公开内容中含有他人姓名和电话，请删除后重新留言。'],
  already_handled: ['该事项已在办理中，请关注此前留言的答复。'],
};
/** How often each reason is given, out of 100. */
export const REJECT_WEIGHTS: Partial<Record<RejectReason, number>> = {
  duplicate: 30,
  wrong_board: 20,
  several_issues: 12,
  unverified: 10,
  personal_data: 8,
  already_handled: 8,
  in_court: 4,
  petition: 3,
  illegal: 3,
  channel_question: 2,
};

export const NICK_FIRST = [
  ...'快乐 幸福 阳光 老实 勤劳 普通 热心 平凡 安静 认真 开心 淡定 微笑 执着 温暖 清风 明月 山水 蓝天 白云'.split(' '),
  ...'小城 古城 江南 塞北 岭南 西北 东北 海边 山里 河畔'.split(' '),
];
export const NICK_SECOND = [
  ...'市民 居民 网友 老百姓 打工人 上班族 老街坊 宝妈 宝爸 退休教师 小老板 农民 司机 学生家长 志愿者'.split(' '),
  ...'骑手 老兵 店主 果农 菜农 护士 工程师 设计师 快递员 老党员'.split(' '),
];
