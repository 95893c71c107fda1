// Callback times and opening hours: the visitor chooses a safe time among the hours the helpline
// works (nothing chosen for them), checks the request in their own clock, and can go back to
// correct it or cancel it before anything is sent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from '../lib/harness.mjs';
import { openDemo, launch, openCallbackForm, chooseSafeTime, weekdayIn } from '../lib/widget.mjs';

const WEEKDAYS = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] };
const OFFICE_HOURS = { always_open: false, timezone: 'Europe/London', weekly: WEEKDAYS };

const values = (select) => select.evaluate((s) => [...s.options].map((o) => o.value).filter(Boolean));

/** The callbacks the server stored (read from its Redis: the advisors' list only shows the next 24 hours). */
function storedCallbacks(stack) {
  const redis = (...args) => execFileSync('redis-cli', ['-p', String(stack.redisPort), '--raw', ...args], { encoding: 'utf8' }).trim();
  const ids = redis('ZRANGE', 'hl:callbacks:pending', '0', '-1').split('\n').filter(Boolean);
  return ids.map((id) => ({ id, safe_times: JSON.parse(redis('HGET', `hl:callback:{${id}}`, 'safe_times')) }));
}

test('callback form: only days and times inside opening hours, and nothing chosen for the visitor', async (t) => {
  const stack = await t.stack({ hours: OFFICE_HOURS });
  const page = await t.page({ locale: 'en-GB' });
  await openDemo(page, stack);
  const app = await launch(page);
  await openCallbackForm(app);

  const row = app.locator('#cb-times > li').first();
  assert.deepEqual(
    [await row.locator('.day').inputValue(), await row.locator('.from').inputValue(), await row.locator('.to').inputValue()],
    ['', '', ''], 'no day or time is pre-filled: the visitor chooses what is safe',
  );

  const days = await values(row.locator('.day'));
  assert.ok(days.length > 0, 'there are days to choose');
  for (const d of days) assert.ok(['any', 'mon', 'tue', 'wed', 'thu', 'fri'].includes(d), `"${d}" is a day the helpline works`);
  assert.ok(!days.includes('sat') && !days.includes('sun'), 'no weekend, when nobody works');
  for (const d of days) {
    await row.locator('.day').selectOption(d);
    for (const cls of ['.from', '.to']) {
      const times = await values(row.locator(cls));
      assert.ok(times.length > 0, `${d}: there are times to choose`);
      for (const x of times) assert.ok(x >= '09:00' && x <= '17:00', `${d} ${cls}: ${x} is within 09:00-17:00`);
    }
    assert.ok(!(await values(row.locator('.from'))).includes('17:00'), 'a call cannot start at closing time');
  }
  const text = await app.locator('#s-callback').textContent();
  assert.ok(/Monday to Friday, 0?9:00 to 17:00/.test(text), `the form says when calls can be made: ${text}`);

  // A day but no time: not sent, and the visitor is told what is missing.
  await app.locator('#cb-phone').fill('07700 900123');
  await row.locator('.day').selectOption('mon');
  await app.locator('#cb-form [type=submit]').click();
  assert.ok(await app.locator('#cb-times-error').isVisible(), 'a missing time is explained');
  assert.ok(await app.locator('#s-callback').isVisible(), 'the form stays');
  assert.equal(await app.evaluate(() => document.activeElement.className), 'from', 'focus goes to the time to choose');

  await chooseSafeTime(app, 0, { day: 'mon', from: '16:00', to: '17:00' });
  await app.locator('#cb-form [type=submit]').click();
  await app.locator('#cbc-send').click();
  await app.locator('#s-cb-done').waitFor({ state: 'visible' });
  const [cb] = storedCallbacks(stack);
  assert.deepEqual(cb.safe_times, [{ day: 'mon', from: '16:00', to: '17:00' }], 'the server stored the window chosen, inside the hours');
});

test('callback check: times in the visitor\'s clock, Change keeps the answers, Cancel sends nothing', async (t) => {
  const stack = await t.stack({ hours: OFFICE_HOURS });

  // en-GB: 24-hour clock. Check, go back, correct, send.
  const gb = await t.page({ locale: 'en-GB' });
  await openDemo(gb, stack);
  let app = await launch(gb);
  await openCallbackForm(app);
  await app.locator('#cb-phone').fill('07700 900123');
  await chooseSafeTime(app, 0, { day: 'tue', from: '13:00', to: '14:30' });
  await app.locator('#s-callback input[name=leave][value=yes]').check();
  await app.locator('#cb-form [type=submit]').click();
  const check = app.locator('#s-cb-check');
  await check.waitFor({ state: 'visible' });
  let text = await check.textContent();
  for (const s of ['07700 900123', 'Tuesday, 13:00 to 14:30', 'Leave a message: Yes', 'Say who is calling: No']) {
    assert.ok(text.includes(s), `the check screen says "${s}": ${text}`);
  }
  assert.equal(storedCallbacks(stack).length, 0, 'nothing is sent before the visitor confirms');

  await app.locator('#cbc-change').click();
  await app.locator('#s-callback').waitFor({ state: 'visible' });
  const row = app.locator('#cb-times > li').first();
  assert.equal(await app.locator('#cb-phone').inputValue(), '07700 900123', 'the number is kept');
  assert.deepEqual(
    [await row.locator('.day').inputValue(), await row.locator('.from').inputValue(), await row.locator('.to').inputValue()],
    ['tue', '13:00', '14:30'], 'the time chosen is kept',
  );
  assert.ok(await app.locator('#s-callback input[name=leave][value=yes]').isChecked(), 'the answers are kept');
  await row.locator('.to').selectOption('15:00');
  await app.locator('#cb-form [type=submit]').click();
  await check.waitFor({ state: 'visible' });
  assert.ok((await check.textContent()).includes('Tuesday, 13:00 to 15:00'), 'the corrected time is shown');
  await app.locator('#cbc-send').click();
  const done = app.locator('#s-cb-done');
  await done.waitFor({ state: 'visible' });
  text = await done.textContent();
  assert.ok(text.includes('Tuesday, 13:00 to 15:00'), `the confirmation lists the time: ${text}`);
  assert.ok(/The first call can be from Tuesday,? \d{1,2} \w+ \d{4},? at \d\d:\d\d\./.test(text) && !/[AP]M/.test(text),
    `the first call, on a Tuesday, in a 24-hour clock: ${text}`);
  const stored = storedCallbacks(stack);
  assert.equal(stored.length, 1, 'one request, the corrected one');
  assert.deepEqual(stored[0].safe_times, [{ day: 'tue', from: '13:00', to: '15:00' }]);

  // en-US: 12-hour clock, in the form and on the check screen. Then cancel.
  const us = await t.page({ locale: 'en-US' });
  await openDemo(us, stack);
  app = await launch(us);
  await openCallbackForm(app);
  const usRow = app.locator('#cb-times > li').first();
  await usRow.locator('.day').selectOption('tue');
  const label = await usRow.locator('.from option[value="13:00"]').textContent();
  assert.ok(/^1:00\sPM$/.test(label), `the times read in a 12-hour clock: "${label}"`);
  await app.locator('#cb-phone').fill('07700 900999');
  await chooseSafeTime(app, 0, { day: 'tue', from: '13:00', to: '14:30' });
  await app.locator('#cb-form [type=submit]').click();
  await app.locator('#s-cb-check').waitFor({ state: 'visible' });
  text = await app.locator('#s-cb-check').textContent();
  assert.ok(/Tuesday, 1:00\sPM to 2:30\sPM/.test(text), `12-hour clock on the check screen: ${text}`);
  await app.locator('#cbc-cancel').click();
  // Back to where the visitor came from: the start screen, or the closed one out of hours (this
  // runs at any time of day). Waited for: the screens change on the next event-loop turn.
  await app.locator('#s-start:visible, #s-closed:visible').first().waitFor({ timeout: 5000 });
  assert.ok(await app.locator('#s-cb-check').isHidden(), 'the check screen is gone');
  assert.equal(storedCallbacks(stack).length, 1, 'the cancelled request was never sent');
  await openCallbackForm(app);
  assert.equal(await app.locator('#cb-phone').inputValue(), '', 'a cancelled request leaves no number behind');

  // Spanish and Polish: 24-hour clock.
  for (const [lang, locale, day] of [['es', 'es-ES', 'martes'], ['pl', 'pl-PL', 'wtorek']]) {
    const p = await t.page({ locale });
    await openDemo(p, stack, { lang });
    const a = await launch(p);
    await openCallbackForm(a);
    await a.locator('#cb-phone').fill('07700 900123');
    await chooseSafeTime(a, 0, { day: 'tue', from: '13:00', to: '14:30' });
    await a.locator('#cb-form [type=submit]').click();
    await a.locator('#s-cb-check').waitFor({ state: 'visible' });
    text = await a.locator('#s-cb-check').textContent();
    assert.ok(text.toLowerCase().includes(day) && /13:00\D+14:30/.test(text) && !/PM|p\.\s?m\./i.test(text), `${lang}: ${text}`);
  }
});

test('callback form when the line is closed: the first day offered is the next one the helpline opens', async (t) => {
  const tz = 'Europe/London';
  const first = weekdayIn(tz, 2);
  const second = weekdayIn(tz, 4);
  const stack = await t.stack({ hours: { always_open: false, timezone: tz, weekly: { [first]: [['10:00', '12:00']], [second]: [['14:00', '16:00']] } } });
  const page = await t.page({ locale: 'en-GB' });
  await openDemo(page, stack);
  const app = await launch(page);
  await app.locator('#s-closed').waitFor({ state: 'visible' });
  await openCallbackForm(app);
  const row = app.locator('#cb-times > li').first();
  assert.deepEqual(await values(row.locator('.day')), [first, second], 'the open days, the next one first');
  await row.locator('.day').selectOption(first);
  assert.deepEqual(await values(row.locator('.from')), ['10:00', '10:30', '11:00', '11:30']);
  assert.ok(/earliest we can call/i.test(await app.locator('#s-callback').textContent()), 'the form says when the earliest call can be');
});
