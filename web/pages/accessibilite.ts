// /accessibilite: the accessibility statement required of public services (RGAA, décret
// 2019-768). No audit has been carried out yet, so the status is "non conforme": the RGAA
// requires it when no valid audit result exists, whatever the automated tests say. What those
// tests check (test/e2e/accessibilite.e2e.test.ts) and what they cannot is stated plainly; keep
// this page in step with them.
import type { RouterContext } from '@koa/router';
import { html } from '../vues/html.js';
import { rendre } from '../vues/rendu.js';

export async function pageAccessibilite(ctx: RouterContext): Promise<void> {
  rendre(ctx, {
    titre: 'Déclaration d’accessibilité',
    contenu: html`
<h1>Déclaration d’accessibilité</h1>
<p>Le ministère de la Justice s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.</p>
<p>Cette déclaration d’accessibilité s’applique au Portail du justiciable (ré-implémentation ouverte).</p>
<h2>État de conformité</h2>
<p>Le Portail du justiciable est <strong>non conforme</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA) version 4.1 : aucun audit de conformité n’a encore été réalisé.</p>
<h2>Ce qui est vérifié automatiquement</h2>
<p>À chaque modification du service, des tests automatisés ouvrent dans un navigateur réel (Chromium) <strong>chaque page</strong> du portail — pages publiques, pages de l’espace personnel d’un justiciable connecté qui suit un dossier avec une audience et un document, qui a une requête en brouillon et une requête envoyée, et pages de l’espace des agents pour chaque rôle — et vérifient :</p>
<ul>
  <li>l’absence de défaut « grave » ou « critique » signalé par l’outil axe-core pour les critères WCAG 2.1 de niveaux A et AA (contrastes, alternatives textuelles, étiquettes des champs, rôles et attributs ARIA, noms des liens et des boutons, structure des listes et des tableaux…) ;</li>
  <li>la présence d’un seul titre de niveau 1, sans niveau de titre sauté ensuite, d’une zone de contenu principal (<span lang="en">main</span>) et de la langue française déclarée ;</li>
  <li>que le premier élément atteint avec la touche Tabulation est le lien d’évitement « Contenu » ;</li>
  <li>qu’un justiciable peut ajouter un dossier à son espace au clavier seul (Tabulation, Maj+Tabulation, Entrée, Espace, saisie) ;</li>
  <li>que l’avertissement d’expiration de session est annoncé aux technologies d’assistance (boîte de dialogue d’alerte qui reçoit le focus) et permet de prolonger la session ;</li>
  <li>que les paramètres d’affichage (thème clair, sombre ou celui du système), en pied de page, changent le thème du site ;</li>
  <li>sur les formulaires testés, que les erreurs sont résumées en haut du formulaire et reliées à leur champ.</li>
</ul>
<h2>Ce qui n’est pas vérifié automatiquement</h2>
<p>Un outil automatique ne couvre qu’une partie des 106 critères du RGAA. Ne sont pas encore vérifiés, faute d’audit : la pertinence des alternatives textuelles, des titres et des intitulés de liens ; l’ordre de lecture et la cohérence de la navigation d’une page à l’autre ; l’affichage agrandi à 200 % et l’adaptation à une largeur de 320 pixels ; la restitution par les lecteurs d’écran (NVDA, JAWS, VoiceOver) ; les contrastes des états de survol et de focus ; l’accessibilité des documents PDF.</p>
<h2>Contenus non accessibles</h2>
<ul>
  <li>Les avis, convocations et récépissés au format PDF sont produits par les juridictions : leur accessibilité n’est pas garantie par le portail. En cas de difficulté, la juridiction ou le support peuvent vous en communiquer le contenu sous une autre forme.</li>
  <li>Les documents PDF produits par le portail (récépissé de dépôt d’une requête, export « Mes données ») n’ont pas fait l’objet d’une vérification d’accessibilité ; l’export « Mes données » existe aussi au format JSON et son contenu est affiché sur la page.</li>
</ul>
<h2>Établissement de cette déclaration</h2>
<p>Technologies utilisées : HTML, CSS, JavaScript (système de design de l’État et htmx) ; les formulaires fonctionnent aussi sans JavaScript. Outils de test : axe-core dans Chromium, piloté par Playwright. Cette déclaration a été établie le 23 novembre 2026.</p>
<h2>Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez le support pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : par téléphone au 0805 04 04 04 (appel gratuit, du lundi au vendredi de 9 h à 17 h).</p>
<h2>Voies de recours</h2>
<p>Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits : par le formulaire de contact en ligne du Défenseur des droits, par téléphone au 09 69 39 00 00, ou par courrier (gratuit, sans affranchissement) à Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>`,
  });
}
