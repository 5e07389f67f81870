// Just enough of a browser for integration tests: a cookie jar, redirects, and forms.
/** Just enough of a browser: a cookie jar (names only; paths and expiry ignored) and forms. */
export class Navigateur {
  private readonly cookies = new Map<string, string>();

  /**
   * `multipart`: a multipart/form-data body (file uploads); fetch sets its boundary. `brut`: a body
   * sent as is (a malformed form, for fuzzing), with its Content-Type in `entetes`. `entetes`:
   * extra headers (htmx's).
   */
  async requete(url: string, init: { method?: string; form?: Record<string, string>; multipart?: FormData; brut?: string; entetes?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.entetes };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | FormData | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.multipart) {
      body = init.multipart;
    } else if (init.brut !== undefined) {
      body = init.brut;
    }
    const r = await fetch(url, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const ligne of r.headers.getSetCookie()) {
      const [paire = '', ...attributs] = ligne.split(';');
      const i = paire.indexOf('=');
      const nom = paire.slice(0, i).trim();
      const valeur = paire.slice(i + 1).trim();
      const expire = attributs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now());
      if (!valeur || expire) this.cookies.delete(nom);
      else this.cookies.set(nom, valeur);
    }
    return r;
  }

  /**
   * Follows redirects until one leaves `origine` (the provider); returns the page reached on the
   * provider, or the URL the browser would open at the relying party.
   */
  async suivre(url: string, origine: string, init: { form?: Record<string, string> } = {}): Promise<{ page?: string; statut: number; url: string }> {
    let courant = url;
    let r = await this.requete(courant, init);
    for (let sauts = 0; r.status >= 300 && r.status < 400; sauts++) {
      if (sauts > 10) throw new Error('trop de redirections');
      courant = new URL(r.headers.get('location')!, courant).toString();
      await r.body?.cancel();
      if (!courant.startsWith(origine)) return { statut: r.status, url: courant };
      r = await this.requete(courant);
    }
    return { page: await r.text(), statut: r.status, url: courant };
  }
}

/** The action of the page's form that contains `marqueur`, and its hidden fields. */
export function formulaire(page: string, marqueur: string): { action: string; methode: string; champs: Record<string, string> } {
  const formulaires = page.match(/<form[\s\S]*?<\/form>/g) ?? [];
  const f = formulaires.find((x) => x.includes(marqueur));
  if (!f) throw new Error(`pas de formulaire contenant ${marqueur}`);
  const action = /action="([^"]*)"/.exec(f)![1]!.replace(/&amp;/g, '&');
  const methode = (/method="([^"]*)"/.exec(f)?.[1] ?? 'get').toLowerCase();
  const champs: Record<string, string> = {};
  for (const m of f.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) champs[m[1]!] = m[2]!;
  return { action, methode, champs };
}

