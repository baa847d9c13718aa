import pino from 'pino';

/**
 * Structured JSON logs. Authorization headers, cookies, passwords, tokens and answer
 * texts are never written: request bodies are not logged at all, and these paths are redacted.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: 'attestation', instance: process.env.INSTANCE_ID || undefined },
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token', 'text', '*.password', '*.token', '*.text'],
    censor: '[redacted]',
  },
  timestamp: pino.stdTimeFunctions.isoTime,
});
