export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: BrokerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const consoleLogger: BrokerLogger = {
  info: (m) => console.log(`[broker] ${m}`),
  warn: (m) => console.warn(`[broker] WARN ${m}`),
  error: (m) => console.error(`[broker] ERROR ${m}`),
};
