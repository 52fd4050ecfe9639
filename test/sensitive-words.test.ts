import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSensitiveWords, SensitiveWords } from '../src/messages/sensitive-words.ts';
import { normaliseText } from '../src/messages/text-normalise.ts';

describe('normaliseText', () => {
  test('full-width → half-width, Traditional → Simplified, lower case', () => {
    assert.equal(normaliseText('ＡＢＣ１２３'), 'abc123');
    assert.equal(normaliseText('拆遷補償'), '拆迁补偿');
    assert.equal(normaliseText('臺灣 衞生 裏面'), '台湾 卫生 里面');
    assert.equal(normaliseText('Hello WORLD'), 'hello world');
    assert.equal(normaliseText('你好，世界！（一）　'), '你好,世界!(一) ');
    assert.equal(normaliseText(''), '');
  });

  test('phrases are converted in context', () => {
    assert.equal(normaliseText('乾燥'), '干燥');
    assert.equal(normaliseText('乾隆'), '乾隆');
    assert.equal(normaliseText('頭髮'), '头发');
  });

  test('CJK punctuation stays, and nothing changes the length', () => {
    assert.equal(normaliseText('。、「」《》'), '。、「」《》');
    for (const text of ['…㈠™𝟏İ', '二噁英', '😀拆遷ＡＢＣ', 'e\u0301', '⼈民', '\ud800x']) {
      assert.equal(normaliseText(text).length, text.length, text);
    }
    assert.equal(normaliseText('…㈠™'), '…㈠™', 'folds that would change the length are skipped');
    assert.equal(normaliseText('⼈民'), '人民', 'Kangxi radicals fold to ideographs');
  });
});

describe('SensitiveWords', () => {
  test('finds listed words with their positions in the original text', () => {
    const words = new SensitiveWords(['刷单', '办证']);
    const text = '招人刷单，另可办证';
    assert.deepEqual(words.find(text), [
      { word: '刷单', start: 2, end: 4 },
      { word: '办证', start: 7, end: 9 },
    ]);
    assert.deepEqual(words.find('一切正常'), []);
    assert.deepEqual(words.find(''), []);
  });

  test('Traditional, full-width and upper-case spellings match, at exact original positions', () => {
    const words = new SensitiveWords(['拆迁', 'abc']);
    const text = '關於拆遷的事，見ＡＢＣ公司和AbC';
    const hits = words.find(text);
    assert.deepEqual(hits, [
      { word: '拆迁', start: 2, end: 4 },
      { word: 'abc', start: 8, end: 11 },
      { word: 'abc', start: 14, end: 17 },
    ]);
    assert.deepEqual(
      hits.map((h) => text.slice(h.start, h.end)),
      ['拆遷', 'ＡＢＣ', 'AbC'],
    );
  });

  test('a word listed in Traditional or full-width also matches the plain form', () => {
    const words = new SensitiveWords(['代開發票', 'ＶＸ']);
    assert.deepEqual(words.find('代开发票加vx'), [
      { word: '代開發票', start: 0, end: 4 },
      { word: 'ＶＸ', start: 5, end: 7 },
    ]);
  });

  test('positions stay exact after characters outside the BMP', () => {
    const words = new SensitiveWords(['刷单']);
    const text = '😀𠮷刷單';
    assert.deepEqual(words.find(text), [{ word: '刷单', start: 4, end: 6 }]);
    assert.equal(text.slice(4, 6), '刷單');
  });

  test('overlapping and repeated words are all reported, by start and longest first', () => {
    const words = new SensitiveWords(['刷单', '兼职刷单', '单']);
    assert.deepEqual(words.find('兼职刷单刷单'), [
      { word: '兼职刷单', start: 0, end: 4 },
      { word: '刷单', start: 2, end: 4 },
      { word: '单', start: 3, end: 4 },
      { word: '刷单', start: 4, end: 6 },
      { word: '单', start: 5, end: 6 },
    ]);
  });

  test('words are normalised, trimmed and de-duplicated; blank ones are ignored', () => {
    const words = new SensitiveWords(['拆迁', '拆遷', ' 拆迁 ', 'ABC', 'ａｂｃ', '', '   ']);
    assert.equal(words.size, 2);
    assert.deepEqual(words.find('拆迁abc'), [
      { word: '拆迁', start: 0, end: 2 },
      { word: 'ABC', start: 2, end: 5 },
    ]);
    const none = new SensitiveWords([]);
    assert.equal(none.size, 0);
    assert.deepEqual(none.find('任何内容'), []);
  });
});

describe('loadSensitiveWords', () => {
  test('one word a line; comments, blank lines, BOM and CRLF handled; normalised and de-duplicated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuyan-words-'));
    const file = join(dir, 'words.txt');
    writeFileSync(
      file,
      '\uFEFF# 示例词表\r\n刷单\r\n\r\n  代開發票  \r\n# 注释: 刷单\r\n刷單\r\nＶＸ\r\nvx\r\n 　\r\n办证',
      'utf8',
    );
    const words = loadSensitiveWords(file);
    assert.deepEqual(words, ['刷单', '代开发票', 'vx', '办证']);
    const matcher = new SensitiveWords(words);
    assert.equal(matcher.size, 4);
    assert.deepEqual(
      matcher.find('加ＶＸ刷單').map((h) => h.word),
      ['vx', '刷单'],
    );
    rmSync(dir, { recursive: true });
  });

  test('the example list in seeds/ loads', () => {
    const words = loadSensitiveWords(new URL('../seeds/sensitive-words.txt', import.meta.url).pathname);
    assert.ok(words.length >= 10 && words.length <= 20, `${words.length} words`);
    assert.equal(new Set(words).size, words.length);
    assert.ok(words.includes('代开发票') && words.includes('刷单') && words.includes('办证'));
    assert.ok(words.every((w) => w === normaliseText(w) && !w.startsWith('#')));
  });

  test('a missing file throws', () => {
    assert.throws(() => loadSensitiveWords('/nonexistent/liuyan-words.txt'), /ENOENT/);
  });
});
