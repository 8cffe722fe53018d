/**
 * A dataset text kept line by line: the incremental document the training worker edits, and
 * `parseDataset` for a whole text. It assembles the design matrix X (N × d), the targets y and every
 * problem found on the way from csv.ts's rows and settings.ts's `# @key` lines.
 *
 * Reading never throws, and is linear in the text's length.
 */
import { type DatasetSchema, isSkippable, parseHeader, parseRow, splitLines } from './csv';
import { MESSAGES } from './messages';
import { type DatasetProblem, datasetProblem } from './problems';
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
        const setting = isSettingLine(text);
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
        const setting = isSettingLine(text);
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
      problems.push(datasetProblem(0, 0, 1, 'empty-file', MESSAGES.emptyFile));
    } else if (schema && n === 0 && skippedRows === 0) {
      problems.push(datasetProblem(schema.headerLine, 0, lines[schema.headerLine].length, 'header-only', MESSAGES.headerOnly));
    }
    const features = schema ? schema.columns.filter((_, k) => k !== schema.targetColumn) : [];
    const settings = finishFileSettings(fileSettings, d, initLine, lines, problems);
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
