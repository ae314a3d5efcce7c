/**
 * Plural forms by CLDR's rules (Intl.PluralRules), so "1 day / 2 days", "1 dzień / 2 dni / 5 dni" and
 * "1 Tag / 2 Tage" come from each language's own grammar rather than from `n === 1`.
 */
export type Params = Record<string, string | number>;

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

/** The form of `forms` that CLDR picks for `count` in `locale`; `other` when the language has no such form. */
export function plural(locale: string, count: string | number | undefined, forms: PluralForms): string {
  let r = rules.get(locale);
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)));
  const n = typeof count === 'number' ? count : Number(count);
  return forms[r.select(Number.isFinite(n) ? n : 0)] ?? forms.other;
}
