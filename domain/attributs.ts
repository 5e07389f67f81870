// Custom search attributes of DESIGN.md (Keyword). Operational identifiers only, never personal
// data: they are stored unencrypted in Temporal's visibility store.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const NumeroDossier = defineSearchAttributeKey('NumeroDossier', SearchAttributeType.KEYWORD);
export const Juridiction = defineSearchAttributeKey('Juridiction', SearchAttributeType.KEYWORD);
export const StatutRequete = defineSearchAttributeKey('StatutRequete', SearchAttributeType.KEYWORD);
export const EtatDossier = defineSearchAttributeKey('EtatDossier', SearchAttributeType.KEYWORD);

export const ATTRIBUTS_RECHERCHE = [NumeroDossier, Juridiction, StatutRequete, EtatDossier];
