const PREAMBLE = Buffer.from('NATS/1.0\r\n', 'latin1');
const CR = 13;
const LF = 10;
const COLON = 58;

/**
 * Reads header `name`'s first value (`name`: printable ASCII, no colon) from a raw NATS header
 * block (`NATS/1.0\r\nName: value\r\n…`) when the block is one nats.js is sure to decode without throwing: no status on the first
 * line, every line `name:value` ended by CRLF, names of printable ASCII (33-126, as nats.js
 * requires) and values without a lone CR or LF. The value is trimmed and matched by exact
 * name, as `MsgHdrs.get` does; `''` when the header is absent or empty.
 *
 * Returns `undefined` for any other block: the caller then lets nats.js decode it, with its
 * own errors. Stricter than nats.js by design, so a block vouched for here never makes a later
 * read of `msg.headers` throw.
 */
export function headerValueIn(block: Uint8Array, end: number, name: Uint8Array): string | undefined {
  if (end < PREAMBLE.length) return undefined;
  for (let i = 0; i < PREAMBLE.length; i += 1) if (block[i] !== PREAMBLE[i]) return undefined;
  const sole = soleHeaderValue(block, end, name);
  if (sole !== undefined) return sole;
  let value = '';
  let found = false;
  let i = PREAMBLE.length;
  while (i < end) {
    const lineStart = i;
    let c = block[i]!;
    while (c !== COLON) {
      // The LF must be inside the block: the body nats.js keeps after it may start with one.
      if (c === CR && i === lineStart && i + 1 < end && block[i + 1] === LF) break;
      if (c < 33 || c > 126) return undefined;
      i += 1;
      if (i >= end) return undefined;
      c = block[i]!;
    }
    if (c === CR) {
      // The empty line that closes the block.
      i += 2;
      continue;
    }
    if (i === lineStart) return undefined;
    const colon = i;
    i += 1;
    while (i < end && block[i] !== CR) {
      if (block[i] === LF) return undefined;
      i += 1;
    }
    if (i + 1 >= end || block[i + 1] !== LF) return undefined;
    if (!found && sameBytes(block, lineStart, colon, name)) {
      found = true;
      value = utf8Between(block, colon + 1, i).trim();
    }
    i += 2;
  }
  return value;
}

/**
 * The value of a block that holds `name` alone (`NATS/1.0\r\nName:value\r\n\r\n`), as a
 * caller of this transport sends it; `undefined` for any other block, which the full scan reads.
 * One pass over the value instead of a check of every byte's role: the same answer the scan gives.
 */
function soleHeaderValue(block: Uint8Array, end: number, name: Uint8Array): string | undefined {
  const colon = PREAMBLE.length + name.length;
  const valueEnd = end - 4;
  if (valueEnd <= colon || block[colon] !== COLON || !sameBytes(block, PREAMBLE.length, colon, name)) return undefined;
  if (block[valueEnd] !== CR || block[valueEnd + 1] !== LF || block[valueEnd + 2] !== CR || block[valueEnd + 3] !== LF) return undefined;
  for (let i = colon + 1; i < valueEnd; i += 1) {
    const c = block[i];
    if (c === CR || c === LF) return undefined;
  }
  return utf8Between(block, colon + 1, valueEnd).trim();
}

function sameBytes(block: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i += 1) if (block[start + i] !== name[i]) return false;
  return true;
}

// nats.js hands a message's bytes over as a Buffer, read in place; a view of another kind is
// wrapped first (that wrapping is most of the cost of reading a short value).
function utf8Between(block: Uint8Array, start: number, end: number): string {
  if (block instanceof Buffer) return block.toString('utf8', start, end);
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8');
}
