// Fuzz target of the card's text block and what is checked on it (GB 11643 numbers, dates, sex
// and nation codes): every block gives a Result, every decoded card a validation, never a throw.
import { bytesFrom, expectThat, int, mutateBytes, pick, randomString, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { decodeTextBlock, TEXT_BLOCK_BYTES } from './card-text';
import { realDate, validateCard } from './card-validation';
import { birthDigits, gb11643CheckChar, gb11643Valid, sexDigitMatches } from './id-number';
import { encodeCardText } from './simulated-card';
import { TEST_CARDS } from './test-cards';

const SAMPLES = TEST_CARDS.map(encodeCardText);
const PHOTO = Uint8Array.from({ length: 1024 }, (_, i) => [0x57, 0x4c, 0x66][i] ?? i & 0xff);
const CHECKS = new Set(['pass', 'fail', 'notApplicable']);

export interface CardTextInput {
  readonly block: Uint8Array;
  /** A sample left intact: it must decode. */
  readonly intact: boolean;
  readonly today: string;
  readonly number: string;
  readonly sexCode: string;
}

/** Mostly plausible UCS-2 text (digits, Latin, CJK) under a known type character, a few bytes changed. */
function plausibleBlock(random: Random): Uint8Array {
  const block = new Uint8Array(TEXT_BLOCK_BYTES);
  for (let j = 0; j < TEXT_BLOCK_BYTES; j += 2) {
    const r = random();
    const unit = r < 0.4 ? 0x30 + int(random, 10) : r < 0.7 ? 0x20 + int(random, 0x5f) : 0x4e00 + int(random, 0x51a5);
    block[j] = unit & 0xff;
    block[j + 1] = unit >> 8;
  }
  block[248] = pick(random, [0x20, 0x4a, 0x49, 0x59]);
  block[249] = 0;
  const edits = int(random, 4);
  for (let e = 0; e < edits; e += 1) block[int(random, TEXT_BLOCK_BYTES)] = int(random, 256);
  return block;
}

function generate(random: Random): CardTextInput {
  const r = random();
  let block: Uint8Array;
  let intact = false;
  if (r < 0.1) {
    block = pick(random, SAMPLES).slice();
    intact = true;
  } else if (r < 0.4) block = plausibleBlock(random);
  else if (r < 0.8) {
    // Same length, so that the layout is reached: edits that keep 256 bytes.
    block = pick(random, SAMPLES).slice();
    const edits = 1 + int(random, 6);
    for (let e = 0; e < edits; e += 1) block[int(random, TEXT_BLOCK_BYTES)] = int(random, 256);
  } else if (r < 0.9) block = mutateBytes(random, pick(random, SAMPLES));
  else block = bytesFrom(random, SAMPLES, 300);
  const number = random() < 0.5 ? pick(random, TEST_CARDS).idNumber.slice(0, int(random, 19)) + randomString(random, 3) : randomString(random, 20);
  return { block, intact, today: pick(random, ['2026-11-22', '1970-01-01', '9999-12-31', '']), number, sexCode: pick(random, ['1', '2', '9', '', 'X']) };
}

function check(input: CardTextInput): void {
  const text = decodeTextBlock(input.block);
  if (input.intact) expectThat(text.ok, 'an intact sample block did not decode');
  if (!text.ok) {
    expectThat(['unknownCardType', 'invalidCardData'].includes(text.error.code) && text.error.message.length > 0, 'error not well formed');
  } else {
    const validated = validateCard(text.value, PHOTO, input.today);
    expectThat(Object.values(validated.checks).every((c) => CHECKS.has(c)), 'a check result outside pass/fail/notApplicable');
    expectThat(typeof validated.expired === 'boolean' && Array.isArray(validated.problems), 'validation not well formed');
    expectThat(validated.record.idNumber === text.value.idNumber, 'record lost the number');
  }
  for (const number of [input.number, text.ok ? text.value.idNumber : '']) {
    expectThat(typeof gb11643Valid(number) === 'boolean', 'gb11643Valid not boolean');
    expectThat(gb11643CheckChar(number.padEnd(17, '0')).length === 1, 'check char not one character');
    const birth = birthDigits(number);
    const date = realDate(birth);
    expectThat(date === undefined || /^\d{4}-\d{2}-\d{2}$/.test(date), `realDate gave ${date}`);
    const sex = sexDigitMatches(number, input.sexCode);
    expectThat(sex === undefined || typeof sex === 'boolean', 'sexDigitMatches not boolean or undefined');
  }
}

export const cardTextTarget: FuzzTarget<CardTextInput> = {
  name: 'card-text',
  generate,
  check,
  show: (input) => JSON.stringify({ today: input.today, number: input.number, sexCode: input.sexCode, hex: toHex(input.block) }),
};
