import { describe, expect, test } from '@jest/globals';
import {
  DUREE_MAX_LOT_MS,
  debutDeJournee,
  decrireChangements,
  dispositionContenu,
  dispositionFichier,
  expirationLot,
  lotEnCours,
  natureEvenement,
  nomFichier,
  ordonner,
  texteEvenement,
} from '../../domain/vie-du-dossier.js';

const d = (iso: string) => new Date(iso);

describe('decision-date rule', () => {
  test('a decision shows only that a decision was made, never the court’s text', () => {
    const t = texteEvenement({ type: 'decision', date: d('2026-10-01T10:00:00Z'), libelle: 'Condamne X à payer 5 000 €' }, []);
    expect(t).toEqual({ nature: 'decision', texte: 'Décision rendue', nouvelleDate: null });
    for (const type of ['Décision', ' JUGEMENT ', 'ordonnance', 'arrêt']) expect(natureEvenement(type)).toBe('decision');
    expect(texteEvenement({ type: 'jugement', date: d('2026-10-01T10:00:00Z'), libelle: 'secret' }, []).texte).not.toContain('secret');
  });

  test('a renvoi shows the first non-cancelled hearing after it', () => {
    const e = { type: 'Renvoi', date: d('2026-10-01T10:00:00Z'), libelle: 'Renvoi pour conclusions' };
    const audiences = [
      { debut: d('2026-09-01T08:00:00Z'), annulee: false }, // before the renvoi
      { debut: d('2026-12-01T08:00:00Z'), annulee: false },
      { debut: d('2026-11-15T08:00:00Z'), annulee: true }, // cancelled
      { debut: d('2027-01-10T08:00:00Z'), annulee: false },
    ];
    const t = texteEvenement(e, audiences);
    expect(t.nature).toBe('renvoi');
    expect(t.nouvelleDate?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(t.texte).not.toContain('conclusions');
  });

  test('a renvoi without a new hearing yet says so', () => {
    const t = texteEvenement({ type: 'renvoi', date: d('2026-10-01T10:00:00Z'), libelle: 'x' }, [{ debut: d('2026-09-01T08:00:00Z'), annulee: false }]);
    expect(t).toEqual({ nature: 'renvoi', texte: 'Affaire renvoyée : nouvelle date à venir', nouvelleDate: null });
  });

  test('any other event shows its libellé', () => {
    expect(texteEvenement({ type: 'depot', date: d('2026-10-01T10:00:00Z'), libelle: 'Dépôt de conclusions' }, [])).toEqual({ nature: 'evenement', texte: 'Dépôt de conclusions', nouvelleDate: null });
  });
});

describe('timeline', () => {
  test('the saisine day starts at midnight in Paris, summer and winter', () => {
    expect(debutDeJournee('2026-07-14').toISOString()).toBe('2026-07-13T22:00:00.000Z');
    expect(debutDeJournee('2026-01-05').toISOString()).toBe('2026-01-04T23:00:00.000Z');
    // DST switch days.
    expect(debutDeJournee('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(debutDeJournee('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });

  test('oldest first; at the same instant saisine, event, its document, then hearing', () => {
    const t = d('2026-10-01T10:00:00Z');
    const r = ordonner([
      { date: t, genre: 'audience' as const, cle: 'a' },
      { date: t, genre: 'document' as const, cle: 'b' },
      { date: d('2026-09-01T00:00:00Z'), genre: 'evenement' as const, cle: 'z' },
      { date: t, genre: 'evenement' as const, cle: 'c' },
      { date: t, genre: 'saisine' as const, cle: '' },
    ]);
    expect(r.map((x) => x.genre + x.cle)).toEqual(['evenementz', 'saisine', 'evenementc', 'documentb', 'audiencea']);
  });
});

describe('update batch', () => {
  test('expires DUREE_MAX_LOT_MS after opening', () => {
    const ouvert = d('2026-10-01T10:00:00Z');
    const lot = { expire_le: expirationLot(ouvert) };
    expect(DUREE_MAX_LOT_MS).toBe(30 * 60_000);
    expect(lotEnCours(lot, ouvert)).toBe(true);
    expect(lotEnCours(lot, new Date(ouvert.getTime() + DUREE_MAX_LOT_MS - 1))).toBe(true);
    expect(lotEnCours(lot, new Date(ouvert.getTime() + DUREE_MAX_LOT_MS))).toBe(false);
    expect(lotEnCours(null, ouvert)).toBe(false);
  });
});

describe('live refresh message', () => {
  test('says what changed', () => {
    expect(decrireChangements({ evenements: 2, audiences: 1, documents: 1, dossier: false })).toBe(
      '2 nouveaux événements, 1 nouveau document, 1 audience ajoutée ou modifiée.',
    );
    expect(decrireChangements({ evenements: 0, audiences: 0, documents: 0, dossier: true })).toBe('Le résumé du dossier a changé.');
    expect(decrireChangements({ evenements: 0, audiences: 0, documents: 0, dossier: false })).toBe('Le tribunal a mis à jour votre dossier.');
  });
});

describe('document file names', () => {
  test('RFC 8187 name with an ASCII fallback, no path or quote', () => {
    expect(nomFichier('Convocation à l’audience')).toBe('Convocation à l’audience.pdf');
    expect(nomFichier('../../etc/passwd"')).toBe('.. .. etc passwd.pdf');
    expect(nomFichier('avis.PDF')).toBe('avis.PDF');
    expect(dispositionContenu('inline', 'Récépissé n°1')).toBe(
      `inline; filename="Recepisse n_1.pdf"; filename*=UTF-8''R%C3%A9c%C3%A9piss%C3%A9%20n%C2%B01.pdf`,
    );
    expect(dispositionContenu('attachment', 'x')).toMatch(/^attachment; /);
  });

  test('a requête attachment keeps its own extension (a photo is not renamed .pdf)', () => {
    expect(dispositionFichier('inline', 'photo été.jpg')).toBe(`inline; filename="photo ete.jpg"; filename*=UTF-8''photo%20%C3%A9t%C3%A9.jpg`);
    expect(dispositionFichier('attachment', 'a"b\\c;d.png')).toMatch(/^attachment; filename="a_b_c_d\.png"; /);
  });
});
