// Quick exit, by the button and by pressing Shift three times: the page is replaced with the
// neutral site (no history entry to go Back to), the socket closes, and nothing is left in storage.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { EXIT_URL, openDemo, launch, startChat, answerScreening, storageSnapshot } from '../lib/widget.mjs';

/** A visitor mid-chat (queued) with the resume token in sessionStorage. */
async function visitorInQueue(t, stack) {
  const page = await t.page();
  await openDemo(page, stack);
  const historyBefore = await page.evaluate(() => history.length);
  const app = await launch(page);
  await startChat(app);
  await answerScreening(app);
  assert.deepEqual((await storageSnapshot(page)).session, ['helpline.chat'], 'control: the token is there before the exit');
  return { page, app, historyBefore };
}

async function assertLeftNoTrace(page, stack, historyBefore) {
  await page.waitForURL(`${EXIT_URL}**`, { timeout: 5000 });
  assert.equal(await page.evaluate(() => history.length), historyBefore, 'location.replace: no new history entry');
  // The same tab back on the widget's origin (a page without scripts) sees no storage left.
  await page.goto(stack.url('/widget/no-such-page'));
  const left = await storageSnapshot(page);
  assert.deepEqual(left, { session: [], local: [] }, 'nothing left in sessionStorage or localStorage');
  await page.goBack();
  await page.goBack().catch(() => {});
  assert.ok(!page.url().includes('/widget/demo/'), `Back does not return to the page that was left (at ${page.url()})`);
}

test('quick exit button in the app replaces the page and leaves no storage or history entry', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack, { away: true });
  const { page, app, historyBefore } = await visitorInQueue(t, stack);
  const { entries } = await sam.request({ type: 'queue' });
  assert.equal(entries.length, 1, 'control: the visitor is waiting');

  await app.locator('#exit').click();
  await assertLeftNoTrace(page, stack, historyBefore);
});

test('quick exit button of the launcher works before the chat is opened', async (t) => {
  const stack = await t.stack();
  const page = await t.page();
  await openDemo(page, stack);
  const historyBefore = await page.evaluate(() => history.length);
  await page.locator('#helpline-widget button.exit').click();
  await assertLeftNoTrace(page, stack, historyBefore);
});

test('Shift pressed three times on the host page exits at once', async (t) => {
  const stack = await t.stack();
  const { page, historyBefore } = await visitorInQueue(t, stack);
  await page.locator('main h1').click(); // focus back on the host page
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  assert.ok(page.url().includes('/widget/demo/'), 'two presses do nothing');
  await page.keyboard.press('Shift');
  await assertLeftNoTrace(page, stack, historyBefore);
});

test('Shift pressed three times inside the chat exits too; typing capitals does not', async (t) => {
  const stack = await t.stack();
  const { page, app, historyBefore } = await visitorInQueue(t, stack);
  await app.locator('#text').focus();
  await page.keyboard.type('I Am OK');
  assert.ok(page.url().includes('/widget/demo/'), 'Shift used for capitals is not an exit');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
  await waitUntil(() => app.evaluate(() => document.body.classList.contains('gone')).catch(() => true),
    { what: 'the widget to blank' });
  await assertLeftNoTrace(page, stack, historyBefore);
});
