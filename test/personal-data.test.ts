import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findPersonalData, maskPersonalData, type PersonalDataHit } from '../src/messages/personal-data.ts';

const masked = (text: string) => maskPersonalData(text).text;
const kinds = (text: string) => findPersonalData(text).map((h) => h.kind);

describe('phone numbers', () => {
  test('a contiguous mainland mobile is found at its exact position and masked 138****5678', () => {
    const text = '我的电话13812345678，请回电';
    const hits = findPersonalData(text);
    assert.deepEqual(hits, [{ kind: 'phone', start: 4, end: 15 }]);
    assert.equal(text.slice(4, 15), '13812345678');
    assert.deepEqual(maskPersonalData(text), { text: '我的电话138****5678，请回电', hits });
  });

  test('grouped with spaces or dashes, full-width digits and ideographic spaces', () => {
    assert.equal(masked('138 1234 5678'), '138****5678');
    assert.equal(masked('手机：139-8765-4321。'), '手机：139****4321。');
    assert.equal(masked('１３８１２３４５６７８'), '138****5678');
    assert.equal(masked('１３８　１２３４　５６７８'), '138****5678');
    assert.equal(masked('１３８－１２３４－５６７８'), '138****5678');
    assert.deepEqual(findPersonalData('电话：138 1234 5678'), [{ kind: 'phone', start: 3, end: 16 }]);
  });

  test('a +86, 0086 or (+86) prefix belongs to the hit and is kept by the mask', () => {
    assert.equal(masked('+86 138 1234 5678'), '+86 138****5678');
    assert.equal(masked('+8613812345678'), '+86138****5678');
    assert.equal(masked('0086-13812345678'), '0086-138****5678');
    assert.equal(masked('（＋８６）１３８１２３４５６７８'), '(+86)138****5678');
    assert.deepEqual(findPersonalData('致电 +86 13812345678'), [{ kind: 'phone', start: 3, end: 18 }]);
  });

  test('not a mobile: wrong second digit, wrong length, inside a longer run, after a decimal point', () => {
    assert.deepEqual(findPersonalData('12345678901'), []);
    assert.deepEqual(findPersonalData('10012345678'), []);
    assert.deepEqual(findPersonalData('1381234567'), []);
    assert.deepEqual(findPersonalData('订单号138123456789'), []);
    assert.deepEqual(findPersonalData('编号913812345678'), []);
    assert.deepEqual(findPersonalData('8613812345678'), [], 'a 13-digit run without + is not a prefixed phone');
    assert.deepEqual(findPersonalData('3.13812345678'), []);
    assert.deepEqual(findPersonalData('13812345678.5'), []);
    assert.deepEqual(findPersonalData('138-1234 5678'), [], 'a grouping uses one kind of separator');
  });

  test('a phone next to other numbers is still found', () => {
    assert.equal(masked('2026年13812345678'), '2026年138****5678');
    assert.equal(masked('2026 138 1234 5678'), '2026 138****5678');
    assert.equal(masked('13812345678 13912345678'), '138****5678 139****5678');
    assert.equal(masked('😀13812345678'), '😀138****5678');
    assert.deepEqual(findPersonalData('😀13812345678'), [{ kind: 'phone', start: 2, end: 13 }]);
  });

  test('landlines keep the area code as written and the last 4 digits', () => {
    assert.equal(masked('010-12345678'), '010-****5678');
    assert.equal(masked('0571-8888 8888'), '0571-****8888');
    assert.equal(masked('0571-8888888'), '0571-***8888');
    assert.equal(masked('0571 88888888'), '0571 ****8888');
    assert.equal(masked('(010)12345678转801'), '(010)****5678转801');
    assert.equal(masked('02161234567'), '021****4567');
    assert.equal(masked('０５７１－８８８８　８８８８'), '0571-****8888');
    assert.deepEqual(findPersonalData('电话010-12345678'), [{ kind: 'phone', start: 2, end: 14 }]);
  });

  test('not a landline: short local numbers, unknown area codes, service numbers', () => {
    assert.deepEqual(findPersonalData('010-1234567'), [], 'Beijing local numbers have 8 digits');
    assert.deepEqual(findPersonalData('012-12345678'), []);
    assert.deepEqual(findPersonalData('0571-0888888'), []);
    assert.deepEqual(findPersonalData('88888888'), []);
    assert.deepEqual(findPersonalData('12345'), []);
    assert.deepEqual(findPersonalData('400-123-4567'), []);
  });
});

describe('resident ID numbers', () => {
  test('a valid 18-character ID keeps the first 6 and last 4', () => {
    const text = '身份证号11010519491231002X。';
    assert.deepEqual(findPersonalData(text), [{ kind: 'id_card', start: 4, end: 22 }]);
    assert.equal(masked(text), '身份证号110105********002X。');
    assert.equal(masked('440304200002291236'), '440304********1236', '29 February 2000');
    assert.equal(masked('11010519491231002x'), '110105********002X');
  });

  test('grouped and full-width IDs', () => {
    assert.equal(masked('110105 19491231 002X'), '110105********002X');
    assert.equal(masked('110105 1949 1231 002X'), '110105********002X');
    assert.equal(masked('１１０１０５１９４９１２３１００２Ｘ'), '110105********002X');
    assert.deepEqual(findPersonalData('ID: 440304 20000229 1236.'), [{ kind: 'id_card', start: 4, end: 24 }]);
  });

  test('a wrong check character is still an ID number; impossible dates and unknown provinces are not IDs', () => {
    assert.equal(masked('身份证110105194912310021'), '身份证110105********0021', 'check character should be X');
    assert.deepEqual(findPersonalData('110105194912310021'), [{ kind: 'id_card', start: 0, end: 18 }]);
    // 18 digits that are no ID number are still masked, as a card-shaped number.
    assert.deepEqual(findPersonalData('110105199002301231'), [{ kind: 'bank_card', start: 0, end: 18 }], '30 February');
    assert.deepEqual(
      findPersonalData('990105194912310027'),
      [{ kind: 'bank_card', start: 0, end: 18 }],
      'no province 99',
    );
    assert.deepEqual(findPersonalData('911010519491231002X'), [], 'inside a longer run');
    assert.deepEqual(findPersonalData('11010519491231002X5'), [{ kind: 'bank_card', start: 0, end: 17 }], '17 digits');
    assert.deepEqual(findPersonalData('6222021234567890128X'), [], 'digits and X are not a card');
    assert.equal(masked('13812345678X先生'), '138****5678X先生');
  });

  test('old 15-digit IDs need a province and a real 19xx birth date', () => {
    assert.equal(masked('老身份证110105491231002'), '老身份证110105*****1002');
    assert.deepEqual(findPersonalData('110105491231002'), [{ kind: 'id_card', start: 0, end: 15 }]);
    assert.deepEqual(findPersonalData('110105491331002'), [], 'month 13');
    assert.deepEqual(findPersonalData('773012345678901'), [], 'a 15-digit tracking number');
  });
});

describe('bank card numbers', () => {
  test('16–19 digits passing Luhn keep the first 4 and last 4', () => {
    assert.equal(masked('卡号6222021234567890128'), '卡号6222***********0128');
    assert.equal(masked('6217001234567893'), '6217********7893');
    assert.equal(masked('622202123456789012'), '6222**********9012', '18 digits that are not an ID');
    assert.deepEqual(findPersonalData('卡号6217001234567893'), [{ kind: 'bank_card', start: 2, end: 18 }]);
  });

  test('grouped in fours or 6-13, with spaces, dashes or full-width digits', () => {
    assert.equal(masked('6222 0212 3456 7890 128'), '6222***********0128');
    assert.equal(masked('6217-0012-3456-7893'), '6217********7893');
    assert.equal(masked('622202 1234567890128'), '6222***********0128');
    assert.equal(masked('６２１７　００１２　３４５６　７８９３'), '6217********7893');
    assert.deepEqual(findPersonalData('卡 6222 0212 3456 7890 128 谢谢'), [{ kind: 'bank_card', start: 2, end: 25 }]);
  });

  test('a card number failing Luhn (one digit mistyped) is masked too; a longer run is not a card', () => {
    assert.equal(masked('卡号6222021234567890127'), '卡号6222***********0127');
    assert.deepEqual(findPersonalData('6217001234567894'), [{ kind: 'bank_card', start: 0, end: 16 }]);
    assert.equal(masked('6222 0212 3456 7890 1'), '6222*********8901');
    assert.deepEqual(findPersonalData('62220212345678901280'), [], '20 digits');
    assert.deepEqual(findPersonalData('订单号1234567890123456789012345'), [], 'a 25-digit order number');
    assert.deepEqual(findPersonalData('6222 0212 3456 7890 1'), [{ kind: 'bank_card', start: 0, end: 21 }]);
  });
});

describe('text that is not personal data', () => {
  test('dates, times, prices, years and tracking numbers are left alone', () => {
    for (const text of [
      '2026年1月15日 价格1380.00元',
      '2026-01-15 12:30 第2026号',
      '￥12,345,678.90',
      '快递单号SF1234567890123',
      '工单 20260115000123',
      '面积 120.5 平方米，3 室 2 厅',
    ]) {
      assert.deepEqual(maskPersonalData(text), { text, hits: [] }, text);
    }
  });

  test('empty text', () => {
    assert.deepEqual(maskPersonalData(''), { text: '', hits: [] });
  });
});

test('several kinds in one text are all found in order and masked exactly', () => {
  const text = '我叫张三，电话138 1234 5678，身份证11010519491231002X，卡号6217001234567893，办公室0571-88888888。';
  const hits: PersonalDataHit[] = findPersonalData(text);
  assert.deepEqual(
    hits.map((h) => [h.kind, text.slice(h.start, h.end)]),
    [
      ['phone', '138 1234 5678'],
      ['id_card', '11010519491231002X'],
      ['bank_card', '6217001234567893'],
      ['phone', '0571-88888888'],
    ],
  );
  assert.deepEqual(kinds(text), ['phone', 'id_card', 'bank_card', 'phone']);
  assert.deepEqual(maskPersonalData(text), {
    text: '我叫张三，电话138****5678，身份证110105********002X，卡号6217********7893，办公室0571-****8888。',
    hits,
  });
});
