// The two delivery channels, each replaced by the real service through configuration alone:
// SMTP_URL for e-mail, TWILIO_* (and TWILIO_API_URL for a Twilio-compatible endpoint such as
// the local SMS sink) for SMS.
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { Config } from '../domain/config.js';

export interface Messagerie {
  /** Returns the provider's message id. `cle` becomes the Message-ID, so a resend is recognisable. */
  envoyerCourriel(m: { a: string; sujet: string; texte: string; cle: string }): Promise<string>;
  envoyerSms(m: { a: string; texte: string }): Promise<string>;
  fermer(): void;
}

/** twilio-node has no base-URL option: rewrite the origin of every request (STACK.md §12). */
class ClientRedirige extends twilio.RequestClient {
  constructor(private readonly origine: string) {
    super();
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const u = new URL(opts.uri);
    return super.request<T>({ ...opts, uri: this.origine.replace(/\/$/, '') + u.pathname + u.search });
  }
}

export function creerMessagerie(config: Config): Messagerie {
  const transport = nodemailer.createTransport(config.SMTP_URL, { from: config.MAIL_FROM });
  const domaine = new URL(config.PUBLIC_URL).hostname;
  const sms = twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, config.TWILIO_API_URL ? { httpClient: new ClientRedirige(config.TWILIO_API_URL) } : {});
  return {
    async envoyerCourriel(m) {
      const info = await transport.sendMail({
        to: m.a,
        subject: m.sujet,
        text: m.texte,
        messageId: `<${m.cle.replace(/[^A-Za-z0-9._-]/g, '_')}@${domaine}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return info.messageId;
    },
    async envoyerSms(m) {
      const msg = await sms.messages.create({ to: m.a, from: config.TWILIO_FROM, body: m.texte });
      return msg.sid;
    },
    fermer: () => transport.close(),
  };
}
