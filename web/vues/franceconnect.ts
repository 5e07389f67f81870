// The official FranceConnect button (DSFR `fr-connect`): label and look must not be altered.
import { html } from './html.js';

export function boutonFranceConnect(csrf: string) {
  return html`<div class="fr-connect-group">
  <form method="post" action="/connexion">
    <input type="hidden" name="_csrf" value="${csrf}">
    <button type="submit" class="fr-connect">
      <span class="fr-connect__login">S’identifier avec</span>
      <span class="fr-connect__brand">FranceConnect</span>
    </button>
  </form>
  <p><a href="https://franceconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre">Qu’est-ce que FranceConnect ?</a></p>
</div>`;
}
