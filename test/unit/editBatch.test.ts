import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SETTINGS, type TextEdit } from '../../src/engine';
import { type JobResult, runJob } from '../../src/training/job';
import { EditBatch } from '../../src/training/editBatch';
import { TrainingClient, type WorkerMessage } from '../../src/training/trainingClient';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The edit that appends `ch` at (line, character). */
const typing = (line: number, character: number, ch: string): TextEdit => ({
  startLine: line,
  startCharacter: character,
  endLine: line,
  endCharacter: character,
  text: ch,
});

describe('EditBatch: the edits of one event-loop turn go as one flush', () => {
  it('N edits requested in one turn flush once, with all N in order; the next turn flushes again', async () => {
    const flushed: TextEdit[][] = [];
    const batch = new EditBatch(() => flushed.push(batch.take()));
    const keys = '0.25,0.5';
    for (let k = 0; k < keys.length; k++) {
      batch.add(typing(4, k, keys[k]));
      batch.request();
    }
    assert.equal(flushed.length, 0, 'nothing before the turn ends');
    await nextTurn();
    assert.equal(flushed.length, 1);
    assert.deepEqual(
      flushed[0].map((e) => [e.startCharacter, e.text]),
      [...keys].map((ch, k) => [k, ch]),
    );
    batch.add(typing(4, keys.length, '1'));
    batch.request();
    await nextTurn();
    assert.equal(flushed.length, 2);
    assert.deepEqual(flushed[1], [typing(4, keys.length, '1')]);
    assert.equal(batch.length, 0);
  });

  it('take() before the turn ends hands the edits over and cancels the flush', async () => {
    let flushes = 0;
    const batch = new EditBatch(() => flushes++);
    batch.add(typing(0, 0, 'a'));
    batch.request();
    assert.deepEqual(batch.take(), [typing(0, 0, 'a')]);
    await nextTurn();
    assert.equal(flushes, 0);
  });

  it('edits added without request() wait (live training off) and go with the next take()', async () => {
    let flushes = 0;
    const batch = new EditBatch(() => flushes++);
    batch.add(typing(0, 0, 'a'));
    batch.add(typing(0, 1, 'b'));
    await nextTurn();
    assert.equal(flushes, 0);
    assert.equal(batch.length, 2);
    assert.deepEqual(
      batch.take().map((e) => e.text),
      ['a', 'b'],
    );
  });
});

describe('EditBatch + TrainingClient: a turn of keystrokes is one job in the worker', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-batch-'));
    fs.writeFileSync(
      path.join(dir, 'worker.js'),
      `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(path.resolve(__dirname, '../../src/trainingWorker.ts'))});\n`,
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('typing a row in one turn sends one job with every keystroke, and trains the final text', async () => {
    const posted: WorkerMessage[] = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: WorkerMessage, transfer?: readonly never[]) {
      posted.push(message);
      return post.call(this, message, transfer);
    };
    const client = new TrainingClient(path.join(dir, 'worker.js'), (e) => assert.fail(e));
    try {
      let text = 'x,y\n1,2\n2,4.5\n';
      const lineCount = () => text.split('\n').length;
      const jobOf = (edits: TextEdit[]) => ({
        edits,
        lineCount: lineCount(),
        version: 1 + edits.length,
        base: DEFAULT_SETTINGS,
        overrides: {},
        snapshot: () => ({ text, lineCount: lineCount(), version: 1 }),
      });
      const first = await client.run(jobOf([]));
      assert.ok(first);
      posted.length = 0;
      const results: Promise<JobResult | null>[] = [];
      const batch = new EditBatch(() => results.push(client.run(jobOf(batch.take()))));
      const row = '3,6.25\n';
      for (let k = 0; k < row.length; k++) {
        batch.add(typing(3, k, row[k]));
        batch.request();
        text += row[k];
      }
      await nextTurn();
      assert.equal(results.length, 1, 'one job for the turn');
      const result = await results[0];
      assert.equal(posted.length, 1, 'one message to the worker');
      const sent = posted[0];
      assert.ok(!('textSlice' in sent));
      assert.deepEqual(
        sent.input.edits.map((e) => e.text),
        [...row],
      );
      const want = runJob({ text, base: DEFAULT_SETTINGS, overrides: {} })!;
      assert.ok(result);
      assert.equal(result.dataset.n, 3);
      assert.deepEqual(Array.from(result.trajectory!.loss), Array.from(want.trajectory!.loss));
    } finally {
      Worker.prototype.postMessage = post;
      client.dispose();
    }
  });
});
