export { startTelemetry, type Telemetry } from './telemetry';
export { createLogger, isLogLevel, JsonLogger, LOG_LEVELS, type LogFields, type Logger, type LoggerOptions, type LogLevel } from './logger';
export {
  currentTraceId,
  extractTraceContext,
  injectTraceHeaders,
  withSpan,
  type Context,
  type Span,
  type TraceHeaderValue,
  type WithSpanOptions,
} from './trace-context';
