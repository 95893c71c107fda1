// Console: ending a conversation requires the wrap-up (caller type, outcome, referral made,
// safeguarding actions) before the advisor can take the next contact.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Visitor, openConsole, goAvailable, conversationPanel, assertNoConsoleErrors, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

test('end, then the wrap-up form blocks the next contact until it is complete', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: { capacity: 3 } });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor: first, id: id1, panel } = await queueAndAccept(t, stack, page);

  // End with the keyboard shortcut, then confirm.
  await page.keyboard.press('Alt+Shift+KeyE');
  await panel.locator('.end-confirm button.confirm-end').click();
  const ended = await first.next('ended');
  assert.equal(ended.by, 'advisor');
  const form = panel.locator('form.wrapup-form');
  await form.waitFor();
  await page.locator('#wrapup-banner').waitFor({ state: 'visible' });
  assert.equal(await panel.locator('textarea.composer-input').isDisabled(), true, 'no more messages after the end');

  // The next contact waits in the queue: the server offers nothing until the wrap-up is done,
  // and the accept shortcut only reminds the advisor to finish it.
  const second = await Visitor.connect(stack);
  t.cleanup(() => second.close());
  await second.startAndQueue({ callerType: 'professional' });
  const id2 = second.conversationId;
  await page.locator(`.queue-entry[data-conversation="${id2}"]`).waitFor({ state: 'attached' });
  await page.keyboard.press('Alt+Shift+KeyA');
  assert.equal(await page.locator(`.offer[data-conversation="${id2}"]`).count(), 0, 'no offer during the wrap-up');
  assert.equal(await conversationPanel(page, id2).count(), 0);

  // Submitting without the required fields names them.
  await form.locator('select[name=caller_type]').selectOption('');
  await form.locator('button[type=submit]').click();
  const errors = await form.locator('.error').textContent();
  for (const f of ['Caller type', 'Outcome', 'Referral made', 'Safeguarding actions']) assert.ok(errors.includes(f), `${f} is required: ${errors}`);

  await form.locator('select[name=caller_type]').selectOption('own_behaviour');
  await form.locator('select[name=outcome]').selectOption('referred');
  await form.locator('fieldset.referral input[value=yes]').check();
  await form.locator('select[name=referral_programme_type]').selectOption('dapp');
  await form.locator('input[name=actions][value=supervisor_consulted]').check();
  await form.locator('textarea[name=notes]').fill('Referred to the local programme.');
  await form.locator('button[type=submit]').click();
  await waitUntil(async () => (await conversationPanel(page, id1).count()) === 0, { what: 'the wrapped-up conversation to close' });
  await page.locator('#wrapup-banner').waitFor({ state: 'hidden' });

  // Now the next contact is offered and can be taken.
  const accept = page.locator(`.offer[data-conversation="${id2}"] button.accept:not([disabled])`);
  await accept.waitFor({ timeout: 25000 });
  await accept.click();
  await conversationPanel(page, id2).waitFor({ state: 'visible' });
  await second.next('advisor_joined');
  assertNoConsoleErrors(page);
});

test('a visitor leaving also leads to the wrap-up', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, panel } = await queueAndAccept(t, stack, page);
  await visitor.request({ type: 'end' });
  await panel.locator('.conv-notice', { hasText: 'The visitor has left' }).waitFor();
  await panel.locator('form.wrapup-form').waitFor();
  await page.locator('#wrapup-banner').waitFor({ state: 'visible' });
  assertNoConsoleErrors(page);
});
