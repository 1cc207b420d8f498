import type { LoggerService } from '@nestjs/common';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

/** The plain logging interface every Leadstream component accepts (kafka wrapper, persistence, apps). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** Minimum level written; defaults to LOG_LEVEL, then 'info'. */
  readonly level?: LogLevel;
  /** Where each JSON line goes; defaults to process.stdout. */
  readonly write?: (line: string) => void;
  /** Fields added to every line. */
  readonly fields?: LogFields;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * A logger that writes one JSON object per line:
 * `{ time, level, service, msg, trace_id, span_id, ...fields }`.
 *
 * It serves both as Nest's LoggerService (`log(message, context)`, `error(message, stack, context)`)
 * and as the plain Logger (`info(msg, fields)`), so one instance covers the framework and our code.
 */
export class JsonLogger implements LoggerService, Logger {
  private readonly minimum: number;
  private readonly write: (line: string) => void;
  private readonly baseFields: LogFields;

  constructor(
    readonly service: string,
    options: LoggerOptions = {},
  ) {
    this.minimum = severity[options.level ?? levelFromEnv()];
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.baseFields = options.fields ?? {};
  }

  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): JsonLogger {
    const level = (Object.keys(severity) as LogLevel[]).find((name) => severity[name] === this.minimum) ?? 'info';
    return new JsonLogger(this.service, { level, write: this.write, fields: { ...this.baseFields, ...fields } });
  }

  isLevelEnabled(level: LogLevel): boolean {
    return severity[level] >= this.minimum;
  }

  // ---- Nest LoggerService and plain Logger (the signatures overlap; arguments are told apart by type)
  log(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('info', message, optionalParams, false);
  }
  info(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('info', message, optionalParams, false);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('error', message, optionalParams, true);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('warn', message, optionalParams, false);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('debug', message, optionalParams, false);
  }
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('debug', message, optionalParams, false);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.emit('error', message, optionalParams, true);
  }

  private emit(level: LogLevel, message: unknown, params: readonly unknown[], mayCarryStack: boolean): void {
    if (severity[level] < this.minimum) return;
    const fields: Record<string, unknown> = {};
    const strings: string[] = [];
    for (const param of params) {
      if (param === undefined) continue;
      if (typeof param === 'string') strings.push(param);
      else if (isErrorLike(param)) fields['err'] = serializeError(param);
      else if (param !== null && typeof param === 'object') Object.assign(fields, serializeFields(param as LogFields));
      else fields['extra'] = param;
    }
    // Nest passes the context name last, and for errors a stack trace before it.
    if (strings.length > 0) {
      const last = strings[strings.length - 1] ?? '';
      if (mayCarryStack && strings.length === 1 && looksLikeStack(last)) fields['stack'] = last;
      else {
        fields['context'] = last;
        if (mayCarryStack && strings.length > 1 && strings[0]) fields['stack'] = strings[0];
      }
    }
    let msg: string;
    if (typeof message === 'string') msg = message;
    else if (isErrorLike(message)) {
      msg = message.message;
      fields['err'] = serializeError(message);
    } else if (message !== null && typeof message === 'object') {
      msg = typeof (message as { msg?: unknown }).msg === 'string' ? (message as { msg: string }).msg : '';
      Object.assign(fields, serializeFields(message as LogFields));
      delete fields['msg'];
    } else msg = String(message);

    const spanContext = trace.getSpanContext(context.active());
    const traceFields =
      spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      msg,
      ...traceFields,
    };
    // Caller fields never overwrite the fixed ones: a line's level and time must stay trustworthy.
    for (const [key, value] of Object.entries({ ...this.baseFields, ...fields })) {
      if (!(key in record)) record[key] = value;
    }
    this.write(safeStringify(record) + '\n');
  }
}

/** Creates the service's JSON logger. Level from LOG_LEVEL (debug | info | warn | error), default info. */
export function createLogger(serviceName: string, options?: LoggerOptions): JsonLogger {
  return new JsonLogger(serviceName, options);
}

function levelFromEnv(): LogLevel {
  const raw = process.env['LOG_LEVEL']?.trim().toLowerCase();
  if (!raw) return 'info';
  if (raw === 'verbose') return 'debug';
  // An invalid LOG_LEVEL is reported by readServiceConfig; the logger itself must never throw.
  return isLogLevel(raw) ? raw : 'info';
}

function looksLikeStack(value: string): boolean {
  return /\n\s+at /.test(value);
}

// Duck-typed as well as instanceof: errors raised by Node internals under a VM context (Jest) come
// from another realm, where `instanceof Error` is false.
function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { message?: unknown; stack?: unknown };
  return typeof candidate.message === 'string' && typeof candidate.stack === 'string';
}

function serializeError(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if (err.stack) out['stack'] = err.stack;
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out['code'] = code;
  if (err.cause !== undefined) out['cause'] = isErrorLike(err.cause) ? serializeError(err.cause) : err.cause;
  return out;
}

function serializeFields(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isErrorLike(value) ? serializeError(value) : value;
  }
  return out;
}

function safeStringify(record: object): string {
  try {
    return JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch {
    // Circular structures: keep the line, drop what cannot be written.
    const seen = new WeakSet<object>();
    return JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value !== null && typeof value === 'object') {
        if (seen.has(value)) return '[circular]';
        seen.add(value);
      }
      return value;
    });
  }
}
