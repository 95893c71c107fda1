// What the chat knows, apart from the page. protocol.js changes it and says what changed with
// emit(); the screens listen with on() and draw. Only the resume token and the language are
// kept (sessionStorage), and wiped on end and on quick exit.
const KEY = 'helpline.chat';

export const st = {
  lang: 'en',
  welcome: null, // open or not, opening hours
  token: null, // to resume the conversation
  conv: null, // { id, state, caller_type } while there is a conversation on screen
  callerType: undefined, // chosen on the start screen
  question: null, // waiting for an answer
  advisor: null, // who joined
  lastSeq: 0, // highest seq shown
  mine: new Map(), // client_id -> sending, sent, not_sent or error_... for messages sent from here
  screen: 'start',
  back: 'start', // where the callback form's Back goes
};

const subs = [];
export const on = (fn) => subs.push(fn);
export const emit = (what, x) => subs.forEach((fn) => fn(what, x));

export function setScreen(screen, focus = true) {
  st.screen = screen;
  emit('screen', focus);
}

export const setStatus = (key) => emit('status', key);

export function save() {
  try {
    if (st.token) sessionStorage.setItem(KEY, JSON.stringify({ token: st.token, lang: st.lang }));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage may be blocked; the chat still works without resume across reloads
  }
}

export function saved() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

/** Removes everything the widget put in this origin's storage. */
export function wipe() {
  for (const s of [sessionStorage, localStorage]) {
    try {
      for (let i = s.length - 1; i >= 0; i -= 1) {
        const k = s.key(i);
        if (k && k.startsWith('helpline.')) s.removeItem(k);
      }
    } catch {
      // blocked storage holds nothing of ours
    }
  }
}
