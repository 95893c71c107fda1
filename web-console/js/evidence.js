// Risk flags and cues carry byte offsets into the UTF-8 text. JavaScript strings index UTF-16
// code units, so offsets are converted through the UTF-8 encoding of the text.

const encoder = new TextEncoder();

// Returns a function byte offset -> string index (null for an offset inside a character).
export function byteToIndexMap(text) {
  const bytes = encoder.encode(text);
  const map = new Map();
  let index = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    map.set(i, index);
    index += b >= 0xf0 ? 2 : 1; // 4-byte sequences are surrogate pairs in UTF-16
  }
  map.set(bytes.length, text.length);
  return (offset) => (map.has(offset) ? map.get(offset) : null);
}

// Splits text into segments, each with the spans (flags or cues) that cover it.
// spans: [{start, end, ...}] in bytes. Returns [{text, spans: [...]}].
export function segments(text, spans) {
  const toIndex = byteToIndexMap(text);
  const ranges = [];
  for (const span of spans || []) {
    const a = toIndex(span.start);
    const b = toIndex(span.end);
    if (a === null || b === null || b <= a) continue;
    ranges.push({ a, b, span });
  }
  const cuts = new Set([0, text.length]);
  for (const r of ranges) { cuts.add(r.a); cuts.add(r.b); }
  const points = [...cuts].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const from = points[i];
    const to = points[i + 1];
    out.push({ text: text.slice(from, to), spans: ranges.filter((r) => r.a <= from && r.b >= to).map((r) => r.span) });
  }
  return out;
}

// The text a span covers (for labels), or the server's `match` if offsets do not fit.
export function spanText(text, span) {
  const toIndex = byteToIndexMap(text || '');
  const a = toIndex(span.start);
  const b = toIndex(span.end);
  if (a === null || b === null || b <= a) return span.match || '';
  return text.slice(a, b);
}
