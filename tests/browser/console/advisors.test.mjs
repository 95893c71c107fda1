// Console: the supervisor sees every advisor with presence and load (conversations / capacity).
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, goAvailable, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

test('supervisor view: advisors, presence and load', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: { capacity: 3, languages: ['en', 'pl'] }, priya: {}, sue: { role: 'supervisor' } });
  const sue = await openConsole(t, stack, users.sue);
  await sue.locator('.tab[data-tab="supervisor"]').click();
  const samRow = sue.locator('.sup-advisors tr[data-advisor="sam"]');
  const priyaRow = sue.locator('.sup-advisors tr[data-advisor="priya"]');
  await samRow.locator('.advisor-presence', { hasText: 'Offline' }).waitFor();
  await priyaRow.locator('.advisor-presence', { hasText: 'Offline' }).waitFor();
  assert.equal(await samRow.locator('.advisor-load').textContent(), '0 of 3');
  assert.match(await samRow.textContent(), /English, Polski|English.*Polski/);

  // Sam logs in and takes a conversation: available, load 1 of 3.
  const sam = await openConsole(t, stack, users.sam);
  await samRow.locator('.advisor-presence', { hasText: 'Away' }).waitFor({ timeout: 15000 });
  await goAvailable(sam);
  await samRow.locator('.advisor-presence', { hasText: 'Available' }).waitFor({ timeout: 15000 });
  const { visitor } = await queueAndAccept(t, stack, sam);
  await visitor.next('advisor_joined');
  await samRow.locator('.advisor-load[data-load="1"][data-capacity="3"]').waitFor({ timeout: 15000 });
  assert.equal(await samRow.locator('.advisor-load').textContent(), '1 of 3');
  assert.equal(await priyaRow.locator('.advisor-load').textContent(), '0 of 2');
  assert.equal(await priyaRow.locator('.advisor-presence').textContent(), 'Offline');

  // The live list names the advisor of the conversation.
  await sue.locator(`.sup-conversations tr[data-conversation="${visitor.conversationId}"]`, { hasText: 'Sam' }).waitFor();
  assertNoConsoleErrors(sue, 'Sue');
  assertNoConsoleErrors(sam, 'Sam');
});
