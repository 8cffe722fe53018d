/**
 * The bytes of a dataset file as text: UTF-8, with or without a byte-order mark; bytes that are not
 * valid UTF-8 are read as Windows-1251, what Russian Excel writes when it saves CSV.
 */

/** Text decoded from a file's bytes, and the encoding that was used. */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'windows-1251';
}

/** Decodes a file's bytes: UTF-8 (a leading BOM dropped) if they are valid UTF-8, else Windows-1251. */
export function decodeDatasetBytes(bytes: Uint8Array): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(body), encoding: 'windows-1251' };
  }
}

/**
 * `decodeDatasetBytes` for bytes that come in chunks. As UTF-8 it takes a character split between
 * chunks as one; `push` or `end` returns null at the first byte sequence that is not UTF-8: the bytes
 * are then to be read again from the start with `new DatasetDecoder('windows-1251')`, which never
 * fails. The texts returned, joined, equal `decodeDatasetBytes(all bytes).text`.
 */
export class DatasetDecoder {
  private readonly decoder: { decode(bytes: Uint8Array, options: { stream: boolean }): string };
  /** Up to the first 3 bytes, until it is known whether they are a BOM. */
  private head: Uint8Array | null = new Uint8Array(0);

  constructor(readonly encoding: DecodedText['encoding'] = 'utf-8') {
    this.decoder = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : new TextDecoder('windows-1251');
  }

  /** The text of the next bytes, or null: they are not UTF-8. */
  push(bytes: Uint8Array): string | null {
    let body = bytes;
    if (this.head) {
      const head = new Uint8Array(this.head.length + bytes.length);
      head.set(this.head);
      head.set(bytes, this.head.length);
      if (head.length < 3 && isBomPrefix(head)) {
        this.head = head;
        return '';
      }
      this.head = null;
      body = isBomPrefix(head) ? head.subarray(3) : head;
    }
    return this.decode(body, true);
  }

  /** The text of the bytes held back (an unfinished character, a lone start of a BOM), or null. */
  end(): string | null {
    const rest = this.head ?? new Uint8Array(0);
    this.head = null;
    return this.decode(rest, false);
  }

  private decode(bytes: Uint8Array, stream: boolean): string | null {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      return null;
    }
  }
}

/** Whether `bytes` is EF BB BF or the start of it. */
function isBomPrefix(bytes: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let k = 0; k < Math.min(3, bytes.length); k++) if (bytes[k] !== bom[k]) return false;
  return true;
}
