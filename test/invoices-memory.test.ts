import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const reader = fileURLToPath(new URL("../src/invoices/read-invoice-file.ts", import.meta.url));

/**
 * Reads, in a process whose V8 heap is 32 MB, 3,000 lines that each arrive in a piece of their own
 * of about 60 KB (a wide column the importer ignores), each with a description of its own. The
 * validator keeps the readings of the latest few thousand descriptions: a kept description that
 * were a slice of its piece would keep the whole piece, 180 MB in all, and the process would run
 * out of memory.
 */
const script = `
import { readInvoiceFilePieces } from ${JSON.stringify(reader)};
const pad = "x".repeat(60_000);
async function* pieces() {
  yield "invoice_number,invoice_date,service_id,description,amount,notes\\n";
  for (let i = 0; i < 3000; i++)
    yield \`INV-\${i},2026-11-01,\${i + 1},Cloud VPS \${i} (11/01/2026 - 11/30/2026),9.99,\${pad}\\n\`;
}
let lines = 0;
for await (const items of readInvoiceFilePieces(pieces())) for (const item of items) if (item.type === "line") lines++;
console.log(lines);
`;

describe("reading an invoice file", () => {
  it("keeps no piece of the file alive through the descriptions it remembers", () => {
    const r = spawnSync(
      process.execPath,
      ["--max-old-space-size=32", "--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8" },
    );
    expect(r.stderr).not.toContain("heap out of memory");
    expect(r.stdout.trim()).toBe("3000");
    expect(r.status).toBe(0);
  });
});
