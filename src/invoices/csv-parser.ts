/**
 * The push parser behind `readCsv` (RFC 4180, see csv-reader.ts): text goes in as pieces cut
 * anywhere, rows come out. The output never depends on where the pieces were cut.
 */

import type { CsvOptions, CsvRow } from "./csv-row.js";

/** Invoice lines are a few hundred characters; 64 Ki leaves room for anything real. */
export const DEFAULT_MAX_RECORD_CHARS = 65_536;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const BOM = 0xfeff;
const isBreak = (c: number): boolean => c === CR || c === LF;

type State = "fieldStart" | "unquoted" | "quoted" | "afterQuote" | "skipLine";

export class CsvParser {
  readonly #max: number;
  #out: CsvRow[] = [];
  #state: State = "fieldStart";
  #fields: string[] = [];
  #fieldsChars = 0;
  /** The current field's text from earlier pieces, or from earlier segments between `""`. */
  #field = "";
  /** The physical line of the next character. */
  #line = 1;
  #recordLine = 1;
  /** The last character was a CR line break, so an LF right after it belongs to the same break. */
  #afterCR = false;
  #started = false;
  #quoteLine = 0;
  /** Source text since the current quoted field's opening quote (earlier pieces), to read again if it never closes. */
  #raw = "";
  /** The piece being scanned; where the current field's text, and its raw text, not yet kept starts in it. */
  #s = "";
  #seg = 0;
  #rawSeg = 0;

  constructor(options: CsvOptions = {}) {
    this.#max = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Characters held for the unfinished record (for tests of the memory bound). */
  get pendingChars(): number {
    return this.#fieldsChars + this.#field.length + this.#raw.length;
  }

  /** Reads a piece of text; returns the rows it completed. */
  push(text: string): CsvRow[] {
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    this.#feed(text);
    return this.#take();
  }

  /** Ends the input; returns the last rows (an unfinished record, an unclosed quote). */
  end(): CsvRow[] {
    for (let rest = this.#finish(); rest !== undefined; rest = this.#finish()) this.#feed(rest);
    return this.#take();
  }

  #take(): CsvRow[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #feed(text: string): void {
    for (let rest: string | undefined = text; rest !== undefined;) rest = this.#scan(rest);
  }

  /** Scans one piece; returns text to scan again when a quoted field turned out to be unclosed. */
  #scan(s: string): string | undefined {
    [this.#s, this.#seg, this.#rawSeg] = [s, 0, 0];
    const plain = new PlainLines(s, this.#max);
    for (let i = 0; i < s.length; i++) {
      if (this.#state === "fieldStart" && this.#fields.length === 0 && !this.#afterCR) {
        const end = plain.lineAt(i);
        if (end >= 0) {
          this.#plainLine(s, i, end);
          i = end; // the loop's i++ steps over the LF
          continue;
        }
      }
      const c = s.charCodeAt(i);
      if (this.#afterCR) {
        this.#afterCR = false;
        if (c === LF) continue; // inside quotes it stays in the field: #seg is unchanged
      }
      const rest = this.#step(c, i);
      if (rest !== undefined) return rest;
    }
    return this.#endPiece();
  }

  /** One character; a string (maybe empty) stops this piece, to scan that text instead. */
  #step(c: number, i: number): string | undefined {
    switch (this.#state) {
      case "fieldStart":
        if (c === QUOTE) [this.#state, this.#quoteLine, this.#seg, this.#rawSeg] = ["quoted", this.#line, i + 1, i];
        else if (c === COMMA) this.#endField("");
        else if (isBreak(c)) {
          if (this.#fields.length > 0) this.#endField(""); // `a,` ends with an empty field
          this.#endLine(c);
        } else [this.#state, this.#seg] = ["unquoted", i];
        return undefined;
      case "unquoted":
        if (c === COMMA || isBreak(c)) {
          this.#endField(this.#field + this.#s.slice(this.#seg, i));
          if (isBreak(c)) this.#endLine(c);
        } else if (c === QUOTE) this.#fail(`a quote inside unquoted field ${this.#fields.length + 1}`);
        return undefined;
      case "quoted":
        if (c === QUOTE) {
          [this.#field, this.#state] = [this.#field + this.#s.slice(this.#seg, i), "afterQuote"];
          if (this.#over()) return this.#runaway(this.#tooLong(), false);
        } else if (isBreak(c)) this.#lineBreak(c);
        return undefined;
      case "afterQuote":
        return this.#afterQuote(c, i);
      case "skipLine":
        if (isBreak(c)) this.#endLine(c);
        return undefined;
    }
  }

  #afterQuote(c: number, i: number): string | undefined {
    if (c === QUOTE) {
      [this.#state, this.#seg] = ["quoted", i]; // `""`: the second quote starts the next segment, so one is kept
    } else if (c === COMMA || isBreak(c)) {
      this.#raw = "";
      this.#endField(this.#field);
      if (isBreak(c)) this.#endLine(c);
    } else {
      const reason = `${JSON.stringify(this.#s[i])} after the closing quote of field ${this.#fields.length + 1}`;
      // A quoted field over several lines that ends in junk was most likely opened by a stray quote.
      if (this.#line !== this.#quoteLine)
        return this.#runaway(`${reason} opened on line ${this.#quoteLine} (on line ${this.#line})`, false);
      this.#fail(reason);
    }
    return undefined;
  }

  /** Keeps the unfinished field's text for the next piece, and applies the size limit. */
  #endPiece(): string | undefined {
    if (this.#state === "unquoted" || this.#state === "quoted") this.#field += this.#s.slice(this.#seg);
    if (this.#state === "quoted" || this.#state === "afterQuote") {
      if (this.#over()) return this.#runaway(this.#tooLong(), false);
      this.#raw += this.#s.slice(this.#rawSeg);
    } else if (this.#over()) this.#fail(`the record is longer than ${this.#max} characters`);
    return undefined;
  }

  /** At the end of the input: completes the last record, or reports an unclosed quote. */
  #finish(): string | undefined {
    [this.#s, this.#rawSeg] = ["", 0];
    if (this.#state === "quoted")
      return this.#runaway(`${this.#quotedField()} is not closed at the end of the file`, true);
    const open = this.#state === "unquoted" || this.#state === "afterQuote";
    if ((open || (this.#state === "fieldStart" && this.#fields.length > 0)) && this.#endField(this.#field))
      this.#emitRecord();
    return undefined;
  }

  #over(): boolean {
    return this.#fieldsChars + this.#field.length > this.#max;
  }

  #quotedField(): string {
    return `quoted field ${this.#fields.length + 1} opened on line ${this.#quoteLine}`;
  }

  #tooLong(): string {
    return `${this.#quotedField()} is longer than ${this.#max} characters (a quote not closed?)`;
  }

  /** Adds a finished field; false when that made the record too long (it is then reported). */
  #endField(value: string): boolean {
    this.#fields.push(value);
    this.#fieldsChars += value.length;
    this.#field = "";
    if (this.#over()) {
      this.#fail(`the record is longer than ${this.#max} characters`);
      return false;
    }
    this.#state = "fieldStart";
    return true;
  }

  /** A line break outside quotes: ends the record (an empty line has none) or the skipped line. */
  #endLine(c: number): void {
    const emit = this.#state !== "skipLine" && this.#fields.length > 0;
    this.#lineBreak(c);
    if (emit) this.#emitRecord();
    else this.#reset();
  }

  #lineBreak(c: number): void {
    this.#line++;
    this.#afterCR = c === CR;
  }

  /**
   * A whole line without quotes or CR, from `start` to its LF at `end`, read at once: what the
   * character steps would read (its fields split at each comma; an empty line skipped but counted).
   */
  #plainLine(s: string, start: number, end: number): void {
    if (end > start) {
      const fields: string[] = [];
      let from = start;
      for (let comma = s.indexOf(",", from); comma >= 0 && comma < end; comma = s.indexOf(",", from)) {
        fields.push(s.slice(from, comma));
        from = comma + 1;
      }
      fields.push(s.slice(from, end));
      this.#out.push({ kind: "record", lineNumber: this.#line, fields });
    }
    this.#line++;
    this.#recordLine = this.#line;
  }

  #emitRecord(): void {
    this.#out.push({ kind: "record", lineNumber: this.#recordLine, fields: this.#fields });
    this.#reset();
  }

  #reset(state: State = "fieldStart"): void {
    [this.#state, this.#fields, this.#fieldsChars, this.#field, this.#raw] = [state, [], 0, "", ""];
    this.#recordLine = this.#line;
  }

  /** Reports the record and skips the rest of its current physical line. */
  #fail(reason: string): void {
    const where = this.#line === this.#recordLine ? "" : ` (on line ${this.#line})`;
    this.#out.push({ kind: "error", lineNumber: this.#recordLine, reason: reason + where });
    this.#reset("skipLine");
  }

  /**
   * A quoted field that never closes would swallow the rest of the file. The record is reported,
   * and the text after the line where the quote opened is read again, as if the quote had been a
   * stray character: one bad line instead of a silently shorter file.
   */
  #runaway(reason: string, atEnd: boolean): string {
    const text = this.#raw + this.#s.slice(this.#rawSeg);
    const k = text.search(/[\r\n]/);
    this.#out.push({ kind: "error", lineNumber: this.#recordLine, reason });
    this.#line = this.#quoteLine; // also right when k < 0: no line break since the quote
    this.#afterCR = false;
    // Without a break the quote's line goes on in the next piece, to be skipped.
    this.#reset(k < 0 && !atEnd ? "skipLine" : "fieldStart");
    return k < 0 ? "" : text.slice(k); // starts with the quote line's own break
  }
}

/**
 * Finds, in one piece, the lines the parser may read whole (`#plainLine`): ending with an LF in
 * the piece, with no quote and no CR before it, and not longer than a record may be. The next
 * quote and CR are searched once and kept, so the piece is scanned for them once.
 */
class PlainLines {
  #quote = -1;
  #cr = -1;

  constructor(
    private readonly s: string,
    private readonly max: number,
  ) {}

  /** The index of the LF ending the plain line that starts at `i`, or -1 when that line is not plain. */
  lineAt(i: number): number {
    const lf = this.s.indexOf("\n", i);
    if (lf < 0 || lf - i > this.max) return -1;
    if (this.#quote < i) this.#quote = nextOrEnd(this.s, '"', i);
    if (this.#cr < i) this.#cr = nextOrEnd(this.s, "\r", i);
    return this.#quote < lf || this.#cr < lf ? -1 : lf;
  }
}

function nextOrEnd(s: string, c: string, from: number): number {
  const at = s.indexOf(c, from);
  return at < 0 ? s.length : at;
}
