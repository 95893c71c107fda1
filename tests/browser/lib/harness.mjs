// A tiny test registry for the browser tests (run by ../run.mjs).
//
//   import { test } from '../lib/harness.mjs';
//   test('visitor can chat', async (t) => {
//     const stack = await t.stack();              // redis + helpline, stopped after the test
//     const page = await t.page();                // a page in a fresh browser context
//     t.cleanup(async () => { ... });             // runs after the test, last registered first
//   }, { timeout: 60000 });
//
// Tests in one process run one after another; run.mjs --workers N runs N such processes, each
// with its own Chromium. A test fails if it throws or times out.
import { startStack } from './stack.mjs';
import { launchBrowser } from './browser.mjs';

export const registry = [];
let currentFile = '';

export function setCurrentFile(file) {
  currentFile = file;
}

export function test(name, fn, { timeout = 90000 } = {}) {
  registry.push({ name, fn, timeout, file: currentFile });
}

let sharedBrowser = null;

/** One Chromium for the whole run; each test gets its own context. */
export async function browser() {
  if (!sharedBrowser || !sharedBrowser.isConnected()) sharedBrowser = await launchBrowser();
  return sharedBrowser;
}

export async function closeBrowser() {
  if (sharedBrowser) await sharedBrowser.close().catch(() => {});
  sharedBrowser = null;
}

/** The context object handed to each test. */
export function makeContext() {
  const cleanups = [];
  const stacks = [];
  const notes = [];
  const t = {
    failed: false,
    cleanup(fn) { cleanups.push(fn); },
    note(text) { notes.push(text); },
    async stack(options) {
      const s = await startStack(options);
      stacks.push(s);
      cleanups.push(() => s.stop({ keep: t.failed }));
      return s;
    },
    async context(options = {}) {
      const b = await browser();
      const ctx = await b.newContext({ viewport: { width: 1024, height: 768 }, ...options });
      cleanups.push(() => ctx.close().catch(() => {}));
      return ctx;
    },
    async page(options) {
      const ctx = await t.context(options);
      return ctx.newPage();
    },
    async runCleanups() {
      while (cleanups.length) {
        const fn = cleanups.pop();
        try { await fn(); } catch (e) { notes.push(`cleanup failed: ${e.message}`); }
      }
    },
    diagnostics() {
      const out = [...notes];
      for (const s of stacks) out.push(`server log (${s.logPath}):\n${s.logTail()}`);
      return out.join('\n');
    },
  };
  return t;
}
