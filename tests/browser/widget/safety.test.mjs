// A visitor who says someone is in danger now, or whose words are flagged high or imminent, is
// told at once what to do meanwhile (in their language, with the lines that fit who they are),
// thanked, asked to stay, and visibly moved up the queue.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { openDemo, launch, startChat, answerScreening, visitorSays } from '../lib/widget.mjs';

async function queued(t, stack, callerType, opts = {}) {
  const page = await t.page();
  await openDemo(page, stack, opts);
  const app = await launch(page);
  await startChat(app, callerType);
  return { page, app };
}

const safetyBox = (app) => app.evaluate(() => {
  const box = document.querySelector('#chat-safety details');
  if (!box || box.closest('[hidden]')) return null;
  const r = box.getBoundingClientRect();
  return {
    open: box.open,
    summary: box.querySelector('summary').textContent,
    text: box.textContent,
    calls: [...box.querySelectorAll('a[href^="tel:"]')].map((a) => a.getAttribute('href')),
    inView: r.top < innerHeight && r.bottom > 0,
  };
});
const queueText = (app) => app.evaluate(() => document.getElementById('queue').textContent);

test('someone in danger now gets urgent help at once, fitting who they are, and moves up the queue', async (t) => {
  const stack = await t.stack();
  await advisorFor(t, stack, { away: true }); // an advisor online but busy: everyone waits

  // Someone who waited first, with nothing urgent.
  const { app: earlier } = await queued(t, stack, 'friend_family');
  await answerScreening(earlier);
  await waitUntil(async () => (await queueText(earlier)).includes('You are next in the queue.'), { what: 'the first visitor to wait' });

  // A person worried about their own behaviour answers "yes, someone is in danger now".
  const { page, app } = await queued(t, stack, 'own_behaviour');
  await app.locator('#log .question[data-question="danger_now"] .options button[data-value="yes"]').click();
  const box = await waitUntil(() => safetyBox(app), { what: 'the urgent help box' });
  assert.equal(box.summary, 'If anyone is in danger right now');
  assert.ok(box.open, 'open while the visitor waits');
  assert.ok(box.inView, 'scrolled into view');
  assert.ok(box.text.includes('Thank you for telling us'), 'the disclosure is acknowledged warmly');
  assert.ok(box.calls.includes('tel:999'), 'the emergency number from content');
  assert.ok(box.calls.includes('tel:116123'), 'a line for someone afraid they will hurt someone now');
  assert.ok(!box.text.includes('National Domestic Abuse Helpline'), 'not only services for victims');
  assert.ok(box.text.includes('Please stay in this chat'), 'asked to stay');
  assert.ok(!/null|undefined/.test(box.text));

  await answerScreening(app);
  await waitUntil(async () => (await queueText(app)).includes('You are next in the queue.'),
    { what: 'the visitor in danger to go ahead of the one who waited first' });
  assert.ok((await queueText(app)).includes('Because of what you told us, you have been moved up the queue.'));
  await waitUntil(async () => (await queueText(earlier)).includes('You are number 2 in the queue.'), { what: 'the other visitor to move down' });
  assert.ok(!(await queueText(earlier)).includes('moved up'), 'only the one at risk is told they moved up');
  assert.equal(await safetyBox(earlier), null, 'no urgent help box without a disclosure');

  // After a reload the box is still there.
  await page.reload();
  const again = await launch(page);
  const after = await waitUntil(() => safetyBox(again), { what: 'the urgent help box after a reload' });
  assert.ok(after.calls.includes('tel:999'));
});

test('a high-risk message while waiting brings urgent help in the visitor\'s language, folded once an advisor joins', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack, { away: true });
  const { app } = await queued(t, stack, 'experiencing_abuse', { lang: 'es' });
  await answerScreening(app);
  await app.locator('#queue').waitFor({ state: 'visible' });
  assert.equal(await safetyBox(app), null);

  await visitorSays(app, 'Anoche me agarró del cuello y me apretó hasta que no podía respirar.');
  const box = await waitUntil(() => safetyBox(app), { what: 'the urgent help box' });
  assert.ok(box.text.includes('Gracias por contárnoslo'), `Spanish text: ${box.text}`);
  assert.ok(box.calls.includes('tel:999'));
  assert.ok(box.calls.includes('tel:08082000247'), 'the line for people experiencing abuse');
  await waitUntil(async () => (await queueText(app)).includes('te hemos adelantado en la cola'), { what: 'the queue to say they moved up' });

  await sam.available();
  await sam.acceptNext();
  await waitUntil(async () => (await safetyBox(app)).open === false, { what: 'the box to fold once an advisor joins' });
  const folded = await safetyBox(app);
  assert.ok(folded.summary.length > 0, 'still there, one tap from open');
});
