#!/usr/bin/env node
// Runs every tests/browser/**/*.test.mjs against real servers in Chromium.
// Prints one line per test and finally `browser: N passed, M failed`; exits 1 if anything failed.
//   node tests/browser/run.mjs [--workers N] [filter]   only tests whose file or name contains `filter`
//
// Workers (--workers N, or HELPLINE_BROWSER_WORKERS; default 1): N worker processes, each with its
// own Chromium, take the next test from a shared queue. Every test starts its own stack (redis +
// helpline on free ports, own temporary folder), so tests in different workers share nothing but
// the machine. With 1 worker the tests run one at a time in this process, as they always did.
import fs from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registry, setCurrentFile, makeContext, closeBrowser } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const thisFile = fileURLToPath(import.meta.url);

function parseArgs(argv) {
  const out = { workers: Number(process.env.HELPLINE_BROWSER_WORKERS || 1), filter: '', worker: false };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--worker') out.worker = true;
    else if (a === '--workers' || a === '-j') out.workers = Number(argv[(i += 1)]);
    else if (a.startsWith('--workers=')) out.workers = Number(a.slice('--workers='.length));
    else out.filter = a;
  }
  if (!Number.isInteger(out.workers) || out.workers < 1) {
    console.error(`run.mjs: --workers wants a positive whole number, not ${out.workers}`);
    process.exit(2);
  }
  return out;
}
const options = parseArgs(process.argv.slice(2));

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

function withTimeout(promise, ms) {
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

// Loading registers the tests; the parent and every worker load the same sorted files, so an
// index into `registry` names the same test everywhere.
const loadFailures = [];
for (const file of findTests(here)) {
  const rel = path.relative(here, file);
  setCurrentFile(rel);
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    loadFailures.push(`not ok - ${rel}: could not load: ${e.stack || e}`);
  }
}

const labelOf = ({ name, file }) => `${file.replace(/\.test\.mjs$/, '')}: ${name}`;

/** Runs registry[index]; returns { ok, text } where text is what the run prints for it. */
async function runOne(index) {
  const { fn, timeout } = registry[index];
  const label = labelOf(registry[index]);
  const t = makeContext();
  const started = Date.now();
  try {
    await withTimeout(Promise.resolve().then(() => fn(t)), timeout);
    await t.runCleanups();
    return { ok: true, text: `ok - ${label} (${Date.now() - started} ms)` };
  } catch (e) {
    t.failed = true;
    const diag = t.diagnostics();
    await t.runCleanups();
    let text = `not ok - ${label} (${Date.now() - started} ms)\n${String(e.stack || e).replace(/^/gm, '    ')}`;
    if (diag) text += `\n${diag.replace(/^/gm, '    ')}`;
    return { ok: false, text };
  }
}

if (options.worker) {
  // Worker: runs the tests the parent hands it, one at a time, in its own Chromium.
  process.on('disconnect', () => process.exit(1));  // parent gone: stack.mjs kills our children
  process.on('message', async (m) => {
    if (m.run !== undefined) {
      const result = await runOne(m.run);
      process.send({ index: m.run, ...result });
    } else if (m.done) {
      await closeBrowser();
      process.exit(0);
    }
  });
  process.send({ ready: true });
} else {
  let passed = 0;
  let failed = 0;
  for (const line of loadFailures) {
    failed += 1;
    console.log(line);
  }
  const selected = [];
  registry.forEach((entry, index) => {
    if (!options.filter || entry.file.includes(options.filter) || entry.name.includes(options.filter)) selected.push(index);
  });
  const failedLabels = [];
  const report = (index, { ok, text }) => {
    if (ok) passed += 1;
    else { failed += 1; failedLabels.push(labelOf(registry[index])); }
    console.log(text);
  };

  const workers = Math.min(options.workers, Math.max(selected.length, 1));
  if (workers <= 1) {
    for (const index of selected) report(index, await runOne(index));
    await closeBrowser();
  } else {
    console.log(`browser: ${selected.length} tests in ${workers} workers`);
    await runInWorkers(selected, workers, report);
  }
  if (failedLabels.length && selected.length > 1) console.log(`failed:\n${failedLabels.map((l) => `  ${l}`).join('\n')}`);
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/**
 * Hands the selected tests to `count` worker processes, the next test to whichever is free.
 * A worker that dies or overruns a test's timeout by a minute fails that test and is replaced.
 */
function runInWorkers(selected, count, report) {
  const queue = [...selected];
  const live = new Set();
  let nextId = 1;
  let failedStarts = 0;
  return new Promise((resolve) => {
    const finishIfDone = () => { if (live.size === 0) resolve(); };
    const start = () => {
      const id = nextId;
      nextId += 1;
      const child = fork(thisFile, ['--worker'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      const w = { id, child, current: null, timer: null, ready: false };
      live.add(w);
      for (const stream of [child.stdout, child.stderr]) {
        let pending = '';
        stream.on('data', (d) => {
          pending += d;
          const lines = pending.split('\n');
          pending = lines.pop();
          for (const line of lines) console.log(`    [worker ${id}] ${line}`);
        });
      }
      const giveNext = () => {
        clearTimeout(w.timer);
        w.current = null;
        if (!queue.length) { child.send({ done: true }); return; }
        const index = queue.shift();
        w.current = index;
        w.timer = setTimeout(() => child.kill('SIGKILL'), registry[index].timeout + 60000);
        child.send({ run: index });
      };
      child.on('message', (m) => {
        if (m.ready) { w.ready = true; giveNext(); return; }
        if (m.index !== w.current) return;
        report(m.index, m);
        giveNext();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(w.timer);
        live.delete(w);
        if (w.current !== null) {
          report(w.current, {
            ok: false,
            text: `not ok - ${labelOf(registry[w.current])}\n    worker ${id} exited (${code ?? signal}) during the test`,
          });
          w.current = null;
          if (queue.length) start();
        } else if (!w.ready && queue.length) {
          // Died while loading: try again a couple of times, then fail what is left.
          failedStarts += 1;
          if (failedStarts < 3) start();
          else if (live.size === 0) {
            for (const index of queue.splice(0)) {
              report(index, { ok: false, text: `not ok - ${labelOf(registry[index])}\n    no worker could start (${code ?? signal})` });
            }
          }
        }
        finishIfDone();
      });
    };
    for (let i = 0; i < count; i += 1) start();
    const stopAll = () => { for (const w of live) w.child.kill('SIGTERM'); };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { stopAll(); process.exit(130); });
  });
}
