import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_RULES,
  XINFANG_PRESET,
  deadlineFor,
  resolveRules,
  validateOverride,
  type RulesOverride,
} from '../src/deadlines/working-rules.ts';

const cst = (isoLocal: string) => new Date(`${isoLocal}+08:00`);
const endOf = (day: string) => cst(`${day}T23:59:59.999`);

describe('presets', () => {
  test('the defaults follow DESIGN.md §3', () => {
    assert.deepEqual(DEFAULT_RULES, {
      dayKind: 'working',
      reviewHours: 24,
      acceptDays: 3,
      handlingDays: { consult: 5, suggest: 10, complain: 15, help: 10, thanks: 0 },
      extensionMaxDays: 15,
      maxExtensions: 1,
      objectionDays: 5,
      ratingDays: 20,
      escalationDays: 5,
      documentTitle: null,
      documentUrl: null,
    });
  });

  test('the 信访 preset follows 信访工作条例 (2022) Art. 22, 23 and 34, in natural days', () => {
    assert.equal(XINFANG_PRESET.dayKind, 'calendar');
    assert.equal(XINFANG_PRESET.acceptDays, 15);
    assert.deepEqual(XINFANG_PRESET.handlingDays, { consult: 60, suggest: 60, complain: 60, help: 60, thanks: 0 });
    assert.equal(XINFANG_PRESET.extensionMaxDays, 30);
    assert.equal(XINFANG_PRESET.maxExtensions, 1);
    assert.equal(XINFANG_PRESET.objectionDays, 5);
    assert.equal(XINFANG_PRESET.documentTitle, '《信访工作条例》');
  });

  test('presets cannot be changed by accident', () => {
    for (const rules of [DEFAULT_RULES, XINFANG_PRESET]) {
      assert.ok(Object.isFrozen(rules) && Object.isFrozen(rules.handlingDays));
      assert.throws(() => {
        rules.handlingDays.consult = 1;
      }, TypeError);
    }
  });
});

describe('resolveRules', () => {
  test('no overrides gives a fresh copy of the defaults', () => {
    const rules = resolveRules([]);
    assert.deepEqual(rules, DEFAULT_RULES);
    rules.acceptDays = 9;
    rules.handlingDays.consult = 9;
    assert.equal(DEFAULT_RULES.acceptDays, 3);
    assert.equal(DEFAULT_RULES.handlingDays.consult, 5);
    assert.notEqual(resolveRules([]).handlingDays, resolveRules([]).handlingDays);
  });

  test('province → city → county: each level applies on top, a preset in the middle resets', () => {
    const province: RulesOverride = {
      acceptDays: 5,
      handlingDays: { consult: 7 },
      documentTitle: '《某省网民留言办理工作办法》',
      escalationDays: 3,
    };
    const city: RulesOverride = { preset: 'xinfang', handlingDays: { complain: 45 }, reviewHours: 48 };
    const county: RulesOverride = { extensionMaxDays: 20, handlingDays: { help: 30 } };

    assert.deepEqual(resolveRules([province]), {
      ...DEFAULT_RULES,
      acceptDays: 5,
      escalationDays: 3,
      handlingDays: { ...DEFAULT_RULES.handlingDays, consult: 7 },
      documentTitle: '《某省网民留言办理工作办法》',
    });
    assert.deepEqual(resolveRules([province, city, county]), {
      ...XINFANG_PRESET,
      reviewHours: 48,
      extensionMaxDays: 20,
      handlingDays: { consult: 60, suggest: 60, complain: 45, help: 30, thanks: 0 },
    });
    // Without the preset the province's values flow down to the county.
    const inherited = resolveRules([province, { handlingDays: { complain: 45 } }, county]);
    assert.equal(inherited.dayKind, 'working');
    assert.equal(inherited.acceptDays, 5);
    assert.equal(inherited.escalationDays, 3);
    assert.deepEqual(inherited.handlingDays, { consult: 7, suggest: 10, complain: 45, help: 30, thanks: 0 });
    assert.equal(inherited.documentTitle, '《某省网民留言办理工作办法》');
  });

  test('a county can go back to the defaults under a 信访 province, and clear a title with null', () => {
    const rules = resolveRules([{ preset: 'xinfang' }, { acceptDays: 10 }, { preset: 'default', documentTitle: null }]);
    assert.deepEqual(rules, DEFAULT_RULES);
    assert.equal(resolveRules([{ documentTitle: '《办法》' }, { documentTitle: null }]).documentTitle, null);
  });

  test('does not change the overrides it is given', () => {
    const city: RulesOverride = { preset: 'xinfang', handlingDays: { complain: 45 } };
    const rules = resolveRules([city]);
    rules.handlingDays.complain = 1;
    assert.deepEqual(city, { preset: 'xinfang', handlingDays: { complain: 45 } });
    assert.equal(XINFANG_PRESET.handlingDays.complain, 60);
  });
});

describe('deadlineFor', () => {
  test('counts working or natural days as the rules say', () => {
    // Tuesday 30 September 2025, before the 1–8 October holiday.
    const start = cst('2025-09-30T10:00:00');
    assert.deepEqual(deadlineFor(start, 3, DEFAULT_RULES), endOf('2025-10-11'));
    assert.deepEqual(deadlineFor(start, 3, { dayKind: 'calendar' }), endOf('2025-10-03'));
    assert.deepEqual(deadlineFor(start, XINFANG_PRESET.acceptDays, XINFANG_PRESET), endOf('2025-10-15'));
    assert.deepEqual(deadlineFor(start, XINFANG_PRESET.handlingDays.consult, XINFANG_PRESET), endOf('2025-11-29'));
  });
});

describe('validateOverride', () => {
  test('accepts a full override and returns a fresh object with only those fields', () => {
    const input = {
      preset: 'xinfang',
      dayKind: 'working',
      reviewHours: 48,
      acceptDays: 15,
      handlingDays: { consult: 60, suggest: 60, complain: 60, help: 60, thanks: 0 },
      extensionMaxDays: 30,
      maxExtensions: 2,
      objectionDays: 0,
      ratingDays: 30,
      escalationDays: 10,
      documentTitle: '  《某省网民留言办理工作办法》 ',
      documentUrl: 'https://www.example.gov.cn/zwgk/2024/banfa.html',
    };
    const result = validateOverride(input);
    assert.ok(result.ok);
    assert.deepEqual(result.value, { ...input, documentTitle: '《某省网民留言办理工作办法》' });
    assert.notEqual(result.value.handlingDays, input.handlingDays);
    assert.deepEqual(validateOverride({}), { ok: true, value: {} });
    assert.deepEqual(validateOverride({ documentTitle: '', documentUrl: null }), {
      ok: true,
      value: { documentTitle: null, documentUrl: null },
    });
    assert.deepEqual(validateOverride({ handlingDays: { thanks: 0 } }), {
      ok: true,
      value: { handlingDays: { thanks: 0 } },
    });
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['not an object', null, '', /对象/],
    ['an array', [], '', /对象/],
    ['a string', 'xinfang', '', /对象/],
    ['an unknown field', { acceptDay: 3 }, 'acceptDay', /^未知的设置项：acceptDay$/],
    ['a prototype key', JSON.parse('{"__proto__": {"acceptDays": 1}}'), '__proto__', /未知的设置项/],
    ['acceptance 0 days', { acceptDays: 0 }, 'acceptDays', /^受理时限应为 1–60 之间的整数$/],
    ['acceptance 61 days', { acceptDays: 61 }, 'acceptDays', /^受理时限应为 1–60 之间的整数$/],
    ['a fractional day', { acceptDays: 3.5 }, 'acceptDays', /受理时限/],
    ['a number as text', { acceptDays: '3' }, 'acceptDays', /受理时限/],
    ['a negative window', { objectionDays: -1 }, 'objectionDays', /^退回时限应为 0–365 之间的整数$/],
    ['an absurd rating window', { ratingDays: 100000 }, 'ratingDays', /评价期限/],
    ['infinite escalation', { escalationDays: Infinity }, 'escalationDays', /督办升级期限/],
    ['0 review hours', { reviewHours: 0 }, 'reviewHours', /^审核时限应为 1–720 之间的整数（小时）$/],
    ['721 review hours', { reviewHours: 721 }, 'reviewHours', /审核时限/],
    ['too many extensions', { maxExtensions: 11 }, 'maxExtensions', /延期次数上限/],
    ['an extension of a year and a day', { extensionMaxDays: 366 }, 'extensionMaxDays', /延期最长天数/],
    ['0 days for a complaint', { handlingDays: { complain: 0 } }, 'handlingDays.complain', /^投诉类办理时限应为 1–365/],
    ['366 days to consult', { handlingDays: { consult: 366 } }, 'handlingDays.consult', /咨询类办理时限/],
    ['an unknown message type', { handlingDays: { praise: 3 } }, 'handlingDays.praise', /未知的留言类型：praise/],
    ['handling days as one number', { handlingDays: 10 }, 'handlingDays', /按留言类型/],
    ['an unknown preset', { preset: 'beijing' }, 'preset', /预设应为 default/],
    ['an unknown day kind', { dayKind: 'lunar' }, 'dayKind', /计日方式应为 working/],
    ['a 201-character title', { documentTitle: '办'.repeat(201) }, 'documentTitle', /不得超过 200 个字符/],
    ['a title with a line break', { documentTitle: '《办法》\n<script>' }, 'documentTitle', /控制字符/],
    ['a number as title', { documentTitle: 7 }, 'documentTitle', /文字/],
    ['a javascript: URL', { documentUrl: 'javascript:alert(1)' }, 'documentUrl', /http:\/\/ 或 https:\/\//],
    ['an ftp URL', { documentUrl: 'ftp://example.gov.cn/banfa.pdf' }, 'documentUrl', /http/],
    ['not a URL', { documentUrl: 'www.example.gov.cn' }, 'documentUrl', /http/],
    ['a very long URL', { documentUrl: `https://example.gov.cn/${'a'.repeat(2000)}` }, 'documentUrl', /2000/],
  ];
  for (const [name, input, field, message] of bad) {
    test(`rejects ${name}`, () => {
      const result = validateOverride(input);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.field, field);
      assert.match(result.message, message);
    });
  }

  test('a 200-character title and an http URL are fine', () => {
    assert.ok(validateOverride({ documentTitle: '办'.repeat(200) }).ok);
    assert.ok(validateOverride({ documentUrl: 'http://example.gov.cn/a' }).ok);
    assert.ok(validateOverride({ acceptDays: 60, reviewHours: 720, handlingDays: { consult: 365 } }).ok);
  });

  test('what it accepts resolves', () => {
    const result = validateOverride({ preset: 'xinfang', handlingDays: { complain: 45 } });
    assert.ok(result.ok);
    assert.equal(resolveRules([{ acceptDays: 5 }, result.value]).handlingDays.complain, 45);
  });
});
