// Helpers for the advisor console tests (web-console/): a protocol-level visitor on /ws/visitor,
// and logging in to the console in a browser page.
import { ProtocolClient } from './advisor.mjs';
import { waitUntil } from './stack.mjs';

const SAFE_CHOICES = ['no', 'anger', 'neither', 'talk', 'not_sure', 'other'];

/** A visitor driven over the protocol (docs/protocol.md, visitor endpoint). */
export class Visitor extends ProtocolClient {
  static async connect(stack, { lang = 'en', resume, lastSeq = 0 } = {}) {
    const v = new Visitor(stack.wsUrl('/ws/visitor'));
    await v.open();
    v.send({ type: 'hello', v: 1, lang, ...(resume ? { resume, last_seq: lastSeq } : {}) });
    v.welcome = await v.next('welcome');
    v.clientIds = 0;
    return v;
  }

  /**
   * Starts a conversation and answers the screening until it is queued. `answers` maps question
   * ids to values (free text included); other questions get a safe choice or "nothing more".
   */
  async startAndQueue({ callerType = 'own_behaviour', lang = 'en', answers = {} } = {}) {
    const started = await this.request({ type: 'start', caller_type: callerType, lang });
    this.conversationId = started.conversation_id;
    this.resumeToken = started.resume_token;
    let question = (await this.next('question')).question;
    for (let i = 0; i < 12; i += 1) {
      let value = answers[question.id];
      if (value === undefined) {
        if (question.kind === 'free_text') value = 'nothing more to add';
        else value = (SAFE_CHOICES.find((c) => question.options.some((o) => o.value === c)) || question.options[0].value);
      }
      this.send({ type: 'answer', question_id: question.id, value });
      const nextFrame = await this.next((m) => m.type === 'question' || m.type === 'queue' || m.type === 'error');
      if (nextFrame.type === 'error') throw new Error(`answer ${question.id} failed: ${nextFrame.code} ${nextFrame.message}`);
      if (nextFrame.type === 'queue') {
        this.firstQueue = nextFrame;
        return started;
      }
      question = nextFrame.question;
    }
    throw new Error('screening did not end');
  }

  async say(text) {
    this.clientIds += 1;
    const clientId = `v-${Date.now()}-${this.clientIds}`;
    this.send({ type: 'message', client_id: clientId, text });
    return this.next((m) => m.type === 'ack' && m.client_id === clientId);
  }

  /** Waits for a message from the advisor side with this text. */
  heard(text, timeout = 15000) {
    return this.next((m) => m.type === 'message' && m.from !== 'visitor' && m.text === text, timeout);
  }
}

/**
 * Opens /console/ in a fresh browser context and logs in. Page errors and console errors
 * (CSP violations included) are collected in page.consoleErrors. `initScript` ([fn, arg]) runs in
 * the page before the console's own scripts.
 */
export async function openConsole(t, stack, user, { contextOptions = {}, initScript } = {}) {
  const context = await t.context(contextOptions);
  if (initScript) await context.addInitScript(...initScript);
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(`console: ${m.text()}`); });
  await page.goto(stack.url('/console/'));
  await page.locator('#login-username').waitFor({ state: 'visible' });
  await page.locator('#login-username').fill(user.username);
  await page.locator('#login-password').fill(user.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#console-view').waitFor({ state: 'visible' });
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  await waitForFeatures(page);
  return page;
}

/** Waits until the console built its panels for the account (from logged_in.features). */
export async function waitForFeatures(page) {
  await page.locator('.tab[data-tab="queue"]').waitFor();
}

export async function goAvailable(page) {
  await page.locator('#presence-select').selectOption('available');
  await waitUntil(() => page.evaluate(() => document.getElementById('presence-select').value === 'available'), { what: 'presence available' });
  // The server confirmed it (the console says so in its status region): nothing about it is
  // still on its way when the caller goes on.
  await waitUntil(() => page.evaluate(() => document.getElementById('status-region').textContent.trim() !== ''), { what: 'the presence change confirmed' });
}

/** The conversation panel for an id (visible or not). */
export function conversationPanel(page, id) {
  return page.locator(`section.conversation[data-conversation="${id}"]`);
}

/** Accepts the offer for `id` with the button and waits for the conversation tab. */
export async function acceptOffer(page, id) {
  const offer = page.locator(`.offer[data-conversation="${id}"]`);
  await offer.waitFor({ timeout: 20000 });
  await offer.locator('button.accept').click();
  await conversationPanel(page, id).waitFor({ state: 'visible' });
}

/**
 * A visitor queues (over the protocol) and the console in `page` accepts the offer with its
 * button. Returns { visitor, id, panel }; the visitor is closed after the test.
 */
export async function queueAndAccept(t, stack, page, options = {}) {
  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue(options);
  const id = visitor.conversationId;
  await acceptOffer(page, id);
  return { visitor, id, panel: conversationPanel(page, id) };
}

/** A stack with the given accounts: { sam: {}, sue: { role: 'supervisor' } } -> { stack, users }. */
export async function stackWithUsers(t, accounts, options = {}) {
  const stack = await t.stack(options);
  const users = {};
  for (const [username, extra] of Object.entries(accounts)) {
    users[username] = await stack.addUser({ username, name: username[0].toUpperCase() + username.slice(1), ...extra });
  }
  return { stack, users };
}

/** Sends a reply from the console's composer in the conversation `id`. */
export async function advisorSays(page, id, text) {
  const panel = conversationPanel(page, id);
  await panel.locator('textarea.composer-input').fill(text);
  await panel.locator('textarea.composer-input').press('Enter');
  await panel.locator('.transcript li.from-advisor .message-text', { hasText: text }).first().waitFor();
}

export function assertNoConsoleErrors(page, label = 'console') {
  const errors = (page.consoleErrors || []).filter((e) => !/WebSocket connection to .* failed|ERR_INTERNET_DISCONNECTED|net::ERR_/.test(e));
  if (errors.length) throw new Error(`${label} logged errors:\n  ${errors.join('\n  ')}`);
}

/**
 * Starts recording what is added to the page's live regions (aria-live polite/assertive, roles
 * alert, status and log), as a screen reader would hear it: text added to a region, text of a
 * region that is shown, and nothing inside hidden parts. Returns a function that resolves to
 * [{ region, text }] so far.
 */
export async function recordAnnouncements(page) {
  await page.evaluate(() => {
    const heard = [];
    window.__announcements = heard;
    const regionOf = (node) => {
      let el = node && (node.nodeType === 1 ? node : node.parentElement);
      if (!el || !el.isConnected || el.closest('[hidden], [aria-hidden="true"]')) return null;
      for (; el; el = el.parentElement) {
        const live = el.getAttribute('aria-live');
        if (live === 'off') return null;
        if (live === 'polite' || live === 'assertive' || ['alert', 'status', 'log'].includes(el.getAttribute('role'))) return el;
      }
      return null;
    };
    const name = (el) => el.id || el.className || el.getAttribute('role');
    const hear = (region, text) => { const s = (text || '').replace(/\s+/g, ' ').trim(); if (region && s) heard.push({ region: name(region), text: s }); };
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === 'characterData') hear(regionOf(m.target), m.target.data);
        else if (m.type === 'attributes') { if (!m.target.hidden) hear(regionOf(m.target), m.target.textContent); }
        else for (const n of m.addedNodes) hear(regionOf(n) || regionOf(m.target), n.textContent);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
  });
  return () => page.evaluate(() => window.__announcements.slice());
}

const JUNK = /\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]/;

/**
 * Text on the page that only a bug puts there: "null", "undefined", "NaN", "[object Object]",
 * in what is rendered (innerText: hidden parts and closed <details> excluded) and in the names
 * and hints of rendered elements (aria-label, title, placeholder, alt). Returns the findings.
 */
export async function junkText(page) {
  return page.evaluate((source) => {
    const junk = new RegExp(source);
    const found = [];
    const text = document.body.innerText;
    for (const line of text.split('\n')) if (junk.test(line)) found.push(`text: ${line.trim().slice(0, 160)}`);
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (!el.checkVisibility || !el.checkVisibility()) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v && junk.test(v)) found.push(`${el.tagName.toLowerCase()}[${a}]: ${v.slice(0, 160)}`);
      }
    }
    return found;
  }, JUNK.source);
}

/** Opens every side panel of a conversation that folds (transfer, disclosure, audit details). */
export async function openSidePanels(panel) {
  await panel.evaluate((root) => { for (const d of root.querySelectorAll('.conv-side details')) d.open = true; });
}

/**
 * Uses the side panels of a high-risk conversation so each shows its full content: records a
 * plan (`plan` text), finds programmes near `location`, asks the end question; then opens
 * everything that folds.
 */
export async function useSidePanels(panel, { plan = 'Safety plan discussed; supervisor told', location = 'LS6' } = {}) {
  await panel.locator('.side-plan textarea.plan-text').fill(plan);
  await panel.locator('.side-plan button[type=submit]').click();
  await panel.locator('.side-plan .plan-text-shown').waitFor();
  await panel.locator('input.programme-location').fill(location);
  await panel.locator('input.programme-location').press('Enter');
  await panel.locator('.programme-results li.programme').first().waitFor();
  await panel.locator('.end-button').click();
  await openSidePanels(panel);
}
