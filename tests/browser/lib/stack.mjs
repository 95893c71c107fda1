// A real stack for browser tests: redis-server and `helpline serve` on free loopback ports,
// each with its own temporary folder. Every child process is tracked and killed if the runner
// dies, so a failed test never leaves a server behind.
//
//   const stack = await startStack({ hours: { always_open: false, weekly: {} } });
//   await stack.addUser({ username: 'sam' });
//   stack.origin            -> 'http://127.0.0.1:PORT'
//   await stack.restartServer();   // SIGTERM, then start again on the same port, same Redis
//   await stack.stop();
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const helplineBinary = process.env.HELPLINE_BINARY || path.join(repoRoot, 'build/bin/helpline');
// The model the same build trained (<build>/models next to <build>/bin).
const screeningModel = path.join(path.dirname(path.dirname(helplineBinary)), 'models/screening.bin');

const children = new Set();
let exitHooked = false;

function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const child of children) {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { killAll(); process.exit(130); });
  }
}

function track(child) {
  hookExit();
  children.add(child);
  child.once('exit', () => children.delete(child));
  // A failed spawn (missing or busy binary) is reported by the waits below, not as a crash.
  child.on('error', (e) => { child.spawnError = e; children.delete(child); });
  return child;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeout` ms. */
export async function waitUntil(fn, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(interval);
  }
}

function merge(base, patch) {
  for (const [k, v] of Object.entries(patch || {})) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k])) {
      merge(base[k], v);
    } else {
      base[k] = v;
    }
  }
  return base;
}

function tail(file, bytes = 4000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.length > bytes ? `...${text.slice(-bytes)}` : text;
  } catch {
    return `(no log at ${file})`;
  }
}

function waitExit(child, timeout) {
  if (child.exitCode !== null || child.signalCode !== null || child.spawnError) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeout);
    child.once('exit', () => { clearTimeout(t); resolve(true); });
  });
}

async function httpStatus(url) {
  try {
    const res = await fetch(url, { redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function startRedis(dir) {
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
  const child = track(spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes',
    '--appendfsync', 'always', '--save', '', '--daemonize', 'no',
  ], { stdio: ['ignore', log, log] }));
  fs.closeSync(log);
  await waitUntil(() => new Promise((resolve, reject) => {
    if (child.spawnError) { reject(Object.assign(child.spawnError, { fatal: true })); return; }
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.write('PING\r\n'); });
    s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
    s.once('error', () => resolve(false));
  }), { timeout: 10000, what: `redis-server on ${port}` });
  return { port, child };
}

/**
 * Starts redis + helpline. Options:
 *   hours:   merged into the "hours" config (default always open)
 *   routing: merged into "routing"
 *   config:  any other config merged last
 */
export async function startStack(options = {}) {
  if (!fs.existsSync(helplineBinary)) {
    throw new Error(`${helplineBinary} does not exist: build the server first (scripts/build)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-browser-'));
  const redis = await startRedis(dir);
  const port = await freePort();
  const config = merge({
    node_id: 'node-a',
    server: { address: '127.0.0.1', port, static_root: repoRoot },
    redis: { host: '127.0.0.1', port: redis.port },
    content_dir: path.join(repoRoot, 'content'),
    // The learned screening layer trained by the build, as scripts/run uses it.
    ...(fs.existsSync(screeningModel) ? { screening_model: screeningModel } : {}),
    default_language: 'en',
    hours: { timezone: 'Europe/London', always_open: true },
    routing: { offer_timeout_seconds: 10, skill_wait_seconds: 2, tick_ms: 100 },
    log: { level: 'info' },
  }, { hours: options.hours, routing: options.routing });
  merge(config, options.config);
  const configPath = path.join(dir, 'helpline.json');
  fs.writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const logPath = path.join(dir, 'helpline.log');
  const origin = `http://127.0.0.1:${port}`;

  let server = null;

  const stack = {
    dir, port, origin, config, configPath, logPath,
    redisPort: redis.port,
    wsUrl: (endpoint) => `ws://127.0.0.1:${port}${endpoint}`,
    url: (p) => `${origin}${p}`,
    logTail: () => tail(logPath),

    async startServer() {
      if (server) throw new Error('helpline already runs');
      fs.appendFileSync(logPath, `===== test harness: starting helpline serve on ${port} =====\n`);
      const log = fs.openSync(logPath, 'a');
      server = track(spawn(helplineBinary, ['serve', '--config', configPath], { stdio: ['ignore', log, log] }));
      fs.closeSync(log);
      const child = server;
      await waitUntil(async () => {
        if (child.spawnError) throw Object.assign(new Error(`cannot start ${helplineBinary}: ${child.spawnError.message}`), { fatal: true });
        if (child.exitCode !== null || child.signalCode !== null) {
          throw Object.assign(new Error(`helpline exited (${child.exitCode ?? child.signalCode}):\n${tail(logPath)}`), { fatal: true });
        }
        return (await httpStatus(`${origin}/readyz`)) === 200;
      }, { timeout: 20000, what: `helpline /readyz on ${port}` }).catch((e) => {
        throw new Error(`${e.message}\n${tail(logPath)}`);
      });
    },

    /** SIGTERM and wait for the process to exit (SIGKILL after 10 s). */
    async stopServer() {
      if (!server) return;
      const child = server;
      server = null;
      child.kill('SIGTERM');
      if (!(await waitExit(child, 10000))) {
        child.kill('SIGKILL');
        await waitExit(child, 5000);
      }
    },

    async restartServer() {
      await stack.stopServer();
      await stack.startServer();
    },

    /** Creates an account with `helpline user add`. Returns { username, password, name }. */
    async addUser({
      username, password = 'correct horse battery', name = username, role = 'advisor',
      languages = ['en'], callerTypes = ['own_behaviour', 'professional', 'friend_family', 'experiencing_abuse'],
      capacity = 2,
    }) {
      const args = ['user', 'add', '--username', username, '--name', name, '--role', role,
        '--languages', languages.join(','), '--caller-types', callerTypes.join(','),
        '--capacity', String(capacity), '--config', configPath];
      await new Promise((resolve, reject) => {
        const child = track(spawn(helplineBinary, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
        let out = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { out += d; });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`user add ${username} failed (${code}): ${out}`))));
        child.stdin.end(`${password}\n`);
      });
      return { username, password, name };
    },

    async stop({ keep = false } = {}) {
      await stack.stopServer();
      redis.child.kill('SIGTERM');
      if (!(await waitExit(redis.child, 5000))) redis.child.kill('SIGKILL');
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await stack.startServer();
  } catch (e) {
    await stack.stop({ keep: true });
    throw e;
  }
  return stack;
}
