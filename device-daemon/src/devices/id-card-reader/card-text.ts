// The 256-byte text block of the card: UCS-2 little-endian fields at fixed offsets, laid out by
// the type character at byte 248: resident card (space), Hong Kong/Macau/Taiwan residence permit
// ('J'), permanent residence card for foreigners 2017 ('I') and 2023 ('Y').
import { err, ok, type Result } from '../../core/result';
import type { CardType } from '../../protocol';

export const TEXT_BLOCK_BYTES = 256;

export interface CardText {
  readonly type: CardType;
  /** Chinese name; for a 2017 foreigner card it may be empty. */
  readonly name: string;
  readonly englishName?: string;
  readonly sexCode: string;
  readonly nationCode?: string;
  readonly birth: string;
  readonly address?: string;
  readonly idNumber: string;
  readonly authority?: string;
  readonly authorityCode?: string;
  readonly validFrom: string;
  /** YYYYMMDD or 长期. */
  readonly validTo: string;
  readonly passNumber?: string;
  readonly issueCount?: string;
  readonly nationality?: string;
  readonly cardVersion?: string;
  readonly renewalCount?: string;
  readonly previousNumberLink?: string;
}

export type TextError = { readonly code: 'unknownCardType' | 'invalidCardData'; readonly message: string };

const strict = new TextDecoder('utf-16le', { fatal: true });

function raw(block: Uint8Array, offset: number, length: number, what: string): Result<string, TextError> {
  let text: string;
  try {
    text = strict.decode(block.subarray(offset, offset + length));
  } catch {
    return err({ code: 'invalidCardData', message: `${what} is not valid UTF-16` });
  }
  if (/[\u0001-\u001f\u007f]/u.test(text)) return err({ code: 'invalidCardData', message: `${what} holds control characters` });
  return ok(text);
}

/** Trailing spaces and NULs are padding; leading and inner spaces are data (foreign names). */
const trimPadding = (text: string): string => text.replace(/[\u0020\u0000]+$/u, '');

function padded(text: string, what: string): Result<string, TextError> {
  const trimmed = trimPadding(text);
  return trimmed.includes('\u0000') ? err({ code: 'invalidCardData', message: `${what} holds a NUL inside its text` }) : ok(trimmed);
}

type FieldName = Exclude<keyof CardText, 'type'>;
type Layout = readonly (readonly [FieldName, number, number])[];

const RESIDENT: Layout = [
  ['name', 0, 30], ['sexCode', 30, 2], ['nationCode', 32, 4], ['birth', 36, 16], ['address', 52, 70],
  ['idNumber', 122, 36], ['authority', 158, 30], ['validFrom', 188, 16], ['validTo', 204, 16],
];
const HMT: Layout = [
  ['name', 0, 30], ['sexCode', 30, 2], ['birth', 36, 16], ['address', 52, 70], ['idNumber', 122, 36],
  ['authority', 158, 30], ['validFrom', 188, 16], ['validTo', 204, 16], ['passNumber', 220, 18], ['issueCount', 238, 4],
];
const FOREIGN_2017: Layout = [
  ['englishName', 0, 120], ['sexCode', 120, 2], ['idNumber', 122, 30], ['nationality', 152, 6], ['name', 158, 30],
  ['validFrom', 188, 16], ['validTo', 204, 16], ['birth', 220, 16], ['cardVersion', 236, 4], ['authorityCode', 240, 8],
];
// The 2023 card's English name runs on from bytes 52-121 into 220-241; it is read whole below.
const FOREIGN_2023: Layout = [
  ['name', 0, 30], ['sexCode', 30, 2], ['renewalCount', 32, 4], ['birth', 36, 16],
  ['idNumber', 122, 36], ['validFrom', 188, 16], ['validTo', 204, 16], ['nationality', 242, 6], ['previousNumberLink', 250, 6],
];

function cardType(block: Uint8Array): Result<CardType, TextError> {
  const low = block[248] ?? 0;
  const high = block[249] ?? 0;
  if (high === 0 && (low === 0x20 || low === 0x00)) return ok('resident');
  if (high === 0 && low === 0x4a) return ok('hmtPermit');
  if (high === 0 && low === 0x49) return ok('foreignPermanent2017');
  if (high === 0 && low === 0x59) return ok('foreignPermanent2023');
  const shown = high === 0 && low >= 0x21 && low <= 0x7e ? `'${String.fromCharCode(low)}'` : `0x${high.toString(16).padStart(2, '0')}${low.toString(16).padStart(2, '0')}`;
  return err({ code: 'unknownCardType', message: `type character ${shown} at byte 248 is not a known card layout` });
}

const LAYOUTS: Record<CardType, Layout> = {
  resident: RESIDENT,
  hmtPermit: HMT,
  foreignPermanent2017: FOREIGN_2017,
  foreignPermanent2023: FOREIGN_2023,
};

export function decodeTextBlock(block: Uint8Array): Result<CardText, TextError> {
  if (block.length !== TEXT_BLOCK_BYTES) return err({ code: 'invalidCardData', message: `text block is ${block.length} bytes, not ${TEXT_BLOCK_BYTES}` });
  const type = cardType(block);
  if (!type.ok) return type;
  const fields = new Map<FieldName, string>();
  for (const [key, offset, length] of LAYOUTS[type.value]) {
    const value = raw(block, offset, length, key);
    if (!value.ok) return value;
    const text = padded(value.value, key);
    if (!text.ok) return text;
    fields.set(key, text.value);
  }
  if (type.value === 'foreignPermanent2023') {
    const first = raw(block, 52, 70, 'englishName');
    const rest = raw(block, 220, 22, 'englishName');
    if (!first.ok) return first;
    if (!rest.ok) return rest;
    const text = padded(first.value + rest.value, 'englishName');
    if (!text.ok) return text;
    fields.set('englishName', text.value);
  }
  const get = (key: FieldName): string => fields.get(key) ?? '';
  const optional = (key: FieldName): string | undefined => fields.get(key);
  return ok({
    type: type.value,
    name: get('name'),
    sexCode: get('sexCode'),
    birth: get('birth'),
    idNumber: get('idNumber'),
    validFrom: get('validFrom'),
    validTo: get('validTo'),
    ...defined({
      englishName: optional('englishName'),
      nationCode: optional('nationCode'),
      address: optional('address'),
      authority: optional('authority'),
      authorityCode: optional('authorityCode'),
      passNumber: optional('passNumber'),
      issueCount: optional('issueCount'),
      nationality: optional('nationality'),
      cardVersion: optional('cardVersion'),
      renewalCount: optional('renewalCount'),
      previousNumberLink: optional('previousNumberLink'),
    }),
  });
}

/** Drops undefined values, so that absent fields are absent rather than undefined. */
function defined<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  const out: { [K in keyof T]?: string } = {};
  for (const key of Object.keys(values) as (keyof T)[]) {
    const value = values[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
