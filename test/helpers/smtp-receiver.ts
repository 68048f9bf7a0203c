import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { countWaiter } from './wait-for.ts';

/**
 * A local SMTP server (smtp-server) on 127.0.0.1 with a random port that requires AUTH (user and
 * password) and records every message. STARTTLS is off (its built-in certificate is self-signed), so
 * a client connects over plain smtp:// — fine on the loopback interface of a test.
 */
export interface ReceivedMail {
  /** The envelope's MAIL FROM and RCPT TO addresses. */
  from: string;
  to: string[];
  subject: string;
  /** The decoded text body, with \n line ends. */
  text: string;
  /** The message as it came over the wire (headers and encoded body). */
  raw: string;
  /** The user it authenticated as. */
  user?: string;
}

export interface SmtpReceiver {
  port: number;
  user: string;
  password: string;
  /** smtp://user:password@127.0.0.1:port (user and password URL-encoded). */
  url: string;
  messages: ReceivedMail[];
  /** Resolves with the first `n` messages once that many arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(
  options: { user?: string; password?: string } = {},
): Promise<SmtpReceiver> {
  const user = options.user ?? 'alerts';
  const password = options.password ?? 'smtp p@ss-Secret/42';
  const messages: ReceivedMail[] = [];
  const waiter = countWaiter(messages, 'mail messages');
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { subject, text } = parseSimpleMail(raw);
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject,
          text,
          raw,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
        waiter.notify();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    user,
    password,
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    messages,
    waitFor: waiter.waitFor,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Subject and text of a single-part message such as nodemailer writes for `{subject, text}`: headers
 * unfolded, RFC 2047 encoded words (Q or B) in the subject, a 7bit, quoted-printable or base64 body.
 * Enough for tests; not a MIME parser (no multipart, UTF-8 assumed).
 */
export function parseSimpleMail(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? quotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return {
    subject: encodedWords(headers.get('subject') ?? ''),
    text: decoded.replace(/\r\n/g, '\n').replace(/\n+$/, ''),
  };
}

function quotedPrintable(input: string): string {
  return qBytes(input.replace(/=\r?\n/g, '')).toString('utf8');
}

function encodedWords(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  // Bytes first, text last: a multi-byte character may be split over two encoded words.
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of joined.matchAll(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g)) {
    parts.push(Buffer.from(joined.slice(last, match.index), 'utf8'));
    const [, kind, data = ''] = match;
    parts.push(kind?.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qBytes(data.replace(/_/g, ' ')));
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(joined.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

/** `=XX` escapes to bytes, everything else as its (ASCII) code. */
function qBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}
