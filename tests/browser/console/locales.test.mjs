// Console strings: every key used in the code exists in English, and every locale has every key
// with the same placeholders. The markup has no inline script or style (the server's CSP).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../lib/harness.mjs';
import { repoRoot } from '../lib/stack.mjs';

const dir = path.join(repoRoot, 'web-console');
const load = (lang) => JSON.parse(fs.readFileSync(path.join(dir, 'locales', `${lang}.json`), 'utf8'));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
// Every script under js/, in subfolders too (js/conversation/...), as paths relative to js/.
const scripts = () => fs.readdirSync(path.join(dir, 'js'), { recursive: true }).filter((f) => f.endsWith('.js')).sort();

test('every console string is in every locale with the same placeholders', async () => {
  const en = load('en');
  const sources = scripts().map((f) => fs.readFileSync(path.join(dir, 'js', f), 'utf8'));
  sources.push(fs.readFileSync(path.join(dir, 'index.html'), 'utf8'));
  const used = new Set();
  for (const src of sources) {
    for (const m of src.matchAll(/\bt(?:In)?\((?:[\w.]+, )?'([a-z_]+\.[a-z_0-9.]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `found ${used.size} keys`);
  const missing = [...used].filter((k) => !(k in en));
  assert.deepEqual(missing, [], 'keys used in the code but missing from en.json');
  for (const lang of ['es', 'pl']) {
    const other = load(lang);
    assert.deepEqual(Object.keys(en).filter((k) => !(k in other)), [], `${lang}.json misses keys`);
    const wrong = Object.keys(en).filter((k) => k in other && placeholders(en[k]) !== placeholders(other[k]));
    assert.deepEqual(wrong, [], `${lang}.json placeholders differ`);
  }
});

test('console markup has no inline scripts, styles or event handlers', async () => {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
  assert.doesNotMatch(html, /\sstyle=|<style/i, 'inline style');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler');
  for (const f of scripts()) {
    const src = fs.readFileSync(path.join(dir, 'js', f), 'utf8');
    assert.doesNotMatch(src, /innerHTML|insertAdjacentHTML|setAttribute\('style'|document\.write|eval\(/, `${f} builds markup from strings`);
    assert.doesNotMatch(src, /console\.log\(/, `${f} logs (confidential data must not reach the console)`);
  }
});
