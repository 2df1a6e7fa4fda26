// A card as the daemon keeps it after a read: normalised dates, names of codes, and the checks.
import type { CardChecks, CardType } from '../../protocol';

export interface CardRecord {
  readonly type: CardType;
  readonly name: string;
  readonly englishName?: string;
  readonly sex: string;
  readonly sexCode: string;
  readonly nation?: string;
  readonly nationCode?: string;
  /** YYYY-MM-DD (the raw field when it is not a real date). */
  readonly birthDate: string;
  readonly address?: string;
  readonly newAddress?: string;
  readonly idNumber: string;
  readonly authority?: string;
  readonly authorityCode?: string;
  readonly validFrom: string;
  /** YYYY-MM-DD or 长期. */
  readonly validTo: string;
  readonly passNumber?: string;
  readonly issueCount?: string;
  readonly nationality?: string;
  readonly cardVersion?: string;
  readonly renewalCount?: string;
  readonly previousNumberLink?: string;
}

export interface ValidatedCard {
  readonly record: CardRecord;
  readonly checks: CardChecks;
  readonly expired: boolean;
  /** Failed checks that make the data unusable, in words; empty when the card is sound. */
  readonly problems: readonly string[];
}
