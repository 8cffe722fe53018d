/**
 * A dataset text kept line by line: the incremental document the training worker edits, and
 * `parseDataset` for a whole text. It assembles the design matrix X (N × d), the targets y and every
 * problem found on the way from csv.ts's rows and settings.ts's `# @key` lines.
 *
 * Reading never throws, and is linear in the text's length.
 */
import { type ColumnChoice, type RoleLine, SNIFF_ROWS, resolveRoles, roleKeyOf, sniffColumns } from './columns';
import { type DatasetSchema, type HeaderCells, isSkippable, parseRow, readHeader, splitLines, withRoles } from './csv';
import { MESSAGES } from './messages';
import { type DatasetProblem, type ProblemCode, datasetProblem } from './problems';
import { type SettingKey, type SettingsOverride, finishFileSettings, isSettingLine, parseSettingLine } from './settings';

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
  /** The skipped rows counted by the problem that skipped them. */
  skippedByCause: Partial<Record<ProblemCode, number>>;
  /** Rows kept with a missing feature given its column's mean (`# @missing mean`). */
  imputedRows: number;
}

/** At most this many problems of one kind in one column are listed; one more line counts the rest. */
export const PROBLEMS_PER_GROUP = 20;

/** What one line of the text is, once read against the header (a usable row's values live in X and y). */
type LineRecord =
  | null // blank, or a plain comment
  | 'setting' // `# @key value`: read in order when the dataset is assembled
  | 'header'
  | 'sample'
  | { imputed: DatasetProblem } // a sample with a missing feature, given its column's mean
  | DatasetProblem; // a row that was skipped, and why

/** A change of the text: the range (0-based lines, UTF-16 columns) and what replaces it. */
export interface TextEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

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
 * A dataset text kept line by line, so that an edit re-reads only the lines it touches. The header,
 * the role lines (`# @target`, `# @features`, `# @ignore`, `# @missing`) and the first rows decide how
 * every row is read (columns.ts): an edit at or above the header, or one after which those decide
 * differently, re-reads everything.
 * X, y and each sample's line are kept assembled and patched in place: an edit moves the samples below
 * it with one block copy, so `dataset()` after a one-line edit costs a copy of the arrays, not a walk.
 * `parseDataset(text)` is `new DatasetDocument(text).dataset()`.
 */
export class DatasetDocument {
  private lines: string[];
  private records: LineRecord[] = [];
  private schema: DatasetSchema | null = null;
  private header: HeaderCells | null = null;
  private headerSeen = false;
  private headerProblems: DatasetProblem[] = [];
  /** What deciding the roles found wrong (with current line numbers: re-decided after every edit). */
  private roleProblems: DatasetProblem[] = [];
  /** The first line past the rows that decided the roles (the first SNIFF_ROWS data rows). */
  private sniffEnd = Number.POSITIVE_INFINITY;
  /** N usable samples and d features; X (row-major), y and the sample lines hold spare room past N. */
  private n = 0;
  private d = 0;
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private sampleLines = new Int32Array(0);
  /** Lines of skipped rows and of `# @key` settings, ascending (few, so plain lists). */
  private rejectedLines: number[] = [];
  private imputedLines: number[] = [];
  private settingLines: number[] = [];

  /** `choice`: column roles from outside the file (the CLI's flags), which win over its lines. */
  constructor(
    text: string,
    private readonly choice: ColumnChoice = {},
  ) {
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
    // An edit past the rows that decided the roles, removing and adding no role line, keeps them.
    const keepsRoles =
      startLine >= this.sniffEnd &&
      !this.settingLines.some((line0) => line0 >= startLine && roleKeyOf(this.lines[line0]) !== undefined) &&
      !replacement.some((text) => roleKeyOf(text) !== undefined);
    this.lines.splice(startLine, endLine - startLine + 1, ...replacement);
    if (this.lines[0].charCodeAt(0) === 0xfeff) this.lines[0] = this.lines[0].slice(1); // as splitLines does
    const schema = this.schema;
    if (!schema || startLine <= schema.headerLine) {
      this.readAll();
      return true;
    }
    this.replaceLines(startLine, endLine, replacement, schema);
    if (keepsRoles) return true;
    const next = this.decideSchema();
    const same = next !== null && next.missing === schema.missing && next.roles.every((r, k) => r === schema.roles[k]);
    if (!same) this.readAll();
    else this.schema = { ...schema, roleLines: next.roleLines }; // a role line that changes no role
    return true;
  }

  /** The role lines, in order. */
  private roleLines(): RoleLine[] {
    const out: RoleLine[] = [];
    for (const line0 of this.settingLines) {
      const key = roleKeyOf(this.lines[line0]);
      if (key) out.push({ key, line0, text: this.lines[line0] });
    }
    return out;
  }

  /** Decides the columns' roles from the header, the role lines and the first rows; null if no feature is left. */
  private decideSchema(): DatasetSchema | null {
    const { header, lines } = this;
    if (!header) return null;
    const rows: string[] = [];
    let line0 = header.headerless ? header.headerLine : header.headerLine + 1;
    for (; line0 < lines.length && rows.length < SNIFF_ROWS; line0++) {
      if (!isSkippable(lines[line0])) rows.push(lines[line0]);
    }
    this.sniffEnd = line0 < lines.length ? line0 : Number.POSITIVE_INFINITY;
    const r = resolveRoles(header, this.roleLines(), sniffColumns(rows, header.columns.length, header.delimiter), this.choice);
    this.roleProblems = r.problems;
    return r.roles.includes('feature') ? withRoles(header, r.roles, r.missing, r.roleLines) : null;
  }

  /** Re-reads old lines [start, end], now `replacement` (already in `lines`), below the header. */
  private replaceLines(start: number, end: number, replacement: string[], schema: DatasetSchema): void {
    const { d } = this;
    const shift = replacement.length - (end - start + 1);
    const fresh: LineRecord[] = [];
    const rows: { line: number; features: number[]; target: number }[] = [];
    const rejected: number[] = [];
    const imputed: number[] = [];
    const settings: number[] = [];
    replacement.forEach((text, k) => {
      const line0 = start + k;
      if (isSkippable(text)) {
        const setting = isSettingLine(text);
        if (setting) settings.push(line0);
        fresh.push(setting ? 'setting' : null);
        return;
      }
      const r = parseRow(text, line0, schema);
      if (r.ok) rows.push({ line: line0, features: r.features, target: r.target });
      else rejected.push(line0);
      if (r.ok && r.missing) imputed.push(line0);
      fresh.push(r.ok ? (r.missing ? { imputed: r.missing } : 'sample') : r.problem);
    });
    this.records.splice(start, end - start + 1, ...fresh);
    this.rejectedLines = spliceLineList(this.rejectedLines, start, end, rejected, shift);
    this.imputedLines = spliceLineList(this.imputedLines, start, end, imputed, shift);
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
    this.header = null;
    this.headerSeen = false;
    this.headerProblems = [];
    this.roleProblems = [];
    this.sniffEnd = Number.POSITIVE_INFINITY;
    this.records = new Array<LineRecord>(lines.length).fill(null);
    this.rejectedLines = [];
    this.imputedLines = [];
    this.settingLines = [];
    this.n = 0;
    this.d = 0;
    this.x = new Float64Array(0);
    this.y = new Float64Array(0);
    this.sampleLines = new Int32Array(0);
    // First the header and the `# @` lines, which decide the roles; then the rows.
    let first = lines.length;
    for (let line0 = 0; line0 < lines.length; line0++) {
      const text = lines[line0];
      if (isSkippable(text)) {
        const setting = isSettingLine(text);
        if (setting) this.settingLines.push(line0);
        this.records[line0] = setting ? 'setting' : null;
      } else if (!this.headerSeen) {
        this.headerSeen = true;
        this.records[line0] = 'header';
        this.header = readHeader(text, line0, this.headerProblems);
        first = this.header?.headerless ? line0 : line0 + 1;
      }
    }
    const schema = (this.schema = this.decideSchema());
    if (!schema) return; // then no line below the header is a row
    this.d = schema.featureColumns.length;
    this.reserve(lines.length - first); // room for every line from the first row on to be a sample
    for (let line0 = first; line0 < lines.length; line0++) {
      const text = lines[line0];
      if (this.records[line0] === 'setting' || isSkippable(text)) continue;
      const r = parseRow(text, line0, schema);
      if (r.ok) this.putSample(this.n++, line0, r.features, r.target);
      else this.rejectedLines.push(line0);
      if (r.ok && r.missing) this.imputedLines.push(line0);
      this.records[line0] = r.ok ? (r.missing ? { imputed: r.missing } : 'sample') : r.problem;
    }
  }

  /** The dataset the text describes now: samples, settings and problems, with current line numbers. */
  dataset(): Dataset {
    const { lines, records, schema, n, d } = this;
    // Lines above may have been inserted or deleted since a row was read.
    const at = (p: DatasetProblem, line0: number) => (p.line === line0 + 1 ? p : { ...p, line: line0 + 1 });
    const skippedByCause: Partial<Record<ProblemCode, number>> = {};
    const rowProblems: DatasetProblem[] = [];
    for (const line0 of this.rejectedLines) {
      const p = records[line0] as DatasetProblem;
      skippedByCause[p.code] = (skippedByCause[p.code] ?? 0) + 1;
      rowProblems.push(at(p, line0));
    }
    for (const line0 of this.imputedLines) rowProblems.push(at((records[line0] as { imputed: DatasetProblem }).imputed, line0));
    if (this.imputedLines.length > 0) rowProblems.sort((a, b) => a.line - b.line);
    // Copies: the caller may keep or transfer them while this document goes on changing.
    return assembleDataset({
      schema,
      headerSeen: this.headerSeen,
      problems: [...this.headerProblems, ...this.roleProblems],
      rowProblems: groupRowProblems(rowProblems),
      skippedRows: this.rejectedLines.length,
      skippedByCause,
      imputedRows: this.imputedLines.length,
      lines,
      settingLines: this.settingLines,
      n,
      d,
      x: this.x.slice(0, n * d),
      y: this.y.slice(0, n),
      sampleLines: this.sampleLines.slice(0, n),
    });
  }
}

/** What a reader of a dataset text has gathered: `assembleDataset` makes the `Dataset` of it. */
export interface DatasetParts {
  schema: DatasetSchema | null;
  /** Whether a header line (the first line that is not blank or a comment) was found. */
  headerSeen: boolean;
  /** The header's and the role lines' problems. */
  problems: DatasetProblem[];
  /** The rows' problems, grouped (`groupRowProblems`). */
  rowProblems: DatasetProblem[];
  skippedRows: number;
  skippedByCause: Partial<Record<ProblemCode, number>>;
  imputedRows: number;
  /** The text's lines; only the header line and the `settingLines` are read (a sparse array will do). */
  lines: readonly string[];
  /** 0-based lines of the `# @key value` lines, ascending. */
  settingLines: readonly number[];
  n: number;
  d: number;
  /** X (n × d, a missing feature NaN), y and the sample lines, owned by the result. */
  x: Float64Array;
  y: Float64Array;
  sampleLines: Int32Array;
}

/**
 * The dataset from what a reader gathered: the `# @key` settings read in order, an empty file or one
 * with a header only reported, a missing feature given its column's mean, every problem in line order.
 * The one assembly both readers share (`DatasetDocument`, and `DatasetStream` for text in chunks).
 */
export function assembleDataset(parts: DatasetParts): Dataset {
  const { schema, lines, n, d, x, skippedRows } = parts;
  const problems = [...parts.problems, ...parts.rowProblems];
  const fileSettings: SettingsOverride & { seed?: number } = {};
  const seenKeys = new Map<SettingKey, number>();
  let initLine = -1;
  for (const line0 of parts.settingLines) {
    const p = parseSettingLine(lines[line0], line0, fileSettings, seenKeys);
    if (p) problems.push(p);
    if (seenKeys.get('init') === line0) initLine = line0;
  }
  if (!parts.headerSeen) {
    problems.push(datasetProblem(0, 0, 1, 'empty-file', MESSAGES.emptyFile));
  } else if (schema && n === 0 && skippedRows === 0) {
    problems.push(datasetProblem(schema.headerLine, 0, lines[schema.headerLine].length, 'header-only', MESSAGES.headerOnly));
  }
  const settings = finishFileSettings(fileSettings, d, initLine, lines, problems);
  if (parts.imputedRows > 0) fillMeans(x, n, d);
  return {
    schema,
    features: schema ? schema.featureColumns.map((k) => schema.columns[k]) : [],
    target: schema ? schema.columns[schema.targetColumn] : '',
    n,
    d,
    x,
    y: parts.y,
    sampleLines: parts.sampleLines,
    settings,
    problems: problems.sort((a, b) => a.line - b.line || a.column - b.column),
    skippedRows,
    skippedByCause: parts.skippedByCause,
    imputedRows: parts.imputedRows,
  };
}

/** Replaces each NaN x_ij by the mean of column j over the samples that have a value there (0 if none). */
function fillMeans(x: Float64Array, n: number, d: number): void {
  for (let j = 0; j < d; j++) {
    let sum = 0;
    let count = 0;
    for (let at = j; at < n * d; at += d) {
      if (!Number.isNaN(x[at])) {
        sum += x[at];
        count++;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    for (let at = j; at < n * d; at += d) if (Number.isNaN(x[at])) x[at] = mean;
  }
}

/**
 * Row problems, given in line order, with at most `PROBLEMS_PER_GROUP` of one kind in one column: the
 * rest become one problem at the first of them, "… and 1441 more rows like this". Takes them one at a
 * time, so a reader of text in chunks keeps only what is shown.
 */
export class RowProblemGroups {
  private readonly kept: DatasetProblem[] = [];
  private readonly groups = new Map<string, { count: number; first?: DatasetProblem }>();

  /** The next row problem (in line order). */
  add(p: DatasetProblem): void {
    const column = p.code === 'wrong-field-count' ? '' : (p.args[0] ?? '');
    const key = `${p.code}\u0000${column}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { count: 0 }));
    g.count++;
    if (g.count <= PROBLEMS_PER_GROUP) this.kept.push(p);
    else g.first ??= p;
  }

  /** The problems shown: those kept, then one count per group that has more. */
  problems(): DatasetProblem[] {
    const out = this.kept.slice();
    for (const [key, g] of this.groups) {
      if (!g.first) continue;
      const column = key.slice(key.indexOf('\u0000') + 1);
      const more = String(g.count - PROBLEMS_PER_GROUP);
      const { line, column: col, length, severity } = g.first;
      out.push(
        column
          ? datasetProblem(line - 1, col - 1, length, 'more-rows-like-this', MESSAGES.moreRowsLikeThis, [more, column], severity)
          : datasetProblem(line - 1, col - 1, length, 'more-rows-like-this', MESSAGES.moreRowsLikeThisNoColumn, [more], severity),
      );
    }
    return out;
  }
}

/** Row problems (in line order) grouped as `RowProblemGroups` does. */
export function groupRowProblems(rowProblems: readonly DatasetProblem[]): DatasetProblem[] {
  const groups = new RowProblemGroups();
  for (const p of rowProblems) groups.add(p);
  return groups.problems();
}

/** Parses a whole dataset text (with column roles from outside the file, if given). Never throws. */
export function parseDataset(text: string, choice: ColumnChoice = {}): Dataset {
  return new DatasetDocument(text, choice).dataset();
}
