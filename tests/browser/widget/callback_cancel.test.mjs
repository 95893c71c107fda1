// After sending, the confirmation still lets the visitor take the request back: it leaves the
// advisors' list at once and the number is deleted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from '../lib/harness.mjs';
import { openDemo, launch, openCallbackForm, chooseSafeTime } from '../lib/widget.mjs';

const redisCli = (stack, ...args) => execFileSync('redis-cli', ['-p', String(stack.redisPort), '--raw', ...args], { encoding: 'utf8' }).trim();

test('a sent callback request is cancelled from the confirmation: not listed, number deleted', async (t) => {
  const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]]));
  const stack = await t.stack({ hours: { always_open: false, timezone: 'Europe/London', weekly } });
  const page = await t.page({ locale: 'en-GB' });
  await openDemo(page, stack);
  const app = await launch(page);
  await openCallbackForm(app);
  await app.locator('#cb-phone').fill('07700 900123');
  await chooseSafeTime(app, 0, { day: 'tue', from: '13:00', to: '14:30' });
  await app.locator('#cb-form [type=submit]').click();
  await app.locator('#cbc-send').click();
  await app.locator('#s-cb-done').waitFor({ state: 'visible' });
  const ids = redisCli(stack, 'ZRANGE', 'hl:callbacks:pending', '0', '-1').split('\n').filter(Boolean);
  assert.equal(ids.length, 1, 'stored and listed');

  const cancel = app.getByRole('button', { name: 'Cancel this request' });
  await cancel.click();
  const said = app.locator('#cbd-cancelled');
  await said.waitFor({ state: 'visible' });
  assert.equal(await said.textContent(), 'Your callback request is cancelled. Nobody will call you, and your number has been deleted.');
  assert.equal(await cancel.isVisible(), false, 'nothing left to cancel');
  assert.equal(redisCli(stack, 'ZRANGE', 'hl:callbacks:pending', '0', '-1'), '', 'gone from the list advisors work from');
  assert.equal(redisCli(stack, 'HGET', `hl:callback:{${ids[0]}}`, 'phone'), '', 'the number is deleted');
  assert.equal(redisCli(stack, 'HGET', `hl:callback:{${ids[0]}}`, 'state'), 'cancelled');
});
