// Console: callbacks due, with the caller's safety answers before the number; claim, outcome,
// attempts, and completion.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Visitor, openConsole, assertNoConsoleErrors, stackWithUsers } from '../lib/console.mjs';

test('callbacks: safety answers first, claim shows the number, outcomes are recorded', async (t) => {
  const { stack, users: { sam, priya } } = await stackWithUsers(t, { sam: {}, priya: {} });

  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  const requested = await visitor.request({
    type: 'callback_request', phone: '07700 900123', lang: 'en', caller_type: 'own_behaviour',
    safe_times: [{ day: 'any', from: '00:00', to: '23:59' }],
    may_leave_message: false, may_say_who_is_calling: false, note: 'evenings are easier',
  });
  const cbId = requested.callback_id;

  const page = await openConsole(t, stack, sam);
  await page.locator('.tab[data-tab="callbacks"]').click();
  const item = page.locator(`li.callback[data-callback="${cbId}"]`);
  await item.waitFor();
  // Safety answers prominently, before any phone number; the number only after claiming.
  assert.equal(await item.locator('[data-safety="message"]').textContent(), 'No');
  assert.equal(await item.locator('[data-safety="who"]').textContent(), 'No');
  assert.match(await item.locator('[data-safety="times"]').textContent(), /Any day 00:00–23:59/);
  assert.match(await item.textContent(), /evenings are easier/);
  assert.equal(await item.locator('.phone-number').count(), 0, 'no number before the claim');

  await item.locator('button.claim').click();
  await item.locator('.phone-number', { hasText: '07700 900123' }).waitFor();
  const order = await item.evaluate((li) => {
    const safety = li.querySelector('.safety');
    const phone = li.querySelector('.phone-number');
    return Boolean(safety.compareDocumentPosition(phone) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order, 'the safety answers come before the number');

  // Another advisor sees it claimed and cannot claim it.
  const other = await openConsole(t, stack, priya);
  await other.locator('.tab[data-tab="callbacks"]').click();
  const otherItem = other.locator(`li.callback[data-callback="${cbId}"]`);
  await otherItem.locator('text=Claimed by sam').waitFor();
  assert.equal(await otherItem.locator('button.claim').count(), 0);

  // No answer, retry later: an attempt is recorded and the callback is released.
  const later = new Date(Date.now() + 2 * 3600 * 1000);
  const local = new Date(later.getTime() - later.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  await item.locator('select.callback-outcome').selectOption('no_answer');
  await item.locator('textarea').fill('rang out');
  await item.locator('input.callback-reschedule').fill(local);
  await item.locator('button[type=submit]').click();
  await item.locator('ol.attempts li', { hasText: 'No answer' }).waitFor();
  await item.locator('button.claim').waitFor();
  assert.equal(await item.getAttribute('data-state'), 'pending');

  // Claim again and reach the caller: it is done and leaves the list.
  await item.locator('button.claim').click();
  await item.locator('select.callback-outcome').selectOption('reached');
  await item.locator('textarea').fill('talked it through');
  await page.locator('#callbacks-title').click(); // the advisor looks away from the form

  // A new callback arrives and the list is redrawn: what the advisor chose is still there.
  const second = await Visitor.connect(stack);
  t.cleanup(() => second.close());
  const another = await second.request({
    type: 'callback_request', phone: '07700 900456', lang: 'en', caller_type: 'own_behaviour',
    safe_times: [{ day: 'any', from: '00:00', to: '23:59' }], may_leave_message: true, may_say_who_is_calling: true,
  });
  await page.locator(`li.callback[data-callback="${another.callback_id}"]`).waitFor();
  assert.equal(await item.locator('select.callback-outcome').inputValue(), 'reached', 'a redraw keeps the chosen outcome');
  assert.equal(await item.locator('textarea').inputValue(), 'talked it through', 'a redraw keeps the notes');
  await item.locator('button[type=submit]').click();
  await waitUntil(async () => (await page.locator(`li.callback[data-callback="${cbId}"]`).count()) === 0, { what: 'the done callback to leave the list' });
  assertNoConsoleErrors(page, 'Sam');
  assertNoConsoleErrors(other, 'Priya');
});
