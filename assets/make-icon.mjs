// Draws assets/icon.png (512x512, RGBA) from the same shapes as assets/icon.svg, with no image
// tools installed: `node assets/make-icon.mjs`. electron-builder derives .ico/.icns from the PNG.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // 4x4 supersampling for anti-aliased edges

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

const segmentDistance = (px, py, [ax, ay], [bx, by]) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};

const roundedRect = (x, y, w, h, r) => (px, py) => {
  const qx = Math.abs(px - (x + w / 2)) - (w / 2 - r);
  const qy = Math.abs(py - (y + h / 2)) - (h / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r <= 0;
};
const ring = (cx, cy, r, width) => (px, py) => Math.abs(Math.hypot(px - cx, py - cy) - r) <= width / 2;
const ellipseRing = (cx, cy, rx, ry, width) => (px, py) => {
  const x = px - cx;
  const y = py - cy;
  const k = Math.sqrt((x * x) / (rx * rx) + (y * y) / (ry * ry));
  if (k === 0) return false;
  const gradient = Math.hypot(x / (rx * rx), y / (ry * ry)) / k;
  return Math.abs((k - 1) / gradient) <= width / 2;
};
const polyline = (points, width) => (px, py) => {
  for (let i = 1; i < points.length; i++) if (segmentDistance(px, py, points[i - 1], points[i]) <= width / 2) return true;
  return false;
};
const disc = (cx, cy, r) => (px, py) => Math.hypot(px - cx, py - cy) <= r;

const top = hex('#16202b');
const bottom = hex('#0b0f14');
// Painted in order, as in the SVG.
const layers = [
  { inside: roundedRect(16, 16, 480, 480, 96), color: (_x, y) => mix(top, bottom, (y - 16) / 480) },
  { inside: ring(256, 256, 168, 14), color: () => hex('#2f4a63') },
  { inside: ellipseRing(256, 256, 84, 168, 10), color: () => hex('#2f4a63') },
  { inside: polyline([[256, 88], [256, 424]], 10), color: () => hex('#3d6b8f') },
  { inside: polyline([[104, 344], [184, 288], [240, 316], [312, 212], [408, 160]], 28), color: () => hex('#33d17a') },
  { inside: disc(408, 160, 22), color: () => hex('#33d17a') },
];

const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  rows[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0]; // premultiplied RGB + alpha
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const px = x + (sx + 0.5) / SAMPLES;
        const py = y + (sy + 0.5) / SAMPLES;
        let rgb = null;
        for (const layer of layers) if (layer.inside(px, py)) rgb = layer.color(px, py);
        if (rgb !== null) {
          sum[0] += rgb[0];
          sum[1] += rgb[1];
          sum[2] += rgb[2];
          sum[3] += 1;
        }
      }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    const coverage = sum[3];
    for (let c = 0; c < 3; c++) rows[o + c] = coverage === 0 ? 0 : Math.round(sum[c] / coverage);
    rows[o + 3] = Math.round((255 * coverage) / (SAMPLES * SAMPLES));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`assets/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
