/**
 * The probe on the loss surface in a real VS Code (code-server 1.100.3 + Chromium), at 10,000 × 8:
 * the probe dragged with the mouse across the slice on the Fit tab (one move per `--move-ms`, as a
 * hand moves it) and moved by a held arrow key (the keyboard's repeat), then, for the tabs where a
 * probe is shown but cannot be moved (Graph, Gradients, Derivation), the host's own replies for
 * that tab (captured from real probes) replayed into the view at the same pace.
 *
 * Per probe reply, from the view's trace (webview/trace.ts) and the host's (src/trace.ts): request
 * posted → reply received (the round trip through the host), reply received → header and probe bar
 * written → painted, reply received → the surface painted with the probe, → the rest of the panel
 * drawn; requests per mouse move (the view sends one per frame at most), the reply's size (JSON
 * length, typed arrays by their bytes) and the host's time from the request to its reply.
 *
 *   tsx bench/vscode/probeDrag.ts [--rows 10000] [--moves 300] [--move-ms 16] [--keys 120] [--key-ms 33]
 *                                 [--captures 8] [--replays 120] [--vsix FILE] [--json FILE]
 *
 * `--captures 0` measures the Fit tab only.
 *
 * RELU_BENCH_CHROME_TRACE=FILE writes a Chromium trace of the mouse drag; RELU_BENCH_PROFILE_VIEW=FILE
 * a CPU profile of the page (workbench and webview) over the same drag.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Frame, Page } from 'playwright-core';
import { DEFAULT_SETTINGS, formatNumber } from '../../src/engine';
import { runJob } from '../../src/training/job';
import {
  installVsix,
  launchBrowser,
  makeTempDirs,
  openFile,
  openWorkbench,
  runCommandFromPalette,
  startCodeServer,
  waitFor,
  waitVisible,
} from '../../test/harness/codeServer';
import { packageVsix } from '../../scripts/start';
import { benchDataset } from './benchData';
import { countWithin, FRAME_MS, hostProbes, probeReplies, summarize, type Summary, type TraceEvent } from './probeStats';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    moves: { type: 'string', default: '300' },
    'move-ms': { type: 'string', default: '16' },
    keys: { type: 'string', default: '120' },
    'key-ms': { type: 'string', default: '33' },
    captures: { type: 'string', default: '8' },
    replays: { type: 'string', default: '120' },
    vsix: { type: 'string' },
    json: { type: 'string' },
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readHostTrace(file: string): TraceEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceEvent);
}

async function readViewTrace(frame: Frame): Promise<TraceEvent[]> {
  return frame.evaluate(() => ((window as unknown as { __reluTrace?: TraceEvent[] }).__reluTrace ?? []).slice());
}

/** Starts both traces afresh (the host's file is appended to in batches). */
async function restartTraces(frame: Frame, hostFile: string): Promise<void> {
  await sleep(300); // the host's last batch of the previous phase
  fs.rmSync(hostFile, { force: true });
  await frame.evaluate(() => {
    (window as unknown as { __reluTrace: unknown[] }).__reluTrace = [];
  });
}

/** The webview frame that holds the panel's document. */
async function panelFrame(page: Page): Promise<Frame> {
  return waitFor(
    async () => {
      for (const f of page.frames()) {
        if (
          await f
            .locator('.stats')
            .count()
            .catch(() => 0)
        )
          return f;
      }
      return undefined;
    },
    60_000,
    'the explorer panel',
  );
}

/** What one phase measured. */
interface Phase {
  /** Mouse moves or key presses sent; probe asks the view took (its listeners saw them); requests it posted. */
  inputs: number;
  asks: number;
  requests: number;
  replies: number;
  /** Inputs per second actually sent (the bench's pace). */
  inputRate: number;
  roundTrip: Summary;
  handled: Summary;
  painted: Summary;
  surface: Summary;
  rest: Summary;
  /** Replies whose header and probe bar were painted within one frame (16.7 ms) of their arrival; within two. */
  paintedWithinFrame: number;
  paintedWithinTwoFrames: number;
  /** Replies after which the surface showed a probe within one frame; within two. */
  surfaceWithinFrame: number;
  surfaceWithinTwoFrames: number;
  /** The surface's redraw with the probe (ms of script per draw). */
  surfaceDraw: Summary;
  /** The derivation's KaTeX per draw (Derivation tab). */
  derivationDraw?: Summary;
  /** Reply size (JSON length, bytes) by message type; the host's time from request to reply. */
  bytes: Record<string, Summary>;
  hostMs?: Summary;
}

function phase(view: TraceEvent[], host: TraceEvent[] | null, inputs: number, seconds: number): Phase {
  const replies = probeReplies(view);
  const pick = (f: (r: (typeof replies)[number]) => number) => replies.map(f);
  const painted = pick((r) => r.paintedMs);
  const surface = pick((r) => r.surfaceMs);
  const out: Phase = {
    inputs,
    asks: view.filter((e) => e.ev === 'probeAsk').length,
    requests: view.filter((e) => e.ev === 'probeRequest').length,
    replies: replies.length,
    inputRate: Math.round((inputs / seconds) * 10) / 10,
    roundTrip: summarize(pick((r) => r.roundTripMs)),
    handled: summarize(pick((r) => r.handledMs)),
    painted: summarize(painted),
    surface: summarize(surface),
    rest: summarize(pick((r) => r.restMs)),
    paintedWithinFrame: countWithin(painted, FRAME_MS),
    paintedWithinTwoFrames: countWithin(painted, 2 * FRAME_MS),
    surfaceWithinFrame: countWithin(surface, FRAME_MS),
    surfaceWithinTwoFrames: countWithin(surface, 2 * FRAME_MS),
    surfaceDraw: summarize(view.filter((e) => e.ev === 'surfaceDrawn' && e.probe === true).map((e) => Number(e.ms))),
    bytes: {},
  };
  const derivation = view.filter((e) => e.ev === 'derivation').map((e) => Number(e.ms));
  if (derivation.length > 0) out.derivationDraw = summarize(derivation);
  if (host) {
    const h = hostProbes(host);
    out.hostMs = summarize(h.map((x) => x.ms));
    const types = new Set(h.flatMap((x) => Object.keys(x.bytes)));
    for (const type of types) out.bytes[type] = summarize(h.map((x) => x.bytes[type] ?? Number.NaN));
  }
  return out;
}

/** A point of the drag: a slow sweep left to right and back with a wave up and down, inside the plot. */
function dragPoint(box: { x: number; y: number; width: number; height: number }, k: number, n: number) {
  // The plot inside the canvas (surface.ts: margins 52, 12, 10, 34), 10 px in from its edges.
  const x0 = box.x + 62;
  const x1 = box.x + box.width - 22;
  const y0 = box.y + 20;
  const y1 = box.y + box.height - 44;
  const s = k / n;
  const along = s < 0.5 ? 2 * s : 2 - 2 * s;
  return { x: x0 + (x1 - x0) * along, y: (y0 + y1) / 2 + ((y1 - y0) / 2) * 0.8 * Math.sin(6 * Math.PI * s) };
}

async function surfaceBox(frame: Frame) {
  const canvas = frame.locator('.surface-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box || box.width < 200) throw new Error(`the surface is not on screen (${JSON.stringify(box)})`);
  return box;
}

async function openTab(frame: Frame, tab: string): Promise<void> {
  await frame.locator(`#tab-${tab}`).click();
  await waitVisible(frame.locator(`.tab-content.tab-${tab}`), 10_000, `the ${tab} tab`);
}

/** Waits for the surface of the Fit tab: the slice described and the canvas sized. */
async function surfaceReady(frame: Frame): Promise<void> {
  await waitVisible(frame.locator('.surface-canvas'), 30_000, 'the loss surface');
  await waitFor(
    async () =>
      (await frame.locator('.surface .hint').first().innerText()).includes('A slice through') &&
      (await frame.locator('.surface-canvas').evaluate((c) => (c as HTMLCanvasElement).width > 0))
        ? true
        : undefined,
    30_000,
    'the slice drawn',
  );
}

function row(name: string, p: Phase): string[] {
  const s = (x: Summary | undefined) => (x && x.n ? `${x.p50} / ${x.p95} / ${x.max}` : '—');
  const bytes = Object.entries(p.bytes)
    .map(([k, v]) => `${k} ${v.p50}${v.max !== v.p50 ? `…${v.max}` : ''}`)
    .join(', ');
  return [
    name,
    p.inputs ? `${p.inputs} @${p.inputRate}/s → ${p.asks} → ${p.requests}` : `${p.replies} replayed`,
    s(p.roundTrip),
    s(p.hostMs),
    s(p.painted),
    `${p.paintedWithinFrame} / ${p.paintedWithinTwoFrames} of ${p.replies}`,
    s(p.surface),
    p.inputs ? `${p.surfaceWithinFrame} / ${p.surfaceWithinTwoFrames} of ${p.replies}` : '—',
    s(p.rest),
    bytes || '—',
  ];
}

function printTable(rows: string[][]): void {
  const head = [
    'phase',
    'inputs → asks → requests',
    'round trip',
    'host',
    'recv → header painted',
    '≤1 / ≤2 frames',
    'recv → surface painted',
    '≤1 / ≤2 frames',
    'recv → rest drawn',
    'reply bytes (p50…max)',
  ];
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  for (const r of all) console.log(r.map((v, c) => v.padEnd(widths[c])).join(' | '));
  console.log('(times in ms: p50 / p95 / max)');
}

async function main(): Promise<void> {
  const rows = Number(values.rows);
  const moves = Number(values.moves);
  const moveMs = Number(values['move-ms']);
  const keys = Number(values.keys);
  const keyMs = Number(values['key-ms']);
  const captures = Number(values.captures);
  const replays = Number(values.replays);
  const vsix = values.vsix ?? packageVsix();
  const dirs = makeTempDirs('relu-probe-bench-');
  const workspace = path.join(dirs.root, 'workspace');
  fs.mkdirSync(workspace);
  const text = benchDataset(rows, 200);
  fs.writeFileSync(path.join(workspace, 'bench.csv'), text);
  installVsix(vsix, dirs);
  const traceFile = path.join(dirs.root, 'trace.jsonl');
  process.env.RELU_NEURON_TRACE = traceFile;
  const server = await startCodeServer({ ...dirs, workspace, settings: { 'editor.hover.enabled': false } });
  const browser = await launchBrowser();
  const load = loadavg()[0];
  try {
    const page = await openWorkbench(browser, server.url);
    await openFile(page, 'bench.csv');
    await runCommandFromPalette(page, 'ReLU Neuron: Train ReLU neuron');
    const frame = await panelFrame(page);
    const loss = runJob({ text, base: { ...DEFAULT_SETTINGS }, overrides: {} })!.trajectory!.loss;
    const want = formatNumber(loss[loss.length - 1]);
    await waitFor(async () => ((await frame.locator('.stats').innerText()).includes(want) ? true : undefined), 60_000, 'the loss');
    await openTab(frame, 'fit');
    await surfaceReady(frame);
    await sleep(500);
    const results: Record<string, Phase> = {};
    const table: string[][] = [];

    // 1. The mouse: down on the surface, `moves` moves at a hand's pace, up.
    let box = await surfaceBox(frame);
    const from = dragPoint(box, 0, moves);
    await page.mouse.move(from.x, from.y);
    await restartTraces(frame, traceFile);
    const cdp = process.env.RELU_BENCH_PROFILE_VIEW ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (process.env.RELU_BENCH_CHROME_TRACE)
      await browser.startTracing(page, {
        path: process.env.RELU_BENCH_CHROME_TRACE,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink.user_timing'],
      });
    await page.mouse.down();
    const t0 = Date.now();
    // Each move is sent on time, not after the previous one's round trip through the browser (one
    // takes about 20 ms here): the moves still arrive in order.
    const sent: Promise<void>[] = [];
    for (let k = 1; k <= moves; k++) {
      const wait = t0 + k * moveMs - Date.now();
      if (wait > 0) await sleep(wait);
      const p = dragPoint(box, k, moves);
      sent.push(page.mouse.move(p.x, p.y));
    }
    await Promise.all(sent);
    const dragSeconds = (Date.now() - t0) / 1000;
    await page.mouse.up();
    await sleep(800);
    if (process.env.RELU_BENCH_CHROME_TRACE) await browser.stopTracing();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.writeFileSync(process.env.RELU_BENCH_PROFILE_VIEW!, JSON.stringify(profile));
    }
    await sleep(300);
    results.mouseDrag = phase(await readViewTrace(frame), readHostTrace(traceFile), moves, dragSeconds);
    table.push(row('Fit tab: mouse drag', results.mouseDrag));

    // 2. A held arrow key (the canvas has the focus since the mouse went down on it): the keyboard's
    // repeat, a quarter of the presses in each direction.
    await restartTraces(frame, traceFile);
    const k0 = Date.now();
    let pressed = 0;
    for (const key of ['ArrowRight', 'ArrowUp', 'ArrowLeft', 'ArrowDown']) {
      for (let k = 0; k < keys / 4; k++) {
        const wait = k0 + pressed * keyMs - Date.now();
        if (wait > 0) await sleep(wait);
        await page.keyboard.down(key); // again while held: a repeat (KeyboardEvent.repeat)
        pressed++;
      }
      await page.keyboard.up(key);
    }
    const keySeconds = (Date.now() - k0) / 1000;
    await sleep(800);
    results.heldKey = phase(await readViewTrace(frame), readHostTrace(traceFile), pressed, keySeconds);
    table.push(row('Fit tab: held arrow key', results.heldKey));

    // 3. The other tabs show the probe but cannot move it (the surface is on the Fit tab): the host's
    // replies for them are captured from real probes placed on the Fit tab, then replayed.
    await frame.evaluate(() => {
      const w = window as unknown as { __captured: unknown[] };
      w.__captured = [];
      window.addEventListener('message', (e: MessageEvent) => {
        const d = e.data as { type?: string; probe?: unknown; fit?: unknown; fitChange?: unknown; graph?: unknown };
        if (d && (d.type === 'epoch' || d.type === 'rows') && d.probe) w.__captured.push(d);
      });
    });
    const captured = () =>
      frame.evaluate(() =>
        (window as unknown as { __captured: Array<{ type: string; fit?: unknown; fitChange?: unknown; graph?: unknown }> }).__captured.map(
          (d) => ({
            type: d.type,
            // The full fit, or only what changed once the view holds it.
            fit: (d.fit !== null && d.fit !== undefined) || d.fitChange !== undefined,
            graph: d.graph !== null && d.graph !== undefined,
          }),
        ),
      );
    const until = async (what: string, pred: (c: Array<{ type: string; fit: boolean; graph: boolean }>) => boolean) =>
      waitFor(async () => (pred(await captured()) ? true : undefined), 15_000, what, 50).catch(async (e: unknown) => {
        console.error(`captured so far: ${JSON.stringify(await captured())}`);
        throw e;
      });
    const bundles: { fit: number[]; graph: number[]; gradients: number[] }[] = [];
    for (let k = 0; k < captures; k++) {
      const bundle = { fit: [] as number[], graph: [] as number[], gradients: [] as number[] };
      await openTab(frame, 'fit');
      await surfaceReady(frame);
      box = await surfaceBox(frame);
      const n0 = (await captured()).length;
      const p = dragPoint(box, 2 * k + 1, 4 * captures); // distinct points of the sweep's first half
      await page.mouse.click(p.x, p.y);
      await until('the probe on the Fit tab', (c) => c.slice(n0).some((d) => d.type === 'epoch' && d.fit));
      bundle.fit.push((await captured()).length - 1);
      const n1 = (await captured()).length;
      await openTab(frame, 'graph');
      await until('the probe on the Graph tab', (c) => c.slice(n1).some((d) => d.type === 'epoch' && d.graph));
      bundle.graph.push((await captured()).length - 1);
      const n2 = (await captured()).length;
      await openTab(frame, 'gradients');
      await until(
        'the probe on the Gradients tab',
        (c) => c.slice(n2).some((d) => d.type === 'epoch') && c.slice(n2).some((d) => d.type === 'rows'),
      );
      // The host's answer to the probe there: its epoch and the rows page after it (not rows the
      // table asked for afterwards).
      const c = await captured();
      const epochAt = c.findIndex((d, i) => i >= n2 && d.type === 'epoch');
      bundle.gradients.push(
        epochAt,
        c.findIndex((d, i) => i > epochAt && d.type === 'rows'),
      );
      bundles.push(bundle);
    }
    // The Derivation tab gets the Fit tab's reply without its fit (the host sends the fit to the Fit tab only).
    await frame.evaluate((b) => {
      const w = window as unknown as { __captured: Array<Record<string, unknown>>; __replay: Record<string, unknown[][]> };
      // (No named functions in here: tsx would wrap them in a `__name` helper the page lacks.)
      w.__replay = {
        graph: b.map((x) => x.graph.map((i) => w.__captured[i])),
        gradients: b.map((x) => x.gradients.map((i) => w.__captured[i])),
        derivation: b.map((x) => x.fit.map((i) => ({ ...w.__captured[i], fit: null, fitChange: undefined }))),
      };
    }, bundles);
    for (const tab of captures > 0 ? ['graph', 'gradients', 'derivation'] : []) {
      await openTab(frame, tab);
      await sleep(800);
      await restartTraces(frame, traceFile);
      const sizes = await frame.evaluate(
        async ({ tab, n, gap }) => {
          const w = window as unknown as { __replay: Record<string, Array<Array<Record<string, unknown>>>> };
          const list = w.__replay[tab];
          const bytes: Record<string, number[]> = {};
          for (const bundle of list) for (const m of bundle) (bytes[String(m.type)] ??= []).push(JSON.stringify(m).length);
          const start = performance.now();
          for (let k = 0; k < n; k++) {
            await new Promise((r) => setTimeout(r, Math.max(0, start + k * gap - performance.now())));
            for (const m of list[k % list.length]) window.dispatchEvent(new MessageEvent('message', { data: structuredClone(m) }));
          }
          return bytes;
        },
        { tab, n: replays, gap: moveMs },
      );
      await sleep(800);
      const p = phase(await readViewTrace(frame), null, 0, 1);
      for (const [type, v] of Object.entries(sizes)) p.bytes[type] = summarize(v);
      results[`${tab}Replay`] = p;
      table.push(row(`${tab[0].toUpperCase()}${tab.slice(1)} tab: replies replayed`, p));
    }

    console.log(`\nthe probe at ${rows} × 8 (200 epochs), load average (1 min) at the start ${load.toFixed(2)}:`);
    printTable(table);
    const result = { rows, moves, moveMs, keys, keyMs, loadAverage: Math.round(load * 100) / 100, ...results };
    if (values.json) fs.writeFileSync(values.json, JSON.stringify(result));
    console.log(`VSCODE_PROBE ${JSON.stringify(result)}`);
  } catch (e) {
    const shot = path.join(process.cwd(), 'test-results', 'probe-bench-failure.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    for (const p of browser.contexts().flatMap((c) => c.pages())) await p.screenshot({ path: shot }).catch(() => undefined);
    console.error(`screenshot: ${shot}`);
    throw e;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(dirs.root, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
