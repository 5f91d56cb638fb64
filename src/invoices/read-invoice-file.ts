/**
 * The importer's entry point: an invoice CSV in, its header then each line, valid or bad, out, as
 * the file streams. Pure: no database, no I/O but reading the source it is given.
 */
import { mapHeader, type HeaderInfo } from "./columns.js";
import { readCsvPieces, type CsvOptions } from "./csv-reader.js";
import type { DateOrder } from "./dates.js";
import { LineValidator, type BadLine, type InvoiceLine } from "./invoice-line.js";

/** The file's header, first of all items. */
export interface InvoiceHeader extends HeaderInfo {
  type: "header";
}

export type InvoiceFileItem = InvoiceHeader | InvoiceLine | BadLine;

/** The file cannot be imported at all: no header, or a header without the required columns. */
export class InvoiceFileError extends Error {
  override name = "InvoiceFileError";
}

export interface ReadInvoiceOptions extends CsvOptions {
  /** How the file writes slash dates, decided for the whole file (`detectDateOrder`); default `mdy`. */
  dateOrder?: DateOrder;
}

/**
 * Reads an invoice CSV (a file stream, any `Readable`, an async iterable of strings or UTF-8
 * bytes): yields the header, then every non-blank line in file order, an `InvoiceLine` or a
 * `BadLine`. A bad line never stops the reading. Throws `InvoiceFileError`, before any line, when
 * the file is empty or its header is not usable. Memory does not grow with the file.
 */
export async function* readInvoiceFile(
  source: AsyncIterable<string | Uint8Array>,
  options: ReadInvoiceOptions = {},
): AsyncGenerator<InvoiceFileItem, void, undefined> {
  for await (const items of readInvoiceFilePieces(source, options)) yield* items;
}

/**
 * As `readInvoiceFile`, the items of each piece of the source together (never an empty array):
 * the import reads a million lines with one promise per piece, not one per line.
 */
export async function* readInvoiceFilePieces(
  source: AsyncIterable<string | Uint8Array>,
  options: ReadInvoiceOptions = {},
): AsyncGenerator<InvoiceFileItem[], void, undefined> {
  let validator: LineValidator | undefined;
  for await (const rows of readCsvPieces(source, options)) {
    const items: InvoiceFileItem[] = [];
    for (const row of rows) {
      if (validator === undefined) {
        if (row.kind === "error")
          throw new InvoiceFileError(`the header on line ${row.lineNumber} cannot be read: ${row.reason}`);
        const mapped = mapHeader(row.fields, row.lineNumber);
        if (!mapped.ok) throw new InvoiceFileError(mapped.error);
        validator = new LineValidator(mapped.header, options.dateOrder);
        items.push({ type: "header", ...mapped.header });
      } else if (row.kind === "error") {
        items.push({ type: "bad", lineNumber: row.lineNumber, reason: row.reason });
      } else {
        const item = validator.validate(row);
        if (item !== undefined) items.push(item);
      }
    }
    if (items.length > 0) yield items;
  }
  if (validator === undefined) throw new InvoiceFileError("the file is empty: no header line");
}
