// Workflow ids (DESIGN.md, stable): only [A-Za-z0-9._-], never personal data — the internal
// opaque uuid, not the case number.
export const idWorkflowDossier = (dossierId: string) => `dossier-${dossierId}`;
export const idWorkflowRequete = (requeteId: string) => `requete-${requeteId}`;
/** One short workflow per SMS code sent (the code_sms row's uuid). */
export const idWorkflowEnvoiCode = (codeId: string) => `code-sms-${codeId}`;
/** The e-mails of one support request (the contact row's uuid): a repeated start sends nothing more. */
export const idWorkflowNotificationsContact = (contactId: string) => `notifications-contact-${contactId}`;
/**
 * The Schedule of the daily retention purge (services/retention.ts). Temporal names each run
 * it starts `purge-retention-<scheduled time>`: that suffix, from the server, has colons.
 */
export const ID_PLANIFICATION_RETENTION = 'purge-retention';
