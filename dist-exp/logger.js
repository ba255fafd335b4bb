import { pino } from 'pino';
import { GATEWAY_NAME, GATEWAY_VERSION } from './version.js';
/**
 * Structured JSON logs (pino). Nothing logs a key on purpose; redaction is the second line of
 * defence for headers or objects that carry one.
 */
export function createLogger(level, destination) {
    return pino({
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
    }, destination);
}
/** Yoga logs through the same pino instance; an Error it hands over becomes `err`. */
export function yogaLogger(logger) {
    const forward = (level) => (...args) => {
        const error = args.find((arg) => arg instanceof Error);
        const text = args
            .filter((arg) => !(arg instanceof Error))
            .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
            .join(' ');
        if (error)
            logger[level]({ err: error }, text || error.message);
        else
            logger[level](text);
    };
    return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
//# sourceMappingURL=logger.js.map