/** the values a message's {placeholders} are filled with */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Fills a message: `{name}` takes a parameter, and `{n, plural, one {# ticket} other {# tickets}}` picks the form
 * for the number `n` by the language's plural rules (Intl.PluralRules: English one/other; Russian one/few/many/other)
 * — an exact `=0 {…}` form first — with `#` standing for the number as `formatNumber` writes it. Kazakh needs no
 * plural forms (a noun after a numeral stays singular), so its messages use plain `{n}`.
 */
export function formatMessage(
  text: string,
  params: MessageParams | undefined,
  rules: Intl.PluralRules,
  formatNumber: (n: number) => string,
): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{', at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const close = matchingBrace(text, open);
    if (close < 0) return out + text.slice(open);
    out += fill(text.slice(open + 1, close), text.slice(open, close + 1), params, rules, formatNumber);
    at = close + 1;
  }
  return out;
}

function fill(
  body: string,
  whole: string,
  params: MessageParams | undefined,
  rules: Intl.PluralRules,
  formatNumber: (n: number) => string,
): string {
  const plural = /^(\w+),\s*plural,(.*)$/s.exec(body);
  if (!plural) return params && body in params ? String(params[body]) : whole;
  const value = params?.[plural[1]];
  if (value === undefined) return whole;
  const n = Number(value);
  const forms = pluralForms(plural[2]);
  const form = forms.get(`=${n}`) ?? forms.get(rules.select(n)) ?? forms.get('other') ?? '';
  return formatMessage(form.replace(/#/g, formatNumber(n)), params, rules, formatNumber);
}

/** ` one {# ticket} other {# tickets}` → one → "# ticket", other → "# tickets" */
function pluralForms(spec: string): Map<string, string> {
  const forms = new Map<string, string>();
  let at = 0;
  while (at < spec.length) {
    const open = spec.indexOf('{', at);
    if (open < 0) break;
    const close = matchingBrace(spec, open);
    if (close < 0) break;
    forms.set(spec.slice(at, open).trim(), spec.slice(open + 1, close));
    at = close + 1;
  }
  return forms;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
