import { INDICATORS as DECLARED } from '../core/indicators/declared.ts';

/**
 * The indicators as the report and the dashboard present them, derived from
 * their declarations (lib/indicators/declared.ts): a declared indicator is
 * shown without a change here.
 */
export interface Indicator {
  /** The code in the results framework: `4.8`. */
  code: string;
  /** The view the figures come from (the declaration's id). */
  view: string;
  title: { en: string; km: string };
  /** Broken down by case source (Primero / OSCaR) too. */
  bySource: boolean;
}

const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';
/** `4.11a` as Khmer writes it: Khmer digits, and `a` as the first consonant, `ក`. */
export const khmerCode = (code: string): string => code.replace(/[0-9]/g, (d) => KHMER_DIGITS[Number(d)]!).replace(/a/g, 'ក');

export const INDICATORS: readonly Indicator[] = DECLARED.map((i) => ({
  code: i.code,
  view: i.id,
  title: { en: `${i.code} ${i.name.en}`, km: `${khmerCode(i.code)} ${i.name.km}` },
  bySource: i.dimensions.includes('case_source'),
}));
