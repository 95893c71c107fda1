// Nothing lost, nothing doubled: the server restarts mid-chat (SIGTERM, then the same port and
// the same Redis) and the widget reconnects, resumes and resends what was not acknowledged.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Advisor, advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import {
  openDemo, launch, appFrame, startChat, answerScreening, waitForLogText, logEntries, visitorSays,
} from '../lib/widget.mjs';

async function activeChat(t, stack) {
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app);
  await answerScreening(app);
  const { offer } = await sam.acceptNext();
  await waitForLogText(app, 'Sam has joined the chat.');
  return { user: sam.user, sam, page, app, convId: offer.conversation.id };
}

function countTexts(entries, texts) {
  return Object.fromEntries(texts.map((x) => [x, entries.filter((e) => e.text === x).length]));
}

test('reconnect after the server restarts mid-chat: no lost or doubled messages', async (t) => {
  const stack = await t.stack();
  const { user, sam, app, convId } = await activeChat(t, stack);

  await sam.say(convId, 'Before the restart (advisor)');
  await waitForLogText(app, 'Before the restart (advisor)');
  await visitorSays(app, 'Before the restart (visitor)');

  await stack.stopServer();
  await app.locator('#status').filter({ hasText: 'Reconnecting' }).waitFor();
  // Written while the server is down: shown at once, sent when the connection is back.
  await app.locator('#text').fill('Written while offline');
  await app.locator('#send').click();
  await waitUntil(async () => (await logEntries(app)).some((e) => e.text === 'Written while offline' && e.status === 'not_sent'),
    { what: 'the offline message marked as not sent yet' });

  await stack.startServer();
  await waitUntil(async () => (await logEntries(app)).some((e) => e.text === 'Written while offline' && e.status === 'sent'),
    { timeout: 30000, what: 'the offline message to be resent and acknowledged after the restart' });
  assert.equal(await app.evaluate(() => document.getElementById('status').textContent), '', 'the reconnecting notice is gone');

  const sam2 = await Advisor.login(stack, user);
  t.cleanup(() => sam2.close());
  await sam2.say(convId, 'After the restart (advisor)');
  await waitForLogText(app, 'After the restart (advisor)');
  await visitorSays(app, 'After the restart (visitor)');

  const texts = ['Before the restart (advisor)', 'Before the restart (visitor)', 'Written while offline',
    'After the restart (advisor)', 'After the restart (visitor)'];
  const shown = countTexts(await logEntries(app), texts);
  assert.deepEqual(shown, Object.fromEntries(texts.map((x) => [x, 1])), 'each message shown exactly once in the widget');

  const { messages } = await sam2.history(convId, 0);
  const stored = countTexts(messages, texts);
  assert.deepEqual(stored, Object.fromEntries(texts.map((x) => [x, 1])), 'each message stored exactly once');
  messages.forEach((m, i) => assert.equal(m.seq, i + 1, 'seq numbers without gaps'));
  assert.ok(sam, 'first advisor connection existed');
});

test('a reload of the host page resumes the chat from the token in sessionStorage', async (t) => {
  const stack = await t.stack();
  const { sam, page, app, convId } = await activeChat(t, stack);
  await sam.say(convId, 'First message from Sam');
  await waitForLogText(app, 'First message from Sam');
  await visitorSays(app, 'First reply');

  await page.reload();
  await page.locator('#helpline-widget button.launch').click();
  const again = await appFrame(page);
  await waitForLogText(again, 'First reply');
  await waitForLogText(again, 'First message from Sam');
  await sam.say(convId, 'Still here after your reload');
  await waitForLogText(again, 'Still here after your reload');
  const shown = countTexts(await logEntries(again), ['First message from Sam', 'First reply', 'Still here after your reload']);
  assert.deepEqual(Object.values(shown), [1, 1, 1], 'history shown once after the reload');
  assert.ok(await again.locator('#composer').isVisible(), 'the visitor can keep writing');
});
