// Every kind of source gives the same records.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { init, records, count } from '../src/node.js';
import { sampleRecords, concat } from './helpers.js';

const bytes = concat(sampleRecords());
let dir, file;

before(async () => {
  await init();
  dir = mkdtempSync(path.join(os.tmpdir(), 'marcato-web-'));
  file = path.join(dir, 'sample.mrc');
  writeFileSync(file, bytes);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
});

async function summary(source, opts) {
  const out = [];
  for await (const r of records(source, opts)) out.push(r.index + ':' + r.toMRK());
  return out;
}

function chunks(u8, n) {
  const out = [];
  for (let i = 0; i < u8.length; i += n) out.push(u8.slice(i, i + n));
  return out;
}

test('sources: path, URL, Readable, ReadableStream, Blob, File, bytes, iterables, Response', async () => {
  const want = await summary(bytes);
  assert.equal(want.length, 3);
  const sources = {
    path: file,
    fileURL: new URL('file://' + file),
    nodeReadable: createReadStream(file, { highWaterMark: 7 }),
    webReadableStream: Readable.toWeb(createReadStream(file, { highWaterMark: 5 })),
    constructedReadableStream: new ReadableStream({
      start(c) { for (const p of chunks(bytes, 11)) c.enqueue(p); c.close(); },
    }),
    blob: new Blob(chunks(bytes, 13)),
    file: new File([bytes], 'x.mrc'),
    uint8array: bytes,
    arrayBuffer: bytes.slice().buffer,
    buffer: Buffer.from(bytes),
    dataView: new DataView(bytes.slice().buffer),
    asyncIterable: (async function* () { for (const p of chunks(bytes, 17)) yield p; })(),
    iterable: chunks(bytes, 3),
    response: new Response(bytes),
  };
  for (const [name, src] of Object.entries(sources)) {
    assert.deepEqual(await summary(src), want, name);
  }
  assert.equal(await count(file), 3);
  assert.equal(await count(chunks(bytes, 1)), 3);
});

test('sources: wrong kinds are TypeErrors', async () => {
  await assert.rejects(summary(42), TypeError);
  await assert.rejects(summary(['not bytes']), TypeError);
  await assert.rejects(summary(createReadStream(file, { encoding: 'latin1' })), TypeError);
});

test('sources: the contents of a file passed as a path say so, without the whole text', async () => {
  const text = new TextDecoder('latin1').decode(bytes);
  await assert.rejects(summary(text), (e) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /looks like records: pass their bytes/);
    assert.ok(e.message.length < 300, `message of ${e.message.length} characters`);
    return true;
  });
  const mrk = '=LDR  00000nam a2200000 a 4500\n=245  10$aX\n';
  await assert.rejects(count(mrk), /looks like records/);
});

test('sources: a missing file rejects with the fs error', async () => {
  await assert.rejects(summary(path.join(dir, 'nope.mrc')), { code: 'ENOENT' });
});
