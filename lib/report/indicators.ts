import type { IndicatorDeclaration } from '../core/indicators/indicator.ts';

/**
 * How the report and the dashboard present a declared indicator
 * (lib/core/indicators/declared.ts, the one list): a declared indicator is
 * shown without a change here. Its view is its id.
 */
const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';
/** `4.11a` as Khmer writes it: Khmer digits, and `a` as the first consonant, `ក`. */
export const khmerCode = (code: string): string => code.replace(/[0-9]/g, (d) => KHMER_DIGITS[Number(d)]!).replace(/a/g, 'ក');

export const indicatorTitle = (i: IndicatorDeclaration): { en: string; km: string } => ({
  en: `${i.code} ${i.name.en}`,
  km: `${khmerCode(i.code)} ${i.name.km}`,
});

/** Broken down by case source (Primero / OSCaR) too. */
export const bySource = (i: IndicatorDeclaration): boolean => i.dimensions.includes('case_source');
