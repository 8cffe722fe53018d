import { strict as assert } from 'node:assert';
import { DEFAULT_SETTINGS, FAST_PATHS, RowThreads, threadsSuit } from '../../src/engine';
import { type JobInput, type JobResult, JobRunner, runJob } from '../../src/training/job';

const base = { ...DEFAULT_SETTINGS, epochs: 20 };
const job = (o: Partial<JobInput>): JobInput => ({ edits: [], lineCount: 0, version: 1, base, overrides: {}, ...o });

describe("JobRunner: the worker's side of a document", () => {
  it('trains on edits applied to the text it holds, as a full job on the edited text would', () => {
    const runner = new JobRunner();
    const first = runner.run(job({ text: 'x,y\n1,2\n2,4\n', lineCount: 4 })) as JobResult;
    assert.equal(first.dataset.n, 2);
    const edited = runner.run(
      job({ edits: [{ startLine: 2, startCharacter: 2, endLine: 2, endCharacter: 3, text: '5' }], lineCount: 4, version: 2 }),
    ) as JobResult;
    const full = runJob({ text: 'x,y\n1,2\n2,5\n', base, overrides: {} })!;
    assert.equal(edited.version, 2);
    assert.deepEqual(edited.trajectory!.loss, full.trajectory!.loss);
  });

  it('asks for the whole text when it has none, or when the line counts disagree', () => {
    const runner = new JobRunner();
    assert.equal(runner.run(job({ edits: [], lineCount: 1 })), 'resync');
    runner.run(job({ text: 'x,y\n1,2\n', lineCount: 3 }));
    assert.equal(
      runner.run(job({ edits: [{ startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 0, text: '\n' }], lineCount: 3 })),
      'resync',
    );
    assert.equal(
      runner.run(job({ edits: [{ startLine: 9, startCharacter: 0, endLine: 9, endCharacter: 0, text: 'x' }], lineCount: 3 })),
      'resync',
    );
  });

  it('applies the edits of a superseded job, so the next job starts from the right text', () => {
    const runner = new JobRunner();
    runner.run(job({ text: 'x,y\n1,2\n', lineCount: 3 }));
    assert.equal(
      runner.run(job({ edits: [{ startLine: 1, startCharacter: 2, endLine: 1, endCharacter: 3, text: '7' }], lineCount: 3 }), () => true),
      'superseded',
    );
    const r = runner.run(job({ edits: [], lineCount: 3 })) as JobResult;
    assert.deepEqual(Array.from(r.dataset.y), [7]);
  });

  it("reads the document again with the panel's column choice when it changes, and keeps it across edits", () => {
    const rows = [
      [1, 4, 2],
      [2, 3, 5],
      [3, 1, 7],
    ];
    const text = `a,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    const lineCount = rows.length + 2;
    // At w = 0, b = 0 every z_i = 0, so l_0 = (1/N) Σ y_i².
    const l0 = (k: number, rs: number[][]) => rs.reduce((s, r) => s + r[k] ** 2, 0) / rs.length;
    const runner = new JobRunner();
    const plain = runner.run(job({ text, lineCount })) as JobResult;
    assert.deepEqual([plain.dataset.features, plain.dataset.target], [['a', 'b'], 'c']);
    assert.equal(plain.trajectory!.loss[0], l0(2, rows));

    const chosen = runner.run(job({ lineCount, version: 2, columns: { target: 'b' } })) as JobResult;
    assert.deepEqual([chosen.dataset.features, chosen.dataset.target], [['a', 'c'], 'b']);
    assert.deepEqual(Array.from(chosen.dataset.y), [4, 3, 1]);
    assert.deepEqual(Array.from(chosen.dataset.x), [1, 2, 2, 5, 3, 7]);
    assert.equal(chosen.trajectory!.loss[0], l0(1, rows));

    // An edit under the same choice: read incrementally, as a whole job with that choice reads the new text.
    const edited = runner.run(
      job({
        edits: [{ startLine: 2, startCharacter: 2, endLine: 2, endCharacter: 3, text: '6' }],
        lineCount,
        version: 3,
        columns: { target: 'b', features: ['c'] },
      }),
    ) as JobResult;
    const rows2 = [rows[0], [2, 6, 5], rows[2]];
    assert.deepEqual([edited.dataset.features, edited.dataset.target], [['c'], 'b']);
    assert.equal(edited.trajectory!.loss[0], l0(1, rows2));
    const whole = runJob({ text: text.replace('2,3,5', '2,6,5'), base, overrides: {}, columns: { target: 'b', features: ['c'] } })!;
    assert.deepEqual(edited.trajectory!.loss, whole.trajectory!.loss);

    // No choice any more: the file's own roles again.
    const back = runner.run(job({ lineCount, version: 4 })) as JobResult;
    assert.deepEqual([back.dataset.features, back.dataset.target], [['a', 'b'], 'c']);
    assert.equal(back.trajectory!.loss[0], l0(2, rows2));
  });

  it('splits only long runs across threads, to the same bits as one thread', async function () {
    this.timeout(60_000);
    // 10,000 rows of 8 at 200 epochs is short: one thread; 60,000 rows of 8 at 200 epochs is long.
    assert.equal(threadsSuit(10_000, 8, 200), false);
    assert.equal(threadsSuit(60_000, 8, 200), true);
    assert.equal(threadsSuit(FAST_PATHS.MIN_THREADED_WORK / 10, 9, 1), true);
    assert.equal(threadsSuit(1000, 8, 100_000), false, 'small data stays on one thread, however long the run');
    const csv = (rows: number) => {
      const lines = ['# @epochs 200', 'x1,x2,x3,x4,x5,x6,x7,x8,y'];
      for (let i = 0; i < rows; i++)
        lines.push([...Array.from({ length: 8 }, (_, j) => ((i * (j + 3)) % 17) / 8 - 1), (i % 5) / 4].join(','));
      return `${lines.join('\n')}\n`;
    };
    const threads = new RowThreads({ helpers: 1 });
    try {
      const runner = new JobRunner(threads);
      const epochsSplit = () => threads.stats.epochs + threads.stats.serialEpochs;
      for (const [rows, split] of [
        [10_000, false],
        [60_000, true],
      ] as const) {
        const text = csv(rows);
        const before = epochsSplit();
        const r = runner.run(job({ text, lineCount: rows + 3, base: DEFAULT_SETTINGS })) as JobResult;
        assert.equal(epochsSplit() > before, split, `${rows} rows: went to the threads`);
        const alone = runJob({ text, base: DEFAULT_SETTINGS, overrides: {} })!;
        assert.deepEqual(Array.from(r.trajectory!.loss), Array.from(alone.trajectory!.loss), `${rows} rows: the same bits`);
      }
    } finally {
      await threads.close();
    }
  });
});
