// Console: transfer between two advisors in separate browser contexts, with a note; the history
// and flags travel with the conversation so the visitor never repeats themselves.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { openConsole, goAvailable, conversationPanel, advisorSays, assertNoConsoleErrors, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

test('advisor transfers a conversation with a note to another advisor, who sees the history', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, priya: {} });
  const samPage = await openConsole(t, stack, users.sam);
  const priyaPage = await openConsole(t, stack, users.priya);
  await goAvailable(samPage);
  const { visitor, id, panel: samPanel } = await queueAndAccept(t, stack, samPage);
  await visitor.say('I pushed her into the wall and I want to stop');
  await samPanel.locator('.transcript li.from-visitor', { hasText: 'pushed her' }).waitFor();
  await advisorSays(samPage, id, 'Thank you for telling me that.');

  // Priya becomes available only now, so the transfer is what reaches her.
  await goAvailable(priyaPage);
  await samPage.keyboard.press('Alt+Shift+KeyT');
  await samPanel.locator('details.transfer[open]').waitFor();
  // A list of colleagues with presence, languages and load, not a free-text id.
  const priyaOption = samPanel.locator('.transfer-option', { hasText: 'Priya' });
  await priyaOption.waitFor();
  assert.match(await priyaOption.textContent(), /Available/);
  assert.match(await priyaOption.textContent(), /English/);
  assert.match(await priyaOption.textContent(), /0 of \d+ chats/);
  assert.equal(await samPanel.locator('.transfer-option', { hasText: 'Sam' }).count(), 0, 'not oneself');
  assert.equal(await samPanel.locator('input.transfer-to').count(), 0, 'no free-text id to mistype');
  await priyaOption.locator('input[type=radio]').check();
  await samPanel.locator('textarea.transfer-note-input').fill('Disclosed pushing; wants a programme in Leeds');
  await samPanel.locator('details.transfer button[type=submit]').click();
  await waitUntil(async () => (await samPage.locator(`section.conversation[data-conversation="${id}"]`).count()) === 0,
    { what: "the conversation to leave Sam's console" });

  // The visitor is told they are being passed on.
  const told = await visitor.next((m) => m.type === 'message' && m.notice === 'transferring');
  assert.equal(told.from, 'system');
  const offer = priyaPage.locator(`.offer[data-conversation="${id}"]`);
  await offer.waitFor({ timeout: 20000 });
  assert.match(await offer.locator('.transfer-note').textContent(), /wants a programme in Leeds/);
  await offer.locator('button.accept').click();
  const priyaPanel = conversationPanel(priyaPage, id);
  await priyaPanel.waitFor({ state: 'visible' });
  const transferred = await visitor.next('transferred');
  assert.equal(transferred.advisor.name, 'Priya');
  // History and flags travelled: Priya sees what the visitor said to Sam, highlighted.
  const li = priyaPanel.locator('.transcript li.from-visitor', { hasText: 'pushed her' });
  await li.waitFor();
  await li.locator('mark.flag[data-categories~="physical_violence"]').first().waitFor();
  await priyaPanel.locator('.transcript li.from-advisor', { hasText: 'Thank you for telling me that.' }).waitFor();
  assert.match(await priyaPanel.locator('.conv-header .transfer-note').textContent(), /wants a programme in Leeds/);
  // The transcript marks where the transfer happened.
  assert.match(await priyaPanel.locator('.transcript li.notice-transferring').textContent(), /Sam passed the conversation to a colleague/);
  // And the conversation goes on with Priya.
  await advisorSays(priyaPage, id, 'Hi, this is Priya. I have read what you told Sam.');
  await visitor.heard('Hi, this is Priya. I have read what you told Sam.');
  assertNoConsoleErrors(samPage, 'Sam');
  assertNoConsoleErrors(priyaPage, 'Priya');
});
