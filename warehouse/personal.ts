/**
 * Personal details never leave the warehouse for the published site: columns that name a person
 * are dropped, and anything in free text that looks like an e-mail address, a phone number or an
 * identity number is masked.
 */

/** Column names that identify a person, matched case-insensitively against the whole name. */
export const PERSONAL_COLUMN = /(driver|passenger_name|person|phone|mobile|tel(ephone)?$|e-?mail|id_?card|identity|contact|驾驶员|司机|姓名|联系人|电话|手机|邮箱|身份证)/i;

/** Values that look like a mainland mobile number, an e-mail address or a resident ID number. */
const PERSONAL_VALUE = /(\b1[3-9]\d{9}\b|[\w.+-]+@[\w-]+\.[\w.-]+|\b\d{17}[\dXx]\b)/g;

export function isPersonalColumn(name: string): boolean {
  return PERSONAL_COLUMN.test(name);
}

/** The text with every personal detail replaced by ***. */
export function maskPersonal(text: string): string {
  return text.replace(PERSONAL_VALUE, '***');
}
