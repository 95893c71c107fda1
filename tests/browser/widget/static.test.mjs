// Checks that need no browser: sizes (gzip) and locale files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from '../lib/harness.mjs';
import { repoRoot } from '../lib/stack.mjs';

const widget = path.join(repoRoot, 'web-widget');
const gz = (files) => zlib.gzipSync(Buffer.concat(files.map((f) => fs.readFileSync(path.join(widget, f)))), { level: 9 }).length;

test('sizes: loader under 5 KB and app under 40 KB gzipped', async () => {
  const loader = gz(['widget.js', 'loader.css']);
  assert.ok(loader < 5 * 1024, `loader is ${loader} bytes gzipped`);
  const locales = fs.readdirSync(path.join(widget, 'app/locales'));
  const largest = Math.max(...locales.map((l) => gz([`app/locales/${l}`])));
  const code = fs.readdirSync(path.join(widget, 'app')).filter((f) => /\.(js|css|html)$/.test(f)).map((f) => `app/${f}`);
  const app = gz(code) + largest;
  assert.ok(app < 40 * 1024, `app is ${app} bytes gzipped (html+js+css+largest locale)`);
});

function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

test('locales: en, es, pl and ar (right-to-left) have the same keys, and the markup only names keys', async () => {
  const dir = path.join(widget, 'app/locales');
  const load = (l) => JSON.parse(fs.readFileSync(path.join(dir, `${l}.json`), 'utf8'));
  const en = load('en');
  const enKeys = keys(en).sort();
  for (const l of ['es', 'pl', 'ar']) {
    const other = load(l);
    assert.deepEqual(keys(other).sort(), enKeys, `${l}.json has exactly the keys of en.json`);
    assert.equal(other.lang, l);
    for (const k of keys(other)) {
      const v = k.split('.').reduce((o, p) => o[p], other);
      assert.ok(typeof v !== 'string' || v.trim() !== '', `${l}.${k} is not empty`);
    }
  }
  assert.equal(load('ar').dir, 'rtl');
  const html = fs.readFileSync(path.join(widget, 'app/index.html'), 'utf8');
  const named = [...html.matchAll(/data-t(?:-title|-aria-label)?="([a-z_]+)"/g)].map((m) => m[1]);
  for (const k of named) assert.ok(k in en, `index.html names "${k}", which en.json has`);
  // No visible text in the markup itself: every text node is empty (strings come from the locale).
  const body = html.slice(html.indexOf('<body>')).replace(/<[^>]+>/g, '\n');
  const stray = body.split('\n').map((s) => s.trim()).filter(Boolean);
  assert.deepEqual(stray, [], 'no hard-coded text in index.html');
  const css = fs.readFileSync(path.join(widget, 'app/app.css'), 'utf8');
  assert.ok(!/(margin|padding|border)-(left|right)|[^-]\b(left|right)\s*:/.test(css), 'app.css uses logical properties only');
});
