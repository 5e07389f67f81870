// The DSFR page frame shared by every page: skip links, header with the Marianne block,
// main content, footer. Server-rendered; DSFR's JS only enhances (menus, modals).
import { html, type SafeHtml } from './html.js';
import { INACTIVITE_MS } from '../middleware/session.js';

/** Idle timeout (web/middleware/session.ts) and how long before it the warning shows. */
export const SESSION_DUREE_S = INACTIVITE_MS / 1000;
export const SESSION_AVERTISSEMENT_S = 5 * 60;

/** DSFR's artwork sprites: the radios' pictograms recolour with the theme. */
const pictogramme = (fichier: string) => html`<svg aria-hidden="true" class="fr-artwork" viewBox="0 0 80 80" width="80px" height="80px">
  <use class="fr-artwork-decorative" href="/static/dsfr/artwork/pictograms/${fichier}#artwork-decorative"></use>
  <use class="fr-artwork-minor" href="/static/dsfr/artwork/pictograms/${fichier}#artwork-minor"></use>
  <use class="fr-artwork-major" href="/static/dsfr/artwork/pictograms/${fichier}#artwork-major"></use>
</svg>`;

/**
 * DSFR's display settings (light, dark, system), opened from the footer. dsfr.module.min.js
 * drives it (data-fr-scheme and data-fr-theme on <html>, the choice kept in localStorage); without
 * JavaScript the dialog does not open and the light theme stays. The title is an h2: every page
 * keeps a single h1.
 */
const parametresAffichage = html`<dialog id="fr-theme-modal" class="fr-modal" aria-labelledby="fr-theme-modal-title">
  <div class="fr-container fr-container--fluid fr-container-md">
    <div class="fr-grid-row fr-grid-row--center">
      <div class="fr-col-12 fr-col-md-6 fr-col-lg-4">
        <div class="fr-modal__body">
          <div class="fr-modal__header">
            <button type="button" class="fr-btn--close fr-btn" aria-controls="fr-theme-modal" title="Fermer">Fermer</button>
          </div>
          <div class="fr-modal__content">
            <h2 id="fr-theme-modal-title" class="fr-modal__title">Paramètres d’affichage</h2>
            <div id="fr-display" class="fr-display">
              <fieldset class="fr-fieldset" id="display-fieldset">
                <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="display-fieldset-legend">Choisissez un thème pour personnaliser l’apparence du site.</legend>
                <div class="fr-fieldset__element"><div class="fr-radio-group fr-radio-rich">
                  <input value="light" type="radio" id="fr-radios-theme-light" name="fr-radios-theme">
                  <label class="fr-label" for="fr-radios-theme-light">Thème clair</label>
                  <div class="fr-radio-rich__pictogram">${pictogramme('environment/sun.svg')}</div>
                </div></div>
                <div class="fr-fieldset__element"><div class="fr-radio-group fr-radio-rich">
                  <input value="dark" type="radio" id="fr-radios-theme-dark" name="fr-radios-theme">
                  <label class="fr-label" for="fr-radios-theme-dark">Thème sombre</label>
                  <div class="fr-radio-rich__pictogram">${pictogramme('environment/moon.svg')}</div>
                </div></div>
                <div class="fr-fieldset__element"><div class="fr-radio-group fr-radio-rich">
                  <input value="system" type="radio" id="fr-radios-theme-system" name="fr-radios-theme">
                  <label class="fr-label" for="fr-radios-theme-system">Système <span class="fr-hint-text">Utilise les paramètres de votre appareil</span></label>
                  <div class="fr-radio-rich__pictogram">${pictogramme('system/system.svg')}</div>
                </div></div>
              </fieldset>
            </div>
          </div>
        </div>
      </div>
    </div>
  </div>
</dialog>`;

export interface OptionsPage {
  titre: string;
  contenu: SafeHtml;
  /** The logged-in citizen's name: the header then offers their space and logout. */
  utilisateur?: string;
  /** CSRF token for the logout form and htmx requests. */
  csrf?: string;
  /** Replaces the header's links (the agent pages have their own: web/agent/vues.ts). */
  entete?: SafeHtml;
  /**
   * Where the session-timeout warning renews the session and where it sends once it has expired:
   * the citizen's by default; the agent pages give theirs (a citizen route refuses an agent).
   */
  session?: { prolonger: string; connexion: string };
}

export function page(o: OptionsPage): SafeHtml {
  return html`<!doctype html>
<html lang="fr" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<meta name="format-detection" content="telephone=no">
<meta name="htmx-config" content='{"noSwap":[204,304]}'>
<title>${o.titre} — Portail du justiciable</title>
<link rel="stylesheet" href="/static/dsfr/dsfr.min.css">
<link rel="stylesheet" href="/static/dsfr/utility/icons/icons.min.css">
<link rel="icon" href="/static/dsfr/favicon/favicon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/static/dsfr/favicon/apple-touch-icon.png">
</head>
<body${o.csrf ? html` hx-headers:inherited='${JSON.stringify({ 'X-CSRF-Token': o.csrf })}'` : ''}${o.utilisateur && o.csrf ? html` data-session-duree="${SESSION_DUREE_S}" data-session-avertissement="${SESSION_AVERTISSEMENT_S}" data-csrf="${o.csrf}" data-session-prolonger="${o.session?.prolonger ?? '/espace/session'}" data-session-connexion="${o.session?.connexion ?? '/connexion'}"` : ''}>
<div class="fr-skiplinks">
  <nav class="fr-container" role="navigation" aria-label="Accès rapide">
    <ul class="fr-skiplinks__list">
      <li><a class="fr-link" href="#contenu">Contenu</a></li>
      <li><a class="fr-link" href="#pied-de-page">Pied de page</a></li>
    </ul>
  </nav>
</div>
<header role="banner" class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand fr-enlarge-link">
          <div class="fr-header__brand-top">
            <div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div>
            <div class="fr-header__navbar">
              <button class="fr-btn--menu fr-btn" data-fr-opened="false" aria-controls="menu-mobile" aria-haspopup="menu" id="bouton-menu" title="Menu">Menu</button>
            </div>
          </div>
          <div class="fr-header__service">
            <a href="/" title="Accueil — Portail du justiciable"><p class="fr-header__service-title">Portail du justiciable</p></a>
            <p class="fr-header__service-tagline">Suivre ses affaires judiciaires en ligne</p>
          </div>
        </div>
        <div class="fr-header__tools">
          <div class="fr-header__tools-links">
            <ul class="fr-btns-group">
              <li><a class="fr-btn fr-icon-bank-line" href="/juridictions">Juridictions</a></li>
              <li><a class="fr-btn fr-icon-question-line" href="/aide">Aide</a></li>
              ${o.entete ?? (o.utilisateur
                ? html`<li><a class="fr-btn fr-icon-account-circle-line" href="/espace/parametres">${o.utilisateur}</a></li>
              <li><form method="post" action="/deconnexion"><input type="hidden" name="_csrf" value="${o.csrf ?? ''}"><button type="submit" class="fr-btn fr-icon-logout-box-r-line">Se déconnecter</button></form></li>`
                : html`<li><a class="fr-btn fr-icon-lock-line" href="/connexion">Accéder à mon espace</a></li>`)}
            </ul>
          </div>
        </div>
      </div>
    </div>
  </div>
  <!-- On small screens DSFR copies the tools links into this menu. -->
  <div class="fr-header__menu fr-modal" id="menu-mobile" aria-labelledby="bouton-menu">
    <div class="fr-container">
      <button class="fr-btn--close fr-btn" aria-controls="menu-mobile" title="Fermer">Fermer</button>
      <div class="fr-header__menu-links"></div>
    </div>
  </div>
</header>
<div class="fr-notice fr-notice--info">
  <div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title">
    Ré-implémentation ouverte du Portail du justiciable : ce site n’est pas le site officiel justice.fr.
  </p></div></div>
</div>
${o.utilisateur && html`<div id="avertissement-session" class="fr-container fr-mt-2w" hidden>
  <div class="fr-alert fr-alert--warning" role="alertdialog" aria-labelledby="avertissement-session-titre" aria-describedby="avertissement-session-texte">
    <h2 class="fr-alert__title" id="avertissement-session-titre">Votre session va bientôt expirer</h2>
    <p id="avertissement-session-texte">Sans action de votre part, vous serez déconnecté dans ${SESSION_AVERTISSEMENT_S / 60} minutes.</p>
    <button type="button" class="fr-btn fr-btn--sm fr-mt-1w">Rester connecté</button>
  </div>
</div>`}
<main role="main" id="contenu" tabindex="-1">
  <div class="fr-container fr-my-6w">
${o.contenu}
  </div>
</main>
<footer class="fr-footer" role="contentinfo" id="pied-de-page">
  <div class="fr-container">
    <div class="fr-footer__body">
      <div class="fr-footer__brand fr-enlarge-link">
        <a href="/" title="Retour à l’accueil du Portail du justiciable"><p class="fr-logo">République<br>Française</p></a>
      </div>
      <div class="fr-footer__content">
        <p class="fr-footer__content-desc">Le Portail du justiciable permet de suivre l’avancement de ses affaires judiciaires, de consulter les avis, convocations et récépissés, et d’adresser des requêtes en ligne aux juridictions.</p>
      </div>
    </div>
    <div class="fr-footer__bottom">
      <ul class="fr-footer__bottom-list">
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité : non conforme</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/juridictions">Juridictions</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/aide">Aide</a></li>
        <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/contact">Contacter le support</a></li>
        <li class="fr-footer__bottom-item"><button type="button" class="fr-footer__bottom-link fr-icon-theme-fill fr-link--icon-left" aria-controls="fr-theme-modal" data-fr-opened="false">Paramètres d’affichage</button></li>
      </ul>
      <div class="fr-footer__bottom-copy"><p>Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous licence etalab-2.0</p></div>
    </div>
  </div>
</footer>
${parametresAffichage}
<script type="module" src="/static/dsfr/dsfr.module.min.js"></script>
<script nomodule src="/static/dsfr/dsfr.nomodule.min.js"></script>
<script src="/static/htmx/htmx.min.js"></script>
${o.utilisateur && html`<script src="/static/portail/session.js"></script>`}
</body>
</html>`;
}
