// Helpers for driving the visitor's chat widget (web-widget/) in a page.
import { waitUntil } from './stack.mjs';

export const EXIT_URL = 'https://www.bbc.co.uk/weather';

/** Serves the neutral exit page locally, so quick exit never leaves the machine. */
export async function routeExitPage(page) {
  await page.route(`${EXIT_URL}**`, (route) => route.fulfill({
    status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>',
  }));
}

/** Opens the demo host page (optionally in another language) and waits for the launcher. */
export async function openDemo(page, stack, { lang } = {}) {
  await routeExitPage(page);
  await page.goto(stack.url(`/widget/demo/${lang ? `?lang=${lang}` : ''}`));
  await page.locator('#helpline-widget button.launch').waitFor({ state: 'visible' });
}

/** The app's Frame inside the loader's iframe (present once the launcher was used). */
export async function appFrame(page) {
  const handle = await page.waitForSelector('#helpline-widget iframe');
  const frame = await handle.contentFrame();
  await frame.waitForLoadState('load');
  await frame.locator('html[lang]').waitFor({ state: 'attached' });
  await waitUntil(() => frame.evaluate(() => document.querySelector('#start-h').textContent !== ''), { what: 'the app to load its strings' });
  return frame;
}

/** Clicks the launcher and returns the app frame once connected (welcome received). */
export async function launch(page) {
  await page.locator('#helpline-widget button.launch').click();
  const frame = await appFrame(page);
  await frame.locator('body[data-conn=open]').waitFor({ state: 'attached' });
  return frame;
}

/** Chooses who is contacting and starts the chat; waits for the first question. */
export async function startChat(frame, callerType = 'own_behaviour') {
  await frame.locator(`input[name=caller][value=${callerType}]`).check();
  await frame.locator('#start-form [type=submit]').click();
  await frame.locator('#s-chat').waitFor({ state: 'visible' });
  await frame.locator('#log .question').first().waitFor();
}

const PREFERRED = ['no', 'neither', 'anger', 'talk', 'not_sure'];

/**
 * Answers every screening question (a safe "no"-like option, or skips free text) until the
 * queue shows. Returns the answered question ids.
 */
export async function answerScreening(frame, { freeText } = {}) {
  const answered = [];
  for (let i = 0; i < 12; i += 1) {
    const state = await waitUntil(() => frame.evaluate(() => {
      if (!document.getElementById('queue').hidden) return { queued: true };
      const q = document.querySelector('#log .question:not([data-answered])');
      if (!q) return null;
      const options = [...q.querySelectorAll('.options button')].map((b) => b.dataset.value);
      return options.length ? { id: q.dataset.question, options } : { id: q.dataset.question, free: true };
    }), { timeout: 15000, what: 'the next screening question or the queue' });
    if (state.queued) return answered;
    answered.push(state.id);
    if (state.free) {
      if (freeText) {
        await frame.locator('#text').fill(freeText);
        await frame.locator('#send').click();
      } else {
        await frame.locator('#skip').click();
      }
    } else {
      const value = PREFERRED.find((v) => state.options.includes(v)) || state.options[0];
      await frame.locator(`#log .question[data-question="${state.id}"] .options button[data-value="${value}"]`).click();
    }
  }
  throw new Error(`screening did not end: answered ${answered.join(', ')}`);
}

/** Texts of the bubbles in the log, in order: [{ kind: 'me'|'them'|..., text }]. */
export function logEntries(frame) {
  return frame.evaluate(() => [...document.querySelectorAll('#log > li')].map((li) => ({
    kind: li.classList.contains('me') ? 'me' : li.classList.contains('sys') ? 'sys' : 'them',
    text: (li.querySelector('.text') || li).textContent,
    status: li.dataset.status || null,
  })));
}

export async function waitForLogText(frame, text, { timeout = 15000 } = {}) {
  await waitUntil(async () => (await logEntries(frame)).some((e) => e.text.includes(text)), { timeout, what: `"${text}" in the chat log` });
}

/** Sends a chat message from the visitor and waits until it shows as sent (acknowledged). */
export async function visitorSays(frame, text) {
  await frame.locator('#text').fill(text);
  await frame.locator('#send').click();
  await waitUntil(async () => (await logEntries(frame)).some((e) => e.kind === 'me' && e.text === text && e.status === 'sent'),
    { what: `"${text}" to be acknowledged` });
}

/** What the widget left in this origin's storage (evaluated in the page or frame given). */
export function storageSnapshot(target) {
  return target.evaluate(() => ({
    session: Object.keys(sessionStorage),
    local: Object.keys(localStorage),
  }));
}

/** Opens the callback form from the first screen the widget shows (start, or closed out of hours). */
export async function openCallbackForm(frame, callerType = 'own_behaviour') {
  const closed = frame.locator('#s-closed');
  const start = frame.locator('#s-start');
  await waitUntil(async () => (await closed.isVisible()) || (await start.isVisible()), { what: 'the start or the closed screen' });
  if (await closed.isVisible()) {
    await frame.locator('#closed-callback').click();
  } else {
    await frame.locator(`input[name=caller][value=${callerType}]`).check();
    await frame.locator('#prefer-call').click();
  }
  await frame.locator('#s-callback').waitFor({ state: 'visible' });
}

/** Chooses a safe time in row `index` (0-based) of the callback form, adding the row if needed. */
export async function chooseSafeTime(frame, index, { day, from, to }) {
  while ((await frame.locator('#cb-times > li').count()) <= index) await frame.locator('#cb-add').click();
  const row = frame.locator('#cb-times > li').nth(index);
  await row.locator('.day').selectOption(day);
  await row.locator('.from').selectOption(from);
  await row.locator('.to').selectOption(to);
}

/** The weekday ('mon'..'sun') `daysAhead` days from now in a time zone. */
export function weekdayIn(timeZone, daysAhead = 0) {
  const d = new Date(Date.now() + daysAhead * 86400000);
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' }).format(d).slice(0, 3).toLowerCase();
}

/**
 * Records the JSON frames the widget sends on its WebSocket (call before launching).
 * Returns a live array of parsed frames: what the server was sent, in order.
 */
export function recordSentFrames(page) {
  const sent = [];
  page.on('websocket', (ws) => {
    if (!ws.url().endsWith('/ws/visitor')) return;
    ws.on('framesent', (f) => {
      try { sent.push(JSON.parse(f.payload)); } catch { /* not JSON: not ours */ }
    });
  });
  return sent;
}

/** Describes the element focused inside the app frame: tag, id, classes, role-relevant bits, text. */
export function appFocus(frame) {
  return frame.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    return {
      tag: e.tagName.toLowerCase(),
      id: e.id,
      cls: e.className,
      tabindex: e.getAttribute('tabindex'),
      text: (e.textContent || '').trim(),
      option: e.classList.contains('option'),
    };
  });
}

/**
 * Opens a minimal host page on the stack's origin that embeds the loader with the given
 * data attributes (e.g. { 'title-notice': 'on' }), as a helpline's own page would.
 */
export async function openHost(page, stack, attributes = {}, { title = 'Example helpline' } = {}) {
  await routeExitPage(page);
  const attrs = Object.entries({ lang: 'en', ...attributes })
    .map(([k, v]) => ` data-${k}="${String(v).replace(/[&"<>]/g, '')}"`).join('');
  await page.route(stack.url('/test-host/'), (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>
<body><main><h1>Host page</h1><p><a href="#top">A link on the host page</a></p></main>
<script src="/widget/widget.js"${attrs} async></script></body></html>`,
  }));
  await page.goto(stack.url('/test-host/'));
  await page.locator('#helpline-widget button.launch').waitFor({ state: 'visible' });
}

/**
 * The focused element anywhere: the host page, the loader's shadow root or the app frame
 * (`where`), with what a keyboard user needs to know about it (visible focus ring included).
 */
export function focusedAnywhere(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let where = 'page';
    if (el && el.shadowRoot) { el = el.shadowRoot.activeElement || el; where = 'loader'; }
    if (el && el.tagName === 'IFRAME') {
      el = el.contentDocument && el.contentDocument.activeElement;
      where = 'app';
    }
    if (!el) return null;
    const cs = getComputedStyle(el);
    return {
      where,
      tag: el.tagName.toLowerCase(),
      id: el.id,
      cls: String(el.className),
      value: el.value !== undefined ? String(el.value) : '',
      dataValue: el.dataset ? el.dataset.value || '' : '',
      text: (el.textContent || '').trim().slice(0, 60),
      visibleFocus: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
    };
  });
}
