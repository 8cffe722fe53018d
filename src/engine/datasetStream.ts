/**
 * A dataset text read in chunks, for a file too big to hold as one string (or as VS Code's document):
 * `push` each piece of text as it comes, `end` gives the same `Dataset` as `parseDataset` of the whole
 * text. A chunk may end anywhere — inside a line, a quoted field, a CRLF or a number. Only the rows'
 * values and the few lines that say how to read them are kept, not the text.
 *
 * The roles of the columns are decided, as in `DatasetDocument`, by the header, the role lines
 * (`# @target`, `# @features`, `# @ignore`, `# @missing`) and the first SNIFF_ROWS rows. A role line
 * below those rows that decides differently cannot be honoured in one pass: `end` then asks for a
 * second one with the role lines known from the start (`rolesAhead`).
 */
import { type ColumnChoice, type RoleLine, SNIFF_ROWS, resolveRoles, roleKeyOf, sniffColumns } from './columns';
import { type DatasetSchema, type HeaderCells, isSkippable, parseRow, readHeader, withRoles } from './csv';
import { type Dataset, RowProblemGroups, assembleDataset } from './dataset';
import type { DatasetProblem, ProblemCode } from './problems';
import { isSettingLine } from './settings';

/** The end of a stream: the dataset, or a second pass needed with these role lines known ahead. */
export type StreamEnd = { dataset: Dataset } | { again: RoleLine[] };

const LINE_BREAK = /\r\n|\r|\n/;

/** The roles of a stream's columns as decided, and their problems. */
interface Decision {
  schema: DatasetSchema | null;
  problems: DatasetProblem[];
}

/** A dataset text taken in chunks of any size; see the module's comment. */
export class DatasetStream {
  /** The unfinished last line of what was pushed. */
  private carry = '';
  /** The last chunk ended in CR: an LF first in the next one belongs to it. */
  private afterCR = false;
  private started = false;
  private ended = false;
  /** 0-based index of the next complete line. */
  private line0 = 0;
  private header: HeaderCells | null = null;
  private headerSeen = false;
  private readonly headerProblems: DatasetProblem[] = [];
  /** The header line and the `# @key` lines, at their indices (a sparse array). */
  private readonly kept: string[] = [];
  private readonly settingLines: number[] = [];
  private readonly roleLines: RoleLine[] = [];
  /** Until the roles are decided: the lines from the first row on, and the rows among them. */
  private held: { line0: number; text: string }[] = [];
  private readonly sniffRows: string[] = [];
  private decision: Decision | undefined;
  private n = 0;
  private d = 0;
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private sampleLines = new Int32Array(0);
  private readonly groups = new RowProblemGroups();
  private readonly skippedByCause: Partial<Record<ProblemCode, number>> = {};
  private skippedRows = 0;
  private imputedRows = 0;

  /**
   * `choice`: column roles from outside the file (as `DatasetDocument` takes them); `rolesAhead`: the
   * file's role lines, from a first pass whose `end` asked for them.
   */
  constructor(
    private readonly choice: ColumnChoice = {},
    private readonly rolesAhead?: readonly RoleLine[],
  ) {}

  /** Number of complete lines read so far. */
  get linesRead(): number {
    return this.line0;
  }

  /** The next piece of the text. */
  push(chunk: string): void {
    if (chunk.length === 0) return;
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // as splitLines does
    }
    if (this.afterCR && text.charCodeAt(0) === 10) text = text.slice(1);
    this.afterCR = text.charCodeAt(text.length - 1) === 13;
    if (text.length === 0) return;
    const parts = (this.carry + text).split(LINE_BREAK);
    // A CR last: its line is complete (CR or CRLF alike), and the part after it is empty.
    this.carry = parts.pop()!;
    for (const line of parts) this.line(line);
  }

  /** The text is complete: the dataset `parseDataset` would give for it, or a second pass to make. */
  end(): StreamEnd {
    if (this.ended) throw new Error('DatasetStream.end called twice');
    this.ended = true;
    this.line(this.carry); // the last line, empty after a final line break, as splitLines has it
    this.carry = '';
    if (this.decision === undefined) this.decide();
    const used = this.decision!;
    // With every role line known: the same roles (else a second pass), and the problems they have.
    const final = this.header ? this.resolve() : used;
    if (!sameRoles(used.schema, final.schema)) return { again: this.roleLines.slice() };
    // The role lines below the rows that decided name roles too (the panel marks them).
    const schema = used.schema && final.schema ? { ...used.schema, roleLines: final.schema.roleLines } : used.schema;
    const { n, d } = this;
    return {
      dataset: assembleDataset({
        schema,
        headerSeen: this.headerSeen,
        problems: [...this.headerProblems, ...final.problems],
        rowProblems: this.groups.problems(),
        skippedRows: this.skippedRows,
        skippedByCause: this.skippedByCause,
        imputedRows: this.imputedRows,
        lines: this.kept,
        settingLines: this.settingLines,
        n,
        d,
        x: this.x.length === n * d ? this.x : this.x.slice(0, n * d),
        y: this.y.length === n ? this.y : this.y.slice(0, n),
        sampleLines: this.sampleLines.length === n ? this.sampleLines : this.sampleLines.slice(0, n),
      }),
    };
  }

  /** One complete line. */
  private line(text: string): void {
    const line0 = this.line0++;
    if (isSkippable(text) && isSettingLine(text)) {
      this.kept[line0] = text;
      this.settingLines.push(line0);
      const key = this.rolesAhead === undefined ? roleKeyOf(text) : undefined;
      if (key) this.roleLines.push({ key, line0, text });
    }
    if (!this.headerSeen) {
      if (isSkippable(text)) return;
      this.headerSeen = true;
      this.kept[line0] = text;
      this.header = readHeader(text, line0, this.headerProblems);
      if (!this.header) {
        this.decide();
        return;
      }
      if (!this.header.headerless) return;
    }
    if (this.decision === undefined) {
      this.held.push({ line0, text });
      if (!isSkippable(text)) {
        this.sniffRows.push(text);
        if (this.sniffRows.length === SNIFF_ROWS) this.decide();
      }
      return;
    }
    if (this.decision.schema && !isSkippable(text)) this.row(text, line0, this.decision.schema);
  }

  /** Decides the roles from what was read so far, then reads the rows held until now. */
  private decide(): void {
    const decision = this.header ? this.resolve() : { schema: null, problems: [] };
    this.decision = decision;
    const { schema } = decision;
    this.d = schema ? schema.featureColumns.length : 0;
    const held = this.held;
    this.held = [];
    if (schema) for (const { line0, text } of held) if (!isSkippable(text)) this.row(text, line0, schema);
  }

  private resolve(): Decision {
    const header = this.header!;
    const r = resolveRoles(
      header,
      this.rolesAhead ?? this.roleLines,
      sniffColumns(this.sniffRows, header.columns.length, header.delimiter),
      this.choice,
    );
    return { schema: r.roles.includes('feature') ? withRoles(header, r.roles, r.missing, r.roleLines) : null, problems: r.problems };
  }

  private row(text: string, line0: number, schema: DatasetSchema): void {
    const r = parseRow(text, line0, schema);
    if (!r.ok) {
      this.skippedRows++;
      this.skippedByCause[r.problem.code] = (this.skippedByCause[r.problem.code] ?? 0) + 1;
      this.groups.add(r.problem);
      return;
    }
    if (r.missing) {
      this.imputedRows++;
      this.groups.add(r.missing);
    }
    const i = this.n++;
    if (i >= this.y.length) this.grow();
    const { d, x } = this;
    const features = r.features;
    for (let j = 0, at = i * d; j < d; j++, at++) x[at] = features[j];
    this.y[i] = r.target;
    this.sampleLines[i] = line0;
  }

  /** Doubles the room for samples. */
  private grow(): void {
    const capacity = Math.max(1024, this.y.length * 2);
    const x = new Float64Array(capacity * this.d);
    x.set(this.x);
    const y = new Float64Array(capacity);
    y.set(this.y);
    const sampleLines = new Int32Array(capacity);
    sampleLines.set(this.sampleLines);
    this.x = x;
    this.y = y;
    this.sampleLines = sampleLines;
  }
}

/** Whether two decisions read every row alike. */
function sameRoles(a: DatasetSchema | null, b: DatasetSchema | null): boolean {
  if (a === null || b === null) return a === b;
  return a.missing === b.missing && a.roles.length === b.roles.length && a.roles.every((r, k) => r === b.roles[k]);
}
