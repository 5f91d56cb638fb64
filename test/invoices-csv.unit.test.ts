import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CsvParser, readCsv, type CsvOptions, type CsvRow } from "../src/invoices/csv-reader.js";

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function rng(seed: number) {
  return () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

/** Parses text given in the pieces listed. */
function parse(pieces: readonly string[], options?: CsvOptions): CsvRow[] {
  const p = new CsvParser(options);
  return [...pieces.flatMap((piece) => p.push(piece)), ...p.end()];
}

async function collect(source: AsyncIterable<string | Uint8Array>, options?: CsvOptions): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsv(source, options)) rows.push(row);
  return rows;
}

const rec = (lineNumber: number, ...fields: string[]): CsvRow => ({ kind: "record", lineNumber, fields });
const err = (lineNumber: number, reason: string): CsvRow => ({ kind: "error", lineNumber, reason });

describe("CsvParser: RFC 4180", () => {
  it.each([
    ["plain fields, LF, no final break", "a,b\nc,d", [rec(1, "a", "b"), rec(2, "c", "d")]],
    ["CRLF and a final break", "a,b\r\nc,d\r\n", [rec(1, "a", "b"), rec(2, "c", "d")]],
    ["a lone CR is a line break too", "a\rb\r", [rec(1, "a"), rec(2, "b")]],
    ["quoted comma, doubled quotes", 'x,"1,234.50","say ""hi"""\n', [rec(1, "x", "1,234.50", 'say "hi"')]],
    [
      "line breaks inside quotes are kept; the next record's line is physical",
      'a,"l1\nl2\r\nl3"\nb\n',
      [rec(1, "a", "l1\nl2\r\nl3"), rec(4, "b")],
    ],
    ["empty fields, quoted and not", ',"",\n', [rec(1, "", "", "")]],
    ["a trailing comma ends with an empty field", "a,\n", [rec(1, "a", "")]],
    ["empty lines are skipped but counted", "\na\n\r\n\nb", [rec(2, "a"), rec(5, "b")]],
    ["spaces are data", " a , b \n", [rec(1, " a ", " b ")]],
    ["a BOM at the start is dropped", "\ufeffh1,h2\n", [rec(1, "h1", "h2")]],
    ["a BOM elsewhere is data", "a,\ufeffb\n", [rec(1, "a", "\ufeffb")]],
    ["nothing at all", "", []],
    ["only a quoted empty field", '""', [rec(1, "")]],
  ])("%s", (_name, text, expected) => {
    expect(parse([text])).toEqual(expected);
  });

  it("reports a stray quote in an unquoted field and reads on from the next line", () => {
    expect(parse(['a,b"c,d\ne,f\n'])).toEqual([err(1, "a quote inside unquoted field 2"), rec(2, "e", "f")]);
  });

  it("reports text after a closing quote, naming the field and the physical line", () => {
    expect(parse(['"ab"x,y\nz\n'])).toEqual([err(1, '"x" after the closing quote of field 1'), rec(2, "z")]);
    expect(parse(['a,"b\nc" d\ne\n'])).toEqual([
      err(1, '" " after the closing quote of field 2 opened on line 1 (on line 2)'),
      err(2, "a quote inside unquoted field 1"),
      rec(3, "e"),
    ]);
  });

  it("an unclosed quote at the end of the file costs its line only: the lines after it are read again", () => {
    expect(parse(['h\n1,"oops\n2,x\n3,y\n'])).toEqual([
      rec(1, "h"),
      err(2, "quoted field 2 opened on line 2 is not closed at the end of the file"),
      rec(3, "2", "x"),
      rec(4, "3", "y"),
    ]);
    // The stray quote pairs with the next quote, and the junk after that gives it away.
    expect(parse(['h\n1,"oops\n2,x\n3,"y"\n'])).toEqual([
      rec(1, "h"),
      err(2, '"y" after the closing quote of field 2 opened on line 2 (on line 4)'),
      rec(3, "2", "x"),
      rec(4, "3", "y"),
    ]);
    expect(parse(['x,"abc'])).toEqual([err(1, "quoted field 2 opened on line 1 is not closed at the end of the file")]);
  });

  it("a quoted field longer than maxRecordChars is taken for an unclosed quote, so memory stays bounded", () => {
    const rows = parse(['a,"bcdefghijklmnop\nq,r\n"s,t\nu\n'], { maxRecordChars: 10 });
    expect(rows).toEqual([
      err(1, "quoted field 2 opened on line 1 is longer than 10 characters (a quote not closed?)"),
      rec(2, "q", "r"),
      err(3, "quoted field 1 opened on line 3 is not closed at the end of the file"),
      rec(4, "u"),
    ]);
  });

  it("an unquoted record longer than maxRecordChars is refused up to its line's end", () => {
    expect(parse(["0123456789abc,d\ne\n"], { maxRecordChars: 10 })).toEqual([
      err(1, "the record is longer than 10 characters"),
      rec(2, "e"),
    ]);
  });
});

/** Every feature and every error at once, small enough to split at every pair of positions. */
const SAMPLE = '\ufeffh1,h2,h3\r\n"a,1","b ""q""",\n\n"multi\r\nline",x,"y\n"\r,,\nbad"q,z\n"c"d,e\nlast,"open\nnext,1';

describe("CsvParser: where the pieces are cut never changes the result", () => {
  const whole = parse([SAMPLE]);

  it("the sample has records and errors on the expected lines", () => {
    expect(whole.map((r) => `${r.kind}@${r.lineNumber}`)).toEqual([
      "record@1",
      "record@2",
      "record@4",
      "record@7",
      "error@8",
      "error@9",
      "error@10",
      "record@11",
    ]);
  });

  it("cut into 2 and into 3 pieces at every position", () => {
    for (let i = 0; i <= SAMPLE.length; i++) {
      expect(parse([SAMPLE.slice(0, i), SAMPLE.slice(i)]), `cut at ${i}`).toEqual(whole);
      for (let j = i; j <= SAMPLE.length; j++) {
        expect(parse([SAMPLE.slice(0, i), SAMPLE.slice(i, j), SAMPLE.slice(j)]), `cut at ${i}, ${j}`).toEqual(whole);
      }
    }
  });

  it("one character at a time", () => {
    expect(parse(Array.from(SAMPLE))).toEqual(whole);
  });

  it("with a record limit (the runaway re-read) cut at every pair of positions", () => {
    const text = 'h\n1,"long quoted\nfield that,never\ncloses\n2,ok\n3,"fine"\nunquoted,but far too long\n4,"abc';
    const limited = (pieces: string[]) => parse(pieces, { maxRecordChars: 20 });
    const expected = limited([text]);
    expect(expected.map((r) => `${r.kind}@${r.lineNumber}`)).toEqual([
      "record@1",
      "error@2",
      "record@3",
      "record@4",
      "record@5",
      "record@6",
      "error@7",
      "error@8",
    ]);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++)
        expect(limited([text.slice(0, i), text.slice(i, j), text.slice(j)]), `cut at ${i}, ${j}`).toEqual(expected);
    }
  });

  it("UTF-8 bytes cut at every position, inside a BOM or a multi-byte character too", async () => {
    const text = '\ufeffname,note\n"é,€","😀 ""x"""\nü,ok\n';
    const bytes = Buffer.from(text, "utf8");
    const expected = parse([text]);
    expect(expected).toEqual([rec(1, "name", "note"), rec(2, "é,€", '😀 "x"'), rec(3, "ü", "ok")]);
    for (let i = 0; i <= bytes.length; i++) {
      expect(await collect(Readable.from([bytes.subarray(0, i), bytes.subarray(i)])), `cut at byte ${i}`).toEqual(
        expected,
      );
    }
  });
});

/** Writes fields as CSV the way a spreadsheet does: quotes only where needed. */
const encode = (field: string): string =>
  /[",\r\n]/.test(field) || field === "" ? `"${field.replace(/"/g, '""')}"` : field;
const ALPHABET = ["a", "b", "1", " ", ",", '"', "\n", "\r\n", "\r", "é", "😀", "$", "."];

describe("CsvParser: random documents", () => {
  it("reads back exactly the fields written, in random pieces (300 documents)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const records = Array.from({ length: 1 + Math.floor(r() * 8) }, () =>
        Array.from({ length: 1 + Math.floor(r() * 5) }, () =>
          Array.from({ length: Math.floor(r() * 6) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join(""),
        ),
      );
      const breaks = ["\n", "\r\n", "\r"];
      const text =
        records.map((fields) => fields.map(encode).join(",")).join(breaks[seed % 3] ?? "\n") + (r() < 0.5 ? "\n" : "");
      const pieces: string[] = [];
      for (let i = 0; i < text.length;) {
        const n = 1 + Math.floor(r() * 12);
        pieces.push(text.slice(i, i + n));
        i += n;
      }
      const rows = parse(pieces);
      expect(
        rows.map((row) => (row.kind === "record" ? row.fields : row)),
        `seed ${seed}`,
      ).toEqual(records);
    }
  });
});

describe("readCsv streams", () => {
  it("reads a Readable of Buffers, a string source, and stops the source when the reader stops", async () => {
    expect(await collect(Readable.from([Buffer.from("a,b\n"), Buffer.from("c,d")]))).toEqual([
      rec(1, "a", "b"),
      rec(2, "c", "d"),
    ]);
    const stream = Readable.from(["x\n", "y\n", "z\n"]);
    for await (const row of readCsv(stream)) {
      expect(row).toEqual(rec(1, "x"));
      break;
    }
    expect(stream.destroyed).toBe(true);
  });

  it("reads 200,000 generated lines holding at most one record at a time", () => {
    const LINES = 200_000;
    function* generate(): Generator<string> {
      // Pieces of 4093 characters, cut anywhere in a record; every 7th line has a quoted field
      // holding a comma and a line break.
      let text = "";
      for (let i = 0; i < LINES; i++) {
        text += i % 7 === 0 ? `${i},"note, with\nbreak",${i % 100}.25\n` : `${i},plain,${i % 100}.25\n`;
        while (text.length >= 4093) {
          yield text.slice(0, 4093);
          text = text.slice(4093);
        }
      }
      yield text;
    }
    const parser = new CsvParser();
    let [records, maxPending, cents, lastLine, breaks] = [0, 0, 0n, 0, 0];
    for (const piece of generate()) {
      for (const row of parser.push(piece)) {
        if (row.kind !== "record") throw new Error(`line ${row.lineNumber}: ${row.reason}`);
        if (row.fields[0] !== String(records))
          throw new Error(`line ${row.lineNumber}: record ${records} reads ${row.fields[0]}`);
        records++;
        cents += BigInt((row.fields[2] ?? "").replace(".", ""));
        lastLine = row.lineNumber;
        if (row.fields[1]?.includes("\n")) breaks++;
      }
      maxPending = Math.max(maxPending, parser.pendingChars);
    }
    expect(parser.end()).toEqual([]);
    expect(records).toBe(LINES);
    expect(breaks).toBe(Math.ceil(LINES / 7));
    expect(lastLine).toBe(LINES + breaks); // the last record starts after every embedded break
    expect(cents).toBe(BigInt(LINES / 100) * (4950n * 100n + 100n * 25n));
    expect(maxPending).toBeGreaterThan(0); // pieces do end inside records
    // and nothing but that record's start (under 50 characters, twice inside quotes)
    expect(maxPending).toBeLessThan(100);
  });
});

describe("CsvParser: lines read whole and lines read character by character", () => {
  // Whole pieces let the parser read plain lines at once; one-character pieces make it step
  // through every character. Any document, bad lines included, reads the same. (With a record
  // limit, a quote after the limit is reported as either reason depending on where the piece
  // ended, so the documents with a limit have no quotes.)
  const GARBAGE = ["a", "1", " ", ",", ",", '"', '""', "\n", "\n", "\r\n", "\r", "é", "\u0000", "x".repeat(9)];
  it("give the same rows and errors, line numbers included (1000 random documents)", () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const r = rng(seed);
      const limited = seed % 2 === 0;
      const alphabet = limited ? GARBAGE.filter((g) => !g.includes('"')) : GARBAGE;
      const text = Array.from({ length: Math.floor(r() * 60) }, () => alphabet[Math.floor(r() * alphabet.length)]).join(
        "",
      );
      const options = limited ? { maxRecordChars: 1 + Math.floor(r() * 20) } : {};
      // Pieces of one UTF-16 unit: a character cut in two is fine, the parser reads code units.
      const oneByOne = parse(
        Array.from({ length: text.length }, (_, i) => text.charAt(i)),
        options,
      );
      expect(parse([text], options), `seed ${seed}`).toEqual(oneByOne);
      const cut = Math.floor(r() * text.length);
      expect(parse([text.slice(0, cut), text.slice(cut)], options), `seed ${seed} cut at ${cut}`).toEqual(oneByOne);
    }
  });
});
