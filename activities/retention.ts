// The daily retention purge (schedule `purge-retention`, workflows/retention.ts): audit journal
// rows past JOURNAL_RETENTION and support requests closed more than CONTACT_RETENTION ago. The
// rule is domain/retention.ts; the SQL is db/journal.ts and db/contact.ts.
//
// Deletions go in batches of bounded size, each its own short transaction: a year of journal
// must not become one transaction holding locks and WAL for minutes. Each batch heartbeats its
// cursor, so a retry after a worker restart resumes where the last one stopped (the work is
// idempotent anyway: a deleted row is not found again). Logs carry counts and cut-offs only.
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import * as contacts from '../db/contact.js';
import { CurseurJournal, journaliser, purgerLot } from '../db/journal.js';
import { seuilsRetention, type SeuilsRetention } from '../domain/retention.js';

export interface EntreePurgerRetention {
  /** The workflow's time (ISO 8601): the cut-offs are counted back from it. */
  maintenant: string;
  retentionJournal: string;
  retentionContact: string;
  /** Rows per transaction; 1,000 by default. */
  tailleLot?: number;
}

export interface ResultatPurgeRetention {
  journal: number;
  contacts: number;
  seuilJournal: string;
  seuilContact: string;
}

interface Progression {
  curseur: CurseurJournal | null;
  journal: number;
  contacts: number;
  journalFini: boolean;
}

function contexte(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

export function createActivitesRetention(deps: { pool: DatabasePool }) {
  return {
    async purgerRetention(e: EntreePurgerRetention): Promise<ResultatPurgeRetention> {
      const c = contexte();
      let seuils: SeuilsRetention;
      try {
        seuils = seuilsRetention(new Date(e.maintenant), { journal: e.retentionJournal, contact: e.retentionContact });
      } catch (err) {
        throw ApplicationFailure.nonRetryable(`purge de conservation : ${err instanceof Error ? err.message : String(err)}`, 'duree_invalide');
      }
      if (Number.isNaN(seuils.journal.getTime()) || Number.isNaN(seuils.contact.getTime())) {
        throw ApplicationFailure.nonRetryable(`purge de conservation : instant invalide « ${e.maintenant} »`, 'duree_invalide');
      }
      const taille = Math.max(1, Math.min(e.tailleLot ?? 1000, 10000));
      const reprise = c?.info.heartbeatDetails as Progression | undefined;
      const p: Progression = reprise ?? { curseur: null, journal: 0, contacts: 0, journalFini: false };
      const battre = () => {
        c?.heartbeat(p);
        if (c?.cancellationSignal.aborted) throw new CancelledFailure('purge de conservation annulée');
      };

      while (!p.journalFini) {
        const lot = await deps.pool.transaction((t) => purgerLot(t, { avant: seuils.journal, apres: p.curseur, taille }));
        p.journal += lot.supprimees;
        if (lot.curseur === null) p.journalFini = true;
        else p.curseur = lot.curseur;
        battre();
      }
      for (;;) {
        const n = await deps.pool.transaction((t) => contacts.purgerLotCloses(t, { avant: seuils.contact, taille }));
        p.contacts += n;
        battre();
        if (n < taille) break;
      }

      const resultat = { journal: p.journal, contacts: p.contacts, seuilJournal: seuils.journal.toISOString(), seuilContact: seuils.contact.toISOString() };
      // The erasure itself is traced (who: the system; what: how many), without any identifier
      // of what was erased. A run that removed nothing leaves no row.
      if (p.journal + p.contacts > 0) {
        await journaliser(deps.pool, { acteurType: 'systeme', action: 'retention.purger', resultat: 'succes', details: resultat });
      }
      c?.log.info('purge de conservation', resultat);
      return resultat;
    },
  };
}
