/** What the CSV parser yields and how it is bounded: shared by the parser and the streaming reader. */

/** A record: its fields, and the physical line (1 = the first line of the file) where it starts. */
export interface CsvRecord {
  kind: "record";
  lineNumber: number;
  fields: string[];
}

/** A record that could not be read; the next one is read as usual. */
export interface CsvError {
  kind: "error";
  lineNumber: number;
  reason: string;
}

export type CsvRow = CsvRecord | CsvError;

export interface CsvOptions {
  /**
   * The most characters a record's fields may hold. A quoted field that grows past it is taken for
   * an unclosed quote (see `CsvParser`), which bounds memory when a quote is never closed.
   */
  maxRecordChars?: number;
}
