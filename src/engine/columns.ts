/**
 * Column roles: each column is a feature x_j, the target y, or left out.
 *
 * - Defaults: the target is the column named `y` (any case), else the last column that holds
 *   numbers. A column whose first rows mostly hold text (names, dates, categories) is left out, with
 *   one warning on its header cell.
 * - The file may say it: `# @target NAME`, `# @features A, B, …`, `# @ignore A, …` (names as in the
 *   header, any case; `"quoted names"` may hold commas). Options (the CLI's flags) win over the lines.
 * - Missing values (an empty field, `NA`, `N/A`, `NaN`, `null`, `?`, `-`): `# @missing skip` (the
 *   default) skips the row; `# @missing mean` gives a missing feature its column's mean over the rows
 *   that have it. A missing target always skips the row.
 *
 * The roles depend on the header, the role lines and the first `SNIFF_ROWS` data rows only, so an edit
 * further down re-reads just its own lines (dataset.ts).
 */
import { type Delimiter, type HeaderCells, fieldTexts, isMissing, parseNumber } from './csv';
import { MESSAGES } from './messages';
import { type MissingMode, parseMissingMode } from './settings';

export { type MissingMode, parseMissingMode } from './settings';
import { type DatasetProblem, datasetProblem } from './problems';

/** What a column is for. */
export type ColumnRole = 'feature' | 'target' | 'ignored';

/** Roles given from outside the file (the CLI's flags); each one replaces the file's line. */
export interface ColumnChoice {
  target?: string;
  features?: readonly string[];
  ignore?: readonly string[];
}

/** Whether a choice chooses anything (a target, features or columns left out). */
export function choosesColumns(c: ColumnChoice): boolean {
  return c.target !== undefined || c.features !== undefined || c.ignore !== undefined;
}

/**
 * A column choice read back from storage (the panel's, kept between sessions): a target that is a
 * short string, features that are a non-empty list of them; anything else is dropped, never the run.
 */
export function choiceFromStorage(raw: unknown): ColumnChoice {
  const out: ColumnChoice = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  const name = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1_000;
  if (name(r.target)) out.target = r.target;
  if (Array.isArray(r.features) && r.features.length > 0 && r.features.length <= 10_000 && r.features.every(name))
    out.features = [...(r.features as string[])];
  return out;
}

/**
 * The panel's column choice after a change: the fields `change` names replace the earlier ones. A new
 * target is taken out of the features chosen (the panel's, else `fileFeatures`, those the file's
 * `# @features`/`# @ignore` lines chose, if any); none left means no features are chosen.
 */
export function nextColumnChoice(
  current: ColumnChoice,
  change: { target?: string; features?: readonly string[] },
  fileFeatures?: readonly string[],
): ColumnChoice {
  const next: ColumnChoice = { ...current };
  if (change.features !== undefined) next.features = [...change.features];
  if (change.target !== undefined) {
    next.target = change.target;
    const chosen = next.features ?? fileFeatures;
    if (chosen?.includes(change.target)) {
      const rest = chosen.filter((f) => f !== change.target);
      if (rest.length > 0) next.features = rest;
      else delete next.features;
    }
  }
  return next;
}

/** How many data rows below the header decide whether a column holds text. */
export const SNIFF_ROWS = 100;

/** What the first data rows say about one column. */
export interface ColumnSniff {
  numbers: number;
  texts: number;
  /** The first value that is neither a number nor missing. */
  example: string;
}

/** Counts numbers and text in each column over `rows` (the first data lines). */
export function sniffColumns(rows: readonly string[], columns: number, delimiter: Delimiter): ColumnSniff[] {
  const sniff = Array.from({ length: columns }, () => ({ numbers: 0, texts: 0, example: '' }));
  const decimalComma = delimiter !== ',';
  for (const row of rows) {
    const cells = fieldTexts(row, delimiter);
    for (let k = 0; k < Math.min(columns, cells.length); k++) {
      const t = cells[k];
      if (isMissing(t)) continue;
      const s = sniff[k];
      if (parseNumber(t, decimalComma).ok) s.numbers++;
      else if (s.texts++ === 0) s.example = t;
    }
  }
  return sniff;
}

/** Whether a column mostly holds text (more text values than numbers). */
function holdsText(s: ColumnSniff): boolean {
  return s.texts > s.numbers;
}

/** One name in a role line, and the 0-based character where it starts. */
interface NameAt {
  name: string;
  at: number;
}

/** A role line as found in the file: its key, 0-based line and value (and where the value starts). */
export interface RoleLine {
  key: 'target' | 'features' | 'ignore' | 'missing';
  line0: number;
  text: string;
}

const ROLE_LINE = /^\s*#\s*@([^\s=:]*)\s*[=:]?\s*(.*?)\s*$/;
const ROLE_KEYS: Record<string, RoleLine['key']> = {
  target: 'target',
  features: 'features',
  feature: 'features',
  ignore: 'ignore',
  missing: 'missing',
};

/** The role key a `# @key value` line sets, if any. */
export function roleKeyOf(text: string): RoleLine['key'] | undefined {
  const m = ROLE_LINE.exec(text);
  return m ? ROLE_KEYS[m[1].toLowerCase()] : undefined;
}

/** The value of a `# @key value` line, and where it starts. */
function valueOf(text: string): NameAt {
  const m = ROLE_LINE.exec(text)!;
  return { name: m[2], at: m[2].length > 0 ? text.lastIndexOf(m[2]) : text.length };
}

/**
 * Splits a list of names at commas outside double quotes; each name is trimmed and unquoted.
 * `at` is where the list starts in its line.
 */
export function splitNames(list: string, at: number): NameAt[] {
  const out: NameAt[] = [];
  let start = 0;
  let inQuotes = false;
  const push = (end: number) => {
    const raw = list.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    let name = raw.trim();
    let offset = at + start + lead;
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
      name = name.slice(1, -1).replace(/""/g, '"');
      offset += 1;
    }
    if (name.length > 0) out.push({ name, at: offset });
  };
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ',' && !inQuotes) {
      push(i);
      start = i + 1;
    }
  }
  push(list.length);
  return out;
}

/** The roles decided, and what was wrong on the way. */
export interface Roles {
  roles: ColumnRole[];
  missing: MissingMode;
  problems: DatasetProblem[];
  /** Whether a role line names the target, and the features (`# @features` or `# @ignore`). */
  roleLines: { target: boolean; features: boolean };
}

/**
 * Decides each column's role from the header, the first role line of each key (`lines`, in order),
 * what the first rows hold (`sniff`) and the options (which replace the lines). Never fails: a name
 * that is not a column is reported where it is written and ignored.
 */
export function resolveRoles(
  header: HeaderCells,
  roleLines: readonly RoleLine[],
  sniff: readonly ColumnSniff[],
  choice: ColumnChoice = {},
): Roles {
  const { columns, headerLine } = header;
  const problems: DatasetProblem[] = [];
  const index = new Map<string, number>();
  columns.forEach((c, k) => {
    if (!index.has(c.toLowerCase())) index.set(c.toLowerCase(), k);
  });
  const first = (key: RoleLine['key']) => roleLines.find((l) => l.key === key);
  const allNames = columns.join(', ');

  /** Names from an option (reported on the header line) or a role line (reported at the name). */
  const namesOf = (
    key: 'target' | 'features' | 'ignore',
    option: readonly string[] | undefined,
  ): { name: string; line0: number; at: number; column: number }[] | undefined => {
    let names: { name: string; line0: number; at: number }[];
    if (option !== undefined) names = option.map((name) => ({ name, line0: headerLine, at: 0 }));
    else {
      const line = first(key);
      if (!line) return undefined;
      const value = valueOf(line.text);
      names = (key === 'target' ? [{ name: value.name.replace(/^"(.*)"$/, '$1'), at: value.at }] : splitNames(value.name, value.at)).map(
        (n) => ({ ...n, line0: line.line0 }),
      );
    }
    return names.map((n) => ({ ...n, column: index.get(n.name.toLowerCase()) ?? -1 }));
  };

  const ignoreNames = namesOf('ignore', choice.ignore);
  const featureNames = namesOf('features', choice.features);
  const targetName = namesOf('target', choice.target === undefined ? undefined : [choice.target])?.[0];

  const ignored = new Set<number>();
  for (const n of ignoreNames ?? []) {
    if (n.column < 0)
      problems.push(datasetProblem(n.line0, n.at, n.name.length, 'unknown-column', MESSAGES.unknownColumn, [n.name, allNames], 'warning'));
    else ignored.add(n.column);
  }
  const listed = new Set<number>();
  for (const n of featureNames ?? []) {
    if (n.column < 0)
      problems.push(datasetProblem(n.line0, n.at, n.name.length, 'unknown-column', MESSAGES.unknownColumn, [n.name, allNames], 'warning'));
    else listed.add(n.column);
    // Features chosen by an option win over the file's @ignore.
    if (choice.features !== undefined && choice.ignore === undefined) ignored.delete(n.column);
  }

  // The target: as named, else `y`, else the last column holding numbers that is free to be it.
  let target = -1;
  if (targetName) {
    if (targetName.column >= 0) target = targetName.column;
    else
      problems.push(
        datasetProblem(
          targetName.line0,
          targetName.at,
          targetName.name.length,
          'unknown-column',
          MESSAGES.unknownTarget,
          [targetName.name, allNames],
          'warning',
        ),
      );
  }
  if (target < 0) {
    const free = (k: number) => !ignored.has(k) && !listed.has(k);
    const y = columns.findIndex((c, k) => c.toLowerCase() === 'y' && free(k));
    target = y;
    for (let k = columns.length - 1; target < 0 && k >= 0; k--) if (free(k) && !holdsText(sniff[k])) target = k;
    if (target < 0) target = columns.length - 1;
  }
  const targetAt = (names: typeof ignoreNames) => names?.find((n) => n.column === target);
  const ignoredTarget = targetAt(ignoreNames);
  if (ignoredTarget) {
    problems.push(
      datasetProblem(
        ignoredTarget.line0,
        ignoredTarget.at,
        ignoredTarget.name.length,
        'target-left-out',
        MESSAGES.targetIgnored,
        [columns[target]],
        'warning',
      ),
    );
    ignored.delete(target);
  }
  const listedTarget = targetAt(featureNames);
  if (listedTarget) {
    problems.push(
      datasetProblem(
        listedTarget.line0,
        listedTarget.at,
        listedTarget.name.length,
        'target-left-out',
        MESSAGES.targetListedAsFeature,
        [columns[target]],
        'warning',
      ),
    );
  }

  const roles: ColumnRole[] = columns.map((_, k) => {
    if (k === target) return 'target';
    if (ignored.has(k)) return 'ignored';
    if (featureNames !== undefined) return listed.has(k) ? 'feature' : 'ignored';
    return 'feature';
  });
  // Text columns are left out by default, unless that would leave no feature at all: then their rows
  // say what is wrong with them, one by one.
  const text = roles.map((r, k) => featureNames === undefined && r === 'feature' && holdsText(sniff[k]));
  if (roles.some((r, k) => r === 'feature' && !text[k])) {
    text.forEach((t, k) => {
      if (!t) return;
      roles[k] = 'ignored';
      const at = header.headerCellColumns[k] - 1;
      problems.push(
        datasetProblem(
          headerLine,
          at,
          header.headerless ? 1 : columns[k].length,
          'text-column',
          MESSAGES.textColumn,
          [columns[k], sniff[k].example],
          'warning',
        ),
      );
    });
  }
  if (!roles.includes('feature')) {
    problems.push(datasetProblem(headerLine, 0, 1, 'no-features', MESSAGES.noFeatures, [columns[target]]));
  }

  let missing: MissingMode = 'skip';
  const missingLine = first('missing');
  if (missingLine) missing = parseMissingMode(valueOf(missingLine.text).name) ?? 'skip';
  const named = { target: first('target') !== undefined, features: first('features') !== undefined || first('ignore') !== undefined };
  return { roles, missing, problems, roleLines: named };
}
