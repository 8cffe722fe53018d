/**
 * A dataset file VS Code does not hand to extensions (over its 50 MB limit): read in the worker,
 * streamed from disk in chunks of READ_CHUNK bytes, decoded (UTF-8, else Windows-1251: the engine's
 * DatasetDecoder), parsed chunk by chunk (the engine's DatasetStream) and trained like any other job.
 * No text of the whole file is ever held. No `vscode` here.
 */
import { createReadStream } from 'node:fs';
import {
  type ColumnChoice,
  type Dataset,
  type DecodedText,
  type RoleLine,
  type RowThreads,
  DatasetDecoder,
  DatasetStream,
} from '../engine';
import { type JobInput, type JobResult, trainParsed } from './job';

/** Bytes per read from disk (and per slice of bytes the host hands over). */
export const READ_CHUNK = 1 << 20;

/**
 * Where the bytes are: a file path the worker streams from disk, or the bytes themselves (a virtual
 * workspace, whose files have no path here: the host reads them through `vscode.workspace.fs`).
 */
export type DiskSource = { path: string } | { bytes: Uint8Array };

/** A job on a file read from disk: no edits, no text from the host. */
export interface DiskJobInput extends Pick<JobInput, 'version' | 'base' | 'overrides'> {
  source: DiskSource;
  /** Column roles from outside the file (the panel's choice), over its role lines. */
  choice?: ColumnChoice;
}

/** A job's result, with how the file was read. */
export interface DiskJobResult extends JobResult {
  encoding: DecodedText['encoding'];
  /** Bytes read (of the last pass). */
  bytes: number;
  /** Passes over the file: a second for bytes that are not UTF-8, or for a role line below the rows that decide. */
  passes: number;
}

/** The source's bytes in chunks, read afresh on every call. */
async function* chunksOf(source: DiskSource): AsyncGenerator<Uint8Array> {
  if ('path' in source) {
    for await (const chunk of createReadStream(source.path, { highWaterMark: READ_CHUNK })) yield chunk as Buffer;
    return;
  }
  for (let at = 0; at < source.bytes.length; at += READ_CHUNK) yield source.bytes.subarray(at, at + READ_CHUNK);
}

/**
 * Reads the dataset from its bytes in one pass as UTF-8; at the first byte that is not UTF-8 it starts
 * again as Windows-1251, and a role line below the rows that decided the columns' roles also takes a
 * second pass (with those lines known). 'superseded' as soon as `shouldStop` says so.
 */
export async function readDataset(
  source: DiskSource,
  choice: ColumnChoice = {},
  shouldStop: () => boolean = () => false,
): Promise<{ dataset: Dataset; encoding: DecodedText['encoding']; bytes: number; passes: number } | 'superseded'> {
  let encoding: DecodedText['encoding'] = 'utf-8';
  let rolesAhead: RoleLine[] | undefined;
  for (let passes = 1; ; passes++) {
    const decoder = new DatasetDecoder(encoding);
    const stream = new DatasetStream(choice, rolesAhead);
    let bytes = 0;
    let text: string | null = '';
    for await (const chunk of chunksOf(source)) {
      bytes += chunk.length;
      text = decoder.push(chunk);
      if (text === null) break; // leaving the loop closes the file
      stream.push(text);
      if (shouldStop()) return 'superseded';
    }
    if (text !== null) text = decoder.end();
    if (text === null) {
      encoding = 'windows-1251'; // never fails: every byte is a character
      continue;
    }
    stream.push(text);
    const end = stream.end();
    if ('again' in end) {
      rolesAhead = end.again;
      continue;
    }
    return { dataset: end.dataset, encoding, bytes, passes };
  }
}

/** Reads the file and trains; the parse time includes reading from disk. */
export async function runDiskJob(
  input: DiskJobInput,
  shouldStop: () => boolean = () => false,
  now: () => number = () => performance.now(),
  threads?: RowThreads,
): Promise<DiskJobResult | 'superseded'> {
  const t0 = now();
  const read = await readDataset(input.source, input.choice, shouldStop);
  if (read === 'superseded') return read;
  const result = trainParsed(read.dataset, input, now() - t0, shouldStop, now, threads);
  if (result === 'superseded') return result;
  return { ...result, encoding: read.encoding, bytes: read.bytes, passes: read.passes };
}
