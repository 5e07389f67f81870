// The help page's content (/aide, issue 9 item 2): the questions and answers of the seed help
// page, rewritten for what this portal actually does (README.md and the pages), grouped by theme.
// Each answer has a stable id: it is the page's anchor, the error pages link it (AIDE_PAR_ERREUR)
// and outside sites may too, so an id is never renamed, only added. Pure data and the search
// rule; the markup is web/pages/aide.ts.

/** A paragraph, or a bulleted list. Plain text: the page escapes it. */
export type Bloc = string | { liste: readonly string[] };

export interface Lien {
  texte: string;
  href: string;
}

export interface QuestionAide {
  id: string;
  question: string;
  reponse: readonly Bloc[];
  /** Pages of the portal (or help answers) the answer points to. */
  liens?: readonly Lien[];
}

export interface ThemeAide {
  id: string;
  titre: string;
  questions: readonly QuestionAide[];
}

/** The support line of the seed (free call). */
export const TELEPHONE_SUPPORT = '0805 04 04 04';
export const HORAIRES_SUPPORT = 'du lundi au vendredi, de 9 h à 17 h (appel gratuit)';

const CONTACT: Lien = { texte: 'Contacter le support', href: '/contact' };
const JURIDICTIONS: Lien = { texte: 'Coordonnées des juridictions', href: '/juridictions' };

export const THEMES_AIDE: readonly ThemeAide[] = [
  {
    id: 'connexion',
    titre: 'Se connecter à son espace personnel',
    questions: [
      {
        id: 'acceder-espace',
        question: 'Comment accéder à mon espace personnel ?',
        reponse: [
          'Cliquez sur « Accéder à mon espace », en haut à droite de chaque page, puis sur le bouton « S’identifier avec FranceConnect ». Choisissez ensuite l’un des fournisseurs d’identité proposés (impots.gouv.fr, ameli.fr, L’Identité Numérique La Poste) et identifiez-vous avec l’identifiant et le mot de passe de ce service.',
          'FranceConnect ne transmet au portail que votre identité, pour sécuriser la connexion : aucune autre donnée n’est échangée entre le ministère de la Justice et l’administration que vous avez choisie.',
          'Vous devez avoir un compte chez l’un de ces fournisseurs. Si vous avez oublié votre identifiant ou votre mot de passe, adressez-vous à ce fournisseur : le portail ne les connaît pas et ne peut pas les réinitialiser.',
          'À votre première connexion, vous acceptez les conditions générales d’utilisation ; elles vous sont présentées de nouveau si elles changent.',
        ],
        liens: [{ texte: 'Accéder à mon espace', href: '/connexion' }],
      },
      {
        id: 'espace-vide',
        question: 'Pourquoi mon espace est-il vide lors de ma première connexion ?',
        reponse: [
          'Il n’existe pas de lien automatique entre les dossiers enregistrés par les tribunaux et la personne qui se connecte avec FranceConnect. Vous ajoutez vous-même chaque dossier à votre espace, avec le numéro d’identification reçu par courriel et un code reçu par SMS.',
          'Une fois ajouté, le dossier reste dans votre espace à chaque nouvelle connexion.',
        ],
        liens: [{ texte: 'Comment ajouter un dossier ?', href: '/aide?question=ajouter-dossier#ajouter-dossier' }],
      },
      {
        id: 'probleme-connexion',
        question: 'La connexion a échoué, a été annulée ou a expiré : que faire ?',
        reponse: [
          'Recommencez depuis la page de connexion : une demande de connexion ne sert qu’une fois et expire au bout de quelques minutes, par sécurité. Si vous avez annulé sur FranceConnect, rien n’a été enregistré.',
          'Si le fournisseur d’identité refuse votre identifiant ou votre mot de passe, c’est auprès de lui qu’il faut les retrouver. Si le service d’identification ne répond pas, réessayez quelques minutes plus tard.',
          'Si l’échec persiste, contactez le support en précisant le fournisseur d’identité choisi et l’heure de l’essai.',
        ],
        liens: [{ texte: 'Page de connexion', href: '/connexion' }, CONTACT],
      },
      {
        id: 'session',
        question: 'Pourquoi ai-je été déconnecté ?',
        reponse: [
          'Par sécurité, votre session se termine après 30 minutes sans activité, et au plus tard 12 heures après votre connexion. Cinq minutes avant la fin, un message vous propose de rester connecté.',
          'Les brouillons de requête sont enregistrés à chaque étape : vous les retrouvez après vous être reconnecté.',
        ],
      },
    ],
  },
  {
    id: 'dossiers',
    titre: 'Ajouter ou détacher un dossier',
    questions: [
      {
        id: 'ajouter-dossier',
        question: 'Comment ajouter un dossier à mon espace ?',
        reponse: [
          'Dans votre espace, cliquez sur « Ajouter un dossier ». Saisissez le numéro d’identification que vous avez reçu par courriel lorsque le tribunal a enregistré votre consentement à la communication électronique : 12 lettres et chiffres, par exemple K7QF-3XWM-9RTD (espaces, tirets, majuscules et minuscules sont sans importance).',
          'Cliquez sur « Obtenir le code par SMS » : un code à 6 chiffres est envoyé au numéro de téléphone portable que le tribunal a enregistré pour vous. Il est valable 10 minutes. Saisissez-le : le dossier apparaît dans votre espace.',
          'Les dossiers s’ajoutent un par un : l’ajout groupé n’est pas possible.',
        ],
        liens: [{ texte: 'Ajouter un dossier', href: '/espace/dossiers/ajouter' }],
      },
      {
        id: 'code-sms',
        question: 'Le code reçu par SMS est refusé, ou je ne le reçois pas',
        reponse: [
          'Chaque code est valable 10 minutes et ne sert qu’une fois ; seul le dernier code reçu est valable. Après 5 saisies erronées, le code est désactivé : demandez-en un nouveau.',
          'Pour éviter les abus, vous pouvez recevoir au plus 3 codes par heure, avec une minute d’attente entre deux demandes. Après 10 codes erronés en 24 heures pour un même numéro d’identification, l’ajout du dossier avec ce numéro est bloqué pendant 24 heures : la page indique jusqu’à quand.',
          'Le code part vers le téléphone portable que le tribunal a enregistré. Si le tribunal n’a aucun numéro de portable, ou un numéro qui n’est plus le vôtre, contactez-le pour le mettre à jour, puis recommencez.',
        ],
        liens: [JURIDICTIONS],
      },
      {
        id: 'numero-non-recu',
        question: 'Je n’ai pas reçu mon numéro d’identification',
        reponse: [
          'Le numéro est envoyé par courriel dès que le greffe a enregistré votre consentement à la communication électronique. Entre le dépôt de votre dossier ou de votre formulaire de consentement et cet enregistrement, il peut s’écouler quelques jours, parfois davantage selon la charge du tribunal.',
          'Vérifiez vos courriers indésirables. Le numéro part à l’adresse électronique que le tribunal a enregistrée pour vous (ou pour la personne qui vous représente) : si elle a changé, prévenez le tribunal.',
        ],
        liens: [JURIDICTIONS],
      },
      {
        id: 'plusieurs-numeros',
        question: 'Puis-je recevoir plusieurs numéros d’identification pour une même affaire ?',
        reponse: [
          'Oui, en particulier si vous représentez plusieurs personnes dans la même affaire : vous recevez un numéro par personne représentée. Ajoutez l’affaire avec chacun d’eux ; vous la voyez alors du point de vue de chaque personne. C’est aussi le cas, plus rare, lorsque votre affaire a été jointe à une autre.',
          'Hors de ces cas, vous ne devriez recevoir qu’un numéro par affaire. Si ce n’est pas le cas, contactez le support.',
        ],
        liens: [CONTACT],
      },
      {
        id: 'detacher-dossier',
        question: 'Comment détacher un dossier de mon espace ?',
        reponse: [
          'Sur la page du dossier, cliquez sur « Détacher ce dossier » puis confirmez. Le dossier disparaît de votre espace.',
          'Détacher un dossier n’annule pas votre consentement à la communication électronique : le tribunal continue de vous adresser ses avis, convocations et récépissés de manière dématérialisée, et les rappels d’audience par SMS continuent. Pour retrouver le dossier, ajoutez-le de nouveau avec votre numéro d’identification.',
        ],
      },
      {
        id: 'page-introuvable',
        question: 'Une page ou un dossier est introuvable : pourquoi ?',
        reponse: [
          'Un dossier peut ne plus être visible dans votre espace pour plusieurs raisons :',
          {
            liste: [
              'vous l’avez détaché : ajoutez-le de nouveau avec votre numéro d’identification ;',
              'votre accès a été retiré par le tribunal à la suite d’un événement de la procédure (mesure de protection, majorité atteinte, fin d’une représentation…) ;',
              'le dossier est clôturé depuis plus d’un an : il a été supprimé du portail à la fin de sa durée de conservation ;',
              'la procédure ne peut pas être suivie en ligne.',
            ],
          },
          'Une adresse mal recopiée, ou un lien vers un élément qui n’existe plus (document, requête supprimée), mène aussi à cette page. Si vous n’êtes dans aucun de ces cas, rapprochez-vous du tribunal qui gère votre dossier.',
        ],
        liens: [JURIDICTIONS],
      },
    ],
  },
  {
    id: 'suivi',
    titre: 'Suivre ses dossiers',
    questions: [
      {
        id: 'informations-dossier',
        question: 'Quelles informations mon espace affiche-t-il ?',
        reponse: [
          'Pour chaque dossier : la juridiction, le numéro de dossier attribué par le tribunal (utile pour toute correspondance avec lui), la nature de l’affaire et son état. Le détail du dossier présente aussi les parties classées par rôle, la « Vie du dossier », les audiences à venir et les documents mis à votre disposition.',
          'Certaines procédures ne peuvent pas être suivies en ligne, pour des raisons techniques ou en raison de leur caractère sensible : le greffe ou le service d’accueil unique du justiciable (SAUJ) peut vous renseigner.',
        ],
      },
      {
        id: 'vie-du-dossier',
        question: 'Que signifie « Vie du dossier » ?',
        reponse: [
          'C’est la chronologie des événements de votre dossier, de la saisine du tribunal à la décision : audiences, renvois, documents reçus. Chaque événement est daté ; ceux qui portent un document permettent de l’ouvrir au format PDF.',
          'Une audience peut y figurer sans que vous ayez reçu de convocation : audience où seul votre avocat était convoqué, convocation donnée oralement à l’audience précédente, délibéré sans avis, procédure sans débat. Votre présence n’est obligatoire que si vous avez été convoqué, si le juge vous l’a demandé ou si votre avocat vous l’a demandé.',
        ],
      },
      {
        id: 'mise-a-jour-en-cours',
        question: 'Que signifie le bandeau « Votre dossier est en cours de mise à jour » ?',
        reponse: [
          'Le tribunal est en train de transmettre plusieurs changements à la fois. Les informations affichées peuvent être momentanément incomplètes : revenez un peu plus tard. Le bandeau disparaît dès la fin de la transmission, et au plus tard au bout de 30 minutes.',
        ],
      },
      {
        id: 'decision-absente',
        question: 'Pourquoi la décision du tribunal n’apparaît-elle pas ?',
        reponse: [
          'Votre espace affiche la date de la décision, pas son contenu : une décision doit être signée par le juge et le greffier, et elle vous est adressée par courrier, ou à votre avocat. En cas de renvoi, votre espace indique la date de l’audience à laquelle l’affaire est renvoyée.',
        ],
      },
      {
        id: 'documents-disponibles',
        question: 'Quels documents sont disponibles, et combien de temps ?',
        reponse: [
          'Les récépissés, avis et convocations que le tribunal vous adresse par voie dématérialisée, au format PDF. Les autres documents (décisions, notifications, lettres recommandées avec accusé de réception) continuent d’être envoyés par courrier.',
          'Les documents restent consultables jusqu’à un an après la clôture du dossier. Il n’existe pas d’archive dans votre espace : téléchargez-les pour les conserver.',
          'Pour les ouvrir, le lecteur PDF intégré à votre navigateur suffit ; tout lecteur de PDF convient.',
        ],
      },
      {
        id: 'rechercher-dossiers',
        question: 'Comment rechercher, filtrer et trier mes dossiers ?',
        reponse: [
          'À partir de cinq dossiers dans votre espace, une zone de recherche apparaît sur la page d’accueil de votre espace : par nom, prénom ou raison sociale d’une partie, par juridiction, par numéro d’identification. Les filtres « Événements proches », « Documents récents », « Dossiers en cours » et « Dossiers terminés » affinent la liste ; elle peut être triée par dernière mise à jour, prochaine audience, numéro de dossier ou juridiction. « Réinitialiser les filtres » revient à la liste complète.',
        ],
        liens: [{ texte: 'Mon espace', href: '/espace' }],
      },
      {
        id: 'localiser-tribunal',
        question: 'Comment contacter ou localiser le tribunal qui gère mon dossier ?',
        reponse: [
          'Le tribunal reste votre interlocuteur pour tout ce qui concerne le contenu de votre dossier. La page « Juridictions » donne l’adresse, le téléphone, les horaires et un lien vers une carte de chaque juridiction raccordée au portail ; ses coordonnées figurent aussi sur les documents de votre espace.',
        ],
        liens: [JURIDICTIONS],
      },
      {
        id: 'erreur-dossier',
        question: 'Que faire en cas d’erreur dans mon dossier ?',
        reponse: [
          'Le portail affiche les informations transmises par le tribunal ; il ne peut pas les corriger. Pour une erreur de nom, de prénom, d’avocat ou toute autre donnée du dossier, écrivez au tribunal qui le gère, avec un justificatif d’identité.',
          'S’il s’agit d’un dysfonctionnement du portail lui-même, contactez le support.',
        ],
        liens: [JURIDICTIONS, CONTACT],
      },
      {
        id: 'coordonnees',
        question: 'Mon adresse électronique ou mon numéro de téléphone a changé : que faire ?',
        reponse: [
          'Vous ne pouvez pas les modifier depuis votre espace : ce sont les coordonnées que le tribunal a enregistrées dans votre dossier. Informez-le du changement, faute de quoi vous ne recevriez plus votre numéro d’identification, vos codes SMS, vos alertes ni vos rappels d’audience. Faites de même si vous constatez une erreur dans ces coordonnées.',
        ],
        liens: [JURIDICTIONS],
      },
    ],
  },
  {
    id: 'alertes',
    titre: 'Alertes, rappels et calendrier',
    questions: [
      {
        id: 'alertes-courriel',
        question: 'Quand reçois-je un courriel ou un SMS ?',
        reponse: [
          {
            liste: [
              'Une alerte de mise à jour par courriel quand un de vos dossiers change. Les changements rapprochés de quelques minutes sont regroupés en un seul courriel. Il ne contient aucune information sur le contenu du dossier : il vous invite à vous connecter. Vous pouvez désactiver ces alertes.',
              'Un rappel par SMS trois jours avant chaque audience, au numéro enregistré par le tribunal. Aucun SMS n’est envoyé entre 20 h et 8 h : le rappel part avant ou après. Les rappels d’audience ne peuvent pas être désactivés ; un SMS vous prévient aussi de l’annulation d’une audience.',
              'Pour vos requêtes en ligne : un accusé de réception à l’envoi, un courriel à leur enregistrement par le tribunal, et deux avertissements avant la suppression d’un brouillon.',
            ],
          },
          'Une mise à jour s’entend au sens large : une simple correction faite par le tribunal déclenche aussi une alerte, même si elle ne se voit pas dans votre espace.',
        ],
      },
      {
        id: 'desactiver-alertes',
        question: 'Comment désactiver les alertes de mise à jour ?',
        reponse: [
          'Dans « Mes paramètres » (votre nom, en haut de la page) : toutes à la fois ou dossier par dossier. Chaque alerte contient aussi un lien de désabonnement.',
          'Désactiver les alertes ne retire pas votre consentement à la communication électronique : vos documents continuent d’arriver dans votre espace, à vous de vous connecter régulièrement. Les rappels d’audience par SMS continuent.',
        ],
        liens: [{ texte: 'Mes paramètres', href: '/espace/parametres' }],
      },
      {
        id: 'plus-d-alertes',
        question: 'Pourquoi ne reçois-je plus d’alertes ?',
        reponse: [
          'Vous les avez peut-être désactivées, toutes ou pour ce dossier : vérifiez « Mes paramètres ». Ou votre dossier n’a simplement pas changé : le délai entre deux mises à jour dépend de l’affaire et du tribunal. Vérifiez aussi vos courriers indésirables et l’adresse enregistrée par le tribunal. Si rien de cela ne l’explique, contactez le support.',
        ],
        liens: [{ texte: 'Mes paramètres', href: '/espace/parametres' }, CONTACT],
      },
      {
        id: 'exporter-calendrier',
        question: 'Comment ajouter mes audiences à mon agenda ?',
        reponse: [
          'Plusieurs audiences : page « Exporter mes audiences », cochez celles que vous voulez, choisissez le format puis « Exporter ». Une seule : depuis la « Vie du dossier », bouton « Exporter » de l’audience.',
          'Deux formats : .ics (Google Agenda, Apple Calendrier, Outlook) et .csv, en version Google Agenda ou Outlook. Vous pouvez aussi créer, dans « Mes paramètres », une adresse d’abonnement secrète : votre agenda se met alors à jour tout seul, annulations comprises. Vous pouvez la renouveler ou la supprimer à tout moment.',
        ],
        liens: [{ texte: 'Exporter mes audiences', href: '/espace/audiences' }, { texte: 'Abonnement à mon calendrier', href: '/espace/parametres/calendrier' }],
      },
    ],
  },
  {
    id: 'requetes',
    titre: 'Requêtes en ligne',
    questions: [
      {
        id: 'requete-types',
        question: 'Quelles requêtes puis-je adresser en ligne ?',
        reponse: [
          'Depuis « Mes requêtes » : une requête au juge aux affaires familiales, une requête relative à une mesure de protection, ou une constitution de partie civile. Vous choisissez la juridiction, remplissez les champs, indiquez les autres personnes concernées et joignez vos pièces.',
        ],
        liens: [{ texte: 'Mes requêtes', href: '/espace/requetes' }],
      },
      {
        id: 'brouillon',
        question: 'Combien de temps mon brouillon de requête est-il conservé ?',
        reponse: [
          'Votre brouillon est enregistré à chaque étape. Il est conservé 30 jours à compter du premier jour où vous l’avez commencé (à minuit, heure de Paris) : le modifier ne prolonge pas ce délai. Un courriel vous prévient 7 jours puis 1 jour avant sa suppression. Passé ce délai, il est supprimé avec ses pièces jointes et la liste indique « brouillon supprimé le … ».',
          'Vous pouvez aussi supprimer un brouillon à tout moment avant son envoi.',
        ],
      },
      {
        id: 'envoyer-requete',
        question: 'Que se passe-t-il quand j’envoie ma requête ?',
        reponse: [
          'Le portail vérifie d’abord que tout est complet : s’il manque quelque chose, la page vous le dit champ par champ. Votre requête est ensuite transmise à la juridiction ; la page indique « transmission en cours » puis le résultat.',
          'Une fois envoyée, elle reçoit une référence (RQ-AAAA-XXXX-XXXX), un accusé de réception vous est adressé par courriel et un récépissé de dépôt au format PDF est téléchargeable. Vous ne pouvez plus la modifier : la page vous en donne la raison.',
        ],
      },
      {
        id: 'echec-envoi',
        question: 'Mon envoi est en « Échec de l’envoi » : que faire ?',
        reponse: [
          'La transmission n’a pas abouti malgré plusieurs essais, ou la juridiction l’a refusée : la raison est affichée sur la page de la requête. Vous pouvez la corriger puis l’envoyer de nouveau ; elle garde la même référence, et la juridiction ne la recevra jamais deux fois.',
        ],
      },
      {
        id: 'enregistrement-requete',
        question: 'Quand ma requête est-elle enregistrée ?',
        reponse: [
          'Quand le greffe, ou un magistrat désigné, l’enregistre : son statut passe à « Enregistrée », avec le numéro du dossier ouvert, et vous recevez un courriel. Elle est conservée jusqu’à 5 ans après la clôture de ce dossier.',
        ],
      },
      {
        id: 'pieces-jointes',
        question: 'Quelles pièces puis-je joindre, et de quelle taille ?',
        reponse: [
          'Des fichiers PDF, JPEG ou PNG, reconnus d’après leur contenu (renommer un fichier ne change pas son format) : 10 Mo au plus par fichier, 30 Mo au plus pour l’ensemble des pièces d’une requête. Un fichier trop volumineux ou d’un autre format est refusé avec un message qui le dit.',
        ],
      },
    ],
  },
  {
    id: 'donnees',
    titre: 'Données personnelles et sécurité',
    questions: [
      {
        id: 'mes-donnees',
        question: 'Comment consulter les données que le portail détient sur moi ?',
        reponse: [
          'La page « Mes données » de votre espace présente tout ce que le portail détient sur vous : l’identité reçue de FranceConnect, vos acceptations des conditions d’utilisation, vos dossiers et à quel titre, vos préférences d’alertes, les courriels et SMS envoyés, vos requêtes, et les consultations de vos dossiers par les agents. Vous pouvez la télécharger. Vos données ne sont jamais communiquées à des sociétés tierces.',
        ],
        liens: [{ texte: 'Mes données', href: '/espace/mes-donnees' }],
      },
      {
        id: 'rectification',
        question: 'Comment faire corriger mes données ?',
        reponse: [
          'Les données de vos dossiers viennent des applications des tribunaux : la rectification se demande, par écrit avec un justificatif d’identité, à la juridiction qui gère le dossier. Une requête peut être modifiée par vous-même jusqu’à sa transmission. Votre identité est celle que transmet FranceConnect : corrigez-la auprès du fournisseur d’identité.',
        ],
        liens: [JURIDICTIONS],
      },
      {
        id: 'durees-conservation',
        question: 'Combien de temps mes données sont-elles conservées ?',
        reponse: [
          {
            liste: [
              'Un dossier reste visible pendant toute la procédure, puis un an après sa clôture ; il est ensuite supprimé du portail.',
              'Un brouillon de requête : 30 jours à compter du premier jour.',
              'Une requête envoyée : 5 ans après la clôture du dossier qu’elle a ouvert.',
            ],
          },
        ],
      },
      {
        id: 'consultations-agents',
        question: 'Qui peut consulter mon dossier ?',
        reponse: [
          'Vous, pour les dossiers ajoutés à votre espace ; les agents de greffe de la juridiction qui le gère ; les agents d’accueil (SAUJ), pour renseigner une personne présente. Chaque consultation par un agent est tracée, et la page de votre dossier liste les « Consultations de votre dossier par le tribunal » (date, rôle, juridiction).',
        ],
      },
      {
        id: 'securite-codes',
        question: 'Comment protéger mon accès ?',
        reponse: [
          'Votre numéro d’identification et vos codes SMS sont strictement personnels : ne les communiquez à personne, pas même à votre avocat. Le portail et le support ne vous les demanderont jamais, ni par courriel, ni par téléphone, ni par courrier. Déconnectez-vous après usage sur un ordinateur partagé.',
          'Pour signaler une faille de sécurité du portail, utilisez le formulaire de contact (objet « Signaler une faille de sécurité ») ; ces coordonnées figurent aussi dans le fichier /.well-known/security.txt.',
        ],
        liens: [CONTACT],
      },
    ],
  },
  {
    id: 'consentement',
    titre: 'Consentement à la communication électronique',
    questions: [
      {
        id: 'pourquoi-consentir',
        question: 'Pourquoi consentir à la communication électronique, et comment ?',
        reponse: [
          'Le consentement vous permet de suivre vos dossiers en ligne et de recevoir de manière dématérialisée, au lieu du courrier postal, les récépissés, avis et convocations que le tribunal envoie en lettre simple, en lettre recommandée sans avis de réception ou par tous moyens.',
          'Il se donne au tribunal, avec le formulaire de consentement disponible à l’accueil de la juridiction et la copie d’une pièce d’identité. Le greffe l’enregistre dans votre dossier ; vous recevez alors votre numéro d’identification par courriel.',
        ],
      },
      {
        id: 'courriers-papier',
        question: 'Le consentement supprime-t-il tous les courriers papier ?',
        reponse: [
          'Non. Les lettres recommandées avec accusé de réception et les documents autres que les récépissés, avis et convocations (décisions, notifications…) continuent d’arriver par la poste.',
        ],
      },
      {
        id: 'alertes-et-consentement',
        question: 'Désactiver les alertes, est-ce retirer mon consentement ?',
        reponse: [
          'Non : ce sont deux choses différentes. Sans alertes, vous n’êtes plus prévenu par courriel des mises à jour, mais le dossier reste consultable et les documents continuent d’y arriver. Le consentement se retire auprès du tribunal.',
        ],
      },
    ],
  },
  {
    id: 'technique',
    titre: 'Problèmes techniques et messages d’erreur',
    questions: [
      {
        id: 'formulaire-expire',
        question: '« Votre demande n’a pas pu être vérifiée » : que faire ?',
        reponse: [
          'Chaque formulaire du portail porte un jeton de sécurité lié à votre session, qui empêche un autre site d’agir à votre place. Ce message apparaît quand le formulaire a été ouvert avant la fin de votre session, dans un autre onglet avant une reconnexion, ou envoyé depuis un autre site.',
          'Revenez à la page, rechargez-la, puis recommencez. Vérifiez que votre navigateur accepte les cookies du portail : sans eux, aucune session n’est possible.',
        ],
      },
      {
        id: 'formulaire-refuse',
        question: 'Mon formulaire est refusé : comment savoir pourquoi ?',
        reponse: [
          'Le formulaire revient avec, en haut de la page, la liste des erreurs ; chacune renvoie au champ concerné, où le message est répété. Ce que vous aviez saisi est conservé : corrigez et envoyez de nouveau.',
        ],
      },
      {
        id: 'acces-refuse',
        question: 'Pourquoi l’accès à une page m’est-il refusé ?',
        reponse: [
          'Certaines pages exigent d’être connecté à votre espace ; d’autres sont réservées aux agents du ministère de la Justice. Un dossier n’est accessible qu’à ceux qui l’ont ajouté à leur espace. Si vous pensez devoir y accéder, reconnectez-vous puis contactez le support.',
        ],
        liens: [{ texte: 'Accéder à mon espace', href: '/connexion' }, CONTACT],
      },
      {
        id: 'erreur-technique',
        question: 'Que faire en cas d’erreur technique ?',
        reponse: [
          'Réessayez quelques minutes plus tard. Si l’erreur persiste, contactez le support en indiquant la référence affichée sur la page d’erreur, la page concernée et l’heure : la référence permet de retrouver ce qui s’est passé.',
          'Si l’erreur concerne une donnée de votre dossier (nom, prénom, avocat…), c’est le tribunal qu’il faut contacter.',
        ],
        liens: [CONTACT],
      },
      {
        id: 'navigateurs',
        question: 'Quels navigateurs utiliser ?',
        reponse: [
          'Une version récente de Firefox, Chrome, Edge ou Safari, sur ordinateur, tablette ou téléphone. Le portail doit pouvoir déposer un cookie de session. JavaScript n’est pas indispensable : les formulaires fonctionnent sans lui ; il rend seulement certaines pages plus fluides.',
        ],
      },
      {
        id: 'accessibilite',
        question: 'Le portail est-il adapté aux personnes handicapées ?',
        reponse: [
          'Le portail est conçu pour être accessible par défaut, sans mode particulier à activer : navigation au clavier, liens d’évitement, titres et formulaires lisibles par les lecteurs d’écran, erreurs reliées à leur champ. Les paramètres d’affichage de votre navigateur et de votre système (taille des caractères, thème clair ou sombre) sont respectés.',
          'Si un contenu vous reste inaccessible, signalez-le au support : il vous orientera vers une alternative. La déclaration d’accessibilité précise l’état de conformité et les voies de recours.',
        ],
        liens: [{ texte: 'Déclaration d’accessibilité', href: '/accessibilite' }, CONTACT],
      },
      {
        id: 'annuaires',
        question: 'Où trouver un tribunal, un avocat, un conciliateur, un commissaire de justice ou un notaire ?',
        reponse: [
          'La rubrique « Annuaires » de cette page renvoie aux annuaires officiels : juridictions et services d’accueil unique du justiciable (justice.fr), conciliateurs de justice, avocats (Conseil national des barreaux), commissaires de justice (anciens huissiers) et notaires. Si l’un de ces liens ne fonctionne plus, signalez-le au support.',
        ],
        liens: [{ texte: 'Annuaires', href: '/aide#annuaires-officiels' }, CONTACT],
      },
    ],
  },
  {
    id: 'support',
    titre: 'Contacter le support',
    questions: [
      {
        id: 'contacter-support',
        question: 'Que peut faire l’équipe support, et comment la contacter ?',
        reponse: [
          'L’équipe support répond aux questions sur le fonctionnement du portail et le contenu affiché dans votre espace, et vous aide si vous rencontrez un problème de navigation.',
          'Elle ne délivre pas de conseil juridique ou personnalisé, n’intervient pas dans la gestion de votre dossier et ne donne pas d’information sur son contenu (adressez-vous au greffe du tribunal), n’effectue pas de recherche documentaire ou jurisprudentielle ni d’interprétation de textes, et ne répond pas aux courriers adressés au ministère de la Justice.',
          `Par téléphone au ${TELEPHONE_SUPPORT}, ${HORAIRES_SUPPORT}, ou par le formulaire de contact : vous recevez un numéro de référence (CT-AAAA-XXXX-XXXX) et un accusé de réception par courriel. Pour éviter les abus, trois messages par heure et dix par jour au plus peuvent être envoyés depuis une même session ou pour une même adresse électronique.`,
        ],
        liens: [CONTACT],
      },
    ],
  },
];

/** Official directories (seed: "Les liens vers les annuaires"). External, opened in the same tab. */
export const ANNUAIRES: readonly { titre: string; description: string; href: string }[] = [
  { titre: 'Annuaire des juridictions', description: 'Tribunaux et cours d’appel : adresses, téléphones, compétences.', href: 'https://www.annuaires.justice.gouv.fr/' },
  { titre: 'Services d’accueil unique du justiciable (SAUJ)', description: 'Où être renseigné sur une procédure, quel que soit le tribunal compétent (même annuaire, rubrique des services d’accueil).', href: 'https://www.annuaires.justice.gouv.fr/' },
  { titre: 'Conciliateurs de justice', description: 'Trouver un conciliateur pour régler un différend à l’amiable, gratuitement.', href: 'https://www.conciliateurs.fr/' },
  { titre: 'Avocats', description: 'Annuaire national des avocats, tenu par le Conseil national des barreaux.', href: 'https://www.cnb.avocat.fr/fr/annuaire-des-avocats-de-france' },
  { titre: 'Commissaires de justice', description: 'Anciens huissiers de justice et commissaires-priseurs judiciaires.', href: 'https://commissaire-justice.fr/' },
  { titre: 'Notaires', description: 'Annuaire des notaires de France.', href: 'https://www.notaires.fr/fr/annuaires-notaires' },
];

/** Every question, in page order. */
export const QUESTIONS_AIDE: readonly QuestionAide[] = THEMES_AIDE.flatMap((t) => t.questions);

/** The link to one answer: the server opens it (no script needed), the anchor scrolls to it. */
export const lienAide = (id: string) => `/aide?question=${encodeURIComponent(id)}#${id}`;

/**
 * The answer an error page links, by ErreurPortail code (domain/erreurs.ts and every module that
 * throws one), then by HTTP status for the generic http_* errors.
 */
export const AIDE_PAR_ERREUR: Readonly<Record<string, string>> = {
  introuvable: 'page-introuvable',
  http_404: 'page-introuvable',
  dossier_purge: 'page-introuvable',
  non_authentifie: 'acceder-espace',
  connexion_expiree: 'probleme-connexion',
  connexion_refusee: 'probleme-connexion',
  connexion_non_verifiee: 'probleme-connexion',
  deconnexion_inattendue: 'probleme-connexion',
  niveau_insuffisant: 'probleme-connexion',
  fournisseur_indisponible: 'probleme-connexion',
  interdit: 'acces-refuse',
  http_403: 'acces-refuse',
  agent_sans_role: 'acces-refuse',
  csrf: 'formulaire-expire',
  donnees_invalides: 'formulaire-refuse',
  formulaire_illisible: 'formulaire-refuse',
  http_400: 'formulaire-refuse',
  conflit: 'erreur-technique',
  piece_trop_grosse: 'pieces-jointes',
  http_413: 'pieces-jointes',
  http_415: 'pieces-jointes',
  erreur_interne: 'erreur-technique',
  // The refusals of the case-adding form (web/citoyen/ajout-dossier.ts RefusRattachement codes).
  numero_inconnu: 'numero-non-recu',
  sans_telephone: 'code-sms',
  verrouille: 'code-sms',
  limite_sms: 'code-sms',
  intervalle_sms: 'code-sms',
  code_incorrect: 'code-sms',
  code_desactive: 'code-sms',
  code_expire: 'code-sms',
  code_remplace: 'code-sms',
  code_utilise: 'code-sms',
};

/** The help answer for an error code, or by status; erreur-technique for anything else. */
export function questionPourErreur(code: string, statut?: number): QuestionAide {
  const id = AIDE_PAR_ERREUR[code] ?? (code.startsWith('code_') ? 'code-sms' : statut !== undefined && statut < 500 ? AIDE_PAR_ERREUR[`http_${statut}`] : undefined) ?? 'erreur-technique';
  return QUESTIONS_AIDE.find((q) => q.id === id)!;
}

/** Lower case, without accents or punctuation: « Délai » and « delai » are the same word. */
export function normaliser(texte: string): string {
  return texte
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’'`]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function texteQuestion(q: QuestionAide): string {
  return normaliser([q.question, ...q.reponse.flatMap((b) => (typeof b === 'string' ? [b] : b.liste))].join(' '));
}

const INDEX = new Map(QUESTIONS_AIDE.map((q) => [q.id, ` ${texteQuestion(q)} `]));

/**
 * The themes with the questions matching every word of `recherche` (accents and case ignored; a
 * word matches the start of a word of the question or its answer, so « desactiv » finds
 * « désactiver »). Words of one or two letters are ignored (« le », « de »), unless they are all
 * there is. An empty search returns everything.
 */
export function rechercherAide(recherche: string): ThemeAide[] {
  const tous = normaliser(recherche).split(' ').filter(Boolean);
  const mots = tous.filter((m) => m.length > 2).length ? tous.filter((m) => m.length > 2) : tous;
  if (mots.length === 0) return THEMES_AIDE.map((t) => ({ ...t }));
  return THEMES_AIDE.map((t) => ({ ...t, questions: t.questions.filter((q) => mots.every((m) => INDEX.get(q.id)!.includes(` ${m}`))) })).filter((t) => t.questions.length > 0);
}
