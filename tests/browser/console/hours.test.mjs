// Console: opening hours (admins). The admin closes the line every day with a Christmas closure
// using the form; a visitor's welcome then says closed. An impossible time is refused by the
// server, the error is shown next to the form and nothing changes. Advisors see no hours editor.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { openConsole, stackWithUsers, assertNoConsoleErrors, Visitor } from '../lib/console.mjs';

async function welcome(t, stack) {
  const v = await Visitor.connect(stack);
  t.cleanup(() => v.close());
  return v.welcome;
}

test('admin closes the line every day with a Christmas closure; 25:00 is refused and changes nothing; advisors see no hours', async (t) => {
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' }, sam: {} });
  assert.equal((await welcome(t, stack)).open, true, 'the configuration starts always open');

  const ada = await openConsole(t, stack, users.ada);
  await ada.locator('.tab[data-tab="admin"]').click();
  const hours = ada.locator('.admin-hours');
  const form = hours.locator('form.hours-form');
  await form.waitFor();
  assert.equal(await form.getByLabel('Time zone', { exact: true }).inputValue(), 'Europe/London');
  const always = form.getByLabel('Always open (24 hours, every day)');
  assert.equal(await always.isChecked(), true);
  await always.uncheck();

  // Keyboard: the add button opens a new period and puts the focus on its "opens" field.
  const monday = form.locator('fieldset.hours-day[data-day="mon"]');
  await monday.locator('button.hours-add-range').focus();
  await ada.keyboard.press('Enter');
  const opens = monday.getByLabel('Monday, period 1: opens');
  await opens.waitFor();
  assert.equal(await opens.evaluate((el) => el === document.activeElement), true, 'focus moves to the new period');
  await opens.fill('25:00');
  await monday.getByLabel('Monday, period 1: closes').fill('26:00');
  await form.locator('button.hours-save').click();
  const error = hours.locator('.hours-error');
  await error.filter({ hasText: 'hours.weekly.mon' }).waitFor();
  assert.match(await error.textContent(), /^Not saved, nothing changed: .*hours\.weekly\.mon.*25:00/);
  assert.equal(await monday.getByLabel('Monday, period 1: opens').getAttribute('aria-invalid'), 'true');
  assert.equal((await welcome(t, stack)).open, true, 'a refused change leaves the line open');
  await assertNoAxeViolations(ada, 'the hours form with a refused time');

  // Remove the period with the keyboard: Monday is closed all day again.
  await monday.getByRole('button', { name: 'Remove period 1 on Monday' }).focus();
  await ada.keyboard.press('Enter');
  await monday.locator('.hours-closed-day').waitFor();
  assert.equal(await form.locator('.hours-range').count(), 0, 'no opening periods on any day');

  await form.getByRole('button', { name: 'Add a closure' }).click();
  const closure = form.locator('li.hours-closure').first();
  await closure.getByLabel('Date').fill('2026-12-25');
  await closure.getByLabel('Reason').fill('Christmas Day');
  await form.locator('button.hours-save').click();
  const status = hours.locator('.hours-status.ok');
  await status.waitFor();
  assert.match(await status.textContent(), /^Saved\. The line is closed now/);
  assert.equal(await error.textContent(), '');

  const w = await welcome(t, stack);
  assert.equal(w.open, false, 'the next welcome says closed');
  assert.equal(w.hours.open_now, false);
  assert.deepEqual(w.hours.closures, [{ date: '2026-12-25', reason: 'Christmas Day' }]);

  // Stored: a reload shows the same form.
  await ada.reload();
  await ada.locator('#connection-state[data-state="logged_in"]').waitFor();
  await ada.locator('.tab[data-tab="admin"]').click();
  const again = ada.locator('.admin-hours form.hours-form');
  await again.locator('li.hours-closure').waitFor();
  assert.equal(await again.getByLabel('Always open (24 hours, every day)').isChecked(), false);
  assert.equal(await again.locator('.hours-range').count(), 0);
  assert.equal(await again.locator('li.hours-closure').getByLabel('Date').inputValue(), '2026-12-25');
  assert.equal(await again.locator('li.hours-closure').getByLabel('Reason').inputValue(), 'Christmas Day');

  // An advisor has no administration tab and no hours editor.
  const sam = await openConsole(t, stack, users.sam);
  assert.deepEqual(await sam.locator('#tabs .tab').evaluateAll((els) => els.map((e) => e.dataset.tab)), ['queue', 'callbacks']);
  assert.equal(await sam.locator('.admin-hours, .hours-form').count(), 0);
  assertNoConsoleErrors(ada, 'Ada');
  assertNoConsoleErrors(sam, 'Sam');
});
