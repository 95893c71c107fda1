#!/usr/bin/env node
// Runs every tests/browser/**/*.test.mjs one test at a time against real servers in Chromium.
// Prints one line per test and finally `browser: N passed, M failed`; exits 1 if anything failed.
//   node tests/browser/run.mjs [filter]     only tests whose file or name contains `filter`
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registry, setCurrentFile, makeContext, closeBrowser } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] || '';

function findTests(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.name.endsWith('.test.mjs')) out.push(full);
  }
  return out.sort();
}

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// A stray promise or event handler from a finished test must not end the run without a verdict.
for (const event of ['unhandledRejection', 'uncaughtException']) {
  process.on(event, (e) => console.log(`    (${event} outside a test: ${e && e.stack ? e.stack : e})`));
}

let passed = 0;
let failed = 0;
for (const file of findTests(here)) {
  const rel = path.relative(here, file);
  setCurrentFile(rel);
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${rel}: could not load: ${e.stack || e}`);
  }
}

for (const { name, fn, timeout, file } of registry) {
  if (filter && !file.includes(filter) && !name.includes(filter)) continue;
  const label = `${file.replace(/\.test\.mjs$/, '')}: ${name}`;
  const t = makeContext();
  const started = Date.now();
  try {
    await withTimeout(Promise.resolve().then(() => fn(t)), timeout, name);
    await t.runCleanups();
    passed += 1;
    console.log(`ok - ${label} (${Date.now() - started} ms)`);
  } catch (e) {
    t.failed = true;
    const diag = t.diagnostics();
    await t.runCleanups();
    failed += 1;
    console.log(`not ok - ${label} (${Date.now() - started} ms)\n${String(e.stack || e).replace(/^/gm, '    ')}`);
    if (diag) console.log(diag.replace(/^/gm, '    '));
  }
}
await closeBrowser();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
