// Type-checked (never run) by test/types.test.js: the public API as a
// TypeScript user writes it, with the types each call must give.
import {
  init, records, batches, recordsSync, count, writer, sniffFormat, memoryStats,
  threadsSupported, threadsError, terminateThreads, MarcDecoderStream, MarcEncoderStream,
  Record, ControlField, DataField, MarcError, compileQuery, Query,
  validate, loadSchema, Schema, BUILTIN_SCHEMAS, type BuiltinSchema, type ValidateOptions,
  type InitInfo, type ReadOptions, type Field, type Diagnostic, type MarcWriter,
} from 'marcato';

const info: InitInfo = await init({ wasmBinary: new Uint8Array(0) });
const formats: string[] = info.formats;
const opts: ReadOptions = { format: 'iso2709', encoding: 'auto', nfc: false, strict: true, threads: 2, filter: '245$a~*jazz' };
const query: Query = compileQuery('LDR/06=a');
const filtered: ReadOptions = { filter: query, validate: true };
void filtered;
const holdings: Schema = loadSchema('holdings');
const partial: boolean = holdings.partial;
const names: readonly BuiltinSchema[] = BUILTIN_SCHEMAS;
const checked: ReadOptions = { validate: true, schema: holdings, rules: '-undefinedField' };
const vopts: ValidateOptions = { schema: { fields: {} } };
const noSchema: ValidateOptions = { schema: false };
void [partial, names, checked, vopts, noSchema];

for await (const rec of records(new Uint8Array(0), opts)) {
  const r: Record = rec;
  const leader: string = r.leader;
  for (const d of validate(r, { schema: 'bibliographic' })) {
    const where: [string, string | undefined, 1 | 2 | undefined, string | undefined] = [d.tag, d.subfield, d.indicator, d.label];
    void where;
  }
  const id: string | undefined = r.get('001')?.value; // a ControlField
  const title: string | undefined = r.get('245')?.subfield('a'); // a DataField
  const subjects: DataField[] = r.getAll('650');
  const any: Field | undefined = r.get('6XX');
  if (any && !any.isControl) any.subfields.map((s) => s.code + s.value);
  const controls: ControlField[] = r.getAll('008');
  const d: Diagnostic[] = r.diagnostics;
  const xml: string = r.toMARCXML(); // no `!` or `?.` needed
  const bytes: Uint8Array = r.toISO2709();
  const marc8: Uint8Array = r.toISO2709({ encoding: 'marc8' });
  void marc8;
  const hit: boolean = query.matches(r);
  void hit;
  void [leader, id, title, subjects, controls, d, xml, bytes, r.toMRK(), r.toJSON().fields, r.subfield('1XX', 'a')];
}
for await (const b of batches(new Blob([]), { batchSize: 16 })) { const n: number = b.length; void n; }
for (const r of recordsSync(new ArrayBuffer(0))) void r.index;
const n: Promise<number> = count('file.mrc');
const w: MarcWriter = writer('marcxml', { declaration: false });
const out: Uint8Array[] = [w.begin(), w.end()];
const f: 'iso2709' | 'marcxml' | 'json' | 'jsonl' | 'mrk' = sniffFormat(new Uint8Array(0));
const text: MarcWriter = writer('text');
const legacy: MarcWriter = writer('mrk', { encoding: 'marc8' });
const enc: 'utf8' | 'marc8' = legacy.encoding;
void [text, enc];
const stats = memoryStats({ threads: true });
const ok: boolean = threadsSupported();
terminateThreads();
void [formats, n, out, f, stats?.heapUsed, ok, threadsError()];
const decoded: ReadableStream<Record> = new Blob([]).stream().pipeThrough(new MarcDecoderStream(opts));
const encoded: ReadableStream<Uint8Array> = decoded.pipeThrough(new MarcEncoderStream('mrk'));
void encoded;
try { recordsSync(new Uint8Array(0), { strict: true }).next(); } catch (e) {
  if (e instanceof MarcError) { const where: [string, number, number, string, string] = [e.code, e.offset, e.record, e.tag, e.status]; void where; }
}
query.free();
void query.text;
// Editing and building records.
const built: Record = Record.create({ leader: '00000nam a2200000 i 4500', fields: [{ tag: '001', value: 'x' }] });
const built2: Record = new Record({ fields: [new DataField('245', '1', '0', [['a', 'T']])] });
built.leader = built2.leader;
const df: DataField = new DataField('650').addSubfield('a', 'Jazz').removeSubfield('x').removeSubfield(0);
const cf: ControlField = new ControlField('003', 'OCoLC');
cf.value = 'DLC';
df.ind1 = '1';
df.subfields = [{ code: 'a', value: 'Blues' }];
built.addField(df).insertField(0, cf).replaceField(0, { tag: '003', value: 'X' });
const gone: Field | undefined = built.removeField(0);
built.fields = [...built.fields, { tag: '500', subfields: [{ code: 'a', value: 'Note' }] }];
void gone;
