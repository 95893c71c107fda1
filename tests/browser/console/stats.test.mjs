// Console: anonymised statistics. After a chat with a referral, a visitor who leaves before being
// answered and a callback, the supervisor's statistics show the counts as SVG charts, the date
// filter changes them, and the CSV export contains them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from '../lib/harness.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Visitor, openConsole, goAvailable, conversationPanel, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

const TZ = 'Europe/London'; // the stack's hours.timezone: statistics count days there
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
// Dates on the page are in the browser's locale (en-GB here).
const ukDate = (iso) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

async function stat(page, key) {
  return (await page.locator(`.stats-summary dd[data-stat="${key}"]`).textContent()).trim();
}

test('statistics: counts, SVG charts, date filter and CSV export', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const sam = await openConsole(t, stack, users.sam, { contextOptions: { timezoneId: TZ } });
  await goAvailable(sam);

  // 1. A chat that ends with a referral to a DAPP (wrap-up in the console).
  const { visitor: first, id, panel } = await queueAndAccept(t, stack, sam);
  await first.next('advisor_joined');
  await panel.locator('.end-button').click();
  await panel.locator('.end-confirm button.confirm-end').click();
  const form = panel.locator('form.wrapup-form');
  await form.waitFor();
  await form.locator('select[name=caller_type]').selectOption('own_behaviour');
  await form.locator('select[name=outcome]').selectOption('referred');
  await form.locator('fieldset.referral input[value=yes]').check();
  await form.locator('select[name=referral_programme_type]').selectOption('dapp');
  await form.locator('input[name=actions][value=none]').check();
  await form.locator('button[type=submit]').click();
  await waitUntil(async () => (await conversationPanel(sam, id).count()) === 0, { what: 'the wrap-up to close the conversation' });

  // 2. A professional who leaves the queue before anyone answers.
  await sam.locator('#presence-select').selectOption('away');
  await waitUntil(() => sam.evaluate(() => document.getElementById('presence-select').value === 'away'), { what: 'presence away' });
  const second = await Visitor.connect(stack);
  t.cleanup(() => second.close());
  await second.startAndQueue({ callerType: 'professional' });
  await second.request({ type: 'end' });

  // 3. A callback request from a friend, called back once.
  const third = await Visitor.connect(stack);
  t.cleanup(() => third.close());
  const cb = await third.request({
    type: 'callback_request', phone: '07700 900456', lang: 'en', caller_type: 'friend_family',
    safe_times: [{ day: 'any', from: '00:00', to: '23:59' }], may_leave_message: true, may_say_who_is_calling: false,
  });
  const wire = await Advisor.login(stack, users.sam);
  t.cleanup(() => wire.close());
  await wire.request({ type: 'callback_claim', callback_id: cb.callback_id });
  await wire.request({ type: 'callback_outcome', callback_id: cb.callback_id, outcome: 'reached', notes: '' });

  // The supervisor's statistics (default range: the last 28 days, today included).
  const sue = await openConsole(t, stack, users.sue, { contextOptions: { timezoneId: TZ, locale: 'en-GB' } });
  await sue.locator('.tab[data-tab="stats"]').click();
  const stats = sue.locator('.stats-panel');
  await stats.locator('.stats-summary').waitFor();
  assert.equal(await stats.locator('input.stats-to').inputValue(), today());
  assert.equal(await stat(sue, 'contacts'), '3');
  assert.equal(await stat(sue, 'abandoned'), '1');
  assert.equal(await stat(sue, 'callbacks_made'), '1');
  assert.equal(await stat(sue, 'referrals_total'), '1');
  assert.equal(await stat(sue, 'waits_count'), '1');
  assert.match(await stat(sue, 'wait_median'), /^\d+:\d\d$/);
  assert.match(await stats.locator('.stats-range').textContent(), /Europe\/London/);

  // Charts are SVG, labelled, with bars for what happened.
  const charts = stats.locator('svg.chart');
  assert.ok(await charts.count() >= 4, 'per-day caller type, per-day channel, risk levels, referrals');
  const referrals = stats.locator('figure', { hasText: 'Referrals by programme type' }).locator('svg.chart');
  assert.equal(await referrals.getAttribute('role'), 'img');
  assert.match(await referrals.textContent(), /Domestic abuse prevention programme\s*1/);
  const todayRow = await stats.locator('figure', { hasText: 'Contacts per day by channel' }).locator(`svg.chart g[data-key="${today()}"]`).textContent();
  assert.match(todayRow, /3$/, `today's channel bar totals 3: ${todayRow}`);
  const bars = await stats.locator('figure', { hasText: 'Contacts per day by caller type' }).locator('svg.chart rect').evaluateAll((rs) => rs.filter((r) => Number(r.getAttribute('width')) > 0).length);
  assert.equal(bars, 3, 'own behaviour, professional and friend/family bars today');

  // Date filter: a range in the past has none of it.
  await stats.locator('input.stats-from').fill('2020-01-01');
  await stats.locator('input.stats-to').fill('2020-01-31');
  await stats.locator('button.stats-load').click();
  await stats.locator('.stats-range', { hasText: `From ${ukDate('2020-01-01')} to ${ukDate('2020-01-31')}` }).waitFor();
  assert.equal(await stat(sue, 'contacts'), '0');
  assert.equal(await stat(sue, 'abandoned'), '0');
  assert.equal(await stat(sue, 'referrals_total'), '0');
  assert.equal(await stats.locator('figure', { hasText: 'Contacts per day by channel' }).locator('svg.chart g').count(), 31);

  // A reversed range is refused in the form.
  await stats.locator('input.stats-from').fill('2020-02-10');
  await stats.locator('input.stats-to').fill('2020-02-01');
  await stats.locator('button.stats-load').click();
  await stats.locator('.stats-error', { hasText: 'The start date must be before the end date.' }).waitFor();

  // Today only: the counts are back.
  await stats.locator('input.stats-from').fill(today());
  await stats.locator('input.stats-to').fill(today());
  await stats.locator('button.stats-load').click();
  await stats.locator('.stats-range', { hasText: `From ${ukDate(today())} to ${ukDate(today())}` }).waitFor();
  assert.equal(await stat(sue, 'contacts'), '3');

  // CSV export: a file with the same counts.
  const [download] = await Promise.all([sue.waitForEvent('download'), stats.locator('button.stats-csv').click()]);
  assert.equal(download.suggestedFilename(), `helpline-stats-${today()}-${today()}.csv`);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r\n/);
  assert.equal(lines[0], 'section,key,date,value');
  for (const line of [
    'contacts,total,,3', 'abandoned,,,1', 'callbacks_made,,,1', 'waits,count,,1',
    'referrals_by_programme_type,dapp,,1',
    `contacts_by_channel,chat,${today()},2`, `contacts_by_channel,callback,${today()},1`,
    `contacts_by_caller_type,own_behaviour,${today()},1`, `contacts_by_caller_type,professional,${today()},1`,
    `contacts_by_caller_type,friend_family,${today()},1`,
  ]) assert.ok(lines.includes(line), `CSV has "${line}":\n${csv}`);
  assert.doesNotMatch(csv, /07700|sam|Sam/, 'counts only: no numbers or names');
  assertNoConsoleErrors(sam, 'Sam');
  assertNoConsoleErrors(sue, 'Sue');
}, { timeout: 120000 });
