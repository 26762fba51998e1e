/**
 * The dashboard's CSV downloads open in a spreadsheet: no cell may run as a formula there, in
 * whatever form a spreadsheet would still take for one.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../src/components/csv.ts';

describe('CSV download cells', () => {
  it('neutralises a formula behind spaces or quote marks', () => {
    expect(csvCell(' =1+1')).toBe(`' =1+1`);
    expect(csvCell('" =1+1')).toBe(`"'"" =1+1"`);
    expect(csvCell("'=1+1")).toBe(`''=1+1`);
  });

  it('neutralises full-width formula signs, which spreadsheets fold to ASCII', () => {
    expect(csvCell('＝SUM(A1)')).toBe(`'＝SUM(A1)`);
    expect(csvCell('＋86')).toBe(`'＋86`);
    expect(csvCell('＠cmd')).toBe(`'＠cmd`);
    expect(csvCell('－1')).toBe(`'－1`);
  });

  it('quotes a cell holding a semicolon, so a semicolon-separated spreadsheet never splits it into a formula cell', () => {
    expect(csvCell('a;=1+1')).toBe('"a;=1+1"');
    expect(csvCell('a\t=1+1')).toBe('"a\t=1+1"');
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
  });

  it('leaves ordinary text and numbers as they are', () => {
    expect(csvCell('余杭区')).toBe('余杭区');
    expect(csvCell('a = b')).toBe('a = b');
    expect(csvCell(-2)).toBe('-2');
    expect(toCsv([{ a: 'x;=1' }])).toBe('\ufeffa\r\n"x;=1"\r\n');
  });
});
