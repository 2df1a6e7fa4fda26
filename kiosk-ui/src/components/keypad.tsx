// An on-screen keypad for account and tracking numbers: big keys, the value read back in large
// digits, delete and clear. Letters only where the number may hold them.
import { useCommonText } from '../session/kiosk-context';

export interface KeypadProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly maxLength: number;
  readonly label: string;
  /** Extra keys besides 0-9 (e.g. "-" or "X"). */
  readonly extraKeys?: readonly string[];
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function Keypad({ value, onChange, maxLength, label, extraKeys = [] }: KeypadProps) {
  const t = useCommonText();
  const press = (key: string): void => {
    if (value.length < maxLength) onChange(value + key);
  };
  return (
    <div class="keypad-wrap">
      <output class="keypad-value" aria-live="polite" aria-label={label} data-keypad-value>
        {value === '' ? <span class="placeholder">{label}</span> : value}
      </output>
      <div class="keypad" role="group" aria-label={label}>
        {DIGITS.map((d) => (
          <button type="button" key={d} class="key" onClick={() => press(d)}>
            {d}
          </button>
        ))}
        {extraKeys.map((k) => (
          <button type="button" key={k} class="key" onClick={() => press(k)}>
            {k}
          </button>
        ))}
        <button type="button" class="key" onClick={() => press('0')}>
          0
        </button>
        <button type="button" class="key key-wide" onClick={() => onChange(value.slice(0, -1))}>
          {t('common.delete')}
        </button>
        <button type="button" class="key key-wide" onClick={() => onChange('')}>
          {t('common.clear')}
        </button>
      </div>
    </div>
  );
}
