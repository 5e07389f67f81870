// Warns a logged-in citizen or agent before the 30-minute idle timeout and lets them stay logged in.
// Progressive enhancement only: without JavaScript the session simply expires and the next
// page asks to log in again.
(function () {
  var corps = document.body;
  var duree = Number(corps.getAttribute('data-session-duree'));
  var avance = Number(corps.getAttribute('data-session-avertissement'));
  var jeton = corps.getAttribute('data-csrf');
  // The citizen's routes by default; the agent pages name their own.
  var prolonger = corps.getAttribute('data-session-prolonger') || '/espace/session';
  var connexion = corps.getAttribute('data-session-connexion') || '/connexion';
  if (!duree || !avance || !jeton) return;
  var alerte = document.getElementById('avertissement-session');
  var minuterie;
  function armer() {
    clearTimeout(minuterie);
    minuterie = setTimeout(function () {
      alerte.hidden = false;
      var bouton = alerte.querySelector('button');
      if (bouton) bouton.focus();
    }, (duree - avance) * 1000);
  }
  alerte.querySelector('button').addEventListener('click', function () {
    fetch(prolonger, { method: 'POST', headers: { 'X-CSRF-Token': jeton }, credentials: 'same-origin' }).then(function (r) {
      if (r.ok) {
        alerte.hidden = true;
        armer();
      } else {
        window.location.href = connexion;
      }
    });
  });
  // htmx requests also renew the session on the server.
  document.addEventListener('htmx:after:request', armer);
  armer();
})();
