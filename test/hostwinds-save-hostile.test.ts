import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalogue } from "../dev/simulator/catalogue.js";
import { HostwindsSimulator } from "../dev/simulator/server.js";
import { IpMasker } from "../src/hostwinds/ip-mask.js";
import { keepsValue } from "../src/hostwinds/redact-fields.js";
import { secretForms } from "../src/hostwinds/secret-forms.js";
import { runInProcess } from "./support/cli-streams.js";

// `hostwinds check --save` against a hostile echo (issue #22): credentials in fields, the key in
// every encoding, IP addresses in every form, in bodies and in response headers. Every saved file
// is then searched for each of them.

const KEY = "k ey!'()*~+&=%<>\"-save-0123";
const sim = new HostwindsSimulator({ apiKey: KEY, catalogue: new Catalogue() });
let dir: string;

const bytes = Buffer.from(KEY, "utf8");
const perByte = (upper: boolean) =>
  [...bytes]
    .map((b) => `%${upper ? b.toString(16).padStart(2, "0").toUpperCase() : b.toString(16).padStart(2, "0")}`)
    .join("");
/** The key as a hostile answer may repeat it: every encoding the issue lists. */
const KEY_FORMS = {
  plain: KEY,
  formPlus: new URLSearchParams({ k: KEY }).toString().slice(2),
  form20: encodeURIComponent(KEY),
  lowerPercent: encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  everyByteUpper: perByte(true),
  everyByteLower: perByte(false),
  base64: bytes.toString("base64"),
  base64url: bytes.toString("base64url"),
  hex: bytes.toString("hex"),
  hexUpper: bytes.toString("hex").toUpperCase(),
  htmlSpecial: KEY.replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;"),
  htmlDecimal: Array.from(KEY, (c) => `&#${String(c.codePointAt(0))};`).join(""),
  htmlHex: Array.from(KEY, (c) => `&#x${(c.codePointAt(0) ?? 0).toString(16)};`).join(""),
  json: JSON.stringify(KEY).slice(1, -1),
  jsonUnicode: Array.from(KEY, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
};
/** 104.168.12.34 and friends, as an answer may spell them; none may survive. */
const IP_FORMS = {
  rdns: "client-104-168-12-34.hostwindsdns.com",
  arpa: "34.12.168.104.in-addr.arpa",
  prefixed: "ip_104.168.12.35",
  trailingDot: "vps.example.com resolves to 104.168.12.36.",
  leadingZeros: "104.168.012.037",
  jsonEscapedDots: "104\\u002e168\\u002e12\\u002e38",
  plain: "104.168.12.39",
};
const IP_TEXTS = ["104.168.12.3", "104-168-12-34", "12.168.104", "104\\u002e168", "168.012", "168.12"];
const CREDENTIALS = {
  password: "root-pw-CREDENTIAL-1",
  configkey: "cfg-CREDENTIAL-2",
  rootpass: "CREDENTIAL-3",
  vnc_password: "CREDENTIAL-4",
  api_token: "CREDENTIAL-5",
  client_secret: "CREDENTIAL-6",
  sshKey: "CREDENTIAL-7",
  rootpw: "CREDENTIAL-8",
};

beforeAll(async () => {
  await sim.start();
  sim.catalogue.setInstance({ serviceid: 5001, rid: "10", billingcycle: "monthly" });
  dir = await mkdtemp(path.join(tmpdir(), "cost-sync-save-"));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe("hostwinds check --save against a hostile echo", { timeout: 120_000 }, () => {
  it("saves no credential field, no form of the key, and no form of an IP address, in any file", async () => {
    const instance = {
      serviceid: 5001,
      billingcycle: "Monthly",
      product_id: "10",
      status: "ACTIVE",
      main_ip: IP_FORMS.plain,
      hostname: IP_FORMS.rdns,
      ips: Object.values(IP_FORMS),
      message: Object.values(KEY_FORMS).join(" | "),
      ...CREDENTIALS,
      nested: { vnc: { password: "CREDENTIAL-9" } },
    };
    const headers = {
      "x-echo": KEY_FORMS.base64,
      "x-debug": `${KEY_FORMS.hex} ${KEY_FORMS.everyByteLower} ${IP_FORMS.arpa} ${IP_FORMS.rdns}`,
      "x-auth-token": "CREDENTIAL-10",
      "set-cookie": "session=CREDENTIAL-11",
    };
    sim.faults.add({ type: "body", json: JSON.stringify({ success: instance }), headers }, { action: "get_instance" });
    sim.faults.add({ type: "echo" }, { action: "check_upgrade_order" });
    const saveDir = path.join(dir, "hostile");
    const r = await runInProcess(["hostwinds", "check", "--serviceid", "5001", "--save", saveDir], {
      env: { HOSTWINDS_API_URL: sim.url, HOSTWINDS_API_KEY: KEY, HOSTWINDS_MAX_RETRIES: "0", LOG_LEVEL: "silent" },
    });
    expect(r.stdout).toContain(`saved 7 file(s) to ${saveDir}`);
    const files = await readdir(saveDir);
    expect(files).toHaveLength(7);
    const all = (await Promise.all(files.map((f) => readFile(path.join(saveDir, f), "utf8")))).join("\n");
    for (const [form, text] of Object.entries(KEY_FORMS)) expect(all, `key as ${form}`).not.toContain(text);
    for (const text of IP_TEXTS) expect(all, `IP text ${text}`).not.toContain(text);
    expect(all).not.toMatch(/CREDENTIAL/);
    // What was removed is still visible as such: field names stay, and the index lists them.
    const saved = JSON.parse(await readFile(path.join(saveDir, "get_instance-5001.json"), "utf8")) as {
      success: Record<string, unknown>;
    };
    expect(saved.success.password).toBe("[removed]");
    expect(saved.success.serviceid).toBe(5001);
    expect(saved.success.billingcycle).toBe("Monthly");
    // Each form kept, with a documentation address (the numbering follows get_instances' addresses first).
    const [rdns, arpa, ...rest] = saved.success.ips as string[];
    const n = /^client-192-0-2-(\d+)\.hostwindsdns\.com$/.exec(rdns ?? "")?.[1];
    expect(n).toMatch(/^\d+$/);
    expect(arpa).toBe(`${n ?? ""}.2.0.192.in-addr.arpa`);
    expect(rest.map((t) => t.replace(/\d+$|\d+(?=\.$)/, "N"))).toEqual([
      "ip_192.0.2.N",
      "vps.example.com resolves to 192.0.2.N.",
      "192.0.2.N",
      "192\\u002e0\\u002e2\\u002eN",
      "192.0.2.N",
    ]);
    const index = JSON.parse(await readFile(path.join(saveDir, "index.json"), "utf8")) as {
      answers: { action: string; headers: Record<string, string>; removedFields?: string[] }[];
    };
    const entry = index.answers.find((a) => a.action === "get_instance");
    expect(entry?.removedFields).toEqual(
      expect.arrayContaining(["password", "configkey", "rootpw", "vnc_password", "api_token", "sshKey"]),
    );
    expect(entry?.headers["x-auth-token"]).toBe("[removed]");
    expect(entry?.headers["x-echo"]).toBe("[redacted]");
  });
});

describe("the pieces", () => {
  it("keeps the fields pricing reads and removes every credential-like or unknown one", () => {
    for (const f of ["serviceid", "rid", "monthly", "billingcycle", "main_ip", "ERROR", "12"])
      expect(keepsValue(f)).toBe(true);
    for (const f of ["password", "configkey", "root_pass", "vncPassword", "apikey", "token", "client_secret", "rootpw"])
      expect(keepsValue(f)).toBe(false);
  });

  it("names every encoding of the key among the forms it scrubs", () => {
    const forms = secretForms(KEY);
    for (const text of Object.values(KEY_FORMS)) expect(forms).toContain(text);
  });

  it("masks the same address by the same stand-in in every form, and leaves versions and dates alone", () => {
    const m = new IpMasker();
    expect(m.mask("104.168.12.34 client-104-168-12-34.x 34.12.168.104.in-addr.arpa 104.168.012.034")).toBe(
      "192.0.2.1 client-192-0-2-1.x 1.2.0.192.in-addr.arpa 192.0.2.1",
    );
    expect(m.mask("v1.2.3 on 2026-12-07, 1.2.3.4.5, 999.1.1.1")).toBe("v1.2.3 on 2026-12-07, 1.2.3.4.5, 999.1.1.1");
  });
});
