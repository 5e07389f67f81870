// An auto-escaping tagged template: every interpolated value is escaped unless it is already
// SafeHtml (a fragment built by this same tag). Arrays are joined; null/undefined/false print
// nothing, so `${cond && html`…`}` works.
export class SafeHtml {
  constructor(readonly valeur: string) {}
  toString(): string {
    return this.valeur;
  }
}

const ECHAPPEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function echapper(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ECHAPPEMENTS[c]!);
}

function rendre(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.valeur;
  if (Array.isArray(v)) return v.map(rendre).join('');
  return echapper(String(v));
}

export function html(chaines: TemplateStringsArray, ...valeurs: unknown[]): SafeHtml {
  let s = chaines[0]!;
  for (let i = 0; i < valeurs.length; i++) s += rendre(valeurs[i]) + chaines[i + 1]!;
  return new SafeHtml(s);
}

/** Trusted markup that is not built by `html` (e.g. a static SVG). Use sparingly. */
export const brut = (s: string) => new SafeHtml(s);
