import { useEffect, useState, type ChangeEvent } from 'react';
import { formatCount } from '../format';

/**
 * A whole number typed into a field: what is typed stays (“5” on the way to “50” never snaps to
 * anything), a value in [min, max] is passed on as it is typed, the field shows the value in use
 * again when it is left, and `problem` says what is wrong while the typed text is no such number.
 */
export function useWholeNumber({ value, min, max, onValue }: { value: number; min: number; max: number; onValue: (n: number) => void }): {
  input: { type: 'number'; min: number; max: number; value: string; 'aria-invalid': boolean; onChange: (e: ChangeEvent<HTMLInputElement>) => void; onBlur: () => void };
  problem?: string;
} {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const accepts = (typed: string) => /^\d+$/.test(typed) && Number(typed) >= min && Number(typed) <= max;
  const valid = accepts(draft);
  return {
    input: {
      type: 'number', min, max, value: draft, 'aria-invalid': !valid,
      onChange: (e) => {
        setDraft(e.target.value);
        if (accepts(e.target.value)) onValue(Number(e.target.value));
      },
      onBlur: () => setDraft(String(value)),
    },
    problem: valid ? undefined : `a whole number from ${formatCount(min)} to ${formatCount(max)} (still using ${formatCount(value)})`,
  };
}
