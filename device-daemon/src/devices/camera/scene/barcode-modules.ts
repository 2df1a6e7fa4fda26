// Bar patterns for the simulated scene to hold up to a camera: EAN-13 (utility bills) and Code 128
// set B (slips). Modules are booleans, true for a bar, quiet zones included.
import { err, ok, type Result } from '../../../core/result';

const EAN_L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
const EAN_G = ['0100111', '0110011', '0011011', '0100001', '0011101', '0111001', '0000101', '0010001', '0001001', '0010111'];
const EAN_R = ['1110010', '1100110', '1101100', '1000010', '1011100', '1001110', '1010000', '1000100', '1001000', '1110100'];
/** Which of the left six digits use the G code, by the first digit. */
const EAN_PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

const bits = (pattern: string): boolean[] => [...pattern].map((c) => c === '1');

export function ean13CheckDigit(twelve: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function ean13Modules(digits: string): Result<boolean[], string> {
  if (!/^\d{12,13}$/.test(digits)) return err('EAN-13 takes 12 or 13 digits');
  const full = digits.length === 12 ? digits + String(ean13CheckDigit(digits)) : digits;
  if (Number(full[12]) !== ean13CheckDigit(full.slice(0, 12))) return err('EAN-13 check digit is wrong');
  const parity = EAN_PARITY[Number(full[0])]!;
  let pattern = '0'.repeat(11) + '101';
  for (let i = 1; i <= 6; i += 1) pattern += (parity[i - 1] === 'L' ? EAN_L : EAN_G)[Number(full[i])];
  pattern += '01010';
  for (let i = 7; i <= 12; i += 1) pattern += EAN_R[Number(full[i])];
  pattern += '101' + '0'.repeat(7);
  return ok(bits(pattern));
}

/** Code 128 symbol widths (bar, space, bar, space, bar, space), values 0-106. */
const CODE128 = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213', '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211', '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331', '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214', '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141', '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const START_B = 104;
const STOP = 106;

export function code128Modules(text: string): Result<boolean[], string> {
  if (text.length === 0 || text.length > 48 || !/^[\x20-\x7e]+$/.test(text)) return err('Code 128 set B takes 1 to 48 printable ASCII characters');
  const values = [START_B, ...[...text].map((c) => c.charCodeAt(0) - 32)];
  const check = values.reduce((sum, v, i) => sum + v * Math.max(1, i), 0) % 103;
  const modules: boolean[] = new Array<boolean>(10).fill(false);
  for (const value of [...values, check, STOP]) {
    const widths = CODE128[value]!;
    for (let i = 0; i < widths.length; i += 1) for (let k = 0; k < Number(widths[i]); k += 1) modules.push(i % 2 === 0);
  }
  modules.push(...new Array<boolean>(10).fill(false));
  return ok(modules);
}
