/**
 * exceljs zips with JSZip, which stamps every entry with the current time. The sample must be
 * byte-identical run to run, so the DOS date and time of every local header and central-directory
 * entry are set to one fixed instant (CRCs cover contents only, so the archive stays valid).
 */
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;

/** 2024-12-31 00:00 in MS-DOS format. */
const DOS_DATE = ((2024 - 1980) << 9) | (12 << 5) | 31;
const DOS_TIME = 0;

export function fixZipTimestamps(buf: Buffer): Buffer {
  let i = 0;
  while (i + 46 <= buf.length) {
    const sig = buf.readUInt32LE(i);
    if (sig === LOCAL) {
      buf.writeUInt16LE(DOS_TIME, i + 10);
      buf.writeUInt16LE(DOS_DATE, i + 12);
      const compressed = buf.readUInt32LE(i + 18);
      const nameLen = buf.readUInt16LE(i + 26);
      const extraLen = buf.readUInt16LE(i + 28);
      const flags = buf.readUInt16LE(i + 6);
      if (flags & 0x08) throw new Error('sample: zip entries with data descriptors are not expected from exceljs');
      i += 30 + nameLen + extraLen + compressed;
    } else if (sig === CENTRAL) {
      buf.writeUInt16LE(DOS_TIME, i + 12);
      buf.writeUInt16LE(DOS_DATE, i + 14);
      i += 46 + buf.readUInt16LE(i + 28) + buf.readUInt16LE(i + 30) + buf.readUInt16LE(i + 32);
    } else break;
  }
  return buf;
}
