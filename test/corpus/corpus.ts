/**
 * The bad-input corpus: every kind of broken export a district can send, generated into a scratch
 * folder at test time (large and binary cases are never committed). Each case says what must
 * happen: the file is refused with a message, or loaded with named rows quarantined, and the
 * warehouse keeps every row it had.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { sheetXml, workbookEntries, zip } from './zip.ts';
import { hostileCases } from './hostile.ts';

export type Outcome =
  /** `steward load` exits non-zero, prints the file with a reason, and writes nothing. */
  | { kind: 'refused'; message: RegExp }
  /** The command fails before any file is read (a bad option or mapping): non-zero, one clear line. */
  | { kind: 'error'; message: RegExp }
  /** Loaded: these rows quarantined with row, column and reason; the others loaded. */
  | { kind: 'quarantined'; table: string; loaded: number; quarantined: { row: number; column: string; reason: RegExp }[] }
  /** Not an error at all, but a trap for row counting: exactly these rows load. `{file}` in the SQL is the new file's id. */
  | { kind: 'loaded'; table: string; loaded: number; check?: { sql: string; expect: unknown[] } }
  /**
   * A command whose result is the warehouse's state (a restore, several files, a cut-off output):
   * it exits with `status` (default 0), its output matches `output`, the invariant holds, and the
   * check's SQL (`{before}`: the last file id before the command) returns `expect`.
   */
  | { kind: 'state'; status?: number; output?: RegExp; check?: { sql: string; expect: unknown[] } };

export interface CorpusCase {
  name: string;
  /** Export files, relative to the corpus folder (the first is the one the outcome names). */
  files: string[];
  /** Extra arguments to `steward load`; `{dir}` is replaced by the corpus folder. */
  args?: string[];
  /** The steward command, when it is not `load` (e.g. `history`); `files` then follow it. */
  command?: string;
  /** Commands run on the case's warehouse first, each a `steward` argument list ({dir} as above). */
  before?: string[][];
  /** The warehouse file's name (default case-N.duckdb). */
  db?: string;
  /** The reader of the command's output goes away after this many lines (`| head -N`). */
  readLines?: number;
  /** The command may write files of at most this many KB (ulimit -f): a disk that fills during the load. */
  fileSizeLimitKb?: number;
  /** Which parts of what was loaded before the command it may change (snapshot keys); by default none. */
  changes?: string[];
  /** For loaded and quarantined outcomes: the file whose ledger entry is checked (default: the first). */
  entry?: string;
  /** For loaded and quarantined outcomes: what the output must also say (a warning). */
  output?: RegExp;
  outcome: Outcome;
}

const HEADER = '车牌号,单位,车型,能源类型';
const ROWS = ['浙A100,拱墅区,轿车,纯电', '浙A101,拱墅区,中巴,柴油'];
const csv = (...lines: string[]) => lines.map((l) => l + '\n').join('');

/** A deterministic byte generator (xorshift32), so the garbage is the same on every run. */
function garbage(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

const BOMB_MB = 128;

export async function buildCorpus(dir: string): Promise<CorpusCase[]> {
  const put = (rel: string, content: string | Buffer) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return rel;
  };
  const cases: CorpusCase[] = [];
  const add = (c: CorpusCase) => cases.push(c);

  add({ name: 'empty file', files: [put('empty/vehicles/empty.csv', '')], outcome: { kind: 'refused', message: /empty\.csv: is empty/ } });
  add({ name: 'header only', files: [put('header-only/vehicles/header-only.csv', csv(HEADER))], outcome: { kind: 'refused', message: /header-only\.csv: .*no data rows/ } });
  // Cut inside a quoted field the file cannot be parsed and is refused; cut between fields, the cut
  // row is quarantined for what it lacks. Either way no row is dropped unnoticed.
  add({
    name: 'truncated CSV (inside a quoted field)',
    files: [put('truncated/vehicles/cut-quote.csv', csv(HEADER, ...ROWS) + '浙A102,拱墅区,"轿')],
    outcome: { kind: 'refused', message: /cut-quote\.csv: cannot be read as CSV: line 4: a quoted value is not closed \(the file may be cut short\)/ },
  });
  add({
    name: 'truncated CSV (inside a row)',
    files: [put('truncated/vehicles/cut-row.csv', csv(HEADER, ...ROWS) + '浙A102,拱墅')],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 2, quarantined: [{ row: 4, column: 'vehicle_class', reason: /车型 \(vehicle_class\) is empty/ }] },
  });
  add({ name: 'binary garbage named .csv', files: [put('binary/vehicles/garbage.csv', garbage(64 * 1024))], outcome: { kind: 'refused', message: /garbage\.csv: is not a text file/ } });
  add({
    name: 'GBK labelled UTF-8 (UTF-8 byte-order mark on GBK bytes)',
    files: [put('gbk-bom/vehicles/gbk-with-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(csv(HEADER, ...ROWS), 'gbk')]))],
    outcome: { kind: 'refused', message: /gbk-with-bom\.csv: .*byte-order mark.*not valid UTF-8.*line 1/ },
  });
  add({
    name: 'UTF-8 file with a GBK row pasted in (mixed encodings)',
    files: [put('mixed-encoding/vehicles/mixed.csv', Buffer.concat([Buffer.from(csv(HEADER, ROWS[0]), 'utf8'), iconv.encode(csv(ROWS[1]), 'gbk')]))],
    outcome: { kind: 'refused', message: /mixed\.csv: .*UTF-8.*line 3/ },
  });
  add({
    name: 'mixed line endings (CRLF, LF, CR)',
    files: [put('line-endings/vehicles/mixed-eol.csv', `${HEADER}\r\n${ROWS[0]}\n${ROWS[1]}\r浙A102,拱墅区,轿车,汽油\r\n`)],
    outcome: { kind: 'loaded', table: 'vehicles', loaded: 3, check: { sql: `select string_agg(vehicle_id || ':' || energy, ' ' order by _row) v from raw.vehicles where _file_id = {file}`, expect: [{ v: '浙A100:bev 浙A101:diesel 浙A102:gasoline' }] } },
  });
  add({
    name: 'header row repeated as data (two exports concatenated)',
    files: [put('dup-header/vehicles/twice.csv', csv(HEADER, ROWS[0], HEADER, ROWS[1]))],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 2, quarantined: [{ row: 3, column: 'unit', reason: /unknown unit "单位"/ }] },
  });
  add({
    name: 'the same column twice in the header',
    files: [put('dup-column/vehicles/dup-col.csv', csv(HEADER + ',车型', ROWS[0] + ',中巴'))],
    outcome: { kind: 'loaded', table: 'vehicles', loaded: 1, check: { sql: `select header from meta.extra_columns where file_id = {file}`, expect: [{ header: '车型 (second header for vehicle_class)' }] } },
  });
  add({
    name: '10 MB single field',
    files: [put('huge-field/vehicles/huge.csv', csv(HEADER, ROWS[0], `浙A101,拱墅区,"${'轿'.repeat(3_500_000)}",柴油`, '浙A102,拱墅区,轿车,汽油'))],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 2, quarantined: [{ row: 3, column: 'vehicle_class', reason: /vehicle_class "轿轿轿.*" is not one of/ }] },
  });
  add({ name: 'XLSX that is not a zip', files: [put('not-zip/vehicles/not-a-zip.xlsx', csv(HEADER, ...ROWS))], outcome: { kind: 'refused', message: /not-a-zip\.xlsx: is not an XLSX/ } });
  // A 10 MB cell of varied text (so it is not refused as a bomb) in an otherwise ordinary sheet.
  const noise = garbage(3_500_000 * 2, 11);
  const bigCell = Array.from({ length: 3_500_000 }, (_, i) => String.fromCharCode(0x4e00 + ((noise[2 * i] << 8) | noise[2 * i + 1]) % 0x5000)).join('');
  const bigSheet = await zip(workbookEntries(sheetXml([HEADER.split(','), ROWS[0].split(','), ['浙A101', '拱墅区', bigCell, '柴油'], ['浙A102', '拱墅区', '轿车', '汽油']])));
  add({
    name: `XLSX with a 10 MB cell (${(bigSheet.length / (1 << 20)).toFixed(0)} MB zipped)`,
    files: [put('huge-cell/vehicles/huge-cell.xlsx', bigSheet)],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 2, quarantined: [{ row: 3, column: 'vehicle_class', reason: /vehicle_class ".{60}" is not one of/ }] },
  });
  const mb = Buffer.alloc(1 << 20, 0x20);
  const bomb = await zip(workbookEntries(function* () {
    yield sheetXml([HEADER.split(','), ROWS[0].split(',')]).subarray(0, -'</sheetData></worksheet>'.length);
    for (let i = 0; i < BOMB_MB; i++) yield mb;
    yield Buffer.from('</sheetData></worksheet>');
  }));
  add({ name: `XLSX zip bomb (${(bomb.length / 1024).toFixed(0)} KB inflating to ${BOMB_MB} MB)`, files: [put('bomb/vehicles/bomb.xlsx', bomb)], outcome: { kind: 'refused', message: /bomb\.xlsx: .*(zip bomb|inflates)/ } });
  add({
    name: 'JSON that is an object, not an array',
    files: [put('json-object/vehicles/object.json', JSON.stringify({ data: [{ 车牌号: '浙A100', 单位: '拱墅区', 车型: '轿车', 能源类型: '纯电' }] }, null, 2))],
    outcome: { kind: 'refused', message: /object\.json: is JSON but not an array/ },
  });
  add({ name: 'JSON cut short', files: [put('json-cut/vehicles/cut.json', '[{"车牌号": "浙A100", "单位": "拱墅区", "车型": "轿')], outcome: { kind: 'refused', message: /cut\.json: is not valid JSON/ } });
  add({
    name: 'mapping named by a path outside the project (/etc/passwd)',
    files: [put('mapping-passwd/vehicles/a.csv', csv(HEADER, ROWS[0]))],
    args: ['--mapping', '../../../../../../../../etc/passwd'],
    outcome: { kind: 'error', message: /mapping .*etc\/passwd: expected a YAML mapping/ },
  });
  const mappingFile = (name: string, yaml: string) => put(`mappings/${name}.yaml`, yaml);
  add({
    name: 'mapping whose table climbs out of the project',
    files: [put('mapping-table/vehicles/a.csv', csv(HEADER, ROWS[0]))],
    args: ['--mapping', join('{dir}', mappingFile('climb', 'source: ../../../tmp/evil\ntable: ../../../etc/passwd\n'))],
    outcome: { kind: 'error', message: /climb\.yaml: table "\.\.\/\.\.\/\.\.\/etc\/passwd" is not one of/ },
  });
  add({
    name: 'mapping whose table is an Object property name (constructor)',
    files: [put('mapping-proto/vehicles/a.csv', csv(HEADER, ROWS[0]))],
    args: ['--mapping', join('{dir}', mappingFile('proto', 'table: constructor\n'))],
    outcome: { kind: 'error', message: /proto\.yaml: table "constructor" is not one of/ },
  });
  add({
    name: 'mapping that is not a file (/dev/zero)',
    files: [put('mapping-dev/vehicles/a.csv', csv(HEADER, ROWS[0]))],
    args: ['--mapping', '/dev/zero'],
    outcome: { kind: 'error', message: /mapping \/dev\/zero: .*not a regular file/ },
  });
  add({
    name: 'mapping with a YAML alias bomb',
    files: [put('mapping-aliases/vehicles/a.csv', csv(HEADER, ROWS[0]))],
    args: ['--mapping', join('{dir}', mappingFile('laughs', `table: vehicles\na: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`).join('\n')}\n`))],
    outcome: { kind: 'error', message: /laughs\.yaml: .*(alias|not valid YAML)/i },
  });
  add({ name: 'export path that is a device (/dev/zero)', files: ['/dev/zero'], outcome: { kind: 'refused', message: /\/dev\/zero: .*not a regular file/ } });
  add({
    name: 'folder named like an Object property (constructor/)',
    files: [put('proto-folder/constructor/a.csv', csv(HEADER, ROWS[0]))],
    outcome: { kind: 'loaded', table: 'vehicles', loaded: 1 },
  });
  add({
    name: 'file name carrying SQL, cells carrying SQL and HTML',
    files: [put(`sql-name/vehicles/x'); drop table raw.vehicles; --.csv`, csv(HEADER, `浙A100,GS'); drop table raw.vehicles; --,轿车,纯电`, `<script>alert(1)</script>,拱墅区,轿车,纯电`))],
    outcome: {
      kind: 'quarantined', table: 'vehicles', loaded: 1,
      quarantined: [{ row: 2, column: 'unit', reason: /unknown unit "GS'\); drop table raw\.vehicles; --"/ }],
    },
  });
  add({
    name: 'file name carrying HTML',
    files: [put('html-name/vehicles/<img src=x onerror=alert(1)>.csv', csv(HEADER, `浙A100,<b>拱墅区</b>,轿车,纯电`))],
    outcome: { kind: 'quarantined', table: 'vehicles', loaded: 0, quarantined: [{ row: 2, column: 'unit', reason: /unknown unit "<b>拱墅区<\/b>"/ }] },
  });
  for (const c of await hostileCases(dir, put)) add(c);
  return cases;
}
