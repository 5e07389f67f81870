// Workflow ids (DESIGN.md, stable): only [A-Za-z0-9._-], never personal data — the internal
// opaque uuid, not the case number.
export const idWorkflowDossier = (dossierId: string) => `dossier-${dossierId}`;
export const idWorkflowRequete = (requeteId: string) => `requete-${requeteId}`;
/** One short workflow per SMS code sent (the code_sms row's uuid). */
export const idWorkflowEnvoiCode = (codeId: string) => `code-sms-${codeId}`;
