// A visitor chats with an advisor from start to wrap-up; the advisor side is driven through the
// advisor protocol. Also: the end-chat confirmation, services for someone experiencing abuse.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import {
  openDemo, launch, startChat, answerScreening, waitForLogText, logEntries, visitorSays, storageSnapshot,
} from '../lib/widget.mjs';

test('full chat with an advisor: screening, queue, messages both ways, card, end and wrap-up', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));

  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app, 'own_behaviour');
  const stored = await storageSnapshot(app);
  assert.deepEqual(stored.session, ['helpline.chat'], 'the resume token is kept in sessionStorage');
  assert.deepEqual(stored.local, [], 'nothing in localStorage');

  const answered = await answerScreening(app, { freeText: 'We argue a lot' });
  assert.equal(answered[0], 'danger_now', 'the first question is about immediate danger');
  assert.ok(answered.length >= 3, `several screening questions were asked (${answered})`);
  await app.locator('#queue-pos').waitFor({ state: 'visible' });

  const { offer, conversation } = await sam.acceptNext();
  const convId = offer.conversation.id;
  assert.equal(offer.conversation.caller_type, 'own_behaviour');
  assert.ok(offer.conversation.answers.some((a) => a.question_id === 'danger_now' && a.value === 'no'), 'answers travel with the offer');
  assert.equal(conversation.state, 'active');
  await waitForLogText(app, 'Sam has joined the chat.');
  assert.ok(await app.locator('#queue').isHidden(), 'the queue box goes once an advisor joins');

  sam.send({ type: 'typing', conversation_id: convId, active: true });
  await app.locator('#typing').filter({ hasText: 'Sam is typing' }).waitFor({ state: 'visible' });

  await sam.say(convId, 'Hello, I am Sam. What would you like to talk about?');
  await waitForLogText(app, 'Hello, I am Sam.');
  await waitUntil(() => app.evaluate(() => document.getElementById('announce').textContent.includes('Hello, I am Sam.')),
    { what: 'the new message in the aria-live region' });
  assert.ok(await app.locator('#typing').isHidden(), 'the typing indicator goes when the message arrives');

  await app.locator('#text').pressSequentially('I sh');
  const typing = await sam.next((m) => m.type === 'typing' && m.conversation_id === convId && m.active === true);
  assert.equal(typing.from, 'visitor', 'the advisor sees the visitor typing');
  await visitorSays(app, 'I shouted at my partner last night');
  const got = await sam.next((m) => m.type === 'message' && m.from === 'visitor' && m.text === 'I shouted at my partner last night');
  assert.equal(got.conversation_id, convId);

  await sam.say(convId, 'A programme near you:', {
    card: {
      kind: 'programme', organisation: 'Aire Valley Change', name: 'Make the Change', programme_type: 'dapp',
      contact: { phone: '0113 496 0101', url: 'https://example.org/leeds' }, reasons: ['12 km from LS6', 'Respect accredited'],
    },
  });
  const card = app.locator('#log article.card');
  await card.waitFor();
  assert.equal(await card.locator('h3').textContent(), 'Aire Valley Change');
  const cardText = await card.textContent();
  for (const s of ['Domestic abuse prevention programme', 'Phone: 0113 496 0101']) {
    assert.ok(cardText.includes(s), `the card shows "${s}"`);
  }
  assert.ok(!cardText.includes('12 km from LS6'), 'the advisors\' reasons are not shown to the visitor');
  assert.equal(await card.locator('a[href="tel:01134960101"]').count(), 1, 'the phone number is a link');

  await sam.end(convId);
  await app.locator('#ended-text').filter({ hasText: 'The advisor ended the chat.' }).waitFor();
  assert.ok(await app.locator('#composer').isHidden(), 'no composer after the end');
  assert.deepEqual((await storageSnapshot(app)).session, [], 'the resume token is gone after the end');
  const wrapped = await sam.wrapUp(convId, { outcome: 'referred', referral_made: true, referral_programme_type: 'dapp' });
  assert.equal(wrapped.type, 'wrapped_up');

  const entries = await logEntries(app);
  for (const text of ['Hello, I am Sam. What would you like to talk about?', 'I shouted at my partner last night', 'A programme near you:']) {
    assert.equal(entries.filter((e) => e.text === text).length, 1, `"${text}" shown exactly once`);
  }
  const foreign = requests.filter((u) => !u.startsWith(stack.origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'no third-party requests');
  assert.deepEqual(errors, [], 'no errors in the console (CSP violations included)');
});

test('end chat asks for confirmation; the advisor is told the visitor ended it', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app, 'professional');
  await answerScreening(app);
  const { offer } = await sam.acceptNext();
  await waitForLogText(app, 'Sam has joined the chat.');

  await app.locator('#end-chat').click();
  const dialog = app.locator('#end-dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.locator('h2').textContent(), 'End this chat?');
  await app.locator('#end-no').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(await app.locator('#composer').isVisible(), 'keep chatting leaves the chat as it was');
  assert.equal(await app.evaluate(() => document.activeElement.id), 'end-chat', 'focus returns to the End chat button');

  await app.locator('#end-chat').click();
  await app.locator('#end-yes').click();
  await app.locator('#ended-text').filter({ hasText: 'You ended the chat.' }).waitFor();
  const ended = await sam.next((m) => m.type === 'ended' && m.conversation_id === offer.conversation.id);
  assert.equal(ended.by, 'visitor');
  assert.deepEqual((await storageSnapshot(app)).session, []);

  await app.locator('#new-chat').click();
  await app.locator('#s-start').waitFor({ state: 'visible' });
  await startChat(app, 'friend_family'); // a new chat on the same connection
  assert.equal((await logEntries(app)).filter((e) => e.kind !== 'them').length, 0, 'the new chat starts empty');
  assert.deepEqual((await storageSnapshot(app)).session, ['helpline.chat'], 'with a new resume token');
});

test('someone experiencing abuse sees the right services at once and may still chat', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);

  await app.locator('input[name=caller][value=experiencing_abuse]').check();
  await app.locator('#start-services .services').waitFor({ state: 'visible' });
  assert.ok((await app.locator('#start-services').textContent()).includes('National Domestic Abuse Helpline'), 'services shown on choosing');

  await startChat(app, 'experiencing_abuse');
  const services = app.locator('#chat-services .services');
  await services.waitFor({ state: 'visible' });
  const text = await services.textContent();
  assert.ok(text.includes('National Domestic Abuse Helpline') && text.includes('0808 2000 247'), 'services from `started` shown');
  assert.ok(await services.locator('a[href^="tel:"]').count() >= 1, 'phone numbers are links');

  await answerScreening(app);
  const { offer } = await sam.acceptNext();
  assert.equal(offer.conversation.caller_type, 'experiencing_abuse');
  await waitForLogText(app, 'Sam has joined the chat.');
  await visitorSays(app, 'I just need to talk to someone');
});
