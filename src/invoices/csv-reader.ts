/**
 * A streaming RFC 4180 CSV reader: quoted fields, `""` escapes, commas and line breaks inside
 * quotes, CRLF, LF or CR line breaks, a UTF-8 byte order mark at the start, a last line with or
 * without a break.
 *
 * Memory is bounded by one record (at most `maxRecordChars`) plus one input piece: the file is
 * never held whole. A record that cannot be read (a quote inside an unquoted field, text after a
 * closing quote, a quote never closed) is reported as a `CsvError` with the line it starts on, and
 * reading goes on; nothing is thrown for the file. Empty lines are skipped (they still count).
 */
import { CsvParser } from "./csv-parser.js";
import type { CsvOptions, CsvRow } from "./csv-row.js";

export { CsvParser, DEFAULT_MAX_RECORD_CHARS } from "./csv-parser.js";
export type { CsvError, CsvOptions, CsvRecord, CsvRow } from "./csv-row.js";

/**
 * Reads CSV records from a stream of text or UTF-8 bytes (a `Readable`, a file stream, an async
 * generator), one piece at a time, as the consumer asks for them. A character cut between pieces
 * is fine; invalid bytes become U+FFFD. Do not mix strings and bytes in one source.
 */
export async function* readCsv(
  source: AsyncIterable<string | Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRow, void, undefined> {
  for await (const rows of readCsvPieces(source, options)) yield* rows;
}

/**
 * As `readCsv`, the records of each piece of the source together (never an empty array): one
 * promise per piece instead of one per record, for a reader of a million lines.
 */
export async function* readCsvPieces(
  source: AsyncIterable<string | Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRow[], void, undefined> {
  const parser = new CsvParser(options);
  // The decoder keeps a BOM and the parser drops it, so strings and bytes are treated alike.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  for await (const chunk of source) {
    const rows = parser.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (rows.length > 0) yield rows;
  }
  const rows = [...parser.push(decoder.decode()), ...parser.end()];
  if (rows.length > 0) yield rows;
}
