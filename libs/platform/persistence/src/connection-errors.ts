/** Node socket errors that mean "the server is not there (yet)". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

/**
 * PostgreSQL SQLSTATEs that clear up by themselves: class 08 (connection exception), server
 * starting up or shutting down (57P01-57P03), too many connections (53300), and a database that a
 * launcher is about to create (3D000).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000']);

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  errors?: unknown;
}

// Duck-typed on purpose: errors from Node's socket layer may come from another realm (a VM
// context, as under Jest), where `instanceof Error` is false.
function asErrorLike(err: unknown): ErrorLike | undefined {
  return err !== null && typeof err === 'object' ? (err as ErrorLike) : undefined;
}

/** True when retrying the connection later may succeed (unreachable, starting, overloaded). */
export function isConnectionError(err: unknown): boolean {
  const e = asErrorLike(err);
  if (!e) return false;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || TRANSIENT_SQLSTATES.has(e.code) || e.code.startsWith('08'))) {
    return true;
  }
  // Node's happy-eyeballs connect reports one error per address tried.
  if (Array.isArray(e.errors) && e.errors.some(isConnectionError)) return true;
  // pg reports a dropped socket and its own connect timeout without a code.
  return typeof e.message === 'string' && /Connection terminated|timeout expired/i.test(e.message);
}

/** The URL with its password masked, for log lines and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

/** A one-line description of an error: its message, with its code when the message lacks it. */
export function describeError(err: unknown): string {
  const e = asErrorLike(err);
  if (!e) return String(err);
  const message = typeof e.message === 'string' ? e.message : '';
  if (!message && Array.isArray(e.errors) && e.errors.length > 0) return e.errors.map(describeError).join('; ');
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined;
  if (!message) return code ?? String(err);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}
