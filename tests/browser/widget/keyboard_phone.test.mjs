// Keyboard and screen-reader order on a phone (375x740, the chat covers the page): Quick exit
// comes before Minimise, Tab never escapes into the hidden host page, and Escape minimises with
// focus back on the launcher.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { openDemo, appFrame, launch, startChat, focusedAnywhere } from '../lib/widget.mjs';

const PHONE = { width: 375, height: 740 };

async function openWithKeyboard(page) {
  for (let i = 0; i < 20; i += 1) {
    const f = await focusedAnywhere(page);
    if (f && f.where === 'loader' && f.cls === 'launch') break;
    await page.keyboard.press('Tab');
  }
  assert.equal((await focusedAnywhere(page)).cls, 'launch', 'the launcher is reached with Tab');
  await page.keyboard.press('Enter');
  const app = await appFrame(page);
  await waitUntil(async () => (await focusedAnywhere(page)).where === 'app', { what: 'focus in the chat' });
  return app;
}

test('phone size: the header reads Quick exit then Minimise, for the keyboard and the accessibility tree', async (t) => {
  const stack = await t.stack();
  const page = await t.page({ viewport: PHONE });
  await openDemo(page, stack);
  const app = await openWithKeyboard(page);
  await page.screenshot({ path: '/tmp/shots/w10-widget-a/phone-start.png' });

  const header = await app.locator('body > header').ariaSnapshot();
  const buttons = [...header.matchAll(/button "([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(buttons, ['Quick exit', 'Minimise'], `the accessibility tree of the header:\n${header}`);

  // From the heading the chat opened on, Shift+Tab goes back through the header: Minimise, then Quick exit.
  assert.equal((await focusedAnywhere(page)).id, 'start-h', 'the chat opens on its heading');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focusedAnywhere(page)).id, 'minimise');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focusedAnywhere(page)).id, 'exit', 'Quick exit comes first');
  await page.keyboard.press('Tab');
  assert.equal((await focusedAnywhere(page)).id, 'minimise', 'then Minimise');
});

test('phone size: Tab and Shift+Tab stay inside the full-screen chat; Escape minimises to the launcher', async (t) => {
  const stack = await t.stack();
  const page = await t.page({ viewport: PHONE });
  await openDemo(page, stack);
  await openWithKeyboard(page);

  const seen = [];
  for (let i = 0; i < 25; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focusedAnywhere(page);
    seen.push(f && `${f.where}:${f.id || f.text}`);
    assert.equal(f && f.where, 'app', `Tab ${i + 1} stays in the chat (went to ${JSON.stringify(f)}; so far ${seen.join(', ')})`);
  }
  assert.ok(seen.filter((s) => s === 'app:exit').length >= 2, `Tab wrapped round to Quick exit (${seen.join(', ')})`);
  const wrapAt = seen.indexOf('app:exit', 1);
  assert.equal(seen[wrapAt + 1], 'app:minimise', 'after wrapping, Quick exit then Minimise');

  // Backwards from Quick exit wraps to the last control, still in the chat.
  while ((await focusedAnywhere(page)).id !== 'exit') await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const back = await focusedAnywhere(page);
  assert.equal(back.where, 'app', `Shift+Tab from Quick exit stays in the chat (${JSON.stringify(back)})`);
  assert.equal(back.id, 'prefer-call', 'it reaches the last control of the screen');

  await page.keyboard.press('Escape');
  await page.locator('#helpline-widget .panel').waitFor({ state: 'hidden' });
  await waitUntil(async () => {
    const f = await focusedAnywhere(page);
    return f.where === 'loader' && f.cls === 'launch';
  }, { what: 'focus back on the launcher' });
  const launcher = page.getByRole('button', { name: 'Chat with us' });
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false', 'the launcher says the chat is closed');
});

test('Escape in the end-chat dialog closes the dialog only; the next Escape minimises', async (t) => {
  const stack = await t.stack();
  const page = await t.page({ viewport: PHONE });
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app);
  await app.locator('#end-chat').click();
  await app.locator('#end-dialog').waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await app.locator('#end-dialog').waitFor({ state: 'hidden' });
  assert.ok(await page.locator('#helpline-widget .panel').isVisible(), 'the chat is still open');
  assert.equal((await focusedAnywhere(page)).id, 'end-chat', 'focus back on End chat');
  await page.keyboard.press('Escape');
  await page.locator('#helpline-widget .panel').waitFor({ state: 'hidden' });
  await waitUntil(async () => (await focusedAnywhere(page)).cls === 'launch', { what: 'focus on the launcher' });
});
