import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SETTINGS } from '../../src/engine';
import { type JobResult, runJob } from '../../src/training/job';
import { type ClientJob, TEXT_SLICE, TrainingClient, type WorkerMessage } from '../../src/training/trainingClient';
import { TRAINING_NICE, lowerThisThreadsPriority } from '../../src/training/threadPriority';

/** A worker entry in `dir` that runs src/trainingWorker.ts through tsx (the bundle is not built for unit tests). */
function workerShim(dir: string): string {
  const file = path.join(dir, 'worker.js');
  fs.writeFileSync(
    file,
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(path.resolve(__dirname, '../../src/trainingWorker.ts'))});\n`,
  );
  return file;
}

/** About `chars` characters of CSV: x,y rows, three epochs. */
function longCsv(chars: number): string {
  const lines = ['# @epochs 3', 'x,y'];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const line = `${((i % 997) / 500 - 1).toFixed(6)},${((i % 13) / 7).toFixed(6)}`;
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

const lineCount = (text: string) => text.split('\n').length;

/** Linux: the nice value of each thread of this process, by thread id (field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      nices.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return nices;
}

function job(text: string, version: number, edits: ClientJob['edits'] = []): ClientJob {
  return {
    edits,
    lineCount: lineCount(text),
    version,
    base: DEFAULT_SETTINGS,
    overrides: {},
    snapshot: () => ({ text, lineCount: lineCount(text), version }),
  };
}

function sameRun(got: JobResult | null, text: string): void {
  const want = runJob({ text, base: DEFAULT_SETTINGS, overrides: {} })!;
  assert.ok(got !== null);
  assert.equal(got.dataset.n, want.dataset.n);
  assert.deepEqual(Array.from(got.trajectory!.loss), Array.from(want.trajectory!.loss));
}

describe('TrainingClient: jobs in the worker thread', function () {
  this.timeout(60_000);
  const posted: WorkerMessage[] = [];
  const post = Worker.prototype.postMessage;
  let client: TrainingClient;
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-client-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    posted.length = 0;
    Worker.prototype.postMessage = function (this: Worker, message: WorkerMessage, transfer?: readonly never[]) {
      posted.push(message);
      return post.call(this, message, transfer);
    };
    client = new TrainingClient(workerShim(dir), (e) => assert.fail(e));
  });

  afterEach(() => {
    Worker.prototype.postMessage = post;
    client.dispose();
  });

  it('sends a long text in slices of TEXT_SLICE characters, which the worker puts back together', async () => {
    const text = longCsv(3.4 * TEXT_SLICE);
    const result = client.run(job(text, 1));
    // run() returns having posted one slice; the rest follow, one per turn of the event loop.
    assert.equal(posted.length, 1);
    sameRun(await result, text);
    assert.ok(client.usesWorker);
    const sizes = posted.map((m) => ('textSlice' in m ? m.textSlice.length : (m.input.text?.length ?? 0)));
    assert.deepEqual(sizes, [TEXT_SLICE, TEXT_SLICE, TEXT_SLICE, text.length - 3 * TEXT_SLICE]);
  });

  it('queues an edit made while the slices are on their way behind them, and trains the edited text', async () => {
    const text = longCsv(2.5 * TEXT_SLICE);
    const first = client.run(job(text, 1));
    // Change the first data row (line 2) before the text has arrived.
    const old = text.split('\n')[2];
    const edited = text.replace(`${old}\n`, '0.5,1.5\n');
    const second = client.run(job(edited, 2, [{ startLine: 2, startCharacter: 0, endLine: 2, endCharacter: old.length, text: '0.5,1.5' }]));
    assert.equal(await first, null, 'superseded');
    sameRun(await second, edited);
    const last = posted[posted.length - 1];
    assert.ok(
      !('textSlice' in last) && last.input.text === undefined && last.input.edits.length === 1,
      'only the edit went after the text',
    );
  });

  it('coalesces jobs that come while one is in the worker: one run, the edits joined in order', async () => {
    let text = longCsv(2000);
    const first = client.run(job(text, 1));
    // Three keystrokes on line 3 before the worker has answered: each replaces the job waiting before it.
    const typed: Promise<JobResult | null>[] = [];
    for (const [k, value] of ['0.5,1', '0.5,1.2', '0.5,1.25'].entries()) {
      const lines = text.split('\n');
      const old = lines[3];
      lines[3] = value;
      text = lines.join('\n');
      typed.push(client.run(job(text, k + 2, [{ startLine: 3, startCharacter: 0, endLine: 3, endCharacter: old.length, text: value }])));
    }
    assert.equal(posted.length, 1, 'only the first job went before the worker answered');
    const results = await Promise.all([first, ...typed]);
    assert.deepEqual(
      results.slice(0, 3).map((r) => r),
      [null, null, null],
      'every job but the newest is superseded',
    );
    sameRun(results[3], text);
    assert.equal(results[3]!.version, 4);
    assert.equal(posted.length, 2, 'two messages: the text, then one job for the three keystrokes');
    const last = posted[1];
    assert.ok(!('textSlice' in last));
    assert.deepEqual(
      last.input.edits.map((e) => e.text),
      ['0.5,1', '0.5,1.2', '0.5,1.25'],
    );
  });

  it('sends a job at once when the worker has nothing', async () => {
    const text = longCsv(1000);
    sameRun(await client.run(job(text, 1)), text);
    const edited = text.replace(/\n[^\n]*\n/, '\n0.5,1.5\n');
    const old = text.split('\n')[1];
    const second = client.run(job(edited, 2, [{ startLine: 1, startCharacter: 0, endLine: 1, endCharacter: old.length, text: '0.5,1.5' }]));
    assert.equal(posted.length, 2, 'posted in the same turn');
    sameRun(await second, edited);
  });

  it("trains in a thread below VS Code's (nice TRAINING_NICE on Linux); the host's own thread keeps its priority", async () => {
    // Elsewhere threads share the process's priority: nothing is changed, and the call says so.
    if (process.platform !== 'linux') return assert.equal(lowerThisThreadsPriority(), undefined);
    const before = threadNices();
    const hostNice = os.getPriority(process.pid);
    const text = longCsv(1000);
    sameRun(await client.run(job(text, 1)), text);
    assert.ok(client.usesWorker);
    const started = [...threadNices()].filter(([tid]) => !before.has(tid));
    assert.ok(
      started.some(([, nice]) => nice === TRAINING_NICE),
      `threads started for the client and their nice values: ${JSON.stringify(started)}`,
    );
    assert.equal(os.getPriority(process.pid), hostNice);
  });

  it('posts a short text in one piece', async () => {
    const text = longCsv(1000);
    sameRun(await client.run(job(text, 1)), text);
    assert.equal(posted.length, 1);
  });
});
