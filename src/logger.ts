import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. The Hostwinds key travels as the
 * `API` form field; anything named like a key or password is covered too.
 */
export const REDACT_PATHS = [
  "API",
  "*.API",
  "*.*.API",
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "HOSTWINDS_API_KEY",
  "*.HOSTWINDS_API_KEY",
];

/** The root logger; everything else uses `.child()` of it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "cost-sync" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination(2),
  );
}
