// A scripted card of the virtual SAM: synthetic people only. The schema validates config and ops
// requests; the encoder writes the 256-byte text block exactly as a card's chip holds it.
import { z } from 'zod';
import { CARD_TYPES, type CardType } from '../../protocol';
import { TEXT_BLOCK_BYTES } from './card-text';

const yyyymmdd = z.string().regex(/^\d{8}$/, 'YYYYMMDD');

export const simulatedCardSchema = z.strictObject({
  /** How tests and technicians name the card when placing it. */
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  type: z.enum(CARD_TYPES),
  name: z.string().max(15).default(''),
  englishName: z.string().max(60).optional(),
  sexCode: z.string().length(1),
  nationCode: z.string().length(2).optional(),
  birth: yyyymmdd,
  address: z.string().max(35).optional(),
  newAddress: z.string().max(35).optional(),
  idNumber: z.string().max(18),
  authority: z.string().max(15).optional(),
  authorityCode: z.string().max(4).optional(),
  validFrom: yyyymmdd,
  validTo: z.union([yyyymmdd, z.literal('长期')]),
  passNumber: z.string().max(9).optional(),
  issueCount: z.string().max(2).optional(),
  nationality: z.string().max(3).optional(),
  cardVersion: z.string().max(2).optional(),
  renewalCount: z.string().max(2).optional(),
  previousNumberLink: z.string().max(3).optional(),
  /** The chip carries fingerprint templates (answered to 30 10). */
  fingerprint: z.boolean().default(false),
  /** An image file the simulated photo decoder returns for this card. */
  photo: z.string().optional(),
});
export type SimulatedCard = z.infer<typeof simulatedCardSchema>;

const TYPE_CHAR: Record<CardType, number> = { resident: 0x20, hmtPermit: 0x4a, foreignPermanent2017: 0x49, foreignPermanent2023: 0x59 };

function put(block: Uint8Array, offset: number, length: number, text: string): void {
  for (let i = 0; i < length; i += 2) {
    block[offset + i] = 0x20;
    block[offset + i + 1] = 0x00;
  }
  const units = Math.min(text.length, length / 2);
  for (let i = 0; i < units; i += 1) {
    const code = text.charCodeAt(i);
    block[offset + i * 2] = code & 0xff;
    block[offset + i * 2 + 1] = code >> 8;
  }
}

export function encodeCardText(card: SimulatedCard): Uint8Array {
  const block = new Uint8Array(TEXT_BLOCK_BYTES);
  put(block, 0, TEXT_BLOCK_BYTES, '');
  const common = (): void => {
    put(block, 36, 16, card.birth);
    put(block, 188, 16, card.validFrom);
    put(block, 204, 16, card.validTo);
  };
  switch (card.type) {
    case 'resident':
      put(block, 0, 30, card.name);
      put(block, 30, 2, card.sexCode);
      put(block, 32, 4, card.nationCode ?? '');
      put(block, 52, 70, card.address ?? '');
      put(block, 122, 36, card.idNumber);
      put(block, 158, 30, card.authority ?? '');
      common();
      break;
    case 'hmtPermit':
      put(block, 0, 30, card.name);
      put(block, 30, 2, card.sexCode);
      put(block, 52, 70, card.address ?? '');
      put(block, 122, 36, card.idNumber);
      put(block, 158, 30, card.authority ?? '');
      put(block, 220, 18, card.passNumber ?? '');
      put(block, 238, 4, card.issueCount ?? '');
      common();
      break;
    case 'foreignPermanent2017':
      put(block, 0, 120, card.englishName ?? '');
      put(block, 120, 2, card.sexCode);
      put(block, 122, 30, card.idNumber);
      put(block, 152, 6, card.nationality ?? '');
      put(block, 158, 30, card.name);
      put(block, 188, 16, card.validFrom);
      put(block, 204, 16, card.validTo);
      put(block, 220, 16, card.birth);
      put(block, 236, 4, card.cardVersion ?? '');
      put(block, 240, 8, card.authorityCode ?? '');
      break;
    case 'foreignPermanent2023': {
      const english = card.englishName ?? '';
      put(block, 0, 30, card.name);
      put(block, 30, 2, card.sexCode);
      put(block, 32, 4, card.renewalCount ?? '');
      put(block, 52, 70, english.slice(0, 35));
      put(block, 122, 36, card.idNumber);
      put(block, 220, 22, english.slice(35));
      put(block, 242, 6, card.nationality ?? '');
      put(block, 250, 6, card.previousNumberLink ?? '');
      common();
      break;
    }
  }
  block[248] = TYPE_CHAR[card.type];
  block[249] = 0;
  return block;
}
