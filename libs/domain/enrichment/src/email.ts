// Mailbox providers anyone can sign up to: an address there says nothing about the lead's employer.
const FREE_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com',
  'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.es', 'yahoo.it', 'yahoo.co.in', 'yahoo.co.jp', 'ymail.com', 'rocketmail.com',
  'hotmail.com', 'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es',
  'outlook.com', 'outlook.fr', 'outlook.de', 'live.com', 'live.co.uk', 'live.fr', 'msn.com',
  'aol.com', 'aim.com',
  'icloud.com', 'me.com', 'mac.com',
  'proton.me', 'protonmail.com', 'pm.me', 'tutanota.com', 'tuta.io',
  'gmx.com', 'gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de',
  'mail.com', 'email.com', 'zoho.com', 'zohomail.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'inbox.ru', 'bk.ru', 'list.ru',
  'fastmail.com', 'fastmail.fm', 'hushmail.com',
  'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr',
  'libero.it', 'virgilio.it', 'tiscali.it',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'ntlworld.com',
  'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net', 'cox.net', 'charter.net',
  'qq.com', '163.com', '126.com', 'sina.com', 'naver.com', 'daum.net', 'rediffmail.com',
  'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'bol.com.br', 'uol.com.br',
]);

export function isFreeEmailDomain(domain: string): boolean {
  return FREE_EMAIL_DOMAINS.has(domain.toLowerCase());
}

export interface NormalisedEmail {
  readonly email: string;
  readonly domain: string;
}

/** Trims and lower-cases; `undefined` when there is no non-empty local part and domain. */
export function normaliseEmail(raw: string): NormalisedEmail | undefined {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  // A trailing dot is a valid fully-qualified form of the same domain.
  const domain = email.slice(at + 1).replace(/\.+$/, '');
  if (domain.length === 0 || /\s/.test(email)) return undefined;
  return { email: `${email.slice(0, at)}@${domain}`, domain };
}
