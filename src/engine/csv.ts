/**
 * Reading CSV text: the header, the fields of a line, and the numbers in them.
 *
 * The format, as a student would type it:
 * - `#` starts a comment line; `# @key value` lines are settings (see settings.ts).
 * - The first other non-blank line is the header; a first line of numbers only is data, and the
 *   columns are then called x1 … xd, y. Which column is the target, a feature or left out is
 *   decided in columns.ts.
 * - An empty field, `NA`, `N/A`, `NaN`, `null`, `?` or `-` is a missing value (columns.ts).
 * - The delimiter is read off the header: tab, then `;`, then `,`. Where it is not `,`,
 *   a decimal comma (`1,5`) is accepted.
 * - CRLF, a UTF-8 BOM, spaces around fields and quoted numbers are fine.
 *
 * A bad row becomes a problem with line and column, never an exception; dataset.ts assembles the
 * rows into X and y.
 */
import type { ColumnRole, MissingMode } from './columns';
import { MESSAGES } from './messages';
import { type DatasetProblem, datasetProblem } from './problems';

export type Delimiter = ',' | ';' | '\t';

/** The header's decisions, which every data row is read against. */
export interface DatasetSchema {
  delimiter: Delimiter;
  /** Whether `1,5` means 1.5 (only where the delimiter is not a comma). */
  decimalComma: boolean;
  columns: string[];
  /** Each column's role: a feature, the target, or left out. */
  roles: ColumnRole[];
  targetColumn: number;
  /** The feature columns, in file order: feature j is column `featureColumns[j]`. */
  featureColumns: number[];
  /** 0-based line of the header (with `headerless`, the first data row). */
  headerLine: number;
  /** The first line holds only numbers: it is data, and the names are x1 … xd, y. */
  headerless: boolean;
  /** What a missing feature value does: skip the row, or take the column's mean. */
  missing: MissingMode;
  /** Column (1-based) where each header cell starts, for hovers on the header. */
  headerCellColumns: number[];
  /** Whether the file's lines name the target (`# @target`) and the features (`# @features`, `# @ignore`). */
  roleLines: RoleLinesSet;
}

/** Which roles the file's own `# @` lines name (an option or a panel choice may still replace them). */
export interface RoleLinesSet {
  target: boolean;
  features: boolean;
}

const NO_ROLE_LINES: Readonly<RoleLinesSet> = Object.freeze({ target: false, features: false });

/** One field of a line: its raw text and where it starts. */
interface Field {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits one line into fields on `delimiter`, honouring double quotes (`""` inside quotes is a quote).
 * An unterminated quote runs to the end of the line.
 */
export function splitFields(line: string, delimiter: Delimiter): Field[] {
  const fields: Field[] = [];
  let start = 0;
  let i = 0;
  let inQuotes = false;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') {
      if (inQuotes && line[i + 1] === '"') i += 1;
      else inQuotes = !inQuotes;
    } else if (c === delimiter && !inQuotes) {
      fields.push({ text: line.slice(start, i), start, end: i });
      start = i + 1;
    }
    i += 1;
  }
  fields.push({ text: line.slice(start), start, end: line.length });
  return fields;
}

/** A field's content without surrounding spaces and quotes, and the column where that content starts. */
function unwrap(field: Field): { text: string; start: number } {
  let s = field.text;
  let start = field.start;
  const lead = s.length - s.trimStart().length;
  s = s.trim();
  start += lead;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    const inner = s.slice(1, -1);
    const innerLead = inner.length - inner.trimStart().length;
    return { text: inner.replace(/""/g, '"').trim(), start: start + 1 + innerLead };
  }
  return { text: s, start };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity|∞)$/i;

const MISSING = /^(?:na|n\/a|nan|null|\?|-)$/i;

/** Whether a field's (unquoted, trimmed) text marks a missing value: empty, NA, N/A, NaN, null, ? or -. */
export function isMissing(text: string): boolean {
  return text.length === 0 || MISSING.test(text);
}

/** Reads one numeric field: the value, or why it is not one. */
export function parseNumber(
  text: string,
  decimalComma: boolean,
): { ok: true; value: number } | { ok: false; code: 'empty-field' | 'not-a-number' | 'not-finite' } {
  if (text.length === 0) return { ok: false, code: 'empty-field' };
  let t = text;
  if (decimalComma && t.includes(',')) {
    if (t.includes('.')) return { ok: false, code: 'not-a-number' };
    t = t.replace(',', '.');
  }
  if (NUMBER.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, code: 'not-finite' };
  }
  return { ok: false, code: NON_FINITE.test(t) ? 'not-finite' : 'not-a-number' };
}

/** Picks the delimiter from the header line: tab, then `;`, then `,`. */
export function detectDelimiter(header: string): Delimiter {
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

/** Splits text into lines at LF, CRLF or CR, dropping a leading BOM. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/);
}

/** Whether a line is blank or a comment (its first non-space character is `#`). */
export function isSkippable(line: string): boolean {
  const t = line.trimStart();
  return t.length === 0 || t[0] === '#';
}

/** The outcome of reading one data row against the schema. */
export type RowResult =
  | {
      ok: true;
      features: number[];
      target: number;
      /** `@missing mean`: the first missing feature (NaN in `features`) */ missing?: DatasetProblem;
    }
  | { ok: false; problem: DatasetProblem };

const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** 10^k for k = 0 … 22: every one exactly representable in Float64. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The common row — plain decimals such as `-0.25` with at most 15 digits, no spaces, quotes or
 * exponents — read straight from the character codes; null for anything else, which `parseRow` then
 * reads the general way. With at most 15 digits the significand m is an exact integer and so is
 * 10^k, so m / 10^k is the correctly rounded value: the same double `Number(text)` gives (Clinger's
 * fast path).
 */
export function plainRow(text: string, schema: DatasetSchema): RowResult | null {
  const delimiter = schema.delimiter.charCodeAt(0);
  const point = schema.decimalComma ? 44 : 46; // ',' or '.'
  const columns = schema.columns.length;
  const { roles, targetColumn } = schema;
  const leftOut = schema.featureColumns.length + 1 < columns;
  const features = new Array<number>(schema.featureColumns.length);
  let feature = 0;
  let target = 0;
  let column = 0;
  let i = 0;
  const n = text.length;
  while (true) {
    let c = i < n ? text.charCodeAt(i) : -1;
    if (leftOut && roles[column] === 'ignored') {
      // A left-out column is not read: skip to the next delimiter (quotes go the general way).
      while (c !== delimiter && c !== -1) {
        if (c === 34) return null;
        c = ++i < n ? text.charCodeAt(i) : -1;
      }
      column++;
      if (c === -1) break;
      i++;
      if (column >= columns) return null;
      continue;
    }
    let sign = 1;
    if (c === 45 || c === 43) {
      if (c === 45) sign = -1;
      c = ++i < n ? text.charCodeAt(i) : -1;
    }
    let m = 0;
    let digits = 0;
    let decimals = -1; // digits after the point, -1 before it
    let seenPoint = false;
    while (c !== delimiter && c !== -1) {
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (seenPoint) decimals++;
      } else if ((c === 46 || c === point) && !seenPoint) {
        seenPoint = true;
        decimals = 0;
        if (c !== point && schema.decimalComma) return null; // "1.5" where the comma is the decimal mark
      } else return null;
      c = ++i < n ? text.charCodeAt(i) : -1;
    }
    if (digits === 0 || digits > 15) return null;
    const value = sign * (decimals > 0 ? m / POW10[decimals] : m);
    if (column === targetColumn) target = value;
    else features[feature++] = value;
    column++;
    if (c === -1) break;
    i++; // past the delimiter
    if (column >= columns) return null; // too many fields: the general way reports it
  }
  return column === columns ? { ok: true, features, target } : null;
}

/** Reads one data line (0-based `line0`) against the schema: the plain fast way when it can. */
export function parseRow(text: string, line0: number, schema: DatasetSchema): RowResult {
  return plainRow(text, schema) ?? parseRowInGeneral(text, line0, schema);
}

/** Reads one data line the general way: quotes, spaces, exponents, decimal commas, and every problem. */
export function parseRowInGeneral(text: string, line0: number, schema: DatasetSchema): RowResult {
  const fields = splitFields(text, schema.delimiter);
  const expected = schema.columns.length;
  if (fields.length !== expected) {
    const extra = fields.length > expected;
    const at = extra ? fields[expected].start : text.length;
    return {
      ok: false,
      problem: datasetProblem(
        line0,
        extra ? Math.max(0, at - 1) : at,
        extra ? text.length - at + 1 : 1,
        'wrong-field-count',
        MESSAGES.wrongFieldCount,
        [String(expected), schema.columns.join(', '), DELIMITER_NAMES[schema.delimiter], String(fields.length)],
      ),
    };
  }
  const features: number[] = [];
  let target = 0;
  let missing: DatasetProblem | undefined;
  for (let k = 0; k < fields.length; k++) {
    const role = schema.roles[k];
    if (role === 'ignored') continue;
    const { text: value, start } = unwrap(fields[k]);
    const column = schema.columns[k];
    if (isMissing(value)) {
      const at = value.length === 0 ? fields[k].start : start;
      const len = Math.max(1, value.length);
      if (role === 'target') {
        return { ok: false, problem: datasetProblem(line0, at, len, 'missing-value', MESSAGES.missingTarget, [column], 'warning') };
      }
      if (schema.missing === 'skip') {
        return { ok: false, problem: datasetProblem(line0, at, len, 'missing-value', MESSAGES.missingValue, [column], 'warning') };
      }
      missing ??= datasetProblem(line0, at, len, 'missing-value-mean', MESSAGES.missingValueMean, [column], 'warning');
      features.push(NaN);
      continue;
    }
    const parsed = parseNumber(value, schema.decimalComma);
    if (!parsed.ok) {
      const at = start;
      const len = value.length;
      const p =
        parsed.code === 'not-finite'
          ? datasetProblem(line0, at, len, 'not-finite', MESSAGES.notFinite, [column, value])
          : datasetProblem(
              line0,
              at,
              len,
              'not-a-number',
              schema.decimalComma || !value.includes(',') ? MESSAGES.notANumber : MESSAGES.notANumberDecimalComma,
              [column, value],
            );
      return { ok: false, problem: p };
    }
    if (role === 'target') target = parsed.value;
    else features.push(parsed.value);
  }
  return missing === undefined ? { ok: true, features, target } : { ok: true, features, target, missing };
}

/** The header's cells: delimiter, names and where each starts, before the columns get their roles. */
export interface HeaderCells {
  delimiter: Delimiter;
  decimalComma: boolean;
  columns: string[];
  headerLine: number;
  headerless: boolean;
  headerCellColumns: number[];
}

/**
 * Reads the header line, reporting names that are empty or repeated. A line of numbers only is the
 * first data row of a file without a header: its columns are called x1 … xd, y, and it says so once.
 */
export function readHeader(text: string, line0: number, problems: DatasetProblem[]): HeaderCells | null {
  const delimiter = detectDelimiter(text);
  const fields = splitFields(text, delimiter);
  if (fields.length < 2) {
    problems.push(datasetProblem(line0, 0, text.length, 'header-too-few-columns', MESSAGES.headerTooFewColumns, [text.trim()]));
    return null;
  }
  const cells = fields.map(unwrap);
  const starts = cells.map((c) => c.start + 1);
  const base = { delimiter, decimalComma: delimiter !== ',', headerLine: line0, headerCellColumns: starts };
  if (cells.every((c) => parseNumber(c.text, delimiter !== ',').ok)) {
    const columns = cells.map((_, k) => (k === cells.length - 1 ? 'y' : `x${k + 1}`));
    problems.push(datasetProblem(line0, 0, text.length, 'headerless', MESSAGES.headerless, [columns.join(', ')], 'warning'));
    return { ...base, columns, headerless: true };
  }
  const columns: string[] = [];
  const seen = new Map<string, number>();
  cells.forEach(({ text: name, start }, k) => {
    if (name.length === 0) {
      const fallback = `column ${k + 1}`;
      problems.push(
        datasetProblem(line0, fields[k].start, 1, 'header-empty-name', MESSAGES.headerEmptyName, [String(k + 1), fallback], 'warning'),
      );
      columns.push(fallback);
      return;
    }
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        datasetProblem(
          line0,
          start,
          name.length,
          'header-duplicate-name',
          MESSAGES.headerDuplicateName,
          [name, String(first + 1), String(k + 1)],
          'warning',
        ),
      );
    } else {
      seen.set(key, k);
    }
    columns.push(name);
  });
  return { ...base, columns, headerless: false };
}

/**
 * Reads the header line into a schema with the default roles for an all-numeric file: the column
 * named y (any case) is the target, else the last one; every other column is a feature.
 */
export function parseHeader(text: string, line0: number, problems: DatasetProblem[]): DatasetSchema | null {
  const cells = readHeader(text, line0, problems);
  if (!cells) return null;
  const yIndex = cells.columns.findIndex((c) => c.toLowerCase() === 'y');
  const target = yIndex >= 0 ? yIndex : cells.columns.length - 1;
  return withRoles(
    cells,
    cells.columns.map((_, k) => (k === target ? 'target' : 'feature')),
    'skip',
  );
}

/** The schema for header cells whose columns have the given roles (exactly one of them the target). */
export function withRoles(
  cells: HeaderCells,
  roles: ColumnRole[],
  missing: MissingMode,
  roleLines: RoleLinesSet = NO_ROLE_LINES,
): DatasetSchema {
  const featureColumns: number[] = [];
  roles.forEach((r, k) => r === 'feature' && featureColumns.push(k));
  return { ...cells, roles, targetColumn: roles.indexOf('target'), featureColumns, missing, roleLines: { ...roleLines } };
}

/** Each field of a line, unquoted and trimmed (for looking at a column's values). */
export function fieldTexts(text: string, delimiter: Delimiter): string[] {
  return splitFields(text, delimiter).map((f) => unwrap(f).text);
}
