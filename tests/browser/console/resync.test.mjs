// Console: after a network drop or a server restart the console logs in again with its token,
// catches up with `history` (after_seq), shows every message exactly once, and delivers a reply
// written while offline.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Visitor, openConsole, goAvailable, conversationPanel, advisorSays, assertNoConsoleErrors, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

async function seqsShown(panel) {
  return panel.locator('.transcript li.message').evaluateAll((lis) => lis.map((li) => Number(li.dataset.seq)));
}

function assertContiguous(seqs) {
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `each message once, in order: ${seqs.join(',')}`);
}

test('server restart while offline: token login, history catch-up, outbox resend, no duplicates', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const accepted = await queueAndAccept(t, stack, page);
  let { visitor } = accepted;
  const { id, panel } = accepted;
  const token = visitor.resumeToken;
  t.cleanup(() => visitor.close());
  await visitor.say('first message');
  await panel.locator('.transcript li.message', { hasText: 'first message' }).waitFor();
  await advisorSays(page, id, 'first reply');
  await visitor.heard('first reply');

  // The server goes away; the console shows it is offline and stays offline (network down).
  await stack.stopServer();
  await page.locator('#connection-state[data-state="closed"]').waitFor();
  await page.context().setOffline(true);
  // A reply written while offline waits in the outbox.
  await panel.locator('textarea.composer-input').fill('written while offline');
  await panel.locator('textarea.composer-input').press('Enter');
  await panel.locator('.pending-messages li', { hasText: 'written while offline' }).waitFor();

  await stack.startServer();
  // The visitor comes back first and writes while the advisor's console is still offline.
  visitor.close();
  visitor = await Visitor.connect(stack, { resume: token, lastSeq: 2 });
  assert.equal(visitor.welcome.resume, 'ok');
  await visitor.say('message while you were away');
  await visitor.say('and another one');

  await page.context().setOffline(false);
  await page.locator('#connection-state[data-state="logged_in"]').waitFor({ timeout: 20000 });
  await panel.locator('.transcript li.message', { hasText: 'and another one' }).waitFor();
  await panel.locator('.transcript li.from-advisor', { hasText: 'written while offline' }).waitFor();
  await visitor.heard('written while offline');
  await waitUntil(async () => (await panel.locator('.pending-messages li').count()) === 0, { what: 'the outbox to empty' });

  assertContiguous(await seqsShown(panel));
  const texts = await panel.locator('.transcript .message-text').allTextContents();
  assert.equal(texts.filter((x) => x === 'written while offline').length, 1, 'the resent reply is stored once');
  assert.equal(texts.filter((x) => x === 'message while you were away').length, 1);

  // Live again both ways.
  await visitor.say('are you still there?');
  await panel.locator('.transcript li.message', { hasText: 'are you still there?' }).waitFor();
  await advisorSays(page, id, 'Yes, I am here.');
  await visitor.heard('Yes, I am here.');
  assertContiguous(await seqsShown(panel));
  assertNoConsoleErrors(page);
});

test('a reload keeps the open conversations (token login, conversations, history)', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, id } = await queueAndAccept(t, stack, page);
  await visitor.say('I slapped her yesterday');
  await conversationPanel(page, id).locator('.transcript li.message', { hasText: 'slapped' }).waitFor();

  await page.reload();
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  const panel = conversationPanel(page, id);
  await panel.locator('.transcript li.message', { hasText: 'slapped' }).waitFor();
  await panel.locator('mark.flag[data-categories~="physical_violence"]').first().waitFor();
  assertContiguous(await seqsShown(panel));
  assertNoConsoleErrors(page);
});
