/**
 * CSV text → the design matrix X (N × d), the targets y, and every problem found on the way.
 *
 * The format, as a student would type it:
 * - `#` starts a comment line; `# @key value` lines are settings (see settings.ts).
 * - The first other non-blank line is the header. The target is the column named `y`
 *   (case-insensitive), else the last one; every other column is a feature.
 * - The delimiter is read off the header: tab, then `;`, then `,`. Where it is not `,`,
 *   a decimal comma (`1,5`) is accepted.
 * - CRLF, a UTF-8 BOM, spaces around fields and quoted numbers are fine.
 *
 * The parser never throws: a bad row becomes a problem with line and column and is skipped.
 * It is linear in the text's length.
 */
import {
  type Initialization,
  type SettingKey,
  type SettingsOverride,
  type SettingValue,
  parseEpochs,
  parseInitialization,
  parseLearningRate,
  parseReluGradAtZero,
  parseSeed,
  settingKey,
} from './settings';
import { formatTemplate } from './format';
import { MESSAGES } from './messages';

/** Stable identifiers for every kind of problem (shown as the diagnostic's code). */
export type ProblemCode =
  | 'empty-file'
  | 'header-only'
  | 'header-too-few-columns'
  | 'header-empty-name'
  | 'header-duplicate-name'
  | 'header-looks-numeric'
  | 'wrong-field-count'
  | 'empty-field'
  | 'not-a-number'
  | 'not-finite'
  | 'unknown-setting'
  | 'duplicate-setting'
  | 'setting-without-value'
  | 'setting-not-a-number'
  | 'setting-not-an-integer'
  | 'setting-out-of-range'
  | 'setting-bad-init'
  | 'init-wrong-count';

/** One problem in the dataset text. Lines and columns count from 1, columns in UTF-16 units. */
export interface DatasetProblem {
  line: number;
  column: number;
  /** How many characters the problem spans (at least 1). */
  length: number;
  code: ProblemCode;
  severity: 'error' | 'warning';
  /** The English sentence with `{0}`… placeholders: the key its translations are looked up by. */
  template: string;
  args: string[];
  /** The template with its arguments filled in (English). */
  message: string;
}

export type Delimiter = ',' | ';' | '\t';

/** The header's decisions, which every data row is read against. */
export interface DatasetSchema {
  delimiter: Delimiter;
  /** Whether `1,5` means 1.5 (only where the delimiter is not a comma). */
  decimalComma: boolean;
  columns: string[];
  targetColumn: number;
  /** 0-based line of the header. */
  headerLine: number;
  /** Column (1-based) where each header cell starts, for hovers on the header. */
  headerCellColumns: number[];
}

/** A parsed dataset: the samples, the settings the file gives, and what was wrong. */
export interface Dataset {
  schema: DatasetSchema | null;
  features: string[];
  target: string;
  /** Number of usable samples N. */
  n: number;
  /** Number of features d. */
  d: number;
  /** X row-major: x_ij at `x[i * d + j]`. */
  x: Float64Array;
  y: Float64Array;
  /** 0-based source line of each sample. */
  sampleLines: Int32Array;
  /** Settings from `# @key value` lines. */
  settings: SettingsOverride;
  problems: DatasetProblem[];
  /** Data rows that were skipped because of a problem. */
  skippedRows: number;
}


function problem(
  line0: number,
  column0: number,
  length: number,
  code: ProblemCode,
  template: string,
  args: string[] = [],
  severity: 'error' | 'warning' = 'error',
): DatasetProblem {
  return {
    line: line0 + 1,
    column: column0 + 1,
    length: Math.max(1, length),
    code,
    severity,
    template,
    args,
    message: formatTemplate(template, args),
  };
}

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
function isSkippable(line: string): boolean {
  const t = line.trimStart();
  return t.length === 0 || t[0] === '#';
}

/** The outcome of reading one data row against the schema. */
export type RowResult = { ok: true; features: number[]; target: number } | { ok: false; problem: DatasetProblem };

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
  const features: number[] = [];
  let target = 0;
  let column = 0;
  let i = 0;
  const n = text.length;
  while (true) {
    let sign = 1;
    let c = i < n ? text.charCodeAt(i) : -1;
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
    if (column === schema.targetColumn) target = value;
    else features.push(value);
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
      problem: problem(
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
  for (let k = 0; k < fields.length; k++) {
    const { text: value, start } = unwrap(fields[k]);
    const parsed = parseNumber(value, schema.decimalComma);
    if (!parsed.ok) {
      const column = schema.columns[k];
      const at = value.length === 0 ? fields[k].start : start;
      const len = value.length === 0 ? 1 : value.length;
      const p =
        parsed.code === 'empty-field'
          ? problem(line0, at, len, 'empty-field', MESSAGES.emptyField, [column])
          : parsed.code === 'not-finite'
            ? problem(line0, at, len, 'not-finite', MESSAGES.notFinite, [column, value])
            : problem(
                line0,
                at,
                len,
                'not-a-number',
                schema.decimalComma || !value.includes(',')
                  ? MESSAGES.notANumber
                  : MESSAGES.notANumberDecimalComma,
                [column, value],
              );
      return { ok: false, problem: p };
    }
    if (k === schema.targetColumn) target = parsed.value;
    else features.push(parsed.value);
  }
  return { ok: true, features, target };
}

/** Reads the header line into a schema, reporting names that are empty, repeated or numeric. */
export function parseHeader(text: string, line0: number, problems: DatasetProblem[]): DatasetSchema | null {
  const delimiter = detectDelimiter(text);
  const fields = splitFields(text, delimiter);
  if (fields.length < 2) {
    problems.push(
      problem(line0, 0, text.length, 'header-too-few-columns',
        MESSAGES.headerTooFewColumns,
        [text.trim()]),
    );
    return null;
  }
  const columns: string[] = [];
  const starts: number[] = [];
  const seen = new Map<string, number>();
  let numeric = 0;
  fields.forEach((f, k) => {
    const { text: name, start } = unwrap(f);
    starts.push(start + 1);
    if (name.length === 0) {
      const fallback = `column ${k + 1}`;
      problems.push(problem(line0, f.start, 1, 'header-empty-name', MESSAGES.headerEmptyName, [String(k + 1), fallback], 'warning'));
      columns.push(fallback);
      return;
    }
    if (parseNumber(name, delimiter !== ',').ok) numeric += 1;
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        problem(line0, start, name.length, 'header-duplicate-name', MESSAGES.headerDuplicateName, [name, String(first + 1), String(k + 1)], 'warning'),
      );
    } else {
      seen.set(key, k);
    }
    columns.push(name);
  });
  if (numeric === fields.length) {
    problems.push(
      problem(line0, 0, text.length, 'header-looks-numeric',
        MESSAGES.headerLooksNumeric,
        [fields.map((_, k) => (k === fields.length - 1 ? 'y' : `x${k + 1}`)).join(delimiter === '\t' ? '\t' : delimiter)],
        'warning'),
    );
  }
  const yIndex = columns.findIndex((c) => c.toLowerCase() === 'y');
  return {
    delimiter,
    decimalComma: delimiter !== ',',
    columns,
    targetColumn: yIndex >= 0 ? yIndex : columns.length - 1,
    headerLine: line0,
    headerCellColumns: starts,
  };
}

const SETTING_LINE = /^\s*#\s*@([^\s=:]*)\s*[=:]?\s*(.*?)\s*$/;

/** Reads a `# @key value` comment into `settings`; returns a problem if it cannot be used. */
export function parseSettingLine(
  text: string,
  line0: number,
  settings: SettingsOverride & { seed?: number },
  seenKeys: Map<SettingKey, number>,
): DatasetProblem | null {
  const m = SETTING_LINE.exec(text);
  if (!m) return null;
  const [, written, value] = m;
  const keyAt = text.indexOf('@') + 1;
  const valueAt = value.length > 0 ? text.lastIndexOf(value) : text.length;
  const key = settingKey(written);
  if (!key) {
    return problem(line0, keyAt, written.length, 'unknown-setting',
      MESSAGES.unknownSetting, [written]);
  }
  const earlier = seenKeys.get(key);
  if (earlier !== undefined) {
    return problem(line0, keyAt, written.length, 'duplicate-setting', MESSAGES.duplicateSetting, [written, String(earlier + 1)], 'warning');
  }
  seenKeys.set(key, line0);
  if (value.length === 0) {
    return problem(line0, keyAt, written.length, 'setting-without-value', MESSAGES.settingWithoutValue, [written]);
  }
  const apply = <T>(r: SettingValue<T>, set: (v: T) => void): DatasetProblem | null => {
    if (r.ok) {
      set(r.value);
      return null;
    }
    return problem(line0, valueAt, value.length, r.code as ProblemCode, r.message, r.args);
  };
  switch (key) {
    case 'lr':
      return apply(parseLearningRate(value), (v) => (settings.learningRate = v));
    case 'epochs':
      return apply(parseEpochs(value), (v) => (settings.epochs = v));
    case 'init':
      return apply<Initialization>(parseInitialization(value), (v) => (settings.initialization = v));
    case 'seed':
      return apply(parseSeed(value), (v) => (settings.seed = v));
    case 'relu-grad-at-zero':
      return apply(parseReluGradAtZero(value), (v) => (settings.reluGradAtZero = v));
  }
}

/** What one line of the text is, once read against the header (a usable row's values live in X and y). */
type LineRecord =
  | null // blank, or a plain comment
  | 'setting' // `# @key value`: read in order when the dataset is assembled
  | 'header'
  | 'sample'
  | DatasetProblem; // a row that was skipped, and why

/** A change of the text: the range (0-based lines, UTF-16 columns) and what replaces it. */
export interface TextEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

const SETTING_START = /^\s*#\s*@/;

/** The first index k < n with lines[k] ≥ line (n if none): `lines` ascends. */
function lowerBound(lines: Int32Array, n: number, line: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replaces the entries of an ascending line list that fall in [start, end] by `fresh` (ascending, in
 * the new lines start …), and moves the entries below by `shift`.
 */
function spliceLineList(list: number[], start: number, end: number, fresh: number[], shift: number): number[] {
  if (list.length === 0 && fresh.length === 0) return list;
  const out = list.filter((l) => l < start);
  out.push(...fresh);
  for (const l of list) if (l > end) out.push(l + shift);
  return out;
}

/**
 * A dataset text kept line by line, so that an edit re-reads only the lines it touches (an edit at or
 * above the header re-reads everything, since the header decides how every row is read).
 * X, y and each sample's line are kept assembled and patched in place: an edit moves the samples below
 * it with one block copy, so `dataset()` after a one-line edit costs a copy of the arrays, not a walk.
 * `parseDataset(text)` is `new DatasetDocument(text).dataset()`.
 */
export class DatasetDocument {
  private lines: string[];
  private records: LineRecord[] = [];
  private schema: DatasetSchema | null = null;
  private headerSeen = false;
  private headerProblems: DatasetProblem[] = [];
  /** N usable samples and d features; X (row-major), y and the sample lines hold spare room past N. */
  private n = 0;
  private d = 0;
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private sampleLines = new Int32Array(0);
  /** Lines of skipped rows and of `# @key` settings, ascending (few, so plain lists). */
  private rejectedLines: number[] = [];
  private settingLines: number[] = [];

  constructor(text: string) {
    this.lines = splitLines(text);
    this.readAll();
  }

  /** Number of lines. */
  get lineCount(): number {
    return this.lines.length;
  }

  /** The whole text (lines joined with LF). */
  text(): string {
    return this.lines.join('\n');
  }

  /** Applies one edit; returns false (and changes nothing) if its range is outside the text. */
  applyEdit(e: TextEdit): boolean {
    const { startLine, startCharacter, endLine, endCharacter } = e;
    if (startLine < 0 || endLine < startLine || endLine >= this.lines.length) return false;
    if (startCharacter > this.lines[startLine].length || endCharacter > this.lines[endLine].length) return false;
    const joined = this.lines[startLine].slice(0, startCharacter) + e.text + this.lines[endLine].slice(endCharacter);
    const replacement = joined.split(/\r\n|\r|\n/);
    this.lines.splice(startLine, endLine - startLine + 1, ...replacement);
    if (this.lines[0].charCodeAt(0) === 0xfeff) this.lines[0] = this.lines[0].slice(1); // as splitLines does
    const schema = this.schema;
    if (!schema || startLine <= schema.headerLine) {
      this.readAll();
      return true;
    }
    this.replaceLines(startLine, endLine, replacement, schema);
    return true;
  }

  /** Re-reads old lines [start, end], now `replacement` (already in `lines`), below the header. */
  private replaceLines(start: number, end: number, replacement: string[], schema: DatasetSchema): void {
    const { d } = this;
    const shift = replacement.length - (end - start + 1);
    const fresh: LineRecord[] = [];
    const rows: { line: number; features: number[]; target: number }[] = [];
    const rejected: number[] = [];
    const settings: number[] = [];
    replacement.forEach((text, k) => {
      const line0 = start + k;
      if (isSkippable(text)) {
        const setting = SETTING_START.test(text);
        if (setting) settings.push(line0);
        fresh.push(setting ? 'setting' : null);
        return;
      }
      const r = parseRow(text, line0, schema);
      if (r.ok) rows.push({ line: line0, features: r.features, target: r.target });
      else rejected.push(line0);
      fresh.push(r.ok ? 'sample' : r.problem);
    });
    this.records.splice(start, end - start + 1, ...fresh);
    this.rejectedLines = spliceLineList(this.rejectedLines, start, end, rejected, shift);
    this.settingLines = spliceLineList(this.settingLines, start, end, settings, shift);

    // Samples [i0, i1) sat on the old lines; those from i1 on move to i0 + rows.length, `shift` lines down.
    const i0 = lowerBound(this.sampleLines, this.n, start);
    const i1 = lowerBound(this.sampleLines, this.n, end + 1);
    const n = this.n - (i1 - i0) + rows.length;
    this.reserve(n);
    const { x, y, sampleLines } = this;
    const to = i0 + rows.length;
    if (to !== i1) {
      x.copyWithin(to * d, i1 * d, this.n * d);
      y.copyWithin(to, i1, this.n);
      sampleLines.copyWithin(to, i1, this.n);
    }
    rows.forEach((r, k) => this.putSample(i0 + k, r.line, r.features, r.target));
    if (shift !== 0) for (let i = to; i < n; i++) sampleLines[i] += shift;
    this.n = n;
  }

  /** Makes room for `n` samples, keeping the first N (growing by half again, so edits that add rows stay cheap). */
  private reserve(n: number): void {
    if (n <= this.y.length) return;
    const capacity = Math.max(n, Math.ceil(this.y.length * 1.5), 16);
    const x = new Float64Array(capacity * this.d);
    x.set(this.x.subarray(0, this.n * this.d));
    const y = new Float64Array(capacity);
    y.set(this.y.subarray(0, this.n));
    const sampleLines = new Int32Array(capacity);
    sampleLines.set(this.sampleLines.subarray(0, this.n));
    this.x = x;
    this.y = y;
    this.sampleLines = sampleLines;
  }

  private putSample(i: number, line0: number, features: number[], target: number): void {
    const { d, x } = this;
    for (let j = 0, at = i * d; j < d; j++, at++) x[at] = features[j];
    this.y[i] = target;
    this.sampleLines[i] = line0;
  }

  private readAll(): void {
    const { lines } = this;
    this.schema = null;
    this.headerSeen = false;
    this.headerProblems = [];
    this.records = new Array<LineRecord>(lines.length);
    this.rejectedLines = [];
    this.settingLines = [];
    this.n = 0;
    this.d = 0;
    this.x = new Float64Array(0);
    this.y = new Float64Array(0);
    this.sampleLines = new Int32Array(0);
    for (let line0 = 0; line0 < lines.length; line0++) {
      const text = lines[line0];
      if (isSkippable(text)) {
        const setting = SETTING_START.test(text);
        if (setting) this.settingLines.push(line0);
        this.records[line0] = setting ? 'setting' : null;
      } else if (!this.headerSeen) {
        this.headerSeen = true;
        this.records[line0] = 'header';
        const schema = parseHeader(text, line0, this.headerProblems);
        if (!schema) continue; // then no line below is a row
        this.schema = schema;
        this.d = schema.columns.length - 1;
        this.reserve(lines.length - line0 - 1); // room for every line below to be a sample
      } else if (!this.schema) {
        this.records[line0] = null;
      } else {
        const r = parseRow(text, line0, this.schema);
        if (r.ok) this.putSample(this.n++, line0, r.features, r.target);
        else this.rejectedLines.push(line0);
        this.records[line0] = r.ok ? 'sample' : r.problem;
      }
    }
  }

  /** The dataset the text describes now: samples, settings and problems, with current line numbers. */
  dataset(): Dataset {
    const { lines, records, schema, n, d } = this;
    const problems: DatasetProblem[] = [...this.headerProblems];
    for (const line0 of this.rejectedLines) {
      const p = records[line0] as DatasetProblem;
      // Lines above may have been inserted or deleted since this row was read.
      problems.push(p.line === line0 + 1 ? p : { ...p, line: line0 + 1 });
    }
    const fileSettings: SettingsOverride & { seed?: number } = {};
    const seenKeys = new Map<SettingKey, number>();
    let initLine = -1;
    for (const line0 of this.settingLines) {
      const p = parseSettingLine(lines[line0], line0, fileSettings, seenKeys);
      if (p) problems.push(p);
      if (seenKeys.get('init') === line0) initLine = line0;
    }
    const skippedRows = this.rejectedLines.length;
    if (!this.headerSeen) {
      problems.push(problem(0, 0, 1, 'empty-file', MESSAGES.emptyFile));
    } else if (schema && n === 0 && skippedRows === 0) {
      problems.push(problem(schema.headerLine, 0, lines[schema.headerLine].length, 'header-only', MESSAGES.headerOnly));
    }
    const features = schema ? schema.columns.filter((_, k) => k !== schema.targetColumn) : [];
    const settings = finishSettings(fileSettings, d, initLine, lines, problems);
    return {
      schema,
      features,
      target: schema ? schema.columns[schema.targetColumn] : '',
      n,
      d,
      // Copies: the caller may keep or transfer them while this document goes on changing.
      x: this.x.slice(0, n * d),
      y: this.y.slice(0, n),
      sampleLines: this.sampleLines.slice(0, n),
      settings,
      problems: problems.sort((a, b) => a.line - b.line || a.column - b.column),
      skippedRows,
    };
  }
}

/** Parses a whole dataset text. Never throws. */
export function parseDataset(text: string): Dataset {
  return new DatasetDocument(text).dataset();
}

/** Applies `@seed` to a random `@init` and checks an explicit `@init` has d + 1 values. */
function finishSettings(
  s: SettingsOverride & { seed?: number },
  d: number,
  initLine: number,
  lines: string[],
  problems: DatasetProblem[],
): SettingsOverride {
  const { seed, ...settings } = s;
  if (seed !== undefined && (settings.initialization === undefined || settings.initialization.kind === 'random')) {
    settings.initialization = { kind: 'random', seed };
  }
  const init = settings.initialization;
  if (init?.kind === 'values' && d > 0 && init.w.length !== d) {
    problems.push(
      problem(initLine, 0, lines[initLine].length, 'init-wrong-count',
        MESSAGES.initWrongCount,
        [String(d + 1), String(d), String(init.w.length + 1)]),
    );
    delete settings.initialization;
  }
  return settings;
}
