/**
 * The load's first pass checks UTF-8 chunk by chunk (1 MiB reads). Characters cut by a chunk
 * boundary must neither be taken for invalid bytes nor hide one, and a bad byte is located exactly.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../loaders/sources.ts';
import { scratch, type Scratch } from './helpers/warehouse.ts';

let s: Scratch | undefined;
afterEach(() => s?.dispose());

/** About 3 MiB of Chinese CSV lines: 1 MiB is not a multiple of 3, so boundaries cut characters. */
function chineseText(): Buffer {
  const line = '出车单号,余杭区,浙A·D12345,公务接待,2024年3月5日\n';
  return Buffer.from(line.repeat(Math.ceil((3 << 20) / Buffer.byteLength(line))), 'utf8');
}

describe('fingerprint', () => {
  it('takes text whose characters straddle every read boundary for UTF-8, and hashes it', async () => {
    s = scratch();
    const body = chineseText();
    expect((1 << 20) % 3).not.toBe(0);
    const path = s.file('trips.csv', body);
    const fp = await fingerprint(path);
    expect(fp.encoding).toBe('utf-8');
    expect(fp.bytes).toBe(body.length);
    expect(fp.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('names the byte where a GBK character was pasted in, just past a read boundary', async () => {
    s = scratch();
    const body = chineseText();
    // Just after the second boundary, in the middle of a line: GBK 余 (D3 E0) replacing three bytes.
    let at = (2 << 20) + 1;
    while ((body[at] & 0xc0) === 0x80) at++;
    const bad = Buffer.concat([body.subarray(0, at), Buffer.from([0xd3, 0xe0, 0x2c]), body.subarray(at + 3)]);
    const path = s.file('mixed.csv', bad);
    await expect(fingerprint(path)).rejects.toThrow(`(byte ${at + 1})`);
  });

  it('refuses a file cut in the middle of its last character', async () => {
    s = scratch();
    const body = chineseText();
    const cut = body.subarray(0, body.length - 2); // ends with the first byte of 日's 3
    const last = Buffer.from('\n余', 'utf8');
    const path = s.file('cut.csv', Buffer.concat([cut.subarray(0, cut.length - 1), last.subarray(0, 2)]));
    await expect(fingerprint(path)).rejects.toThrow(/is UTF-8 up to line \d+ \(byte \d+\)/);
  });
});
