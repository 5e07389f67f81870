// /.well-known/security.txt (RFC 9116, issue 9 item 6): where to report a vulnerability. Built
// at each request so `Expires` is always a year ahead (the RFC advises less than a year; a file
// copied by hand would go stale) and `Canonical` follows PUBLIC_URL.
import type { RouterContext } from '@koa/router';
import type { Config } from '../../domain/config.js';

export function texteSecurityTxt(config: Pick<Config, 'PUBLIC_URL' | 'SUPPORT_EMAIL'>, maintenant: Date): string {
  const expire = new Date(maintenant.getTime());
  expire.setUTCFullYear(expire.getUTCFullYear() + 1);
  expire.setUTCMilliseconds(0);
  return [
    '# Portail du justiciable : signaler une vulnérabilité / report a vulnerability.',
    '# Merci de ne pas inclure de données personnelles de tiers dans votre signalement.',
    `Contact: mailto:${config.SUPPORT_EMAIL}`,
    // The contact form, subject "Signaler une faille de sécurité", reaches the same team.
    `Contact: ${config.PUBLIC_URL}/contact`,
    `Expires: ${expire.toISOString().replace('.000Z', 'Z')}`,
    'Preferred-Languages: fr, en',
    `Canonical: ${config.PUBLIC_URL}/.well-known/security.txt`,
    '',
  ].join('\n');
}

export function pageSecurityTxt(config: Config, maintenant: () => Date = () => new Date()) {
  return async (ctx: RouterContext): Promise<void> => {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = texteSecurityTxt(config, maintenant());
  };
}
