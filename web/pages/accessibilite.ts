// /accessibilite: the accessibility statement required of public services (RGAA, décret
// 2019-768). No independent audit has been carried out yet, so the status is "non conforme",
// as the RGAA requires in that case; what is checked automatically is stated plainly.
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
<h2>Ce qui est vérifié</h2>
<p>Chaque page du parcours citoyen est testée automatiquement, à chaque modification du service, avec l’outil axe-core (critères WCAG 2.1 niveaux A et AA) dans un navigateur réel. Les pages utilisent le système de design de l’État (DSFR) et fonctionnent sans JavaScript lorsqu’un formulaire le permet.</p>
<h2>Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez le support pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : par téléphone au 0805 04 04 04 (appel gratuit, du lundi au vendredi de 9 h à 17 h).</p>
<h2>Voies de recours</h2>
<p>Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits : par le formulaire de contact en ligne du Défenseur des droits, par téléphone au 09 69 39 00 00, ou par courrier (gratuit, sans affranchissement) à Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>`,
  });
}
