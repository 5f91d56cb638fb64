import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Exchange } from "../hostwinds/client.js";
import {
  fixtureFileName,
  INDEX_FILE,
  IpMasker,
  redactBody,
  redactHeaders,
  type RecordedAnswer,
  type RecordingIndex,
} from "../hostwinds/recording.js";

/**
 * `hostwinds check --save DIR`: each answer as a fixture file (the last one per action and
 * serviceid, should a retry have asked twice), and `index.json` with their status and headers;
 * the key removed and IP addresses masked everywhere (src/hostwinds/recording.ts). Returns the
 * files written.
 */
export async function saveAnswers(dir: string, answers: readonly Exchange[], secret: string | undefined) {
  const ips = new IpMasker();
  const last = new Map<string, Exchange>();
  for (const a of answers) last.set(fixtureFileName(a.action, a.params.serviceid), a);
  await mkdir(dir, { recursive: true });
  const recorded: RecordedAnswer[] = [];
  for (const [file, a] of last) {
    const { body, removedFields } = redactBody(a.answer.parts.join(""), secret, ips);
    await writeFile(path.join(dir, file), body);
    const serviceid = a.params.serviceid;
    recorded.push({
      action: a.action,
      ...(serviceid === undefined ? {} : { serviceid }),
      file,
      status: a.answer.status,
      headers: redactHeaders(a.answer.headers, secret, ips),
      ...(removedFields.length > 0 ? { removedFields } : {}),
    });
  }
  const index: RecordingIndex = { savedAt: new Date().toISOString(), answers: recorded };
  await writeFile(path.join(dir, INDEX_FILE), JSON.stringify(index, null, 2) + "\n");
  return { dir, files: [...last.keys(), INDEX_FILE] };
}
