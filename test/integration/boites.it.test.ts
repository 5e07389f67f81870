// The mail and SMS sinks, fed by the very clients the activities use: nodemailer over real SMTP,
// and the official twilio client redirected to the local endpoint (STACK.md §12).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { demarrerBoites, type Boites, type Courriel, type Sms } from '../../dev/boites.js';
import { portLibre } from '../../dev/ports.js';

class RedirectingClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super();
  }

  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const u = new URL(opts.uri);
    return super.request<T>({ ...opts, uri: this.origin + u.pathname + u.search });
  }
}

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;

let boites: Boites;
let dossier: string;

async function demarrer(): Promise<Boites> {
  return demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0), fichier: path.join(dossier, 'boites.jsonl') });
}

async function json<T>(chemin: string): Promise<T> {
  const r = await fetch(new URL(chemin, boites.urlPage));
  expect(r.status).toBe(200);
  return (await r.json()) as T;
}

function transport() {
  return nodemailer.createTransport(boites.smtpUrl);
}

beforeAll(async () => {
  dossier = await mkdtemp(path.join(os.tmpdir(), 'boites-'));
  boites = await demarrer();
});

afterAll(async () => {
  await boites?.arreter();
  await rm(dossier, { recursive: true, force: true });
});

beforeEach(async () => {
  const r = await fetch(new URL('/api/messages', boites.urlPage), { method: 'DELETE' });
  expect(r.status).toBe(204);
});

describe('boîtes locales : courriels (SMTP) et SMS (API Twilio)', () => {
  test('un courriel avec accents et pièce jointe apparaît dans /api/courriels', async () => {
    expect(boites.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const pdf = Buffer.from('%PDF-1.4\n% convocation de démonstration\n%%EOF\n');
    const t = transport();
    await t.verify();
    await t.sendMail({
      from: 'Portail du justiciable <ne-pas-repondre@justice.example>',
      to: 'angela.dubois@example.org',
      subject: 'Votre audience du 12 mars à 9 h 30 — tribunal judiciaire',
      text: 'Bonjour Mme Dubois,\nvotre audience aura lieu à la salle « Élisabeth Guigou ».\nÀ bientôt.',
      html: '<p>Bonjour Mme Dubois,</p>',
      headers: { 'X-Idempotency-Key': 'alerte-123' },
      attachments: [{ filename: 'convocation-été.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    t.close();

    const liste = await json<Courriel[]>('/api/courriels');
    expect(liste).toHaveLength(1);
    const c = liste[0]!;
    expect(c.subject).toBe('Votre audience du 12 mars à 9 h 30 — tribunal judiciaire');
    expect(c.text).toContain('salle « Élisabeth Guigou »');
    expect(c.from).toContain('ne-pas-repondre@justice.example');
    expect(c.to).toEqual(['angela.dubois@example.org']);
    expect(c.attachments).toEqual([{ name: 'convocation-été.pdf', type: 'application/pdf', size: pdf.length }]);
    expect(c.headers['x-idempotency-key']).toBe('alerte-123');
    expect(c.html).toBeUndefined(); // only in the detail

    const detail = await json<Courriel>(`/api/courriels/${c.id}`);
    expect(detail.text).toBe(c.text);
    expect(detail.html).toContain('Bonjour Mme Dubois');
    const absent = await fetch(new URL('/api/courriels/inconnu', boites.urlPage));
    expect(absent.status).toBe(404);

    expect(await json<Courriel[]>('/api/courriels?destinataire=ANGELA.DUBOIS@example.org')).toHaveLength(1);
    expect(await json<Courriel[]>('/api/courriels?destinataire=autre@example.org')).toHaveLength(0);
  });

  test('le client twilio officiel envoie un SMS au point de terminaison local', async () => {
    const client = twilio(ACCOUNT_SID, 'jeton-de-dev', { httpClient: new RedirectingClient(boites.twilioApiUrl) });
    const msg = await client.messages.create({ to: '+33612345678', from: '+33700000000', body: 'Rappel : audience le 12/03 à 9 h 30, tribunal judiciaire de Paris.' });
    expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(msg.status).toBe('queued');
    expect(msg.to).toBe('+33612345678');
    expect(msg.accountSid).toBe(ACCOUNT_SID);
    expect(msg.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(msg.dateCreated.getTime())).toBe(false);

    const liste = await json<Sms[]>('/api/sms');
    expect(liste).toHaveLength(1);
    expect(liste[0]).toMatchObject({ id: msg.sid, to: '+33612345678', from: '+33700000000', body: 'Rappel : audience le 12/03 à 9 h 30, tribunal judiciaire de Paris.' });

    const relu = await client.messages(msg.sid).fetch();
    expect(relu.body).toBe(msg.body);
  });

  test("mauvaise authentification Basic → 401, champ manquant → 400", async () => {
    const url = new URL(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, boites.twilioApiUrl);
    const form = new URLSearchParams({ To: '+33612345678', From: '+33700000000', Body: 'x' });
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    const autre = await fetch(url, { method: 'POST', body: form, headers: { authorization: basic(`AC${'f'.repeat(32)}`, 'jeton') } });
    expect(autre.status).toBe(401);
    expect(((await autre.json()) as { code: number }).code).toBe(20003);
    const sans = await fetch(url, { method: 'POST', body: form });
    expect(sans.status).toBe(401);
    await sans.body?.cancel();

    const incomplet = await fetch(url, { method: 'POST', body: new URLSearchParams({ From: '+33700000000', Body: 'x' }), headers: { authorization: basic(ACCOUNT_SID, 'jeton') } });
    expect(incomplet.status).toBe(400);
    expect(((await incomplet.json()) as { code: number }).code).toBe(21604);

    const client = twilio(`AC${'e'.repeat(32)}`, 'jeton', { httpClient: new RedirectingClient(boites.twilioApiUrl) });
    // the library builds the URL from its own SID, so this one passes: the check is the server's
    await expect(client.messages.create({ to: '+33612345678', from: '+33700000000', body: 'ok' })).resolves.toBeDefined();
    expect(await json<Sms[]>('/api/sms')).toHaveLength(1);
  });

  test('la page HTML échappe ce qu’elle affiche et liste du plus récent au plus ancien', async () => {
    const t = transport();
    await t.sendMail({ from: 'a@example.org', to: 'b@example.org', subject: 'premier', text: 'un' });
    await t.sendMail({ from: 'a@example.org', to: 'b@example.org', subject: '<script>alert("x")</script>', text: '<img src=x onerror=alert(1)>' });
    t.close();
    const client = twilio(ACCOUNT_SID, 'jeton', { httpClient: new RedirectingClient(boites.twilioApiUrl) });
    await client.messages.create({ to: '+33611111111', from: '+33700000000', body: '<b>gras</b> & co' });

    const r = await fetch(boites.urlPage);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await r.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>gras</b>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('&lt;b&gt;gras&lt;/b&gt; &amp; co');
    expect(page.indexOf('&lt;script&gt;')).toBeLessThan(page.indexOf('premier'));

    const liste = await json<Courriel[]>('/api/courriels');
    expect(liste.map((c) => c.subject)).toEqual(['<script>alert("x")</script>', 'premier']);
  });

  test('DELETE /api/messages vide tout ; sans vidage, un redémarrage garde les messages', async () => {
    const t = transport();
    await t.sendMail({ from: 'a@example.org', to: 'c@example.org', subject: 'gardé', text: 'persistant' });
    t.close();
    await boites.arreter();
    boites = await demarrer();
    const liste = await json<Courriel[]>('/api/courriels');
    expect(liste.map((c) => c.subject)).toEqual(['gardé']);

    const r = await fetch(new URL('/api/messages', boites.urlPage), { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect(await json<Courriel[]>('/api/courriels')).toEqual([]);
    expect(await json<Sms[]>('/api/sms')).toEqual([]);
    await boites.arreter();
    boites = await demarrer();
    expect(await json<Courriel[]>('/api/courriels')).toEqual([]);
  });
});
