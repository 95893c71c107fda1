// Two visitors wait; their places and the estimate update live, and a callback is offered while
// nobody is available to give an estimate.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { openDemo, launch, startChat, answerScreening, waitForLogText } from '../lib/widget.mjs';

async function queuedVisitor(t, stack, callerType) {
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app, callerType);
  await answerScreening(app);
  await app.locator('#queue').waitFor({ state: 'visible' });
  return app;
}

const queueText = (app) => app.evaluate(() => document.getElementById('queue').textContent);

test('queue positions update live when the first visitor is accepted', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack, { capacity: 1, away: true }); // logged in but away: no offers yet

  const first = await queuedVisitor(t, stack, 'own_behaviour');
  await waitUntil(async () => (await queueText(first)).includes('You are next in the queue.'), { what: 'first visitor is next' });
  const second = await queuedVisitor(t, stack, 'friend_family');
  await waitUntil(async () => (await queueText(second)).includes('You are number 2 in the queue.'), { what: 'second visitor is number 2' });

  // Nobody available: no estimate, so a callback is offered.
  assert.ok((await queueText(second)).includes("We can't estimate the wait right now."));
  assert.ok(await second.locator('#cb-offer').isVisible(), 'a callback is offered while the wait is unknown');
  assert.equal(await second.locator('#queue').getAttribute('aria-live'), 'polite', 'queue updates are announced politely');

  await sam.available();
  const { offer } = await sam.acceptNext();
  assert.equal(offer.conversation.caller_type, 'own_behaviour', 'the first in the queue is offered first');
  await waitForLogText(first, 'Sam has joined the chat.');
  await waitUntil(async () => (await queueText(second)).includes('You are next in the queue.'),
    { what: 'the second visitor to move up to next' });
});
