// Console: the queue, an offer with a visible alert and a sound, accept by keyboard, messages both
// ways with a visitor on /ws/visitor, and risk flags highlighted at their evidence.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { Visitor, openConsole, goAvailable, conversationPanel, advisorSays, assertNoConsoleErrors, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

test('offer alerts with sound, accept with Alt+Shift+A, messages flow both ways', async (t) => {
  const { stack, users: { sam } } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, sam);

  // While Sam is away, the visitor waits in the queue: entry with caller type, level, answers.
  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue({ answers: { what_worries: 'physical' } });
  const id = visitor.conversationId;
  const entry = page.locator(`.queue-entry[data-conversation="${id}"]`);
  await entry.waitFor();
  assert.match(await entry.textContent(), /Own behaviour/);
  assert.match(await entry.locator('.badge').textContent(), /Medium/, 'physical violence answer -> medium');
  await entry.locator('details summary').click();
  assert.match(await entry.locator('dl.answers').textContent(), /danger right now/i, 'screening answers shown');
  const waited1 = await entry.locator('time[data-waited]').textContent();
  await waitUntil(async () => (await entry.locator('time[data-waited]').textContent()) !== waited1, { what: 'waiting time to tick' });

  const beepsBefore = Number(await page.evaluate(() => document.documentElement.dataset.beeps || 0));
  await goAvailable(page);
  const offer = page.locator(`.offer[data-conversation="${id}"]`);
  await offer.waitFor({ timeout: 20000 });
  // Announced once in the assertive region (the offer itself is not a live region: its countdown
  // would be read every second).
  await waitUntil(async () => /offer/i.test(await page.locator('#urgent-region').textContent()), { what: 'the offer to be announced' });
  assert.notEqual(await offer.getAttribute('role'), 'alert');
  assert.ok(Number(await page.evaluate(() => document.documentElement.dataset.beeps)) > beepsBefore, 'a beep was played');
  assert.match(await offer.textContent(), /Physical|physical/);

  await page.keyboard.press('Alt+Shift+KeyA');
  const panel = conversationPanel(page, id);
  await panel.waitFor({ state: 'visible' });
  await visitor.next('advisor_joined');
  await waitUntil(async () => (await page.locator('.offer').count()) === 0, { what: 'the offer to go' });
  assert.equal(await page.locator(`.tab[aria-selected="true"]`).getAttribute('data-tab'), `conv:${id}`);

  // Visitor -> advisor.
  await visitor.say('Hello, is anyone there?');
  await panel.locator('.transcript li.from-visitor', { hasText: 'Hello, is anyone there?' }).waitFor();
  // Advisor -> visitor (Enter in the composer).
  await advisorSays(page, id, 'Hi, I am Sam. Thank you for getting in touch.');
  const heard = await visitor.heard('Hi, I am Sam. Thank you for getting in touch.');
  assert.equal(heard.from, 'advisor');
  assert.equal(heard.name, 'Sam');
  // Each seq shown once, in order.
  const seqs = await panel.locator('.transcript li.message').evaluateAll((lis) => lis.map((li) => Number(li.dataset.seq)));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length);
  assertNoConsoleErrors(page);
});

test('risk flags are highlighted at their evidence with category and why; level and cues shown', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, id, panel } = await queueAndAccept(t, stack, page);

  // Multi-byte text before the evidence: offsets are UTF-8 bytes, the page must convert them.
  const text = 'Ehrlich gesagt 😞 — I grabbed her by the throat last night. It was only a shove before.';
  const ack = await visitor.say(text);

  // The server's own flags for this message (a supervisor reads them over the protocol).
  const watcher = await Advisor.login(stack, users.sue);
  t.cleanup(() => watcher.close());
  const joined = await watcher.request({ type: 'join', conversation_id: id });
  const msg = joined.conversation.messages.find((m) => m.seq === ack.seq);
  const flag = (msg.flags || []).find((f) => f.category === 'strangulation');
  assert.ok(flag, `the server flags strangulation: ${JSON.stringify(msg.flags)}`);
  // The words the flag rests on (its evidence in this message), each marked where it is.
  const here = (flag.evidence || []).filter((e) => !e.message_back);
  const expected = (here.length ? here : [flag]).map((e) => Buffer.from(text, 'utf8').subarray(e.start, e.end).toString('utf8')).join('');

  const li = panel.locator(`.transcript li.message[data-seq="${ack.seq}"]`);
  await li.waitFor();
  const mark = li.locator('mark.flag[data-categories~="strangulation"]');
  await mark.first().waitFor();
  const marked = (await mark.evaluateAll((ms) => ms.map((m) => m.firstChild.textContent))).join('');
  assert.equal(marked, expected, 'the highlight covers exactly the evidence');
  assert.ok(/throat/.test(marked));
  // Labelled with its category and why: the reason in words and the words it rests on; the
  // content rule is there for an audit, folded away.
  const label = li.locator('.flag-label[data-category="strangulation"]');
  assert.match(await label.textContent(), /Strangulation/);
  assert.ok(flag.reason && (await label.textContent()).includes(flag.reason), `the reason is shown: ${flag.reason}`);
  assert.ok((await label.locator('details.audit code.rule').textContent()).includes(flag.rule), 'the rule is kept for an audit');
  assert.equal(await label.locator('details.audit').getAttribute('open'), null, 'the rule is folded away');
  // Level and how it got there.
  await panel.locator('.conv-level .badge[data-level="high"]').waitFor();
  // Nothing on the conversation reads "null" or "undefined" (an empty part left as text).
  assert.doesNotMatch(await panel.textContent(), /\bnull\b|\bundefined\b/, 'no "null" or "undefined" text on the conversation');
  const path = panel.locator('.risk-path li[data-category="strangulation"]');
  assert.match(await path.textContent(), new RegExp(`#${ack.seq}`));
  // The minimisation cue is marked and listed.
  if ((msg.cues || []).some((c) => c.cue === 'minimisation')) {
    await li.locator('mark[data-cues~="minimisation"]').first().waitFor();
    await panel.locator('.side-cues li[data-cue="minimisation"]').waitFor();
  }
  assertNoConsoleErrors(page);
});
