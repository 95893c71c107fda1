// Console accessibility for screen reader and keyboard users: what the live regions say (an offer
// once and its end once, not a countdown every second; a new message, not the transcript again
// when the risk rises), and where the focus goes after logging in with the keyboard.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Visitor, openConsole, goAvailable, queueAndAccept, stackWithUsers, recordAnnouncements, assertNoConsoleErrors } from '../lib/console.mjs';

test('an offer is announced once and once more when it is about to end; the countdown is not read every second', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} }, { routing: { offer_timeout_seconds: 14 } });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const heard = await recordAnnouncements(page);

  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue();
  const offer = page.locator(`.offer[data-conversation="${visitor.conversationId}"]`);
  await offer.waitFor({ timeout: 20000 });
  // The countdown is on screen, for whoever looks.
  await waitUntil(async () => /^Offer ends in \d+ s$/.test(await offer.locator('.offer-expires').textContent()), { what: 'the countdown' });

  // The advisor is on Accept when a message raises the risk and the offer is drawn again.
  await offer.getByRole('button', { name: /Accept/ }).focus();
  await visitor.say('I grabbed her by the throat last night');
  await offer.locator('.badge[data-level="high"]').waitFor();
  const stillOnAccept = await page.evaluate((id) => document.activeElement.matches(`.offer[data-conversation="${id}"] button.accept`), visitor.conversationId);

  // Wait for the "about to end" warning (4 s into a 14 s offer), then read everything said.
  await waitUntil(async () => (await heard()).some((a) => /ends in 10 seconds/.test(a.text)), { timeout: 15000, what: 'the warning 10 s before the offer ends' });
  const said = (await heard()).map((a) => a.text);
  assert.deepEqual(said, [
    'New conversation offered. Risk level: No risk flagged. Own behaviour, English. Accept with Alt+Shift+A.',
    'The offer ends in 10 seconds.',
  ], `what a screen reader heard: ${JSON.stringify(said)}`);
  assert.equal(stillOnAccept, true, 'the focus stays on Accept when the offer is drawn again');

  // Enter on the focused Accept takes the conversation.
  await page.keyboard.press('Enter');
  await page.locator(`section.conversation[data-conversation="${visitor.conversationId}"]`).waitFor({ state: 'visible' });
  assertNoConsoleErrors(page);
});

test('a rising risk announces the new message only; the transcript and the guidance are not read again', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} }, { config: { emergency_guidance: 'Call 999 if anyone is in danger now.' } });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, panel } = await queueAndAccept(t, stack, page);
  const earlier = ['We argued on Sunday', 'It has been a hard month'];
  for (const text of earlier) await visitor.say(text);
  await panel.locator('.transcript li.message', { hasText: earlier[1] }).waitFor();

  const heard = await recordAnnouncements(page);
  const rising = ['I grabbed her by the throat last night', 'I am going to kill her tonight', 'She is asleep upstairs now'];
  await visitor.say(rising[0]);
  await panel.locator('.conv-level .badge[data-level="high"]').waitFor();
  await visitor.say(rising[1]);
  await panel.locator('.conv-level .badge[data-level="imminent"]').waitFor();
  await visitor.say(rising[2]);
  await panel.locator('.transcript li.message', { hasText: rising[2] }).waitFor();
  await page.locator('.guidance-alert').waitFor();

  const said = await heard();
  const fromTranscript = said.filter((a) => /transcript/.test(a.region));
  assert.deepEqual(fromTranscript.map((a) => rising.find((m) => a.text.includes(m)) || a.text), rising,
    `each new message once, in order, and nothing else from the transcript: ${JSON.stringify(fromTranscript)}`);
  for (const old of earlier) assert.ok(!said.some((a) => a.text.includes(old)), `"${old}" is not read out again: ${JSON.stringify(said)}`);
  const guidance = said.filter((a) => a.text.includes('Call 999 if anyone is in danger now.'));
  assert.equal(guidance.length, 1, `the emergency guidance is said once: ${JSON.stringify(said)}`);
  assertNoConsoleErrors(page);
});

test('logging in with the keyboard puts the focus on the console heading, and Tab reaches the presence', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await t.page();
  await page.goto(stack.url('/console/'));
  await page.locator('#login-username').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-username', 'the login form starts on the user name');
  await page.keyboard.type(users.sam.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(users.sam.password);
  await page.keyboard.press('Enter');
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  await page.locator('.tab[data-tab="queue"]').waitFor();

  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { tag: el.tagName, text: el.textContent.trim(), label: el.labels && el.labels[0] ? el.labels[0].textContent.trim() : '', shown: box.width > 0 && box.height > 0 };
  });
  const first = await focused();
  assert.deepEqual(first, { tag: 'H1', text: 'Helpline console', label: '', shown: true }, `focus after login: ${JSON.stringify(first)}`);
  await page.keyboard.press('Tab');
  const next = await focused();
  assert.equal(next.tag, 'SELECT');
  assert.match(next.label, /Presence/);
  // From there the keyboard alone makes the advisor available.
  await page.keyboard.press('ArrowUp');
  await page.locator('#status-region', { hasText: 'Available' }).waitFor();
});
