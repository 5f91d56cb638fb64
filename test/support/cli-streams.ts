import { PassThrough, Writable } from "node:stream";
import { main } from "../../src/cli/main.js";

/** A stream that keeps what is written to it; a terminal of `columns` when given. */
export class Capture extends Writable {
  text = "";
  constructor(o: { tty?: boolean; columns?: number } = {}) {
    super();
    Object.assign(this, { isTTY: o.tty === true, columns: o.columns });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** stdin as a terminal that answers `answer` to a prompt, or as a pipe with nothing in it. */
export function stdin(o: { tty: boolean; answer?: string }): NodeJS.ReadableStream {
  const input = new PassThrough();
  Object.assign(input, { isTTY: o.tty });
  if (o.answer !== undefined) input.end(`${o.answer}\n`);
  else input.end();
  return input;
}

/**
 * Runs the CLI in this process (for what needs a terminal: prompts, progress, table widths), with
 * `env` as its whole environment.
 */
export async function runInProcess(
  args: string[],
  o: { env: Record<string, string>; out?: Capture; err?: Capture; input?: NodeJS.ReadableStream },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = o.out ?? new Capture();
  const err = o.err ?? new Capture();
  const code = await main(args, { out, err, input: o.input ?? stdin({ tty: false }), env: o.env });
  return { code, stdout: out.text, stderr: err.text };
}
