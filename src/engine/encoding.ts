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
