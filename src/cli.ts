/**
 * The command-line trainer: `relu-neuron train FILE [--lr A] [--epochs N] [--init …]
 * [--relu-grad-at-zero 1|0] [--scale none|standard|minmax] [--target NAME] [--features A,B]
 * [--ignore A,B] [--json]`. Flags override the file's `# @key value` lines, which override the
 * defaults the extension uses too, so the CLI and the panel agree on the same file. The file is read
 * as UTF-8, or as Windows-1251 if it is not UTF-8. With `--scale`, training is on the scaled features.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type ColumnChoice,
  DEFAULT_SETTINGS,
  MESSAGES,
  decodeDatasetBytes,
  formatTemplate,
  type SettingsOverride,
  type SettingValue,
  mergeSettings,
  parseDataset,
  parseEpochs,
  parseInitialization,
  parseLearningRate,
  parseReluGradAtZero,
  parseScaleMethod,
  runToJson,
  scaleDataset,
  skipsRow,
  splitNames,
  runToText,
  trainNeuron,
} from './engine';

const USAGE = `Usage: relu-neuron train FILE [--lr A] [--epochs N] [--init zeros|random [SEED]|w1,…,wd,b]
                          [--relu-grad-at-zero 1|0] [--scale none|standard|minmax]
                          [--target NAME] [--features A,B,…] [--ignore A,B,…] [--json]

Trains one ReLU neuron z = max(0, w·x + b) on a CSV file by full-batch gradient descent on the
mean squared error, and prints the derivation at epoch 0, the loss, and the final parameters.
With --scale standard (or minmax) it trains on scaled features and also prints the parameters in
the file's units. Flags override the file's own "# @key value" settings. Column names are matched
in any case; a name with a comma is written in double quotes.`;

/** Thrown for bad usage: printed to stderr, exit code 2. */
class UsageError extends Error {}

interface CliOptions {
  file: string;
  json: boolean;
  overrides: SettingsOverride;
  columns: ColumnChoice;
}

/** A list of column names as given to a flag. */
function names(flag: string, value: string | undefined): string[] {
  if (value === undefined) throw new UsageError(`${flag} needs a value.`);
  return splitNames(value, 0).map((n) => n.name);
}

function take<T>(flag: string, value: string | undefined, parse: (t: string) => SettingValue<T>): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value.`);
  const r = parse(value);
  if (!r.ok) throw new UsageError(`${flag}: ${r.message.replace(/\{(\d+)\}/g, (_m, k: string) => r.args[Number(k)] ?? '')}`);
  return r.value;
}

/** Reads argv (without `node cli.js`) into options; throws UsageError when it cannot. */
export function parseArguments(argv: string[]): CliOptions {
  if (argv[0] === '--help' || argv[0] === '-h') throw new UsageError('');
  if (argv[0] !== 'train') throw new UsageError(argv.length === 0 ? 'No command given.' : `Unknown command "${argv[0]}".`);
  const overrides: SettingsOverride = {};
  const columns: ColumnChoice = {};
  let file: string | undefined;
  let json = false;
  for (let k = 1; k < argv.length; k++) {
    const arg = argv[k];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++k];
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--lr':
        overrides.learningRate = take(flag, value(), parseLearningRate);
        break;
      case '--epochs':
        overrides.epochs = take(flag, value(), parseEpochs);
        break;
      case '--init':
        overrides.initialization = take(flag, value(), parseInitialization);
        break;
      case '--relu-grad-at-zero':
        overrides.reluGradAtZero = take(flag, value(), parseReluGradAtZero);
        break;
      case '--scale':
        overrides.scale = take(flag, value(), parseScaleMethod);
        break;
      case '--target': {
        const v = value();
        if (v === undefined || v.trim() === '') throw new UsageError(`${flag} needs a column name.`);
        columns.target = v.trim().replace(/^"(.*)"$/, '$1');
        break;
      }
      case '--features':
        columns.features = names(flag, value());
        break;
      case '--ignore':
        columns.ignore = names(flag, value());
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`Unknown option "${flag}".`);
        if (file !== undefined) throw new UsageError(`Only one file can be trained at a time; got "${file}" and "${flag}".`);
        file = flag;
    }
  }
  if (file === undefined) throw new UsageError('No dataset file given.');
  return { file, json, overrides, columns };
}

/** Runs the CLI; returns the exit code. */
export function main(argv: string[], io = { stdout: process.stdout, stderr: process.stderr }): number {
  let options: CliOptions;
  try {
    options = parseArguments(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) io.stderr.write(`relu-neuron: ${e.message}\n\n`);
      io.stderr.write(`${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(options.file);
  } catch (e) {
    io.stderr.write(`relu-neuron: cannot read ${options.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const t0 = performance.now();
  const { text, encoding } = decodeDatasetBytes(bytes);
  if (encoding === 'windows-1251') io.stderr.write(`${options.file}: warning: ${formatTemplate(MESSAGES.readAsWindows1251, [])}\n`);
  const parsed = parseDataset(text, options.columns);
  const settings = mergeSettings(DEFAULT_SETTINGS, parsed.settings, options.overrides);
  const scaled = scaleDataset(parsed, settings.scale);
  const data = scaled.problems.length > 0 ? { ...parsed, problems: parsed.problems.concat(scaled.problems) } : parsed;
  const parseMs = performance.now() - t0;
  for (const p of data.problems) {
    io.stderr.write(`${options.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}${skipsRow(p) ? ' (row skipped)' : ''}\n`);
  }
  if (data.n === 0) {
    io.stderr.write(`relu-neuron: ${options.file} has no usable data rows.\n`);
    return 2;
  }
  const t1 = performance.now();
  const run = trainNeuron(scaled.samples, settings);
  const trainMs = performance.now() - t1;
  if (run.stopped) io.stderr.write(`relu-neuron: ${run.stopped.message}\n`);
  io.stdout.write(options.json ? `${JSON.stringify(runToJson(data, run, { parseMs, trainMs }))}\n` : `${runToText(data, run)}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
