/**
 * The personal-details detector and masker (warehouse/personal.ts): every form it must catch,
 * inside free text too, and how often it masks what is not personal (amounts, dates, years,
 * record ids), measured on generated values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findPersonal, isPersonalColumn, luhnValid, maskPersonal } from '../warehouse/personal.ts';
import { CONTRACT, isPublishable } from '../contract/contract.ts';

const kinds = (s: string) => findPersonal(s).map((m) => [m.kind, m.value]);

describe('finds every form of personal detail', () => {
  it.each([
    ['zhang.wei@example.cn', 'email'],
    ['li_na+buyer@gov.hz.zj.cn', 'email'],
    ['WANG@EXAMPLE.COM', 'email'],
    ['zhang＠example.cn', 'email'],
    ['+1 416-397-4141', 'phone'],
    ['+1 (416) 397-4141', 'phone'],
    ['+86 138 1234 5678', 'phone'],
    ['+86-571-8765-4321', 'phone'],
    ['0086 571 87654321', 'phone'],
    ['+44 20 7946 0958', 'phone'],
    ['416-397-4141', 'phone'],
    ['(416) 397-4141', 'phone'],
    ['416.397.4141', 'phone'],
    ['1-800-555-0199', 'phone'],
    ['0571-87654321', 'phone'],
    ['0571-8765-4321', 'phone'],
    ['(0571)87654321', 'phone'],
    ['（0571）87654321', 'phone'],
    ['010-12345678', 'phone'],
    ['0571-87654321-802', 'phone'],
    ['057187654321', 'phone'],
    ['13812345678', 'phone'],
    ['138 1234 5678', 'phone'],
    ['138-1234-5678', 'phone'],
    ['１３８１２３４５６７８', 'phone'],
    ['330106198001011234', 'id_number'],
    ['11010519491231002X', 'id_number'],
    ['11010519491231002x', 'id_number'],
    ['330106800101123', 'id_number'],
    ['6222021234567890123', 'bank_card'],
    ['6222 0212 3456 7890 123', 'bank_card'],
    ['4111 1111 1111 1111', 'bank_card'],
    ['4111-1111-1111-1111', 'bank_card'],
    ['5500000000000004', 'bank_card'],
  ])('%s is a %s', (value, kind) => {
    expect(kinds(value)).toEqual([[kind, value]]);
    expect(maskPersonal(value)).toBe('***');
  });

  it('masks them wherever they stand inside free text, Chinese or English', () => {
    const text = '采购人联系方式：张老师 0571-87654321，手机13812345678，邮箱 buyer@hz.gov.cn；Contact Jane at (416) 397-4141 or jane.doe@toronto.ca, card 6222 0212 3456 7890 123, ID 330106198001011234.';
    expect(maskPersonal(text)).toBe('采购人联系方式：张老师 ***，手机***，邮箱 ***；Contact Jane at *** or ***, card ***, ID ***.');
  });

  it('catches a number a label calls a phone, however short its form', () => {
    expect(maskPersonal('电话：8765 4321')).toBe('电话：***');
    expect(maskPersonal('Tel. 8765-4321 (office)')).toBe('Tel. *** (office)');
    expect(maskPersonal('fax: 397 4141')).toBe('fax: ***');
  });

  it('does not read a phone inside a longer number, or an ID as a phone', () => {
    expect(kinds('138123456789012')).toEqual([]);
    expect(kinds('330106198001011234')).toEqual([['id_number', '330106198001011234']]);
    expect(kinds('a13812345678')).toEqual([]);
  });

  it('checks a card by Luhn, and keeps UnionPay numbers that skip it', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(kinds('4111111111111112')).toEqual([]);
    expect(kinds('6200000000000000001')).toEqual([['bank_card', '6200000000000000001']]);
  });
});

describe('leaves what is not personal alone', () => {
  it.each([
    '1,234.56', '¥3,060.00', '$1,234.00', '3060万元', '45200', '12345678.90', '7.17', '-2,000', '1,234,567,890',
    '2024-03-05', '2024/3/5', '2024.3.5', '20240305', '2024年3月5日', '2024-03-05 08:30:00', '2024-03', '202403', '2024-03-05T08:30',
    '2024', '2021–2024', '2021-2024', 'FY2023',
    'ZJ-2024-000123', 'CG-YH-2024-0456', 'T-2024-0001', 'GWC-YH-2024-000123', 'HZCG-2024-12345', 'ZC-2019-004512', 'B-YH-001',
    '浙A·D12345', '浙A12345', '310000', '91330106MA2H2XXXX1', '08:30-11:45', '36.5 km', '98%', '1/3',
    'SEDAN SUBCOMPACT ELECTRIC', '区机关事务服务中心', 'ISBN 978-7-115-42802-8', '预算 120.5 万元，2024-03-01 至 2024-12-31',
  ])('%s', (value) => {
    expect(kinds(value)).toEqual([]);
    expect(maskPersonal(value)).toBe(value);
  });

  it('masks no generated amount, date, year or record id (measured on 4,200 values)', () => {
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 99_999_999_999 }).map((n) => n.toLocaleString('en-US')),
      fc.integer({ min: 0, max: 9_999_999_999 }).map((n) => (n / 100).toFixed(2)),
      fc.integer({ min: 0, max: 999_999_999 }).map((n) => `¥${n.toLocaleString('en-US')}.00`),
      fc.integer({ min: 0, max: 99_999 }).map((n) => `${(n / 100).toFixed(2)}万元`),
    );
    const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).chain((d) => {
      const [y, m, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
      const p = (n: number) => String(n).padStart(2, '0');
      return fc.constantFrom(`${y}-${p(m)}-${p(day)}`, `${y}/${m}/${day}`, `${y}${p(m)}${p(day)}`, `${y}年${m}月${day}日`, `${y}-${p(m)}-${p(day)} ${p(h)}:${p(mi)}:00`, `${y}-${p(m)}`, `${y}`);
    });
    const recordId = fc.tuple(fc.constantFrom('ZJ', 'CG-YH', 'T', 'HZCG', 'GWC-XH'), fc.integer({ min: 2015, max: 2030 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 3, max: 6 }))
      .map(([prefix, year, n, width]) => `${prefix}-${year}-${String(n).padStart(width, '0')}`);
    let masked = 0;
    const examples: string[] = [];
    for (const arb of [amount, date, recordId]) {
      for (const v of fc.sample(arb, { numRuns: 1400, seed: 18 })) {
        if (findPersonal(v).length) {
          masked++;
          if (examples.length < 5) examples.push(v);
        }
      }
    }
    expect({ masked, examples }).toEqual({ masked: 0, examples: [] });
  });

  it('takes an unseparated number as a landline only with 11 or 12 digits and a leading 0, which no amount has', () => {
    expect(maskPersonal('057187654321')).toBe('***');
    expect(maskPersonal('0571876543.21')).toBe('0571876543.21');
    expect(maskPersonal('120000000000')).toBe('120000000000');
  });

  it('knows its false positives: a Luhn-valid 16-digit order number and a date-shaped 18-digit id are masked', () => {
    // The price of catching every card and ID number: such ids are rare in exports.
    expect(maskPersonal('order 4000123412341234')).toBe('order ***');
    expect(maskPersonal('flow 110105202403051234')).toBe('flow ***');
  });
});

describe('what the site may show of a quarantined row', () => {
  it('drops columns that name a person, whatever a model or an export calls them', () => {
    for (const c of ['driver_id', '驾驶员姓名', 'contact_phone', 'E-mail', '身份证号']) expect(isPersonalColumn(c), c).toBe(true);
    for (const c of ['trip_id', 'unit_code', 'distance_km', 'agency']) expect(isPersonalColumn(c), c).toBe(false);
  });

  it('marks names, free text and anything naming a person as not publishable', () => {
    const publishable = (t: string, c: string) => isPublishable(CONTRACT.find((x) => x.name === t)!.columns.find((x) => x.name === c)!);
    for (const [t, c] of [['vehicle_trips', 'driver_id'], ['vehicle_trips', 'purpose'], ['vehicle_trips', 'agency'], ['procurement', 'supplier'], ['procurement', 'project_name'], ['meetings', 'name'], ['pool_transactions', 'to_agency']]) {
      expect(publishable(t, c), `${t}.${c}`).toBe(false);
    }
    for (const [t, c] of [['vehicle_trips', 'trip_id'], ['vehicle_trips', 'unit'], ['vehicle_trips', 'distance_km'], ['procurement', 'method'], ['procurement', 'budget_yuan'], ['energy_readings', 'period_start']]) {
      expect(publishable(t, c), `${t}.${c}`).toBe(true);
    }
  });
});
