// Console statistics as a UK supervisor reads them: dates in the browser's locale (en-GB: day
// before month), a range longer than the server allows refused in words with no figures of the
// previous range left on screen, and chart labels drawn whole, however long.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { Visitor, openConsole, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

const TZ = 'Europe/London';
const UK = { locale: 'en-GB', timezoneId: TZ };
const ukDate = (iso) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

async function showRange(stats, from, to) {
  await stats.locator('input.stats-from').fill(from);
  await stats.locator('input.stats-to').fill(to);
  await stats.locator('button.stats-load').click();
}

test('statistics dates are written in the console locale (en-GB)', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sue: { role: 'supervisor' } });
  const page = await openConsole(t, stack, users.sue, { contextOptions: UK });
  await page.locator('.tab[data-tab="stats"]').click();
  const stats = page.locator('.stats-panel');
  await showRange(stats, '2020-01-01', '2020-01-31');
  const range = stats.locator('.stats-range');
  await range.filter({ hasText: '1 Jan 2020' }).waitFor();
  assert.equal(await range.innerText(), `From ${ukDate('2020-01-01')} to ${ukDate('2020-01-31')} (days in ${TZ}).`);
  // Each day's bar is labelled with the day in the same format.
  const labels = await stats.locator('figure', { hasText: 'Contacts per day by channel' }).locator('svg.chart text.chart-label').allTextContents();
  assert.equal(labels.length, 31);
  assert.equal(labels[1], ukDate('2020-01-02'), 'day before month: 2 Jan 2020');
  assert.ok(!labels.some((l) => /^\d{4}-\d\d-\d\d$|^[A-Z][a-z]{2} \d{1,2},/.test(l)), `no ISO or US dates: ${labels.slice(0, 3)}`);
  assertNoConsoleErrors(page);
});

test('a range over the limit is refused in words and the previous figures are gone', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sue: { role: 'supervisor' } });
  const page = await openConsole(t, stack, users.sue, { contextOptions: UK });
  await page.locator('.tab[data-tab="stats"]').click();
  const stats = page.locator('.stats-panel');
  await stats.locator('.stats-summary').waitFor();

  await showRange(stats, '2024-01-01', '2025-06-30');
  const error = stats.locator('.stats-error[role="alert"]');
  await error.waitFor();
  assert.match(await error.innerText(), /at most 366 days/);
  assert.equal(await stats.locator('.stats-summary, svg.chart, .stats-range').count(), 0, 'no figures of the earlier range stay on screen');
  assert.equal(await stats.locator('button.stats-csv').isDisabled(), true, 'nothing to export');

  // A range within the limit shows figures again, and the refusal goes.
  await showRange(stats, '2024-07-01', '2025-06-30');
  await stats.locator('.stats-range', { hasText: ukDate('2025-06-30') }).waitFor();
  assert.equal(await error.count(), 0);
  assertNoConsoleErrors(page);
});

test('chart labels are drawn whole, long programme type names included', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  // A chat wrapped up with a referral to each of two programme types with long names.
  const sam = await Advisor.login(stack, users.sam);
  t.cleanup(() => sam.close());
  await sam.available();
  for (const type of ['dapp', 'high_risk_high_harm']) {
    const visitor = await Visitor.connect(stack);
    t.cleanup(() => visitor.close());
    await visitor.startAndQueue();
    const { conversation } = await sam.acceptNext(visitor.conversationId);
    await sam.end(conversation.id);
    await sam.wrapUp(conversation.id, { outcome: 'referred', referral_made: true, referral_programme_type: type });
  }

  const page = await openConsole(t, stack, users.sue, { contextOptions: UK });
  await page.locator('.tab[data-tab="stats"]').click();
  const stats = page.locator('.stats-panel');
  // The default range (the last 28 days) has today's referrals.
  await stats.locator('figure', { hasText: 'Referrals by programme type' }).locator('svg.chart').waitFor();
  const clipped = await stats.locator('svg.chart').evaluateAll((charts) => charts.flatMap((chart) => {
    const vb = chart.viewBox.baseVal;
    return [...chart.querySelectorAll('text')].map((el) => ({ text: el.textContent, box: el.getBBox() }))
      .filter(({ box }) => box.x < vb.x - 0.5 || box.x + box.width > vb.x + vb.width + 0.5)
      .map(({ text, box }) => `"${text}" at ${Math.round(box.x)}..${Math.round(box.x + box.width)} of ${vb.width}`);
  }));
  assert.deepEqual(clipped, [], 'every label and value inside its chart');
  assert.match(await stats.locator('figure', { hasText: 'Referrals by programme type' }).textContent(), /Domestic abuse prevention programme/);
  assertNoConsoleErrors(page);
});
