// Callback requests: from the start screen while open, and out of hours when the line is closed.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { openDemo, launch, chooseSafeTime, weekdayIn } from '../lib/widget.mjs';

async function fillCallback(app, { phone, first = { day: 'any', from: '18:00', to: '20:00' }, second }) {
  await app.locator('#s-callback').waitFor({ state: 'visible' });
  await app.locator('#cb-phone').fill(phone);
  await chooseSafeTime(app, 0, first);
  if (second) await chooseSafeTime(app, 1, second);
}

/** Submits the form and sends the request from the check screen. */
async function submitAndSend(app) {
  await app.locator('#cb-form [type=submit]').click();
  await app.locator('#s-cb-check').waitFor({ state: 'visible' });
  await app.locator('#cbc-send').click();
}

test('callback request with a confirmation of what was requested', async (t) => {
  const stack = await t.stack();
  const user = await stack.addUser({ username: 'sam', name: 'Sam' });
  const page = await t.page({ locale: 'en-GB' });
  await openDemo(page, stack);
  const app = await launch(page);

  await app.locator('input[name=caller][value=professional]').check();
  await app.locator('#prefer-call').click();
  await fillCallback(app, { phone: '12', second: { day: 'sat', from: '10:00', to: '12:00' } });
  await app.locator('#cb-form [type=submit]').click();
  assert.ok(await app.locator('#cb-phone-error').isVisible(), 'an invalid number is explained');
  assert.equal(await app.evaluate(() => document.activeElement.id), 'cb-phone', 'focus goes to the field to fix');

  await app.locator('#cb-phone').fill('07700 900123');
  await app.locator('#s-callback input[name=leave][value=yes]').check();
  await app.locator('#cb-note').fill('Evenings are best');
  await submitAndSend(app);

  const done = app.locator('#s-cb-done');
  await done.waitFor({ state: 'visible' });
  const text = await done.textContent();
  for (const s of ['Callback requested', 'ending 123', 'Any day, 18:00 to 20:00', 'Saturday, 10:00 to 12:00',
    'Leave a message: Yes', 'Say who is calling: No', 'The first call can be from']) {
    assert.ok(text.includes(s), `the confirmation says "${s}": ${text}`);
  }
  assert.equal(await app.locator('#cb-phone').inputValue(), '', 'the number is not kept in the form');

  const sam = await Advisor.login(stack, user);
  t.cleanup(() => sam.close());
  const { callbacks } = await sam.request({ type: 'callbacks' });
  assert.equal(callbacks.length, 1, 'the advisor sees the callback');
  const cb = callbacks[0];
  assert.equal(cb.phone, '07700 900123');
  assert.equal(cb.may_leave_message, true);
  assert.equal(cb.may_say_who_is_calling, false);
  assert.equal(cb.caller_type, 'professional');
  assert.equal(cb.note, 'Evenings are best');
  assert.equal(cb.safe_times.length, 2);
});

test('out of hours: the closed line offers a callback and the services', async (t) => {
  const open = weekdayIn('Europe/London', 2);
  const stack = await t.stack({ hours: { always_open: false, weekly: { [open]: [['10:00', '12:00']] } } });
  const page = await t.page({ locale: 'en-GB' });
  await openDemo(page, stack);
  const app = await launch(page);

  const closed = app.locator('#s-closed');
  await closed.waitFor({ state: 'visible' });
  assert.equal(await closed.locator('h2').textContent(), "We're closed right now");
  assert.ok((await closed.textContent()).includes('National Domestic Abuse Helpline'), 'services shown while closed');
  assert.ok(await app.locator('#s-start').isHidden(), 'no chat can be started');

  await app.locator('#closed-callback').click();
  await fillCallback(app, { phone: '+44 7700 900456', first: { day: open, from: '10:00', to: '12:00' } });
  await app.locator('#s-callback input[name=saywho][value=yes]').check();
  await submitAndSend(app);
  const done = app.locator('#s-cb-done');
  await done.waitFor({ state: 'visible' });
  const text = await done.textContent();
  assert.ok(text.includes('ending 456') && text.includes('Say who is calling: Yes') && text.includes('Leave a message: No'), text);
  assert.ok(await app.locator('#cbd-back').isHidden(), 'no chat to go back to');
});
