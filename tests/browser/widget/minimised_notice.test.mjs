// While the chat is minimised, the visitor is told when an advisor joins or replies: a count on
// the launcher (in its accessible name too), a polite announcement on the host page, and, only
// when the host page allows it, the page title. Reopening clears all of it.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { openDemo, openHost, launch, startChat, answerScreening, waitForLogText } from '../lib/widget.mjs';

/** The visitor waits in the queue with the chat minimised. */
async function minimisedInQueue(page, stack, open) {
  await open();
  const app = await launch(page);
  await startChat(app);
  await answerScreening(app);
  await app.locator('#queue').waitFor({ state: 'visible' });
  await app.locator('#minimise').click();
  await page.locator('#helpline-widget .panel').waitFor({ state: 'hidden' });
  return app;
}

const liveText = (page) => page.locator('#helpline-widget [aria-live=polite]').textContent();

test('minimised: an advisor joining and replying shows a count on the launcher and is announced', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  const app = await minimisedInQueue(page, stack, () => openDemo(page, stack));
  const titleBefore = await page.title();
  const launcher = page.locator('#helpline-widget button.launch');
  assert.equal(await launcher.getAttribute('aria-label'), null, 'control: no count before anything happened');

  const { offer } = await sam.acceptNext();
  await page.getByRole('button', { name: 'Chat with us. New messages: 1' }).waitFor();
  assert.equal(await launcher.locator('.badge').textContent(), '1', 'the badge shows 1');
  assert.ok(await launcher.locator('.badge').isVisible());
  await waitUntil(async () => (await liveText(page)).includes('An advisor has joined your chat.'),
    { what: 'the join announced in a polite live region on the host page' });

  await sam.say(offer.conversation.id, 'Hello, this is Sam. Take your time.');
  await page.getByRole('button', { name: 'Chat with us. New messages: 2' }).waitFor();
  assert.equal(await launcher.locator('.badge').textContent(), '2');
  await waitUntil(async () => (await liveText(page)).includes('You have a new message in the chat.'),
    { what: 'the reply announced' });
  assert.ok(!(await liveText(page)).includes('Take your time'), 'the announcement never repeats what was said');
  assert.equal(await page.title(), titleBefore, 'the page title is unchanged unless the host page allows it');
  await page.screenshot({ path: '/tmp/shots/w10-widget-a/minimised-badge.png' });

  await launcher.click();
  await waitForLogText(app, 'Hello, this is Sam.');
  await page.locator('#helpline-widget .panel').waitFor({ state: 'visible' });
  await app.locator('#minimise').click();
  await launcher.waitFor({ state: 'visible' });
  assert.ok(await launcher.locator('.badge').isHidden(), 'reopening clears the count');
  assert.equal(await launcher.getAttribute('aria-label'), null, 'and the name is the plain label again');
});

test('minimised: the page title shows the count only when the host page opts in, and is restored on reopen', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  await minimisedInQueue(page, stack, () => openHost(page, stack, { 'title-notice': 'on' }, { title: 'Example helpline' }));
  const { offer } = await sam.acceptNext();
  await waitUntil(async () => (await page.title()) === '(1) Example helpline', { what: 'the title to show 1' });
  await sam.say(offer.conversation.id, 'Are you still there?');
  await waitUntil(async () => (await page.title()) === '(2) Example helpline', { what: 'the title to show 2' });

  await page.locator('#helpline-widget button.launch').click();
  await page.locator('#helpline-widget .panel').waitFor({ state: 'visible' });
  assert.equal(await page.title(), 'Example helpline', 'the title is restored when the chat is reopened');
});

test('minimised without the opt-in on a host page: the title never changes', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  await minimisedInQueue(page, stack, () => openHost(page, stack, {}, { title: 'Example helpline' }));
  await sam.acceptNext();
  await page.getByRole('button', { name: 'Chat with us. New messages: 1' }).waitFor();
  assert.equal(await page.title(), 'Example helpline');
});
