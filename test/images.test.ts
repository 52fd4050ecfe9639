import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp, { type Metadata } from 'sharp';
import { AttachmentKeyError, AttachmentStore, isAttachmentKey } from '../src/attachments/attachment-store.ts';
import {
  IMAGE_MAX_BYTES,
  IMAGE_MAX_PIXELS,
  IMAGE_TYPES,
  cleanImage,
  type CleanImage,
  type ImageProblem,
} from '../src/attachments/images.ts';

const RED = { r: 220, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 220 };

const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: channels === 4 ? { ...RED, alpha: 0.5 } : RED } });

const EXIF = {
  IFD0: { Make: 'LiuyanTestCam', Model: 'Model-X', Copyright: 'Citizen Zhang' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 27/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 0/1' },
};
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>SecretAuthor</dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';

// CRC-32 for hand-made PNG chunks (zlib.crc32 only exists from Node 22).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data: Buffer) => {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** Inserts a tEXt comment chunk right after the IHDR chunk of a PNG. */
function withPngComment(png: Buffer, keyword: string, text: string): Buffer {
  const body = Buffer.concat([
    Buffer.from('tEXt'),
    Buffer.from(keyword, 'latin1'),
    Buffer.from([0]),
    Buffer.from(text),
  ]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const ihdrEnd = 8 + 4 + 4 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

/** Rewrites the dimensions in a JPEG's SOF header: a tiny file that claims a huge canvas. */
function withJpegDimensions(jpeg: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(jpeg);
  for (let i = 2; i < copy.length - 9;) {
    assert.equal(copy[i], 0xff, 'JPEG marker expected');
    const marker = copy[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      copy.writeUInt16BE(height, i + 5);
      copy.writeUInt16BE(width, i + 7);
      return copy;
    }
    i += 2 + copy.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker');
}

async function clean(input: Buffer): Promise<CleanImage> {
  const result = await cleanImage(input);
  assert.ok(result.ok, `expected the image to be accepted, got ${JSON.stringify(result)}`);
  return result.image;
}

async function refused(input: Buffer, problem: ImageProblem, message: RegExp) {
  const result = await cleanImage(input);
  assert.equal(result.ok, false, 'expected the file to be refused');
  if (!result.ok) {
    assert.equal(result.problem, problem);
    assert.match(result.message, message);
  }
}

function assertNoMetadata(meta: Metadata) {
  assert.equal(meta.exif, undefined, 'EXIF must be gone');
  assert.equal(meta.xmp, undefined, 'XMP must be gone');
  assert.equal(meta.icc, undefined, 'ICC profile must be gone');
  assert.equal(meta.iptc, undefined, 'IPTC must be gone');
  assert.equal(meta.orientation, undefined, 'orientation tag must be gone');
  assert.equal(meta.comments, undefined, 'comments must be gone');
}

describe('cleanImage', () => {
  test('JPEG, PNG and WebP pass with the type read from the content and their dimensions', async () => {
    const cases: [Buffer, (typeof IMAGE_TYPES)[number], number, number][] = [
      [await solid(64, 48).jpeg().toBuffer(), 'image/jpeg', 64, 48],
      [await solid(33, 17, 4).png().toBuffer(), 'image/png', 33, 17],
      [await solid(20, 30, 4).webp().toBuffer(), 'image/webp', 20, 30],
      [await solid(20, 30).webp({ lossless: true }).toBuffer(), 'image/webp', 20, 30],
    ];
    for (const [input, type, width, height] of cases) {
      const image = await clean(input);
      assert.ok(IMAGE_TYPES.includes(image.type));
      assert.equal(image.type, type);
      assert.equal(image.width, width);
      assert.equal(image.height, height);
      assert.equal(image.bytes, image.data.length);
      assert.equal(image.sha256, createHash('sha256').update(image.data).digest('hex'));
      const meta = await sharp(image.data).metadata();
      assert.equal(meta.mediaType, type, 're-encoded in the same format');
      assert.equal(meta.width, width);
      assert.equal(meta.height, height);
    }
    const png = await clean(await solid(8, 8, 4).png().toBuffer());
    assert.equal((await sharp(png.data).metadata()).hasAlpha, true, 'transparency survives');
  });

  test('EXIF with GPS position, XMP and ICC profile are stripped from a JPEG', async () => {
    const input = await solid(64, 48).jpeg().withExif(EXIF).withXmp(XMP).withIccProfile('p3').toBuffer();
    const before = await sharp(input).metadata();
    const exifBytes = before.exif;
    assert.ok(exifBytes, 'the fixture carries EXIF');
    assert.ok(exifBytes.includes('LiuyanTestCam'));
    assert.ok(
      exifBytes.includes(Buffer.from([0x25, 0x88])) || exifBytes.includes(Buffer.from([0x88, 0x25])),
      'the fixture carries a GPS IFD (tag 0x8825)',
    );
    assert.ok(before.xmp && before.icc, 'the fixture carries XMP and an ICC profile');
    assert.ok(input.includes('SecretAuthor'));

    const image = await clean(input);
    assertNoMetadata(await sharp(image.data).metadata());
    for (const secret of ['LiuyanTestCam', 'Citizen Zhang', 'SecretAuthor', 'Exif\0\0', 'http://ns.adobe.com/xap']) {
      assert.ok(!image.data.includes(secret), `${JSON.stringify(secret)} must not survive`);
    }
  });

  test('metadata is stripped from PNG (EXIF, text comments) and WebP (EXIF, XMP) too', async () => {
    const png = withPngComment(
      await solid(16, 16).png().withExif(EXIF).toBuffer(),
      'Comment',
      'GPS 39.9075,116.3972 home',
    );
    const pngBefore = await sharp(png).metadata();
    assert.ok(pngBefore.exif && pngBefore.comments?.some((c) => c.text.includes('home')), 'PNG fixture metadata');
    const cleanPng = await clean(png);
    assertNoMetadata(await sharp(cleanPng.data).metadata());
    assert.ok(!cleanPng.data.includes('LiuyanTestCam') && !cleanPng.data.includes('home'));

    const webp = await solid(16, 16).webp().withExif(EXIF).withXmp(XMP).toBuffer();
    const webpBefore = await sharp(webp).metadata();
    assert.ok(webpBefore.exif && webpBefore.xmp, 'WebP fixture metadata');
    const cleanWebp = await clean(webp);
    assertNoMetadata(await sharp(cleanWebp.data).metadata());
    assert.ok(!cleanWebp.data.includes('LiuyanTestCam') && !cleanWebp.data.includes('SecretAuthor'));
  });

  test('the EXIF orientation is applied: orientation 6 comes back turned, with no tag', async () => {
    // Left half red, right half blue; orientation 6 means "turn 90° clockwise to display".
    const input = await sharp({ create: { width: 60, height: 40, channels: 3, background: BLUE } })
      .composite([{ input: { create: { width: 30, height: 40, channels: 3, background: RED } }, left: 0, top: 0 }])
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(input).metadata();
    assert.equal(before.orientation, 6);
    assert.deepEqual([before.width, before.height], [60, 40]);

    const image = await clean(input);
    assert.deepEqual([image.width, image.height], [40, 60]);
    const meta = await sharp(image.data).metadata();
    assert.deepEqual([meta.width, meta.height], [40, 60]);
    assert.equal(meta.orientation, undefined);

    const { data, info } = await sharp(image.data).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels).subarray(0, 3)];
    const [topR, , topB] = pixel(20, 5);
    const [bottomR, , bottomB] = pixel(20, 55);
    assert.ok(topR! > 150 && topB! < 80, `top should be red, got ${pixel(20, 5)}`);
    assert.ok(bottomB! > 150 && bottomR! < 80, `bottom should be blue, got ${pixel(20, 55)}`);
  });

  test('GIF, SVG and other image formats are refused by type, whatever the file was called', async () => {
    const notAllowed = /^只能上传 JPEG、PNG 或 WebP 图片$/;
    await refused(await solid(10, 10).gif().toBuffer(), 'TYPE_NOT_ALLOWED', notAllowed);
    await refused(await solid(10, 10).tiff().toBuffer(), 'TYPE_NOT_ALLOWED', notAllowed);
    await refused(await solid(10, 10).avif().toBuffer(), 'TYPE_NOT_ALLOWED', notAllowed);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    await refused(Buffer.from(svg), 'TYPE_NOT_ALLOWED', notAllowed);
    await refused(
      Buffer.from(`\uFEFF<?xml version="1.0"?>\n<!-- drawing -->\n<!DOCTYPE svg>\n${svg}`),
      'TYPE_NOT_ALLOWED',
      notAllowed,
    );
  });

  test('random bytes, PDF, text and broken files are not images', async () => {
    const notImage = /^文件不是有效的图片$/;
    const random = randomBytes(4096);
    random[0] = 0x13; // make sure the noise does not start with a real magic number by chance
    random[1] = 0x37;
    await refused(random, 'NOT_AN_IMAGE', notImage);
    await refused(Buffer.alloc(0), 'NOT_AN_IMAGE', notImage);
    await refused(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'), 'NOT_AN_IMAGE', notImage);
    await refused(Buffer.from('这不是图片，只是一段文字。\n'), 'NOT_AN_IMAGE', notImage);
    await refused(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), random]), 'NOT_AN_IMAGE', notImage);
    await refused(
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), random]),
      'NOT_AN_IMAGE',
      notImage,
    );
    await refused(Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), random]), 'NOT_AN_IMAGE', notImage);
  });

  test('files over 5 MB are refused before any decoding', async () => {
    const noise = await sharp({
      create: {
        width: 1600,
        height: 1600,
        channels: 3,
        background: RED,
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    assert.ok(noise.length > IMAGE_MAX_BYTES, `noise PNG is ${noise.length} bytes`);
    await refused(noise, 'TOO_LARGE', /^图片不能超过 5 MB$/);
    // Only a PNG signature and zeros: a decoder would call it broken, the size check answers first.
    const padded = Buffer.alloc(IMAGE_MAX_BYTES + 1);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(padded);
    await refused(padded, 'TOO_LARGE', /5 MB/);
  });

  test('a small file claiming more than 40 megapixels is refused (decompression bomb)', async () => {
    const small = await solid(16, 16).jpeg().toBuffer();
    const bomb = withJpegDimensions(small, 60_000, 60_000);
    assert.ok(bomb.length < 10_000);
    assert.deepEqual(
      await sharp(bomb, { limitInputPixels: false })
        .metadata()
        .then((m) => [m.width, m.height]),
      [60_000, 60_000],
    );
    await refused(bomb, 'TOO_MANY_PIXELS', /4000 万像素/);
    const justOver = withJpegDimensions(small, 8000, 5001);
    assert.ok(8000 * 5001 > IMAGE_MAX_PIXELS);
    await refused(justOver, 'TOO_MANY_PIXELS', /像素/);
  });
});

describe('AttachmentStore', () => {
  const root = mkdtempSync(join(tmpdir(), 'liuyan-attachments-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const listFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .sort();

  test('writes under ab/cd/<sha256>.<ext>, reads back byte-identical, de-duplicates', async () => {
    const store = new AttachmentStore(root);
    const jpeg = await clean(await solid(40, 30).jpeg().withExif(EXIF).toBuffer());
    const png = await clean(await solid(40, 30, 4).png().toBuffer());

    const { key } = await store.save(jpeg);
    assert.equal(key, `${jpeg.sha256}.jpg`);
    assert.ok(isAttachmentKey(key));
    assert.deepEqual(listFiles(root), [join(jpeg.sha256.slice(0, 2), jpeg.sha256.slice(2, 4), key)]);
    const back = await store.read(key);
    assert.ok(back);
    assert.ok(back.equals(jpeg.data), 'byte-identical');

    assert.deepEqual(await store.save(jpeg), { key }, 'same content, same key');
    const again = await Promise.all(
      Array.from({ length: 5 }, () => store.save({ ...jpeg, data: Buffer.from(jpeg.data) })),
    );
    assert.ok(again.every((r) => r.key === key));
    assert.equal(listFiles(root).length, 1, 'stored once');

    const { key: pngKey } = await store.save(png);
    assert.equal(pngKey, `${png.sha256}.png`);
    assert.ok((await store.read(pngKey))?.equals(png.data));
    assert.equal(listFiles(root).length, 2);

    assert.equal(await store.read(`${'0'.repeat(64)}.jpg`), null, 'missing key');
    assert.equal(await store.read(`${jpeg.sha256}.png`), null, 'same hash, other type');

    await store.delete(key);
    assert.equal(await store.read(key), null);
    await store.delete(key); // deleting again is fine
    assert.deepEqual(listFiles(root), [join(png.sha256.slice(0, 2), png.sha256.slice(2, 4), pngKey)]);
  });

  test('leaves no temporary files behind', async () => {
    const store = new AttachmentStore(root);
    const images = await Promise.all(
      [1, 2, 3].map(async (n) =>
        clean(
          await solid(10 + n, 10)
            .webp()
            .toBuffer(),
        ),
      ),
    );
    await Promise.all([...images, ...images].map((image) => store.save(image)));
    for (const file of listFiles(root)) {
      const name = file.split(/[\\/]/).pop()!;
      assert.ok(isAttachmentKey(name), `unexpected file ${file}`);
      assert.ok(!name.startsWith('.') && !name.endsWith('.tmp'));
    }
  });

  test('rejects malformed keys, so no path can leave the root', async () => {
    const store = new AttachmentStore(root);
    const sha = 'ab'.repeat(32);
    const bad = [
      '',
      '../../../etc/passwd',
      `../${sha}.jpg`,
      `${sha}.jpg/../../x`,
      `ab/cd/${sha}.jpg`,
      `${sha.toUpperCase()}.jpg`,
      `${sha}.gif`,
      `${sha}.JPG`,
      `${sha}.jpg\0`,
      `${sha}.jpg\n`,
      sha,
      `${sha.slice(1)}.jpg`,
      `${sha}0.jpg`,
    ];
    for (const key of bad) {
      assert.equal(isAttachmentKey(key), false, JSON.stringify(key));
      await assert.rejects(store.read(key), AttachmentKeyError, JSON.stringify(key));
      await assert.rejects(store.delete(key), AttachmentKeyError, JSON.stringify(key));
    }
    const image = await clean(await solid(5, 5).png().toBuffer());
    await assert.rejects(store.save({ ...image, sha256: '../evil' }), AttachmentKeyError);
    await assert.rejects(store.save({ ...image, sha256: 'f'.repeat(64) }), /does not match/);
  });
});
