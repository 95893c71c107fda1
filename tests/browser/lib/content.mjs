// A private copy of the repository's content folder for tests that change content through the
// server (the programme directory import writes content/programmes/directory.json): the stack
// reads and writes the copy, never the repository.
//
//   const contentDir = privateContent(t);
//   const stack = await t.stack({ config: { content_dir: contentDir } });
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './stack.mjs';

export const repoDirectoryPath = path.join(repoRoot, 'content/programmes/directory.json');

/** Copies content/ to a temporary folder, removed after the test (kept if it failed). */
export function privateContent(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-content-'));
  fs.cpSync(path.join(repoRoot, 'content'), dir, { recursive: true });
  t.cleanup(() => { if (!t.failed) fs.rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

/** Suggested responses of a cue for a caller type, as content/cues/<lang>/responses.tsv lists them. */
export function cueResponses(lang, cue, callerType) {
  return fs.readFileSync(path.join(repoRoot, 'content', 'cues', lang, 'responses.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'))
    .filter((f) => f[0] === cue && (!f[2] || f[2].split(',').map((x) => x.trim()).includes(callerType)))
    .map((f) => f[1]);
}
