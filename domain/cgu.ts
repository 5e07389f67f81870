// The terms of use (CGU) a citizen accepts at first login, and again when their version
// changes; the acceptance is recorded with the version and the date (decree, art. 2).
export const VERSION_CGU = '2026-11-23';

export const CGU: { titre: string; paragraphes: string[] }[] = [
  {
    titre: 'Objet du service',
    paragraphes: [
      'Le Portail du justiciable vous permet de consulter l’état d’avancement de vos affaires judiciaires, d’accéder aux avis, convocations et récépissés que le tribunal vous adresse par voie électronique, et de transmettre des requêtes à une juridiction.',
      'Le portail se contente de reprendre les informations issues des applications des juridictions : en cas d’erreur dans votre dossier, adressez-vous au tribunal qui le gère.',
    ],
  },
  {
    titre: 'Accès au service',
    paragraphes: [
      'L’accès se fait par FranceConnect. Aucune donnée n’est échangée avec le fournisseur d’identité que vous choisissez : seule votre identité est vérifiée.',
      'Vos dossiers n’apparaissent pas d’eux-mêmes : vous les ajoutez un à un avec le numéro d’identification reçu par courriel après l’enregistrement de votre consentement par le tribunal, puis le code reçu par SMS.',
      'Votre numéro d’identification et vos codes sont strictement personnels : ne les communiquez à personne, y compris à votre avocat. Le ministère de la Justice ne vous les demandera jamais.',
    ],
  },
  {
    titre: 'Alertes et rappels',
    paragraphes: [
      'Une alerte par courriel vous signale chaque mise à jour de vos dossiers ; vous pouvez la désactiver dans vos paramètres. Un rappel par SMS vous est envoyé trois jours avant chaque audience ; il ne peut pas être désactivé.',
    ],
  },
  {
    titre: 'Données personnelles',
    paragraphes: [
      'Les données sont traitées par le ministère de la Justice pour les finalités définies par l’arrêté créant le traitement « Portail du justiciable ». Elles ne sont communiquées à aucun tiers.',
      'Un dossier reste visible pendant toute la procédure puis un an après sa clôture. Un brouillon de requête est conservé trente jours à compter du jour où vous l’avez commencé ; une requête envoyée, toute la procédure puis cinq ans après la clôture du dossier.',
      'Votre droit d’accès s’exerce directement dans votre espace (« Mes données »). La rectification des données d’un dossier se demande à la juridiction qui le gère.',
    ],
  },
];
