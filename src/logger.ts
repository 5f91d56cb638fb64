import { createRequire } from "node:module";
import { isatty } from "node:tty";
import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. The Hostwinds key travels as the
 * `API` form field; anything named like a key or password is covered too.
 */
const REDACT_PATHS = [
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

/**
 * Readable log lines on file descriptor `fd` (pino-pretty, a development dependency), or undefined
 * where it is not installed: the production image has only JSON.
 */
export function prettyDestination(fd = 2): DestinationStream | undefined {
  let pretty: (o: Record<string, unknown>) => DestinationStream;
  try {
    pretty = createRequire(import.meta.url)("pino-pretty") as typeof pretty;
  } catch {
    return undefined;
  }
  // Synchronous, so lines keep their place among what a command prints on stdout.
  const ignore = "pid,hostname,service";
  // One line per event: a warning reads as one line among the command's own output.
  return pretty({
    destination: fd,
    sync: true,
    colorize: isatty(fd),
    translateTime: "SYS:HH:MM:ss",
    ignore,
    singleLine: true,
  });
}

/**
 * Where logs go by default: readable lines when stderr is a terminal outside production (a
 * developer's shell), JSON lines otherwise (containers, pipes, log collectors).
 */
function defaultDestination(): DestinationStream {
  const interactive = isatty(2) && process.env.NODE_ENV !== "production";
  return (interactive ? prettyDestination(2) : undefined) ?? pino.destination(2);
}

/** The root logger; everything else uses `.child()` of it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "cost-sync" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? defaultDestination(),
  );
}
