import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import proxyAddr from 'proxy-addr';
import { ConfigError } from '@leadstream/platform-service';

/** The proxies whose X-Forwarded-For is believed: `INGESTION_TRUSTED_PROXIES`, else `TRUSTED_PROXIES`; default none. */
export interface TrustedProxies {
  /** The variable the list was read from, for messages. */
  readonly variable?: string;
  /** As configured: addresses, CIDR ranges, or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`. */
  readonly entries: readonly string[];
  /** Whether the hop at `address` is a trusted proxy. */
  readonly trusts: (address: string, hop: number) => boolean;
}

export const TRUSTED_PROXIES = Symbol('TrustedProxies');

const TRUST_NONE = (): boolean => false;

/** Reads the trusted proxies; an entry that is not an address, a range or a known name throws ConfigError naming it. */
export function readTrustedProxies(env: NodeJS.ProcessEnv = process.env): TrustedProxies {
  for (const variable of ['INGESTION_TRUSTED_PROXIES', 'TRUSTED_PROXIES']) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const entries = raw.split(',').map((entry) => entry.trim());
    entries.forEach((entry, index) => {
      if (entry === '') throw new ConfigError(variable, `${variable}: entry ${index + 1} is empty; expected comma-separated addresses or CIDR ranges such as 10.0.0.0/8`);
      try {
        proxyAddr.compile(entry);
      } catch (error) {
        throw new ConfigError(
          variable,
          `${variable}: "${entry}" is not an IP address, a CIDR range (10.0.0.0/8, fd00::/8) or one of loopback, linklocal, uniquelocal (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    });
    return { variable, entries, trusts: proxyAddr.compile(entries) };
  }
  return { entries: [], trusts: TRUST_NONE };
}

/**
 * The visitor's address: the direct peer, unless it is a trusted proxy; then X-Forwarded-For is read
 * from right to left, skipping trusted hops, and the first untrusted address is the client. A header
 * from an untrusted peer is ignored, so a visitor cannot choose the address its rate limit keys on.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  const request = { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: peer } };
  return proxyAddr(request as unknown as IncomingMessage, trusted.trusts);
}

interface ExpressSettings {
  set(setting: string, value: unknown): unknown;
}

/**
 * Hands the trusted proxies to Express's `trust proxy` setting (which uses the same proxy-addr
 * function), so `request.ip` — the address the public-route rate limit and the form posts' caller id
 * key on — is `clientAddress(...)`, and `request.protocol` follows X-Forwarded-Proto from them too.
 */
@Injectable()
export class TrustedProxiesSetting implements OnModuleInit {
  private readonly logger = new Logger('TrustedProxies');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(TRUSTED_PROXIES) private readonly trusted: TrustedProxies,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter?.getInstance<ExpressSettings>();
    if (app === undefined) return;
    app.set('trust proxy', this.trusted.entries.length === 0 ? false : this.trusted.trusts);
    if (this.trusted.entries.length > 0) {
      this.logger.log(`client addresses are read from X-Forwarded-For set by ${this.trusted.entries.join(', ')} (${this.trusted.variable})`);
    }
  }
}
