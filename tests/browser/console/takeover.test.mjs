// Console: a supervisor takes over an advisor's active conversation (after joining it), with a
// confirmation. The conversation becomes the supervisor's (composer, end, wrap-up); the advisor's
// tab says it was taken over and can no longer send; the visitor is told and hears the supervisor.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { openConsole, goAvailable, conversationPanel, advisorSays, assertNoConsoleErrors, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

test('supervisor takes over a conversation: the advisor is told and cannot send, the supervisor chats and wraps up', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const samPage = await openConsole(t, stack, users.sam);
  const suePage = await openConsole(t, stack, users.sue); // stays away: gets no offers
  await goAvailable(samPage);
  const { visitor, id, panel: samPanel } = await queueAndAccept(t, stack, samPage);
  await visitor.say('I lost my temper again last night');
  await samPanel.locator('.transcript li.from-visitor', { hasText: 'lost my temper' }).waitFor();
  await advisorSays(samPage, id, 'Thanks for reaching out. What happened?');

  // Sue sees the conversation live with a take-over button, joins it, then takes it over.
  await suePage.locator('.tab[data-tab="supervisor"]').click();
  const row = suePage.locator(`.sup-conversations tr[data-conversation="${id}"]`);
  await row.locator('button.take-over').waitFor();
  assert.match(await row.locator('button.take-over').getAttribute('aria-label'), /^Take over conversation #\S+ from Sam$/, 'labelled with whose conversation it is');
  await row.locator('button.join').click();
  const suePanel = conversationPanel(suePage, id);
  await suePanel.waitFor({ state: 'visible' });
  await suePanel.locator('.transcript li.from-visitor', { hasText: 'lost my temper' }).waitFor();

  // Cancelling asks nothing of the server.
  await suePanel.locator('button.take-over').click();
  const dialog = suePage.locator('dialog.confirm-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Take this conversation over from Sam\?/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await samPanel.locator('textarea.composer-input').isEnabled(), true);

  // Keyboard: the focused button opens the question, Enter on "Yes" confirms.
  await suePanel.locator('button.take-over').focus();
  await suePage.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Yes, take over' }).focus();
  await suePage.keyboard.press('Enter');
  await suePage.locator('#status-region', { hasText: 'You have taken over the conversation.' }).waitFor();
  assert.equal(await suePanel.locator('button.take-over').count(), 0, 'no take-over button on one\'s own conversation');
  assert.match(await suePanel.locator('.conv-header').textContent(), /Advisor\s*Sue/);
  assert.equal(await suePanel.locator('textarea.composer-input').isEnabled(), true);

  const transferred = await visitor.next('transferred');
  assert.equal(transferred.advisor.name, 'Sue');

  // Sam's tab: a clear notice, marked tab, no way to send.
  const notice = samPanel.locator('.taken-over-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /Sue has taken over this conversation\. You can read it but no longer send messages\./);
  assert.equal(await samPanel.locator('textarea.composer-input').isDisabled(), true);
  assert.equal(await samPanel.locator('.composer button[type=submit]').isDisabled(), true);
  assert.equal(await samPanel.locator('.end-button').count(), 0);
  await samPage.locator(`.tab[data-tab="conv:${id}"] .taken-over`).waitFor();
  await samPage.locator('#alert-region .toast', { hasText: 'Sue has taken over conversation' }).waitFor();
  assert.ok((await samPanel.locator('.transcript li.from-visitor', { hasText: 'lost my temper' }).count()) === 1, 'the history stays readable');
  await assertNoAxeViolations(samPage, 'a taken-over conversation');

  // Sue chats with the visitor, who answers; then she ends it and has the wrap-up to do.
  await advisorSays(suePage, id, 'Hello, this is Sue, a supervisor. I am here with you now.');
  await visitor.heard('Hello, this is Sue, a supervisor. I am here with you now.');
  await visitor.say('OK, thank you Sue');
  await suePanel.locator('.transcript li.from-visitor', { hasText: 'thank you Sue' }).waitFor();
  await suePanel.locator('.end-button').click();
  await suePanel.locator('button.confirm-end').click();
  await suePanel.locator('form.wrapup-form').waitFor();
  await visitor.next('ended');
  assert.equal(await samPanel.locator('.transcript li.from-visitor', { hasText: 'thank you Sue' }).count(), 0, 'Sam no longer follows the conversation');
  assertNoConsoleErrors(samPage, 'Sam');
  assertNoConsoleErrors(suePage, 'Sue');
});
