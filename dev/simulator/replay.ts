import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ServerResponse } from "node:http";
import { findErrorObject } from "../../src/hostwinds/envelope.js";
import { INDEX_FILE, recordingIndexSchema, type RecordedAnswer } from "../../src/hostwinds/recording.js";
import { send, sendRaw } from "./send.js";

/** One recorded answer, ready to serve. */
interface Loaded extends RecordedAnswer {
  body: string;
}

/**
 * Serves the answers `hostwinds check --save DIR` recorded: for each request, the answer recorded
 * for the same action and serviceid, else the one recorded for that action without a serviceid,
 * else an error recorded for that action about another serviceid (a refused key is refused for
 * every instance; data about one instance is never served for another). A request nothing was
 * recorded for gets Hostwinds' own error for an unknown serviceid, saying it is a replay, so the
 * gap shows.
 */
export class Replay {
  readonly dir: string;
  readonly answers: readonly Loaded[];

  private constructor(dir: string, answers: Loaded[]) {
    this.dir = dir;
    this.answers = answers;
  }

  /**
   * Reads DIR/index.json and every file it names; a broken recording fails here, not at the first
   * request (a header value with a line break once crashed the simulator when served), with the
   * name of the file at fault.
   */
  static async load(dir: string): Promise<Replay> {
    const index = await readIndex(dir);
    const answers = await Promise.all(
      index.answers.map(async (a) => {
        const body = await readFile(path.join(dir, a.file), "utf8").catch((err: unknown) => {
          throw new Error(`${a.file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        });
        return { ...a, body };
      }),
    );
    return new Replay(dir, answers);
  }

  find(action: string, serviceid: string | undefined): Loaded | undefined {
    return (
      this.answers.find((a) => a.action === action && a.serviceid === serviceid) ??
      this.answers.find((a) => a.action === action && a.serviceid === undefined) ??
      this.answers.find((a) => a.action === action && isError(a))
    );
  }

  answer(action: string, serviceid: string | undefined, res: ServerResponse): void {
    const found = this.find(action, serviceid);
    if (!found) {
      const what = `${action}${serviceid === undefined ? "" : ` serviceid ${serviceid}`}`;
      send(res, 200, [
        { result: "error", action, message: `invalid serviceid (replay: nothing recorded for ${what})` },
      ]);
      return;
    }
    const contentType = found.headers["content-type"] ?? "application/json";
    sendRaw(res, found.status, found.body, contentType);
  }
}

/** index.json, parsed and checked; its problems name the file and the field. */
async function readIndex(dir: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, INDEX_FILE), "utf8"));
  } catch (err) {
    throw new Error(`${INDEX_FILE}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = recordingIndexSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
    throw new Error(`${INDEX_FILE}${answerFile(raw, issue?.path)}: ${where}`);
  }
  return parsed.data;
}

/** " (the answer of get_instance-5006.json)" when the problem is in one answer's entry that names its file. */
function answerFile(raw: unknown, at: readonly PropertyKey[] = []): string {
  const [list, n] = at;
  if (list !== "answers" || typeof n !== "number") return "";
  const answers = (raw as { answers?: unknown[] }).answers;
  const file = (answers?.[n] as { file?: unknown } | undefined)?.file;
  return typeof file === "string" ? ` (the answer of ${file})` : "";
}

/** An answer that is an error whatever instance it was about: a status outside 2xx, or an error object. */
function isError(a: Loaded): boolean {
  if (a.status < 200 || a.status >= 300) return true;
  try {
    return findErrorObject(JSON.parse(a.body)) !== undefined;
  } catch {
    return false;
  }
}
