// Console: the programme directory over HTTP (admins). With a private copy of the content folder:
// an edited directory with an unknown programme type fails validation (errors with file and line)
// and its import is refused; a directory of 2 programmes loaded from a file imports, and an
// advisor's programme search then only finds those 2. The repository's directory is untouched.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '../lib/harness.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { privateContent, repoDirectoryPath } from '../lib/content.mjs';
import { openConsole, goAvailable, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

const KEEP = ['leeds-early-response', 'leeds-dapp'];

/** Searches from the conversation's side panel; resolves with the result ids once `ok(ids)`. */
async function search(panel, location, ok) {
  await panel.locator('input.programme-location').fill(location);
  await panel.locator('form.programme-form button[type=submit]').click();
  let ids = [];
  await waitUntil(async () => {
    ids = await panel.locator('.programme-results li.programme').evaluateAll((els) => els.map((e) => e.dataset.programme));
    return ids.length > 0 && ok(ids);
  }, { what: `programme results for ${location}` });
  return ids;
}

test('admin validates a broken directory (errors shown, import refused), then imports 2 programmes; searches only find those', async (t) => {
  const repoBefore = fs.readFileSync(repoDirectoryPath);
  const contentDir = privateContent(t);
  const privatePath = path.join(contentDir, 'programmes/directory.json');
  const original = JSON.parse(fs.readFileSync(privatePath, 'utf8'));
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' }, sam: {} }, { config: { content_dir: contentDir } });

  // Sam's search before the import finds programmes beyond the 2 that will stay.
  const sam = await openConsole(t, stack, users.sam);
  await goAvailable(sam);
  const { panel } = await queueAndAccept(t, stack, sam);
  // The full directory offers more in LS6 than the 2 that will stay.
  await search(panel, 'LS6', (ids) => ids.some((id) => !KEEP.includes(id)));

  const ada = await openConsole(t, stack, users.ada);
  await ada.locator('.tab[data-tab="admin"]').click();
  const dir = ada.locator('.admin-directory');
  const editor = dir.getByLabel('Directory (JSON)');
  await waitUntil(async () => (await editor.inputValue()).includes('"programmes"'), { what: 'the current directory in the editor' });
  await dir.locator(`.dir-count[data-count="${original.programmes.length}"]`).waitFor();
  assert.ok(await dir.locator('.dir-types li[data-type="dapp"]').count(), 'a count per programme type');

  // An unknown type: validation lists the error with the file and line; the import is refused.
  const broken = structuredClone(original);
  const victim = broken.programmes[3];
  victim.type = 'not_a_type';
  const second = broken.programmes[5];
  second.formats = ['carrier_pigeon'];
  // Pasted (Playwright's fill types 50 KB slowly); the editor hears the input event as from a paste.
  await editor.evaluate((el, text) => { el.value = text; el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' })); }, JSON.stringify(broken, null, 2));
  await dir.getByRole('button', { name: 'Validate' }).click();
  const result = dir.locator('.dir-result');
  await result.locator('.dir-errors li').first().waitFor();
  assert.equal(await result.getAttribute('data-result'), 'error');
  const errors = await result.locator('.dir-errors li').allTextContents();
  assert.ok(errors.some((e) => /^directory\.json:\d+: .*not_a_type/.test(e) && e.includes(victim.id)), `errors name file, line and programme: ${errors}`);
  assert.ok(errors.some((e) => /^directory\.json:\d+: .*carrier_pigeon/.test(e) && e.includes(second.id)), `every bad entry is listed at once: ${errors}`);
  assert.equal(errors.length, 2, `one line per bad entry: ${errors}`);
  assert.match(await result.textContent(), /2 problems found/);
  assert.ok(!errors.some((e) => e.includes(contentDir)), 'server paths are not shown');
  await assertNoAxeViolations(ada, 'the directory editor with errors');

  await dir.getByRole('button', { name: 'Import' }).click();
  const dialog = ada.locator('dialog.confirm-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), new RegExp(`${broken.programmes.length} programmes`));
  await assertNoAxeViolations(ada, 'the import question');
  await dialog.getByRole('button', { name: 'Yes, import it' }).click();
  await result.locator('p.error', { hasText: 'Not imported' }).waitFor();
  assert.deepEqual(JSON.parse(fs.readFileSync(privatePath, 'utf8')), original, 'a refused import changes nothing');

  // Cancelling the question sends nothing.
  await dir.getByRole('button', { name: 'Import' }).click();
  await dialog.waitFor();
  await ada.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // 2 programmes, chosen from a file on disk.
  const reduced = { ...original, programmes: original.programmes.filter((p) => KEEP.includes(p.id)) };
  assert.equal(reduced.programmes.length, 2);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-dir-')), 'two.json');
  fs.writeFileSync(file, JSON.stringify(reduced, null, 2));
  t.cleanup(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  await dir.getByLabel('Load from a file').setInputFiles(file);
  await waitUntil(async () => (await editor.inputValue()).includes('leeds-dapp') && !(await editor.inputValue()).includes('manchester'), { what: 'the file in the editor' });
  await dir.locator('.dir-count[data-count="2"]').waitFor();
  await dir.getByRole('button', { name: 'Validate' }).click();
  await result.locator('p.ok', { hasText: 'Valid: 2 programmes.' }).waitFor();
  await dir.getByRole('button', { name: 'Import' }).click();
  await dialog.getByRole('button', { name: 'Yes, import it' }).click();
  await result.locator('p.ok', { hasText: 'Imported: 2 programmes.' }).waitFor();
  assert.deepEqual(JSON.parse(fs.readFileSync(privatePath, 'utf8')).programmes.map((p) => p.id).sort(), [...KEEP].sort());

  // Sam's next search only finds programmes from those 2.
  const after = await search(panel, 'LS6', (ids) => ids.every((id) => KEEP.includes(id)));
  assert.ok(after.length > 0 && after.every((id) => KEEP.includes(id)), `only the imported programmes: ${after}`);

  assert.ok(fs.readFileSync(repoDirectoryPath).equals(repoBefore), "the repository's directory.json is untouched");
  // Chromium logs every 4xx answer; the refused import's 422 is the expected one.
  ada.consoleErrors = ada.consoleErrors.filter((e) => !/status of 422/.test(e));
  assertNoConsoleErrors(ada, 'Ada');
  assertNoConsoleErrors(sam, 'Sam');
});
