/**
 * Cuts the elements of a large JSON list out of its text as it arrives,
 * without building the whole tree.
 *
 * `get_instances` answers with every instance of the account (about 21 MB of
 * JSON for 100k instances). `body.text()` + `JSON.parse` hold the Buffers, the
 * text and every field of every instance at once before validation can drop
 * what pricing does not read: about 100 MB, which set the worker's peak
 * memory. Here each decoded chunk is scanned as it comes, and each complete
 * element is handed over on its own (the caller parses and slims it at once).
 *
 * Understood shapes, as documented for Hostwinds lists: an array, an object
 * keyed by id (its values are the elements), or either of them as the only
 * member `success` of an object. For anything else `end()` returns false and
 * the caller parses the body the ordinary way. Only the structure between
 * elements is checked here; each element's own syntax is checked by the
 * caller's JSON.parse, so malformed JSON fails there or here, never passes.
 * Elements come in document order (JSON.parse + Object.values would put
 * integer keys first, ascending); a key that occurs twice yields both values.
 */
export class JsonListSplitter {
  #buf = "";
  /** Where scanning resumes in #buf: always at a token boundary (an element starts here, or a separator). */
  #pos = 0;
  #state: "start" | "first" | "element" | "separator" | "closed" | "failed" = "start";
  #keyed = false;
  #wrapped = false;
  readonly #each: (elementJson: string, keyJson?: string) => void;

  /** `each` gets every element's JSON text, and in a keyed list its key as JSON text (quotes included). */
  constructor(each: (elementJson: string, keyJson?: string) => void) {
    this.#each = each;
  }

  push(chunk: string): void {
    if (this.#state === "failed") return;
    // Only the unfinished element (or the closing tail) is carried over.
    this.#buf = this.#pos === 0 ? this.#buf + chunk : this.#buf.slice(this.#pos) + chunk;
    this.#pos = 0;
    this.#run(false);
  }

  /** True when the whole text was one understood list and every element was handed over. */
  end(): boolean {
    this.#run(true);
    if (this.#state !== "closed") return false;
    let i = skipWs(this.#buf, this.#pos);
    if (this.#wrapped) {
      if (this.#buf.charCodeAt(i) !== RBRACE) return false; // `success` must be the only member
      i = skipWs(this.#buf, i + 1);
    }
    return i === this.#buf.length;
  }

  #run(final: boolean): void {
    const s = this.#buf;
    while (this.#step(s, final)) {
      // Each step moves to the next state, or returns false to wait for more text or to stop.
    }
  }

  /** Does the current state's work; false when scanning stops here (more text needed, or a final state). */
  #step(s: string, final: boolean): boolean {
    switch (this.#state) {
      case "start":
        return this.#start(s, final);
      case "first":
        return this.#first(s, final);
      case "element":
        return this.#element(s, final);
      case "separator":
        return this.#separator(s, final);
      case "closed":
      case "failed":
        return false;
    }
  }

  /** Before the list: finds its opening bracket or brace. */
  #start(s: string, final: boolean): boolean {
    const found = this.#findContainer(s, final);
    if (found === "more") return false;
    if (found === "no") return this.#fail();
    this.#keyed = s.charCodeAt(found) === LBRACE;
    this.#pos = found + 1;
    this.#state = "first";
    return true;
  }

  /** Just inside the list: an element, or the close of an empty list. */
  #first(s: string, final: boolean): boolean {
    const i = skipWs(s, this.#pos);
    if (i === s.length) return this.#wait(final);
    if (s.charCodeAt(i) === (this.#keyed ? RBRACE : RBRACKET)) {
      this.#pos = i + 1;
      this.#state = "closed";
    } else {
      this.#pos = i;
      this.#state = "element";
    }
    return true;
  }

  /** One element (after its key, in a keyed list), handed over once it is complete. */
  #element(s: string, final: boolean): boolean {
    let i = skipWs(s, this.#pos);
    let key: string | undefined;
    if (this.#keyed) {
      if (i === s.length) return this.#wait(final);
      if (s.charCodeAt(i) !== QUOTE) return this.#fail();
      const keyStart = i;
      i = skipString(s, i);
      if (i < 0) return this.#wait(final);
      key = s.slice(keyStart, i);
      i = skipWs(s, i);
      if (i === s.length) return this.#wait(final);
      if (s.charCodeAt(i) !== COLON) return this.#fail();
      i = skipWs(s, i + 1);
    }
    const end = skipValue(s, i);
    // Unfinished (or a number running to the end of what has arrived): wait for more. An unfinished
    // element is scanned again from its start at each chunk, so one beyond MAX_ELEMENT_CHARS makes
    // the reader give up (the caller parses the body whole, in linear time) instead of going quadratic.
    if (end < 0 || (end === s.length && !final))
      return s.length - i > MAX_ELEMENT_CHARS ? this.#fail() : this.#wait(final);
    if (end === i) return this.#fail();
    this.#each(s.slice(i, end), key);
    this.#pos = end;
    this.#state = "separator";
    return true;
  }

  /** After an element: a comma before the next one, or the close of the list. */
  #separator(s: string, final: boolean): boolean {
    const i = skipWs(s, this.#pos);
    if (i === s.length) return this.#wait(final);
    const c = s.charCodeAt(i);
    if (c === COMMA) {
      this.#pos = i + 1;
      this.#state = "element";
    } else if (c === (this.#keyed ? RBRACE : RBRACKET)) {
      this.#pos = i + 1;
      this.#state = "closed";
    } else return this.#fail();
    return true;
  }

  /** The text so far ends mid-structure: wait for more, unless this was the end of it. */
  #wait(final: boolean): false {
    if (final) this.#state = "failed";
    return false;
  }

  #fail(): false {
    this.#state = "failed";
    return false;
  }

  /** The index of the list's opening bracket or brace, "more" when the text so far cannot tell, "no" when it is no list. */
  #findContainer(s: string, final: boolean): number | "more" | "no" {
    const more = final ? "no" : "more";
    const i = skipWs(s, 0);
    if (i === s.length) return more;
    const c = s.charCodeAt(i);
    if (c === LBRACKET) return i;
    if (c !== LBRACE) return "no";
    // `{"success": <list>}`, or an object keyed by id.
    const k = skipWs(s, i + 1);
    if (k === s.length) return more;
    if (s.charCodeAt(k) !== QUOTE) return i; // `{}`: an empty keyed list
    const keyEnd = skipString(s, k);
    if (keyEnd < 0) return more;
    if (s.slice(k, keyEnd) !== '"success"') return i;
    const colon = skipWs(s, keyEnd);
    if (colon === s.length) return more;
    if (s.charCodeAt(colon) !== COLON) return "no";
    const open = skipWs(s, colon + 1);
    if (open === s.length) return more;
    const o = s.charCodeAt(open);
    if (o !== LBRACKET && o !== LBRACE) return "no";
    this.#wrapped = true;
    return open;
  }
}

/** The longest element the reader cuts out (an instance is a few hundred characters). */
export const MAX_ELEMENT_CHARS = 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

function skipWs(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

/** `s[i]` is a quote: the index after the closing quote, or -1 when it has not arrived. */
function skipString(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

/** The index after the value starting at `i`, or -1 when it has not ended yet. */
function skipValue(s: string, i: number): number {
  if (i >= s.length) return -1;
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    for (; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch === QUOTE) {
        i = skipString(s, i);
        if (i < 0) return -1;
        i--;
      } else if (ch === LBRACE || ch === LBRACKET) depth++;
      else if (ch === RBRACE || ch === RBRACKET) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next separator (or the end of what has arrived).
  for (; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === COMMA || ch === RBRACE || ch === RBRACKET || ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09)
      break;
  }
  return i;
}
