/**
 * Blank export templates for districts (data/templates/<table>.csv and .xlsx, Chinese headers and
 * an example row) and the contract page (docs/contract.md), all generated from contract.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { CONTRACT, UNIT_ALIASES, dateRule, isPublishable, type Column, type Table } from '../contract/contract.ts';

const DATE_RULE_TEXT = 'an event from January of the unit\'s first export year (ref.units) less `date_past_margin_years` to the load date plus `date_future_margin_days`; a register date from January of `date_register_earliest_year`; a term up to `date_term_max_years` after the load date (all in ref.thresholds)';

export const TEMPLATE_DIR = 'data/templates';
export const CONTRACT_PAGE = 'docs/contract.md';

/** The header a template uses: the first Chinese alias, which every loader accepts. */
export function templateHeader(c: Column): string {
  return c.aliases.find((a) => /[\u4e00-\u9fff]/.test(a)) ?? c.name;
}

const TYPE_ZH: Record<Column['type'], string> = {
  text: '文本', int: '整数', num: '数值', money: '金额(元)', date: '日期', datetime: '日期时间', date_or_datetime: '日期或日期时间', bool: '是/否',
};

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function templateCsv(t: Table): string {
  const header = t.columns.map((c) => csvCell(templateHeader(c))).join(',');
  const example = t.columns.map((c) => csvCell(c.example)).join(',');
  return `\uFEFF${header}\r\n${example}\r\n`;
}

/** Fixed metadata so the same contract always gives the same workbook content. */
const EPOCH = new Date(Date.UTC(2024, 0, 1));

export function templateWorkbook(t: Table): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Steward';
  wb.lastModifiedBy = 'Steward';
  wb.created = EPOCH;
  wb.modified = EPOCH;
  const ws = wb.addWorksheet(t.zh);
  ws.addRow(t.columns.map(templateHeader));
  ws.addRow(t.columns.map((c) => c.example));
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((col, i) => (col.width = Math.max(12, templateHeader(t.columns[i]).length * 2 + 4)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet('填写说明');
  help.addRow(['列名', '必填', '类型', '可用的其他列名', '可选值', 'Column', 'Description']);
  for (const c of t.columns) {
    help.addRow([templateHeader(c), c.required ? '是' : '否', TYPE_ZH[c.type], [c.name, ...c.aliases].filter((a) => a !== templateHeader(c)).join('; '),
      (c.values ?? []).map((v) => v.zh).join('、'), c.name, c.en]);
  }
  help.getRow(1).font = { bold: true };
  return wb;
}

export function contractMarkdown(): string {
  const lines: string[] = [
    '# The export contract',
    '',
    'Generated from `contract/contract.ts` by `steward templates`; do not edit by hand.',
    '',
    'One file holds one table, known from its folder (`data/inbox/<table>/…`) or from its header row.',
    'Headers are the canonical name or any accepted alias (case, spacing and full-width brackets',
    'ignored); a unit in brackets scales the values (`金额（万元）` × 10,000). Dates: `2024-03-05`,',
    '`2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305`, Excel dates and serial days; datetimes add',
    '`HH:MM[:SS]` in local time. Booleans: 是/否, Y/N, true/false, 1/0. Numbers: `1234.5`, `1,234.5`,',
    'full-width digits, `¥` or `元`; a thousands separator stands only between groups of three digits and',
    '`.` is the only decimal point, so `12,34`, `1,2,3,4` and `1.234,5` are quarantined with the cell text.',
    'A cell holding an Excel error (`#REF!`, `#N/A`, `#DIV/0!`, `#VALUE!`, …) is quarantined, in any column;',
    'an id is text, and an id in exponent form (`1.23457E+17`, rounded by Excel) is quarantined.',
    '',
    `The unit column is accepted in every table as ${['unit', ...UNIT_ALIASES.slice(1)].map((a) => `\`${a}\``).join(', ')}.`,
    '',
    `Plausible dates: ${DATE_RULE_TEXT}. A date outside its range is quarantined (\`implausible_date\`).`,
    '',
    'A quarantined row is shown on the data-quality page with its *published* columns only, masked for',
    'e-mail addresses, phone, ID and bank card numbers; names, free text and unknown columns never are.',
    '',
  ];
  for (const t of CONTRACT) {
    lines.push(`## ${t.name} — ${t.zh}`, '', `${t.en}. Key: ${t.key.map((k) => `\`${k}\``).join(' + ')}.` + (t.monthColumn ? ` Rows belong to a unit and the month of \`${t.monthColumn}\`; a file replaces a unit-month only as a re-export of it (that month is the file's main period and the file repeats most of the keys loaded for it) or with \`steward load --replace\`, otherwise it adds, and a key already loaded is quarantined as a duplicate.` : ' A later file with the same key replaces the earlier row.'), '');
    lines.push('| column | required | type | accepted headers | accepted values | published | description |', '|---|---|---|---|---|---|---|');
    for (const c of t.columns) {
      const values = (c.values ?? []).map((v) => `${v.zh} → \`${v.code}\``).join(', ');
      lines.push(`| \`${c.name}\` | ${c.required ? 'yes' : ''} | ${c.type} | ${c.aliases.join('; ')} | ${values} | ${isPublishable(c) ? 'yes' : ''} | ${c.en} |`);
    }
    for (const r of t.rules ?? []) {
      const limit = r.threshold ? ` ({limit}: \`${r.threshold}\` in ref.thresholds)` : '';
      lines.push('', `- Rule \`${r.id}\`: a row where \`${r.failsWhen}\` is quarantined (“${r.reason}”)${limit}.`);
    }
    const dated = t.columns.filter((c) => dateRule(t, c));
    if (dated.length) lines.push('', `- Rule \`implausible_date\`: ${dated.map((c) => `\`${c.name}\` (${dateRule(t, c)})`).join(', ')} outside the plausible range of its kind (see above) is quarantined.`);
    for (const r of t.references ?? []) lines.push('', `- \`${r.column}\` must name a \`${r.targetColumn}\` already loaded in \`${r.table}\`.`);
    lines.push('', `Templates: [${t.name}.csv](../data/templates/${t.name}.csv), [${t.name}.xlsx](../data/templates/${t.name}.xlsx).`, '');
  }
  return lines.join('\n');
}

export async function writeTemplates(dir = TEMPLATE_DIR, page = CONTRACT_PAGE): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const t of CONTRACT) {
    const csv = join(dir, `${t.name}.csv`);
    writeFileSync(csv, templateCsv(t), 'utf8');
    const xlsx = join(dir, `${t.name}.xlsx`);
    await templateWorkbook(t).xlsx.writeFile(xlsx);
    written.push(csv, xlsx);
  }
  writeFileSync(page, contractMarkdown(), 'utf8');
  written.push(page);
  return written;
}

export async function templatesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string', default: TEMPLATE_DIR }, page: { type: 'string', default: CONTRACT_PAGE } } });
  const written = await writeTemplates(values.out, values.page);
  console.log(`wrote ${written.length} files:\n  ${written.join('\n  ')}`);
  return 0;
}
