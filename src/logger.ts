import type { YogaLogger } from 'graphql-yoga';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './settings.js';
import { GATEWAY_NAME, GATEWAY_VERSION } from './version.js';

export type { Logger };

/**
 * Structured JSON logs (pino). Nothing logs a key on purpose; redaction is the second line of
 * defence for headers or objects that carry one.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: GATEWAY_NAME, version: GATEWAY_VERSION },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'apiKey',
          '*.apiKey',
          'headers["x-api-key"]',
          'headers.authorization',
          '*.headers["x-api-key"]',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Yoga logs through the same pino instance; an Error it hands over becomes `err`. */
export function yogaLogger(logger: Logger): YogaLogger {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      // Yoga logs at debug three times per request: at info that must cost nothing.
      if (!logger.isLevelEnabled(level)) return;
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const text = args
        .filter((arg) => !(arg instanceof Error))
        .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
        .join(' ');
      if (error) logger[level]({ err: error }, text || error.message);
      else logger[level](text);
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
