// What a scanner's line says about its symbology: scanners configured to send AIM symbology
// identifiers prefix "]Q1" (QR), "]C0" (Code 128), "]E0" (EAN-13), "]E4" (EAN-8); without one, an
// EAN is recognised by its length and check digit, and anything else is of unknown symbology.
import type { Symbology } from '../../protocol';

export interface ScanText {
  readonly text: string;
  readonly symbology: Symbology | 'unknown';
}

function eanValid(digits: string): boolean {
  const body = digits.slice(0, -1);
  let sum = 0;
  // Weights 3 and 1 alternate from the digit next to the check digit.
  for (let i = 0; i < body.length; i += 1) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

export function identifyScan(line: string): ScanText {
  const aim = /^\](Q[0-6]|C[0-4]|E[0-4])/.exec(line);
  if (aim) {
    const text = line.slice(3);
    const id = aim[1]!;
    if (id.startsWith('Q')) return { text, symbology: 'qr' };
    if (id.startsWith('C')) return { text, symbology: 'code128' };
    return { text, symbology: id === 'E4' ? 'ean8' : 'ean13' };
  }
  if (/^\d{13}$/.test(line) && eanValid(line)) return { text: line, symbology: 'ean13' };
  if (/^\d{8}$/.test(line) && eanValid(line)) return { text: line, symbology: 'ean8' };
  return { text: line, symbology: 'unknown' };
}
