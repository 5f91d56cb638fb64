/** The invoice import core: streaming CSV, validation, classification, monthly equivalents. */
export {
  readInvoiceFile,
  readInvoiceFilePieces,
  InvoiceFileError,
  type InvoiceFileItem,
  type InvoiceHeader,
  type ReadInvoiceOptions,
} from "./read-invoice-file.js";
export { InvoiceSummary, formatInvoiceSummary, type SummaryOptions, type Totals } from "./summary.js";
export { LineValidator, type BadLine, type InvoiceLine } from "./invoice-line.js";
export {
  classifyLine,
  LINE_CATEGORIES,
  USAGE_CATEGORIES,
  type Classification,
  type LineCategory,
  type LineKind,
} from "./classify.js";
export {
  monthlyEquivalent,
  splitEvenly,
  wholeMonths,
  divideHalfUp,
  type MonthFigure,
  type MonthlyEquivalent,
  type MonthlyInput,
  type MonthlyMethod,
} from "./monthly-equivalent.js";
export {
  mapHeader,
  normaliseHeader,
  COLUMN_ALIASES,
  INVOICE_COLUMNS,
  REQUIRED_COLUMNS,
  MATCH_COLUMNS,
  type HeaderInfo,
  type InvoiceColumn,
} from "./columns.js";
export {
  readCsv,
  CsvParser,
  DEFAULT_MAX_RECORD_CHARS,
  type CsvError,
  type CsvOptions,
  type CsvRecord,
  type CsvRow,
} from "./csv-reader.js";
export {
  parseDate,
  formatDate,
  monthKey,
  type CalendarDate,
  type DateOrder,
  type Parsed,
  type Period,
} from "./dates.js";
export { detectDateOrder, describeDateOrder, type DateOrderFinding } from "./date-order.js";
export { parseAmountCents, parseServiceId, parseInvoiceNumber, parseHostname, parseCurrency } from "./fields.js";
export { parseIp } from "./ip.js";
export { CACHE_MAX, KEPT_DESCRIPTION_CHARS, remember } from "./bounded-cache.js";
