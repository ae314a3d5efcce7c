/**
 * The live board: polls `/api/*` every 3 s (well inside the 5 s the issue allows), keeps the last good
 * data on screen while the API is down ("reconnecting"), asks for a token (or a Cognito sign-in) when the
 * API says 401, and re-labels countdowns every second. Plain DOM and template strings: the whole page is
 * a few kilobytes and has no framework to keep up to date.
 */
import { apiClient, type BoardData, type TicketDetail } from './api.js';
import { finishCognitoSignIn, session, startCognitoSignIn, type BoardConfig } from './auth.js';
import { duration, esc, secondsUntil, clock } from './format.js';
import { pickLanguage, translator, type T, type UiLanguage } from './i18n.js';
import { filterOptions, FILTER_KEYS, renderAgents, renderChart, renderDetail, renderQueues, renderTickets, todaysTickets, type Filters } from './view.js';

const POLL_MS = 3000;
const RETRY_MS = 2000;
const LANG_KEY = 'board-lang';

const state = {
  lang: 'en' as UiLanguage,
  config: { auth: 'token' } as BoardConfig,
  data: undefined as BoardData | undefined,
  /** Server clock minus browser clock. */
  offsetMs: 0,
  connection: 'loading' as 'loading' | 'live' | 'down' | 'signin' | 'forbidden',
  signinMessage: 'signin-needed' as 'signin-needed' | 'signin-refused',
  updatedAt: '',
  filters: { status: '', priority: '', org: '', line: '', language: '' } as Filters,
  selected: undefined as string | undefined,
  detail: undefined as TicketDetail | undefined,
  detailMessage: '',
};
let t: T = translator('en');
let timer: ReturnType<typeof setTimeout> | undefined;

const client = (base: string) => apiClient({ base, token: () => session.token(), fetch: (url, init) => fetch(url, { ...init, cache: 'no-store' }) });
let api = client('');
const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;
const nowMs = () => Date.now() + state.offsetMs;

function skeleton(): void {
  document.documentElement.lang = state.lang;
  document.title = t('title');
  const langs = (['en', 'pl'] as const)
    .map((l) => `<option value="${l}"${l === state.lang ? ' selected' : ''}>${l === 'en' ? 'English' : 'Polski'}</option>`)
    .join('');
  const filters = FILTER_KEYS.map((k) => `<label>${esc(t(`filter-${k}`))} <select id="f-${k}" data-filter="${k}"></select></label>`).join('');
  document.body.innerHTML =
    `<a class="skip" href="#main">${esc(t('skip'))}</a>` +
    `<header><h1>${esc(t('title'))}</h1><p id="status" role="status" aria-live="polite"></p>` +
    `<label class="lang">${esc(t('language'))} <select id="lang">${langs}</select></label><button type="button" id="signout">${esc(t('sign-out'))}</button></header>` +
    `<section id="signin" hidden aria-labelledby="h-signin"><h2 id="h-signin">${esc(t('signin-title'))}</h2><p id="signin-msg" role="alert"></p>` +
    (state.config.auth === 'token'
      ? `<form id="signin-form"><label for="token">${esc(t('signin-token-label'))}</label><input id="token" type="password" autocomplete="off" required><button type="submit">${esc(t('signin-submit'))}</button></form>`
      : `<button type="button" id="cognito">${esc(t('signin-cognito'))}</button>`) +
    `</section>` +
    `<main id="main" tabindex="-1">` +
    `<section class="queues" aria-labelledby="h-queues"><h2 id="h-queues">${esc(t('queues'))}</h2><div id="queues">${esc(t('loading'))}</div></section>` +
    `<section class="agents-panel" aria-labelledby="h-agents"><h2 id="h-agents">${esc(t('agents'))}</h2><div id="agents"></div></section>` +
    `<section class="chart-panel" aria-labelledby="h-chart"><h2 id="h-chart">${esc(t('chart'))}</h2><div id="chart"></div></section>` +
    `<section class="tickets" aria-labelledby="h-tickets"><h2 id="h-tickets">${esc(t('tickets'))}</h2><form id="filters" class="filters">${filters}</form><div id="tickets"></div></section>` +
    `<section id="detail" class="detail" aria-labelledby="h-detail" hidden><div class="detail-head"><h2 id="h-detail" tabindex="-1"></h2><button type="button" id="detail-close">${esc(t('detail-close-panel'))}</button></div>` +
    `<div id="detail-body"></div><form id="close-form"><label for="resolution">${esc(t('resolution-label'))}</label><input id="resolution" type="text" maxlength="2000"><button type="submit" id="close-ticket" class="danger">${esc(t('close-ticket'))}</button></form>` +
    `<p id="detail-msg" role="status" aria-live="polite"></p></section>` +
    `</main>`;
  wire();
  render();
}

function wire(): void {
  $('lang').addEventListener('change', (e) => {
    state.lang = pickLanguage((e.target as HTMLSelectElement).value, []);
    localStorage.setItem(LANG_KEY, state.lang);
    t = translator(state.lang);
    skeleton();
    $('lang').focus();
  });
  $('signout').addEventListener('click', () => {
    session.clear();
    showSignIn('signin-needed');
  });
  $('signin-form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $<HTMLInputElement>('token').value.trim();
    if (!token) return;
    session.set(token);
    state.connection = 'loading';
    $('signin').hidden = true;
    void poll();
  });
  $('cognito')?.addEventListener('click', () => {
    if (state.config.auth === 'cognito') void startCognitoSignIn(state.config);
  });
  $('filters').addEventListener('change', (e) => {
    const el = e.target as HTMLSelectElement;
    const key = el.dataset.filter as keyof Filters | undefined;
    if (!key) return;
    state.filters[key] = el.value;
    renderTicketList();
  });
  $('main').addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLElement>('[data-open]');
    if (button?.dataset.open) void openDetail(button.dataset.open);
  });
  $('detail-close').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.selected) closeDetail();
  });
  $('close-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void closeSelected();
  });
}

function showSignIn(message: 'signin-needed' | 'signin-refused' | 'signin-forbidden'): void {
  state.connection = message === 'signin-forbidden' ? 'forbidden' : 'signin';
  if (message !== 'signin-forbidden') state.signinMessage = message;
  $('signin').hidden = false;
  $('signin-msg').textContent = t(message);
  renderStatus();
  ($('token') ?? $('cognito'))?.focus();
}

async function poll(): Promise<void> {
  clearTimeout(timer);
  if (!session.token()) {
    showSignIn('signin-needed');
    return;
  }
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const since = new Date(Math.min(midnight.getTime(), Date.now() - 6 * 3_600_000));
  const res = await api.board(since.toISOString());
  if (res.ok) {
    state.data = res.data;
    state.offsetMs = Date.parse(res.data.serverNow) - Date.now();
    state.connection = 'live';
    state.updatedAt = res.data.serverNow;
    $('signin').hidden = true;
    if (state.selected) {
      const d = await api.detail(state.selected);
      if (d.ok) state.detail = d.data;
    }
    render();
    timer = setTimeout(() => void poll(), POLL_MS);
    return;
  }
  if (res.kind === 'signin') {
    session.clear();
    showSignIn('signin-refused');
    return;
  }
  if (res.kind === 'forbidden') {
    showSignIn('signin-forbidden');
    return;
  }
  state.connection = 'down';
  renderStatus();
  timer = setTimeout(() => void poll(), RETRY_MS);
}

function renderStatus(): void {
  const el = $('status');
  el.className = `conn ${state.connection}`;
  el.textContent =
    state.connection === 'live'
      ? t('live', { time: clock(state.updatedAt, state.lang) })
      : state.connection === 'down'
        ? t('reconnecting')
        : state.connection === 'loading'
          ? t('loading')
          : '';
  $('signout').hidden = state.connection === 'signin';
}

/** Replaces a region's HTML and puts keyboard focus back on the same control, so a refresh never steals it. */
function update(id: string, html: string): void {
  const el = $(id);
  if (el.innerHTML === html) return;
  const active = document.activeElement as HTMLElement | null;
  const key = active && el.contains(active) ? active.dataset.open : undefined;
  el.innerHTML = html;
  if (key) el.querySelector<HTMLElement>(`[data-open="${CSS.escape(key)}"]`)?.focus();
}

function render(): void {
  renderStatus();
  const d = state.data;
  if (!d) return;
  const serverNow = Date.parse(d.serverNow);
  update('queues', renderQueues(d.queues, d.hourly.levels, serverNow, t));
  update('agents', renderAgents(d.agents, t, state.lang));
  update('chart', renderChart(d.hourly, t, state.lang));
  renderTicketList();
  renderDetailPanel();
}

function renderTicketList(): void {
  const d = state.data;
  if (!d) return;
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const today = todaysTickets(d.tickets, midnight.getTime(), { status: '', priority: '', org: '', line: '', language: '' });
  const shown = todaysTickets(d.tickets, midnight.getTime(), state.filters);
  const options = filterOptions(today, state.filters, t);
  for (const k of FILTER_KEYS) {
    const select = $<HTMLSelectElement>(`f-${k}`);
    if (select.innerHTML !== options[k]) {
      select.innerHTML = options[k];
      select.value = state.filters[k];
    }
  }
  update('tickets', renderTickets(shown, today.length, nowMs(), t, state.lang, state.selected));
}

function renderDetailPanel(): void {
  const panel = $('detail');
  if (!state.selected) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  $('h-detail').textContent = t('detail', { number: state.selected });
  if (state.detail?.ticket.number === state.selected) update('detail-body', renderDetail(state.detail, nowMs(), t, state.lang));
  const closed = state.detail?.ticket.status === 'closed';
  $<HTMLButtonElement>('close-ticket').disabled = !state.detail || closed;
  $<HTMLInputElement>('resolution').disabled = !state.detail || closed;
  $('detail-msg').textContent = state.detailMessage || (closed ? t('already-closed', { time: clock(state.detail?.ticket.closedAt, state.lang) }) : '');
}

async function openDetail(number: string): Promise<void> {
  state.selected = number;
  state.detailMessage = '';
  $<HTMLInputElement>('resolution').value = '';
  renderDetailPanel();
  const d = await api.detail(number);
  if (d.ok) state.detail = d.data;
  else state.detailMessage = d.reason;
  renderDetailPanel();
  renderTicketList();
  $('h-detail').focus();
}

function closeDetail(): void {
  const number = state.selected;
  state.selected = undefined;
  state.detail = undefined;
  renderDetailPanel();
  renderTicketList();
  if (number) document.querySelector<HTMLElement>(`#tickets [data-open="${CSS.escape(number)}"]`)?.focus();
}

async function closeSelected(): Promise<void> {
  const number = state.selected;
  if (!number) return;
  $<HTMLButtonElement>('close-ticket').disabled = true;
  const res = await api.close(number, $<HTMLInputElement>('resolution').value);
  state.detailMessage = res.ok ? t('closing-done', { number }) : t('close-failed', { reason: res.reason });
  if (!res.ok && res.kind === 'signin') showSignIn('signin-refused');
  await poll();
  renderDetailPanel();
}

/** Every second: countdowns and waits count on between polls. */
function tick(): void {
  const now = nowMs();
  for (const el of document.querySelectorAll<HTMLElement>('[data-due]')) {
    const s = secondsUntil(el.dataset.due, now) ?? 0;
    const kind = el.dataset.kind;
    el.textContent =
      kind === 'breach'
        ? s < 0
          ? t('breached', { time: duration(s) })
          : t('breach-in', { time: duration(s) })
        : s < 0
          ? t('due-over', { time: duration(s) })
          : t('due-left', { time: duration(s) });
    el.classList.toggle('over', s < 0);
    el.classList.toggle('soon', s >= 0 && s < 900);
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-since]')) el.textContent = duration(-(secondsUntil(el.dataset.since, now) ?? 0));
}

async function start(): Promise<void> {
  state.lang = pickLanguage(localStorage.getItem(LANG_KEY), navigator.languages);
  t = translator(state.lang);
  try {
    const res = await fetch('/board/config.json', { cache: 'no-store' });
    if (res.ok) state.config = (await res.json()) as BoardConfig;
  } catch {
    /* the defaults: a token, as locally */
  }
  if (state.config.apiBase) api = client(state.config.apiBase.replace(/\/+$/, ''));
  if (state.config.auth === 'cognito') await finishCognitoSignIn(state.config).catch(() => false);
  skeleton();
  setInterval(tick, 1000);
  await poll();
}

void start();
