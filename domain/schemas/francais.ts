// zod's default messages are English; everything a court or a citizen reads is French.
import { z } from 'zod';

const TYPES: Record<string, string> = {
  string: 'texte', number: 'nombre', boolean: 'booléen', object: 'objet', array: 'liste', null: 'null', undefined: 'absent', integer: 'entier', date: 'date',
};
const nomType = (t: string) => TYPES[t] ?? t;

export const messagesFrancais: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return { message: 'champ obligatoire' };
      return { message: `${nomType(issue.expected)} attendu, reçu ${nomType(issue.received)}` };
    case z.ZodIssueCode.too_small:
      if (issue.type === 'string') return { message: issue.minimum === 1 ? 'ne doit pas être vide' : `${issue.minimum} caractères au moins` };
      if (issue.type === 'array') return { message: `${issue.minimum} élément(s) au moins` };
      return { message: `valeur minimale : ${issue.minimum}` };
    case z.ZodIssueCode.too_big:
      if (issue.type === 'string') return { message: `${issue.maximum} caractères au plus` };
      if (issue.type === 'array') return { message: `${issue.maximum} élément(s) au plus` };
      return { message: `valeur maximale : ${issue.maximum}` };
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `valeur attendue parmi : ${issue.options.join(', ')}` };
    case z.ZodIssueCode.unrecognized_keys:
      return { message: `champ inconnu : ${issue.keys.join(', ')}` };
    case z.ZodIssueCode.invalid_string:
      return { message: issue.validation === 'email' ? 'adresse électronique invalide' : 'format invalide' };
    case z.ZodIssueCode.invalid_date:
      return { message: 'date invalide' };
    default:
      return { message: ctx.defaultError === 'Invalid input' ? 'valeur invalide' : ctx.defaultError };
  }
};
