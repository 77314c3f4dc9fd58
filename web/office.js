// hojo office pages (issue 10 §5): accounts, my applications, the editor of
// app.js saved on the server (autosave with If-Match, kept in localStorage
// until the server acknowledges it), attachments, submit and receipt, and the
// secretariat's submissions, versions and send-back. Talks only to the API of
// docs/api.md; the session is the hojo_session cookie, state-changing
// requests carry X-CSRF-Token. Every edit of an application is kept under
// hojo.app.v1.<id> ({base, pending, state}) until a save of it is answered.
'use strict';
(function () {
  const hojo = window.hojo;
  if (!hojo) return;
  const { el, status, showErrors } = hojo;
  const $ = (id) => document.getElementById(id);
  const API = 'api/v1/';
  const OPEN = 'hojo.open.v1'; // the application open in this browser
  const REC = 'hojo.app.v1.'; // + id: {base, pending, state}
  const SUBMIT = 'hojo.submit.v1.'; // + id: the Idempotency-Key of the attempt in progress
  const DEBOUNCE = 800; // ms after the last keystroke

  let me = null; // {account:{id,email,name,roles}, csrf}
  let missing = {}; // {auth: true, apps: true}: the server has no such routes yet
  let app = null; // the open application (server's JSON) {application, warnings, ...}
  let rec = null; // its local record

  // --- requests: {status, json, headers}; status 0 when the server did not answer
  async function call(method, path, body, headers) {
    const opt = { method, headers: Object.assign({}, headers || {}) };
    if (body instanceof FormData) opt.body = body;
    else if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
    if (method !== 'GET' && me && me.csrf) opt.headers['X-CSRF-Token'] = me.csrf;
    let r;
    try { r = await fetch(API + path, opt); } catch (e) {
      return { status: 0, json: { errors: [{ type: 'network', message: 'サーバーに接続できません' }] }, headers: new Headers() };
    }
    let json = null;
    if ((r.headers.get('Content-Type') || '').startsWith('application/json')) { try { json = await r.json(); } catch (e) { json = null; } }
    // a route the server does not have (yet): 404 not_found naming the path
    const absent = r.status === 404 && json && json.errors && json.errors.some((e) => /という API はありません/.test(e.message || ''));
    return { status: r.status, json: json || {}, headers: r.headers, absent };
  }
  const firstMessage = (r) => ((r.json.errors || [])[0] || {}).message || r.json.message || ('HTTP ' + r.status);
  const NO_AUTH = 'このサーバーにはまだアカウントの機能がありません（API /api/v1/auth/ がありません）。診断・事業計画・経費はログインせずに使えます（入力はこの端末のブラウザに保存されます）。';
  const NO_APPS = 'このサーバーにはまだ申請の機能がありません（API /api/v1/applications がありません）。診断・事業計画・経費の入力はこの端末のブラウザに保存されます。';
  const STATE = { draft: '下書き', submitted: '提出済み', returned: '差戻し', withdrawn: '取下げ' };
  const ROLE = { applicant: '申請者', staff: '事務局', reviewer: '審査員', admin: '管理者', supporter: '支援機関', vendor: 'IT導入支援事業者' };
  const editable = (a) => a && (a.state === 'draft' || a.state === 'returned');
  const canEdit = () => !!(app && (app.permissions ? app.permissions.edit : editable(app.application)));
  const isStaff = () => !!(me && (me.account.roles || []).some((x) => x === 'staff' || x === 'admin'));
  const etag = (v) => '"' + v + '"';
  // a time of the API (ISO text or microseconds since the epoch) in JST
  function when(t) {
    if (t === null || t === undefined || t === '') return '—';
    const d = typeof t === 'number' ? new Date(t > 1e14 ? t / 1000 : t > 1e11 ? t : t * 1000) : new Date(t);
    if (isNaN(d)) return String(t);
    return d.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' }) + '（日本時間）';
  }
  // attachment kinds (free codes of the API, docs/intake.md "Attachments")
  const KIND = { '': '指定しない', plan: '事業計画書', quote: '見積書', evidence: '加点項目の証拠', financial: '決算書', other: 'その他' };
  // the names of required documents by kind, as their warnings gave them (a document attached no longer warns)
  const docNames = (() => { try { return JSON.parse(localStorage.getItem('hojo.docnames.v1')) || {}; } catch (e) { return {}; } })();
  // frame names by id, from the calls read (GET /api/v1/calls: frames[].name); the id when unknown
  const frameNames = {};
  const learnFrames = (calls) => calls.forEach((c) => (c.frames || []).forEach((f) => { if (f && f.frame && f.name) frameNames[f.frame] = f.name; }));
  const fname = (id) => frameNames[id] || id;
  const fnames = (ids) => (ids || []).map(fname).join('、');
  async function loadFrameNames() {
    if (Object.keys(frameNames).length) return;
    const r = await call('GET', 'calls');
    if (r.status === 200) learnFrames(list(r.json, 'calls'));
  }
  const bytes = (n) => Number(n).toLocaleString('ja-JP') + ' バイト';
  const list = (j, k) => (Array.isArray(j) ? j : j[k] || j.items || []);
  function field(id, label, attrs, hint) {
    const i = el(attrs.tag || 'input', Object.assign({ id, type: attrs.tag ? null : 'text', 'aria-describedby': hint ? id + '-hint' : null }, attrs, { tag: null }));
    return el('div', { class: 'field' }, el('label', { for: id, text: label }), i, hint ? el('p', { class: 'hint', id: id + '-hint', text: hint }) : null);
  }
  function fail(box, r) { // an error answer as a message in box, tied to fields when it names them
    showErrors(box, { message: firstMessage(r), errors: r.json.errors || [] });
  }
  function need(box, what) { // true when the page can go on; else a Japanese message in box
    if (missing.auth || (what === 'apps' && missing.apps)) {
      box.textContent = '';
      box.append(el('p', { class: 'notice', 'data-missing': what, text: missing.auth ? NO_AUTH : NO_APPS }));
      return false;
    }
    if (!me) {
      box.textContent = '';
      box.append(el('p', {}, 'この画面を使うにはログインしてください。', el('a', { href: '#account', text: 'ログイン・新規登録へ' })));
      return false;
    }
    return true;
  }

  // --- the session
  function setMe(j) {
    me = j && j.account ? j : null;
    if (me) localStorage.setItem('hojo.signed.v1', '1'); else localStorage.removeItem('hojo.signed.v1');
    const a = $('nav-account');
    a.textContent = me ? (me.account.name || me.account.email) + '（アカウント）' : 'ログイン';
    $('nav-jimu').hidden = !isStaff();
    const roles = me ? me.account.roles || [] : [];
    $('nav-kikan').hidden = !roles.some((x) => x === 'supporter' || x === 'vendor');
    $('nav-itool').hidden = !roles.includes('vendor');
    (hojo.onSession || []).forEach((f) => f(me)); // the pages' own links (web/awards.js)
    if (hojo.reviewNav) hojo.reviewNav(me); // web/review.js: 審査, 通知
  }
  async function loadSession() {
    const r = await call('GET', 'auth/session');
    if (r.absent) missing.auth = true;
    setMe(r.status === 200 ? r.json : null);
    const c = await call('GET', 'applications?per_page=1');
    if (c.absent) missing.apps = true;
  }
  async function signedIn(j) {
    setMe(j);
    status('ログインしました。');
    await flushPending();
    const back = sessionStorage.getItem('hojo.back');
    sessionStorage.removeItem('hojo.back');
    go(back || '#shinsei');
  }

  hojo.views.account = () => {
    const box = $('account-body');
    box.textContent = '';
    $('account-h').textContent = me ? 'アカウント' : 'ログイン・新規登録';
    if (missing.auth) { box.append(el('p', { class: 'notice', 'data-missing': 'auth', text: NO_AUTH })); return; }
    if (me) {
      const a = me.account;
      box.append(el('p', { id: 'account-who', text: 'ログイン中: ' + (a.name || '') + '（' + a.email + '）　役割: ' + ((a.roles || []).map((x) => ROLE[x] || x).join('、') || 'なし') }),
        el('div', { class: 'actions' }, el('button', { type: 'button', id: 'signout', onclick: signout, text: 'ログアウト' })));
      return;
    }
    const si = el('form', { id: 'signin-form', novalidate: true }, el('h2', { text: 'ログイン' }),
      field('si-email', 'メールアドレス', { type: 'email', autocomplete: 'username', 'data-input': 'email' }),
      field('si-password', 'パスワード', { type: 'password', autocomplete: 'current-password', 'data-input': 'password' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'ログイン' })));
    si.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const r = await call('POST', 'auth/signin', { email: $('si-email').value.trim(), password: $('si-password').value });
      if (r.status === 200) signedIn(r.json); else fail(si, r);
    });
    const su = el('form', { id: 'signup-form', novalidate: true }, el('h2', { text: '新規登録' }),
      field('su-name', '名前', { autocomplete: 'name', 'data-input': 'name' }),
      field('su-email', 'メールアドレス', { type: 'email', autocomplete: 'email', 'data-input': 'email' }),
      field('su-password', 'パスワード', { type: 'password', autocomplete: 'new-password', 'data-input': 'password' }, '10文字以上で、ほかで使っていないものにしてください。'),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '登録してログイン' })));
    su.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const r = await call('POST', 'auth/signup', { email: $('su-email').value.trim(), password: $('su-password').value, name: $('su-name').value.trim() });
      if (r.status === 201 || r.status === 200) signedIn(r.json); else fail(su, r);
    });
    const rs = el('form', { id: 'reset-form', novalidate: true },
      field('rs-email', 'メールアドレス', { type: 'email', autocomplete: 'email', 'data-input': 'email' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '再設定の案内を送る' })),
      el('p', { id: 'reset-sent', role: 'status' }));
    rs.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const r = await call('POST', 'auth/reset', { email: $('rs-email').value.trim() });
      if (r.status === 202 || r.status === 200 || r.status === 204) $('reset-sent').textContent = 'そのメールアドレスのアカウントがあれば、パスワードを再設定するリンクを送りました。リンクの有効期限内に開いてください。';
      else fail(rs, r);
    });
    box.append(si, su, el('details', { class: 'file' }, el('summary', { text: 'パスワードを忘れたとき' }), rs));
  };
  async function signout() {
    await call('POST', 'auth/signout');
    setMe(null);
    closeApp();
    // what the server has is not left in this browser (a shared computer); unsaved edits stay
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith(REC)) continue;
      const r0 = readRec(k.slice(REC.length));
      if (!r0 || !r0.pending) localStorage.removeItem(k);
    }
    status('ログアウトしました。');
    go('#account');
  }
  // the link of the reset mail: #reset=TOKEN (or #reset/TOKEN, ?token=TOKEN)
  hojo.views.reset = (arg) => {
    const box = $('reset-body');
    box.textContent = '';
    const q = new URLSearchParams(location.search);
    const token = arg || q.get('reset') || q.get('token') || '';
    const f = el('form', { id: 'reset-confirm-form', novalidate: true },
      token ? null : field('rc-token', '再設定のコード（メールのリンクに含まれるもの）', { autocomplete: 'off', 'data-input': 'token' }),
      field('rc-password', '新しいパスワード', { type: 'password', autocomplete: 'new-password', 'data-input': 'password' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'パスワードを変える' })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const r = await call('POST', 'auth/reset/confirm', { token: token || $('rc-token').value.trim(), password: $('rc-password').value });
      if (r.status === 204 || r.status === 200) {
        box.textContent = '';
        box.append(el('p', { id: 'reset-done', text: 'パスワードを変えました。新しいパスワードでログインしてください。' }), el('a', { href: '#account', text: 'ログインへ' }));
      } else fail(f, r);
    });
    box.append(missing.auth ? el('p', { class: 'notice', text: NO_AUTH }) : f);
  };

  // --- my applications
  hojo.views.shinsei = async () => {
    const box = $('shinsei-body');
    if (!need(box, 'apps')) return;
    box.textContent = '読み込み中…';
    const [ra, rc, rk] = await Promise.all([call('GET', 'applications?page=' + appsPage + '&per_page=' + PER_PAGE), call('GET', 'companies'), call('GET', 'calls')]);
    box.textContent = '';
    if (ra.status !== 200) { box.append(el('p', { class: 'error', text: '申請の一覧を読めません: ' + firstMessage(ra) })); return; }
    const apps = list(ra.json, 'applications');
    const calls = rk.status === 200 ? list(rk.json, 'calls') : [];
    learnFrames(calls);
    const callName = (id) => { const c = calls.find((x) => x.id === id); return c ? c.title || c.name || c.id : String(id === undefined ? '' : id); };
    box.append(el('h2', { text: 'わたしの申請' }));
    if (!apps.length) box.append(el('p', { id: 'apps-none', text: 'まだ申請はありません。下で作れます。' }));
    else {
      box.append(el('div', { class: 'table-wrap' }, el('table', { id: 'apps-table' },
        el('thead', {}, el('tr', {}, ['申請', '会社', '公募回', '枠', '状態', '版', '最終保存', '受付番号'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, apps.map((a) => el('tr', { 'data-app': a.id },
          el('td', {}, el('a', { href: '#app/' + a.id, text: '申請 ' + a.id })),
          el('td', { text: (a.company_name || (a.company && a.company.name) || a.company || '') + '' }),
          el('td', { text: a.call_title || callName(a.call) }),
          el('td', { text: fnames(a.frames) }),
          el('td', { text: STATE[a.state] || a.state }),
          el('td', { text: String(a.version === undefined ? '' : a.version) }),
          el('td', { text: when(a.updated_at || a.saved_at) }),
          el('td', {}, a.receipt ? el('a', { href: '#uketsuke/' + encodeURIComponent(a.receipt.number || a.receipt), text: String(a.receipt.number || a.receipt) }) : '—')))))));
      box.append(pager(ra.json, (n) => { appsPage = n; hojo.views.shinsei(); }));
    }
    box.append(createForm(rc.status === 200 ? list(rc.json, 'companies') : [], calls));
  };
  let appsPage = 1;
  const PER_PAGE = 20;
  // 前へ / 次へ over a paged answer {page, per_page, total}
  function pager(j, go) {
    const page = j.page || 1;
    const last = Math.max(1, Math.ceil((j.total || 0) / (j.per_page || PER_PAGE)));
    if (last <= 1) return el('p', { class: 'hint', text: '全 ' + (j.total || 0) + ' 件' });
    return el('nav', { class: 'actions pager', 'aria-label': 'ページ送り' },
      el('button', { type: 'button', text: '前へ', disabled: page <= 1, onclick: () => go(page - 1) }),
      el('span', { class: 'hint', text: page + ' / ' + last + ' ページ（全 ' + j.total + ' 件）' }),
      el('button', { type: 'button', text: '次へ', disabled: page >= last, onclick: () => go(page + 1) }));
  }
  // 前へ / 次へ with "N件中 a–b件" over a paged answer {page, per_page, total} (the awards of
  // web/awards.js, the reviewer's queue of web/review.js); go(n) draws page n again. The
  // button pressed keeps the focus across that drawing (the other one when it became disabled).
  let pageFocus = null; // {id, which} of the button last pressed
  function pageNav(j, go, label, id) {
    const total = Number(j.total) || 0;
    const per = Number(j.per_page) || 1;
    const page = Number(j.page) || 1;
    const last = Math.max(1, Math.ceil(total / per));
    const a = total ? Math.min(total, (page - 1) * per + 1) : 0;
    const b = Math.min(total, page * per);
    const range = total + '件中 ' + a + '–' + b + '件';
    if (last <= 1) return el('p', { class: 'hint page-range', id, text: range });
    const press = (which, n) => () => { pageFocus = { id, which }; go(n); };
    const prev = el('button', { type: 'button', 'data-pager': 'prev', text: '前へ', disabled: page <= 1, onclick: press('prev', page - 1) });
    const next = el('button', { type: 'button', 'data-pager': 'next', text: '次へ', disabled: page >= last, onclick: press('next', Math.min(last, page + 1)) });
    const nav = el('nav', { class: 'actions pager', id, 'aria-label': label }, prev,
      el('span', { class: 'hint page-range', 'aria-live': 'polite', text: range + '（' + page + ' / ' + last + ' ページ）' }), next);
    if (pageFocus && pageFocus.id === id) {
      const want = pageFocus.which === 'next' ? (next.disabled ? prev : next) : (prev.disabled ? next : prev);
      pageFocus = null;
      setTimeout(() => { if (want.isConnected) want.focus(); }, 0);
    }
    return nav;
  }
  function createForm(companies, calls) {
    const f = el('form', { id: 'create-form', novalidate: true }, el('h2', { text: '申請を作る' }));
    // a company first when there is none
    const cf = el('fieldset', { id: 'company-new' }, el('legend', { text: companies.length ? '会社を追加する' : 'まず会社を登録してください' }),
      field('co-name', '会社名', { autocomplete: 'organization', 'data-input': 'name' }),
      el('div', { class: 'actions' }, el('button', { type: 'button', id: 'co-add', text: '会社を登録' })));
    const cosel = el('select', { id: 'ap-company', 'data-input': 'company' }, companies.map((c) => el('option', { value: c.id, text: c.title || c.name || c.id })));
    const callsel = el('select', { id: 'ap-call', 'data-input': 'call' }, el('option', { value: '', text: '選んでください' }),
      calls.map((c) => el('option', { value: c.id, text: (c.title || c.name || c.id) + (c.closes_at ? '（締切 ' + when(c.closes_at) + '）' : '') + (c.open === false ? '（受付期間外）' : '') })));
    const frames = el('fieldset', { id: 'ap-frames', 'data-input': 'frames' }, el('legend', { text: '枠（公募回を選ぶと出ます。複数選べる制度では複数）' }));
    callsel.addEventListener('change', () => {
      frames.querySelectorAll('div').forEach((d) => d.remove());
      const c = calls.find((x) => String(x.id) === callsel.value);
      ((c && c.frames) || []).forEach((fr, i) => {
        const id = typeof fr === 'string' ? fr : fr.frame || fr.id;
        const name = typeof fr === 'string' ? fr : fr.name || fr.frame_name || id;
        frames.append(el('div', { class: 'check' }, el('label', { for: 'ap-frame-' + i }, el('input', { type: 'checkbox', id: 'ap-frame-' + i, value: id }), name)));
      });
    });
    const cur = hojo.getCase();
    const hasCase = !rec && cur.input && Object.keys(cur.input).length > 0;
    const useCase = el('input', { type: 'checkbox', id: 'ap-use-case', checked: hasCase });
    if (companies.length) f.append(el('div', { class: 'field' }, el('label', { for: 'ap-company', text: '会社' }), cosel));
    f.append(cf);
    if (!calls.length) f.append(el('p', { class: 'notice', text: '受付中の公募回がありません（事務局が公募回を作ると選べます）。' }));
    f.append(el('div', { class: 'field' }, el('label', { for: 'ap-call', text: '公募回' }), callsel), frames,
      el('div', { class: 'check' }, el('label', { for: 'ap-use-case' }, useCase, 'この端末の診断・事業計画・経費の入力を申請に使う')),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'ap-create', text: '申請を作る', disabled: !companies.length })));
    cf.querySelector('#co-add').addEventListener('click', async () => {
      const r = await call('POST', 'companies', { name: $('co-name').value.trim() });
      if (r.status === 201 || r.status === 200) { status('会社を登録しました。'); hojo.views.shinsei(); } else fail(cf, r);
    });
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const fr = [...frames.querySelectorAll('input:checked')].map((x) => x.value);
      const body = { company: num(cosel.value), call: num(callsel.value), frames: fr, data: useCase.checked ? hojo.getCase().input : {} };
      const r = await call('POST', 'applications', body);
      if (r.status !== 201 && r.status !== 200) { fail(f, r); return; }
      const a = r.json.application || r.json;
      status('申請 ' + a.id + ' を作りました。');
      go('#app/' + a.id);
    });
    return f;
  }
  // show 'hash' (drawn again when it is already shown: no hashchange then)
  function go(hash) {
    if (location.hash !== hash) { location.hash = hash; return; }
    const [h, arg] = hash.slice(1).split(/[/=]/);
    if (hojo.views[h]) hojo.views[h](decodeURIComponent(arg || ''));
  }
  const num = (v) => (/^\d+$/.test(v) ? Number(v) : v);

  // --- the open application: the editor of app.js works on its data
  const recKey = (id) => REC + id;
  function readRec(id) { try { return JSON.parse(localStorage.getItem(recKey(id)) || 'null'); } catch (e) { return null; } }
  function writeRec() { if (rec) localStorage.setItem(recKey(rec.id), JSON.stringify(rec)); }
  function caseOf(a, old) {
    const s = hojo.blank();
    if (old) Object.assign(s, old, { input: undefined });
    s.input = JSON.parse(JSON.stringify(a.data || {}));
    return s;
  }
  // every edit: kept here at once, sent after DEBOUNCE ms of quiet
  function keeper(s) {
    if (!rec) return;
    rec.state = s;
    if (app && !canEdit()) { writeRec(); return; }
    rec.pending = true;
    writeRec();
    if (app) schedule(); // else saved once the server's version is known (openApp)
  }
  let timer = null;
  let inflight = false;
  // retry: the reason it failed stays shown until the next attempt
  function schedule(ms, retry) {
    clearTimeout(timer);
    if (rec && rec.conflict) return;
    if (!retry) saveState('saving');
    timer = setTimeout(saveNow, ms === undefined ? DEBOUNCE : ms);
  }
  // the save state, also read aloud (aria-live): 保存済み / 保存中 / 保存できません（理由）
  function saveState(k, why) {
    const p = $('save-state');
    p.dataset.state = k;
    p.textContent = k === 'saved' ? '保存済み' + (rec && rec.base !== undefined ? '（版 ' + rec.base + '）' : '') : k === 'saving' ? '保存中…' : k === 'readonly' ? why : '保存できません: ' + why;
    if (k === 'failed' && /ログイン/.test(why)) p.append(' ', el('a', { href: '#account', onclick: () => sessionStorage.setItem('hojo.back', location.hash), text: 'ログインし直す' }));
  }
  async function saveNow() {
    if (!rec || !rec.pending || rec.conflict) { if (rec && !rec.pending && !rec.conflict) saveState('saved'); return; }
    if (inflight) { schedule(); return; }
    inflight = true;
    const id = rec.id;
    const sent = JSON.stringify(rec.state.input);
    const r = await call('PUT', 'applications/' + id, { data: JSON.parse(sent) }, { 'If-Match': etag(rec.base) });
    inflight = false;
    if (!rec || rec.id !== id) return;
    if (r.status === 200) {
      const a = r.json.application || r.json;
      rec.base = a.version;
      app = Object.assign({}, r.json, { application: a });
      if ($('app-version')) $('app-version').textContent = String(a.version);
      if (JSON.stringify(rec.state.input) === sent) rec.pending = false;
      writeRec();
      showWarnings();
      if (rec.pending) schedule(); else saveState('saved');
      return;
    }
    if (r.status === 409 && r.json.application) {
      if (!editable(r.json.application)) { // submitted or withdrawn meanwhile (elsewhere)
        app = r.json;
        barShow();
        saveState('failed', 'この申請はほかの画面で' + (STATE[r.json.application.state] || r.json.application.state) + 'になったため、保存しません。入力はこの端末に残っています。');
        return;
      }
      conflict(r.json.application);
      return;
    }
    const why = r.status === 401 ? 'ログインの有効期限が切れました。入力はこの端末に残っています。ログインし直すと保存します。'
      : r.status === 0 ? 'サーバーに接続できません。入力はこの端末に残っています。接続が戻ると保存します。'
        : r.status === 423 ? 'この申請はいま編集できません（' + firstMessage(r) + '）。入力はこの端末に残っています。'
          : firstMessage(r) + '（入力はこの端末に残っています）';
    saveState('failed', why);
    if (r.status === 0 || r.status >= 500) schedule(5000, true); // retried; 401 waits for the sign-in
  }
  // after signing in again: every application with edits the server has not acknowledged
  async function flushPending() {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k.startsWith(REC)) continue;
      const id = k.slice(REC.length);
      if (rec && String(rec.id) === id) { if (rec.pending) schedule(0); continue; }
      const r0 = readRec(id);
      if (!r0 || !r0.pending || r0.conflict) continue;
      const r = await call('PUT', 'applications/' + id, { data: r0.state.input }, { 'If-Match': etag(r0.base) });
      if (r.status === 200) { r0.base = (r.json.application || r.json).version; r0.pending = false; localStorage.setItem(k, JSON.stringify(r0)); }
      // a conflict is shown when that application is opened
    }
  }

  // open application 'id' (from the local record at once, then the server)
  async function openApp(id) {
    id = String(id);
    if (rec && String(rec.id) === id && app) return true;
    const local = readRec(id);
    $('conflict').hidden = true; // another application's conflict is not this one's
    rec = local || { id, base: undefined, pending: false, state: null };
    rec.id = id;
    localStorage.setItem(OPEN, id);
    if (rec.state && JSON.stringify(rec.state) !== JSON.stringify(hojo.getCase())) hojo.setCase(rec.state, keeper);
    else if (rec.state) rec.state = hojo.getCase(); // already shown (init): the same object, not drawn again
    app = null;
    const r = await call('GET', 'applications/' + id);
    if (!rec || String(rec.id) !== id) return false;
    if (r.status !== 200) {
      if (r.status === 401) { saveState('failed', 'ログインしていません。入力はこの端末に残っています。ログインすると保存します。'); barShow(); return !!rec.state; }
      if (r.status === 404) { status('申請 ' + id + ' はありません（または見る権限がありません）。'); closeApp(); return false; }
      saveState('failed', firstMessage(r));
      return !!rec.state;
    }
    app = r.json;
    await loadFrameNames();
    const a = app.application;
    if (rec.pending && rec.state && rec.base !== a.version && canEdit()) {
      conflict(a); // someone saved a newer version than the one these edits started from
    } else if (rec.pending && rec.state && canEdit()) {
      schedule(0);
    } else {
      rec.base = a.version;
      rec.pending = false;
      rec.state = caseOf(a, rec.state);
      writeRec();
      hojo.setCase(rec.state, keeper);
      canEdit() ? saveState('saved') : saveState('readonly', 'この申請は' + (STATE[a.state] || a.state) + 'のため編集できません（入力を変えても保存しません）。');
    }
    barShow();
    return true;
  }
  // the open application read again from the server (after a change of its state)
  function reopen() {
    const i = rec.id;
    rec = null;
    app = null;
    return openApp(i);
  }
  function closeApp() {
    clearTimeout(timer);
    rec = null;
    app = null;
    localStorage.removeItem(OPEN);
    hojo.setCase(null, null);
    barShow();
  }
  function barShow() {
    const on = !!rec;
    $('app-bar').hidden = !on || OFF.includes(shownView);
    document.body.classList.toggle('app-open', on);
    if (!on) { $('app-warnings').hidden = true; return; }
    const a = app && app.application;
    $('app-name').textContent = '申請 ' + rec.id + (a && (a.company_name || a.call_title) ? '（' + [a.company_name, a.call_title].filter(Boolean).join('・') + '）' : '');
    $('app-state').textContent = a ? (STATE[a.state] || a.state) : '';
    $('app-link').href = '#app/' + rec.id;
    showWarnings();
  }
  // the engine's warnings beside the form (saving succeeds with them; only submitting is blocked)
  function showWarnings() {
    const box = $('app-warnings-body');
    box.textContent = '';
    const w = (app && app.warnings) || [];
    const u = (app && app.unknown_fields) || [];
    $('app-warnings').hidden = !rec || !app || OFF.includes(shownView) || shownView === 'hikaku';
    if (!w.length && !u.length) { box.append(el('p', { text: '確認事項はありません。' })); return; }
    if (w.length) {
      box.append(el('p', { class: 'hint', text: '保存はできています。提出の前に確かめてください（規則集による判定）。' }));
      const by = new Map();
      w.forEach((x) => { const k = (x && x.frame) || ''; if (!by.has(k)) by.set(k, []); by.get(k).push(x); });
      for (const [fr, xs] of by) {
        if (fr) box.append(el('h3', { text: '枠: ' + fname(fr) }));
        box.append(el('ul', { class: 'warnings-list', 'data-frame': fr }, xs.map((x) => {
          // a missing fact whose field is on the page shown: a button to it
          const ctl = x.type === 'missing' && x.item ? document.querySelector('.view:not([hidden]) [data-input="' + CSS.escape(x.item) + '"]') : null;
          return el('li', { 'data-type': x.type || null }, typeof x === 'string' ? x : x.message || JSON.stringify(x),
            ctl ? [' ', el('button', { type: 'button', class: 'link', text: '入力する', 'aria-label': '入力する: ' + (x.message || ''), onclick: () => ctl.focus() })] : null);
        })));
      }
    }
    if (u.length) box.append(el('p', { text: 'いまの規則集が使わない項目（消さずに残しています）: ' + u.map((x) => (typeof x === 'string' ? x : x.field || JSON.stringify(x))).join('、') }));
  }

  // --- 409: a newer version was saved elsewhere; never overwrite silently
  function conflict(theirs) {
    clearTimeout(timer);
    rec.conflict = theirs;
    writeRec();
    saveState('failed', '別の画面または別の人が新しい版（版 ' + theirs.version + '）を保存しました。どちらを残すか選んでください。');
    const box = $('conflict');
    box.textContent = '';
    box.hidden = false;
    const diff = el('div', { id: 'conflict-diff' });
    box.append(el('h2', { id: 'conflict-h', text: '新しい版が保存されています' }),
      el('p', { text: 'あなたが編集を始めた版 ' + rec.base + ' のあとに、版 ' + theirs.version + '（' + when(theirs.updated_at || theirs.saved_at) + '）が保存されました。あなたの入力はこの端末に残っていて、まだ保存していません。' }),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'conflict-compare', text: '違いを見る', onclick: () => { diff.textContent = ''; diff.append(diffTable(rec.state.input, theirs.data || {}, 'あなたの入力', '保存された版 ' + theirs.version, true)); } }),
        el('button', { type: 'button', id: 'conflict-mine', class: 'primary', text: '自分の入力を保存する', onclick: () => {
          rec.base = theirs.version; delete rec.conflict; rec.pending = true; writeRec(); box.hidden = true; schedule(0);
        } }),
        el('button', { type: 'button', id: 'conflict-theirs', text: '保存された版を使う（自分の入力を捨てる）', onclick: () => {
          rec.base = theirs.version; delete rec.conflict; rec.pending = false; rec.state = caseOf(theirs, rec.state); writeRec();
          box.hidden = true; hojo.setCase(rec.state, keeper); saveState('saved');
        } })), diff);
    box.focus();
  }
  // the input flattened to paths ("applicant.capital", "plan.years[0].sales")
  function flat(v, p, out) {
    out = out || new Map();
    if (Array.isArray(v)) { if (!v.length) out.set(p, '[]'); v.forEach((x, i) => flat(x, p + '[' + i + ']', out)); }
    else if (v && typeof v === 'object') { if (!Object.keys(v).length && p) out.set(p, '{}'); Object.keys(v).forEach((k) => flat(v[k], p ? p + '.' + k : k, out)); }
    else out.set(p, v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    return out;
  }
  // two inputs side by side, the differing rows marked (also in words, not only colour)
  function diffTable(a, b, la, lb, onlyChanged) {
    const fa = flat(a, '');
    const fb = flat(b, '');
    const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
    let n = 0;
    const rows = keys.map((k) => {
      const x = fa.has(k) ? fa.get(k) : '';
      const y = fb.has(k) ? fb.get(k) : '';
      const ch = x !== y;
      if (ch) n++;
      if (onlyChanged && !ch) return null;
      return el('tr', { class: ch ? 'changed' : null, 'data-path': k }, el('th', { scope: 'row', text: k }), el('td', { text: x || '（なし）' }), el('td', { text: y || '（なし）' }),
        el('td', { text: ch ? '変更あり' : '' }));
    }).filter(Boolean);
    return el('div', {}, el('p', { class: 'diff-count', text: '違う項目: ' + n }),
      el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': la + ' と ' + lb + ' の比較' }, el('table', { class: 'diff' },
        el('thead', {}, el('tr', {}, ['項目', la, lb, '違い'].map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, rows))));
  }

  // --- the overview of one application
  hojo.views.app = async (id) => {
    const box = $('app-body');
    if (!need(box, 'apps')) return;
    box.textContent = '読み込み中…';
    if (!(await openApp(id)) || !app) { box.textContent = '申請を開けません。'; return; }
    const a = app.application;
    box.textContent = '';
    const sbs = app.sendbacks || [];
    const last = sbs[sbs.length - 1];
    const comment = (last && (last.comment || last)) || '';
    if (a.state === 'returned') {
      box.append(el('div', { class: 'notice', id: 'sendback-notice', role: 'note' }, el('h2', { text: '事務局から差し戻されました' }),
        el('p', { id: 'sendback-comment', text: typeof comment === 'string' ? comment : JSON.stringify(comment) }),
        last && (last.created_at || last.at) ? el('p', { class: 'hint', text: '差戻しの日時: ' + when(last.created_at || last.at) }) : null,
        el('p', { text: '入力を直して、もう一度提出してください。' })));
    }
    box.append(el('dl', { class: 'facts' },
      el('dt', { text: '会社' }), el('dd', { text: String(a.company_name || (a.company && a.company.name) || a.company || '') }),
      el('dt', { text: '公募回' }), el('dd', { text: String(a.call_title || a.call || '') }),
      el('dt', { text: '枠' }), el('dd', { text: fnames(a.frames) }),
      el('dt', { text: '状態' }), el('dd', { id: 'app-state-text', text: STATE[a.state] || a.state }),
      el('dt', { text: '版' }), el('dd', { id: 'app-version', text: String(rec.base || a.version) })));
    const rcpts = app.receipts || []; // every submission's receipt, oldest first
    box.append(el('ul', { class: 'links' },
      el('li', {}, el('a', { href: '#shindan', text: '診断の質問に答える' })),
      el('li', {}, el('a', { href: '#keikaku', text: '事業計画を入力する' })),
      el('li', {}, el('a', { href: '#keihi', text: '経費を入力する' })),
      el('li', {}, el('a', { href: '#tenpu', text: '添付書類' })),
      el('li', {}, el('a', { href: '#teishutsu', text: '提出する' })),
      el('li', {}, el('a', { href: '#hikaku/' + a.id, text: '版を比べる' })),
      rcpts.map((x) => el('li', {}, el('a', { href: '#uketsuke/' + encodeURIComponent(x.number), text: '受付票 ' + x.number + '（版 ' + x.version + '、' + when(x.submitted_at) + '）' })))));
    collaborators(box, a.id, !!(app.permissions && app.permissions.invite));
    if (hojo.parties) hojo.parties(box, a.id, !!(app.permissions && app.permissions.invite), editable(a)); // web/parties.js
    if (hojo.reviewNotice && a.state !== 'draft') hojo.reviewNotice(box, a.id); // web/review.js: 採択 / 不採択
    if (a.state === 'draft' || a.state === 'submitted') {
      box.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'withdraw', text: '申請を取り下げる', onclick: async () => {
        if (!window.confirm('この申請を取り下げます。よろしいですか。')) return;
        const r = await call('POST', 'applications/' + a.id + '/withdraw');
        if (r.status === 200 || r.status === 204) { status('取り下げました。'); await reopen(); hojo.views.app(a.id); } else fail(box, r);
      } })));
    }
  };
  // the people who act on the application: the owner invites a contributor (an employee or a
  // 認定支援機関) by e-mail, may delegate submission, with an end date; and revokes
  async function collaborators(box, id, owner) {
    const r = await call('GET', 'applications/' + id + '/collaborators');
    if (r.status !== 200) return;
    const xs = list(r.json, 'collaborators');
    const sec = el('section', { id: 'collaborators', 'aria-labelledby': 'collab-h' }, el('h2', { id: 'collab-h', text: '協力者' }));
    const ROLEJA = { owner: '代表者', contributor: '協力者' };
    sec.append(el('ul', { id: 'collab-list' }, xs.map((x) => el('li', { 'data-member': x.id },
      (x.name || '') + '（' + x.email + '）: ' + (ROLEJA[x.role] || x.role) + (x.role === 'contributor' ? (x.can_submit ? '・提出も任せる' : '・編集のみ') + (x.until ? '・' + when(x.until) + ' まで' : '') : '') + ' ',
      owner && x.role === 'contributor' && x.application ? el('button', { type: 'button', text: '解除', 'aria-label': x.email + ' の招待を解除', onclick: async () => {
        const d = await call('DELETE', 'applications/' + id + '/collaborators/' + x.id);
        if (d.status === 204 || d.status === 200) { status(x.email + ' の招待を解除しました。'); sec.remove(); collaborators(box, id, owner); } else status('解除できません: ' + firstMessage(d));
      } }) : null))));
    if (owner) {
      const f = el('form', { id: 'collab-form', novalidate: true }, el('h3', { text: '協力者を招待する（従業員・認定支援機関など。相手は先にアカウントを作っておきます）' }),
        field('cb-email', 'メールアドレス', { type: 'email', 'data-input': 'email' }),
        el('div', { class: 'check' }, el('label', { for: 'cb-submit' }, el('input', { type: 'checkbox', id: 'cb-submit' }), '提出も任せる')),
        field('cb-until', '期限（任意、日本時間）', { type: 'datetime-local', 'data-input': 'until' }),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: '招待する' })));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const u = $('cb-until').value;
        const body = { email: $('cb-email').value.trim(), can_submit: $('cb-submit').checked };
        if (u) body.until = u + (u.length === 16 ? ':00' : '') + '+09:00';
        const x = await call('POST', 'applications/' + id + '/collaborators', body);
        if (x.status === 201 || x.status === 200) { status(body.email + ' を招待しました。'); sec.remove(); collaborators(box, id, owner); } else fail(f, x);
      });
      sec.append(f);
    }
    const old = $('collaborators'); // a view drawn twice in a row keeps one list
    if (old) old.remove();
    if (box.isConnected && box.querySelector('#app-state-text')) box.append(sec);
  }
  function needApp(box) {
    if (!need(box, 'apps')) return false;
    if (!rec) { box.textContent = ''; box.append(el('p', {}, '申請を開いてください。', el('a', { href: '#shinsei', text: '申請の一覧へ' }))); return false; }
    return true;
  }

  // --- attachments: uploaded as multipart, the server's SHA-256 checked against the browser's
  async function sha256hex(buf) {
    if (!(window.crypto && crypto.subtle)) return null; // only on https or the local machine
    const h = await crypto.subtle.digest('SHA-256', buf);
    return [...new Uint8Array(h)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  hojo.views.tenpu = async () => {
    const box = $('tenpu-body');
    if (!needApp(box)) return;
    if (!app) await openApp(rec.id);
    box.textContent = '';
    const id = rec.id;
    const can = canEdit();
    const result = el('div', { id: 'upload-result', role: 'status', 'aria-live': 'polite' });
    // the documents the rulebook requires and no attachment gives yet (warnings of type document)
    const need = ((app && app.warnings) || []).filter((w) => w.type === 'document');
    const docName = (w) => (/「(.+?)」/.exec(w.message || '') || [])[1] || w.item;
    need.forEach((w) => { docNames[w.item] = docName(w); });
    localStorage.setItem('hojo.docnames.v1', JSON.stringify(docNames));
    if (need.length) {
      box.append(el('div', { class: 'notice', id: 'docs-needed' }, el('h2', { text: 'まだ添付されていない必要な書類' }),
        el('ul', {}, need.map((w) => el('li', { 'data-kind': w.item, text: w.message }))),
        el('p', { text: '書類の種類でその書類を選んで添付してください。添付するまで提出できません。' })));
    }
    const f = el('form', { id: 'upload-form', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'up-file', text: 'ファイル' }), el('input', { type: 'file', id: 'up-file', 'data-input': 'file' })),
      el('div', { class: 'field' }, el('label', { for: 'up-kind', text: '書類の種類' }), el('select', { id: 'up-kind', 'data-input': 'kind' },
        need.length ? el('optgroup', { label: 'この申請に必要な書類' }, need.map((w) => el('option', { value: w.item, text: docName(w) }))) : null,
        el('optgroup', { label: 'そのほかの書類' }, Object.entries(KIND).map(([v, t]) => el('option', { value: v, text: t }))))),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '添付する', disabled: !can })), result);
    if (!can) f.append(el('p', { text: 'この申請はいま編集できないため、添付を変えられません。' }));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const file = $('up-file').files[0];
      if (!file) { showErrors(f, { message: 'ファイルを選んでください', errors: [{ field: 'file', message: 'ファイルを選んでください。' }] }); return; }
      result.textContent = '送信中…';
      const mine = await sha256hex(await file.arrayBuffer());
      const fd = new FormData();
      fd.append('file', file, file.name);
      const kind = $('up-kind').value.trim();
      if (kind) fd.append('kind', kind);
      const r = await call('POST', 'applications/' + id + '/attachments', fd);
      result.textContent = '';
      if (r.status !== 201 && r.status !== 200) {
        result.append(el('p', { class: 'error', text: r.status === 413 ? 'ファイルが大きすぎます（' + firstMessage(r) + '）' : '添付できません: ' + firstMessage(r) }));
        return;
      }
      const at = r.json.attachment || r.json;
      const same = mine ? mine === at.sha256 : null;
      result.append(el('p', { id: 'upload-done', text: '添付しました: ' + at.name + '（' + bytes(at.size) + '）' }),
        el('p', {}, 'サーバーが受け取った内容の SHA-256: ', el('code', { id: 'upload-sha', text: at.sha256 })),
        el('p', { id: 'upload-verify', class: same === false ? 'error' : same ? 'yes' : 'hint',
          text: same === null ? 'この接続ではブラウザで SHA-256 を計算できません（https かこの端末で開くと照合します）。'
            : same ? 'このブラウザで計算した SHA-256 と一致しました。送ったファイルがそのまま保存されています。'
              : '一致しません。このブラウザで計算した SHA-256 は ' + mine + ' です。もう一度添付してください。' }));
      f.reset();
      await refreshApp();
      if (need.some((w) => w.item === at.kind)) hojo.views.tenpu(); // the list of documents still needed changes
      else listAttachments(id, can);
    });
    box.append(f, el('h2', { text: '添付済みの書類' }), el('div', { id: 'attach-list' }));
    listAttachments(id, can);
  };
  async function listAttachments(id, can) {
    const out = $('attach-list');
    const r = await call('GET', 'applications/' + id + '/attachments');
    out.textContent = '';
    if (r.status !== 200) { out.append(el('p', { class: 'error', text: '添付の一覧を読めません: ' + firstMessage(r) })); return; }
    const at = list(r.json, 'attachments');
    if (!at.length) { out.append(el('p', { text: 'まだ添付はありません。' })); return; }
    out.append(el('div', { class: 'table-wrap' }, el('table', { id: 'attach-table' },
      el('thead', {}, el('tr', {}, ['ファイル', '種類', '大きさ', 'SHA-256', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, at.map((x) => el('tr', { 'data-attachment': x.id },
        el('td', {}, el('a', { href: API + 'attachments/' + x.id, download: x.name, text: x.name })),
        el('td', { text: KIND[x.kind] || docNames[x.kind] || x.kind || '' }), el('td', { text: bytes(x.size) }), el('td', {}, el('code', { class: 'hash', text: x.sha256 })),
        el('td', {}, can ? el('button', { type: 'button', text: '削除', 'aria-label': x.name + ' を削除', onclick: async () => {
          if (!window.confirm(x.name + ' を削除します。よろしいですか。')) return;
          const d = await call('DELETE', 'attachments/' + x.id);
          if (d.status === 204 || d.status === 200) { status(x.name + ' を削除しました。'); await refreshApp(); hojo.views.tenpu(); } else status('削除できません: ' + firstMessage(d));
        } }) : null)))))));
  }

  // the engine's warnings again (an attachment may give a required document); the version is not touched
  async function refreshApp() {
    if (!rec) return;
    const r = await call('GET', 'applications/' + rec.id);
    if (r.status === 200 && app && String(r.json.application.id) === String(rec.id)) {
      app = Object.assign({}, app, { warnings: r.json.warnings, unknown_fields: r.json.unknown_fields, permissions: r.json.permissions });
      showWarnings();
    }
  }

  // --- submit: a dry run first, then the submission with one Idempotency-Key per attempt
  function newKey() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  }
  async function settle() { // the pending edits saved before a dry run or a submission
    clearTimeout(timer);
    if (rec && rec.pending && !rec.conflict) await saveNow();
    return rec && !rec.pending && !rec.conflict;
  }
  // the dry run's errors: 要確認 (a missing fact, an undetermined verdict) may be acknowledged
  // with a reason; the others block the submission
  const ACK = ['missing', 'undetermined'];
  hojo.views.teishutsu = async () => {
    const box = $('teishutsu-body');
    if (!needApp(box)) return;
    if (!app) await openApp(rec.id);
    box.textContent = '';
    const a = app && app.application;
    if (!editable(a)) { box.append(el('p', { text: 'この申請は' + (a ? STATE[a.state] || a.state : '') + 'です。提出できるのは下書きと差戻しの申請です。' })); return; }
    if (app.permissions && !app.permissions.submit) box.append(el('p', { class: 'notice', text: 'この申請を提出できるのは申請者（または提出を任された人）です。確かめることはできます。' }));
    const out = el('div', { id: 'dry-run', 'aria-live': 'polite' });
    box.append(el('p', { text: '提出の前に、提出できるかを確かめます（まだ提出はしません）。' }),
      el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'dry-run-btn', text: '提出できるか確かめる', onclick: () => dryRun(out) })), out);
  };
  async function dryRun(out) {
    out.textContent = '確かめています…';
    if (!(await settle())) { out.textContent = '入力をまだ保存できていません。上の保存の状態を確かめてください。'; return; }
    const id = rec.id;
    const r = await call('POST', 'applications/' + id + '/submit?dry_run=1', {});
    out.textContent = '';
    const j = r.json;
    const all = j.errors || [];
    const errs = all.filter((e) => !ACK.includes(e.type));
    if (r.status === 423) { out.append(el('p', { class: 'error', text: '提出できません: ' + firstMessage(r) })); return; }
    if (r.status === 401) { out.append(el('p', { class: 'error', text: 'ログインし直してください。' })); return; }
    if (r.status >= 500 || r.status === 0) { out.append(el('p', { class: 'error', text: '確かめられません: ' + firstMessage(r) })); return; }
    if (r.status >= 400) { out.append(el('p', { class: 'error', text: '確かめられません: ' + firstMessage(r) })); return; }
    const acks = all.filter((e) => ACK.includes(e.type));
    if (errs.length) {
      out.append(el('h2', { text: '提出を止めている誤り' }), el('ul', { id: 'blocking' }, errs.map((e) => el('li', { class: 'error' }, (e.frame ? '枠「' + fname(e.frame) + '」: ' : '') + e.message,
        e.type === 'document' ? el('a', { href: '#tenpu', text: ' 添付書類へ' }) : null))),
        el('p', { text: '入力を直してから、もう一度確かめてください。' }));
      return;
    }
    const f = el('form', { id: 'submit-form', novalidate: true });
    if (acks.length) {
      f.append(el('h2', { text: '要確認の項目（' + acks.length + '）' }), el('p', { text: '次の項目は、入力がないか、規則集だけでは決まりません。入力できるものは入力し、このまま提出するものには、その理由を書いてください（事務局が読みます）。' }));
      acks.forEach((x, i) => f.append(el('div', { class: 'field', 'data-ack': x.frame + ' ' + x.item }, el('label', { for: 'ack-' + i, text: '要確認（' + fname(x.frame) + '）: ' + x.message }),
        el('textarea', { id: 'ack-' + i, rows: '2', 'data-input': 'acknowledge[' + i + ']' }))));
      if (acks.length > 1) f.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'ack-copy', text: '最初の理由を、空いている理由すべてに写す', onclick: () => {
        const v = $('ack-0').value;
        acks.forEach((x, i) => { if (i && !$('ack-' + i).value.trim()) $('ack-' + i).value = v; });
      } })));
    } else f.append(el('p', { id: 'dry-ok', text: '提出できます。誤りも要確認の項目もありません。' }));
    f.append(el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'submit-btn', text: '提出する' })), el('div', { id: 'submit-out', 'aria-live': 'polite' }));
    f.addEventListener('submit', (ev) => { ev.preventDefault(); submit(f, acks); });
    out.append(f);
  }
  async function submit(f, acks) {
    const o = $('submit-out');
    const reasons = acks.map((x, i) => ({ frame: x.frame, item: x.item, reason: $('ack-' + i).value.trim() }));
    const bad = reasons.map((x, i) => (x.reason ? null : { field: 'acknowledge[' + i + ']', message: '理由を書いてください。' })).filter(Boolean);
    if (bad.length) { showErrors(f, { message: '要確認の項目に理由が要ります', errors: bad }); return; }
    if (!(await settle())) { o.textContent = '入力をまだ保存できていません。'; return; }
    const id = rec.id;
    // one key per attempt: kept until the server gives a final answer, so a retry after a timeout reuses it
    let key = localStorage.getItem(SUBMIT + id);
    if (!key) { key = newKey(); localStorage.setItem(SUBMIT + id, key); }
    o.textContent = '提出しています…';
    const r = await call('POST', 'applications/' + id + '/submit', { acknowledge: reasons }, { 'Idempotency-Key': key });
    if (r.status === 0 || r.status >= 500) { o.textContent = '応答がありません（' + firstMessage(r) + '）。もう一度「提出する」を押すと、同じ提出として送り直します（二重には提出されません）。'; return; }
    localStorage.removeItem(SUBMIT + id);
    if (r.status !== 201 && r.status !== 200) {
      o.textContent = '';
      fail(f, r);
      const ce = r.json.check_errors || []; // the check did not pass (the data changed since the dry run)
      if (ce.length) o.append(el('p', { class: 'error', text: '提出できませんでした。もう一度「提出できるか確かめる」を押してください:' }), el('ul', {}, ce.map((e) => el('li', { text: (e.frame ? '枠「' + fname(e.frame) + '」: ' : '') + e.message }))));
      return;
    }
    const rc = r.json.receipt || r.json;
    sessionStorage.setItem('hojo.receipt.' + rc.number, JSON.stringify(r.json));
    status('提出しました。受付番号 ' + rc.number);
    await reopen();
    go('#uketsuke/' + encodeURIComponent(rc.number));
  }

  // --- the receipt
  hojo.views.uketsuke = async (number) => {
    const box = $('uketsuke-body');
    if (!need(box, 'apps')) return;
    box.textContent = '読み込み中…';
    const r = await call('GET', 'receipts/' + encodeURIComponent(number));
    box.textContent = '';
    if (r.status !== 200) { box.append(el('p', { class: 'error', text: '受付票を読めません: ' + firstMessage(r) })); return; }
    const rc = r.json.receipt || r.json;
    const ats = rc.attachments || [];
    box.append(el('dl', { class: 'facts', id: 'receipt' },
      el('dt', { text: '受付番号' }), el('dd', { id: 'receipt-number', text: rc.number }),
      el('dt', { text: '受付日時' }), el('dd', { id: 'receipt-time', text: when(rc.submitted_at) }),
      el('dt', { text: '申請' }), el('dd', {}, rc.application ? el('a', { href: '#app/' + (rc.application.id || rc.application), text: '申請 ' + (rc.application.id || rc.application) }) : '—'),
      el('dt', { text: '申請内容の SHA-256' }), el('dd', {}, el('code', { id: 'receipt-sha', class: 'hash', text: rc.snapshot_sha256 }))));
    box.append(el('h2', { text: '添付書類' }), ats.length ? el('div', { class: 'table-wrap' }, el('table', { id: 'receipt-attachments' },
      el('thead', {}, el('tr', {}, ['ファイル', '大きさ', 'SHA-256'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ats.map((x) => el('tr', {}, el('td', { text: x.name }), el('td', { text: bytes(x.size) }), el('td', {}, el('code', { class: 'hash', text: x.sha256 }))))))) : el('p', { text: '添付書類はありません。' }));
    const v = el('div', { id: 'verify-out', role: 'status', 'aria-live': 'polite' });
    box.append(el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'receipt-download', text: '受付票を JSON でダウンロード', onclick: () => {
        const a = el('a', { href: URL.createObjectURL(new Blob([JSON.stringify(r.json, null, 2) + '\n'], { type: 'application/json' })), download: 'hojo-receipt-' + rc.number + '.json' });
        document.body.append(a); a.click(); a.remove();
      } }),
      el('button', { type: 'button', class: 'primary', id: 'receipt-verify', text: '検証', onclick: async () => {
        v.textContent = '検証しています…';
        const x = await call('POST', 'receipts/' + encodeURIComponent(rc.number) + '/verify');
        const ok = x.status === 200 && x.json.ok === true;
        const bad = (x.json.items || []).filter((i) => !i.match).map((i) => i.item);
        v.textContent = x.status !== 200 ? '検証できません: ' + firstMessage(x)
          : ok ? '検証しました: 保存されている申請内容と添付書類 ' + Math.max(0, (x.json.items || []).length - 1) + ' 件は、この受付票の SHA-256 と一致します。'
            : '一致しません: ' + bad.join('、') + ' の SHA-256 が受付票と違います。事務局に連絡してください。';
        v.className = ok ? 'yes' : 'error';
      } })), v);
  };

  // --- the secretariat: a call's submissions with filters
  hojo.views.jimu = async () => {
    const box = $('jimu-body');
    if (!need(box, 'apps')) return;
    if (!isStaff()) { box.textContent = 'この画面は事務局の担当者だけが使えます。'; return; }
    box.textContent = '読み込み中…';
    const rk = await call('GET', 'calls');
    box.textContent = '';
    box.append(el('p', {}, el('a', { href: '#toolreview', text: 'ITツールの審査へ' }), '　', el('a', { href: '#jimu-shinsa', text: '審査と採択へ' })));
    const calls = rk.status === 200 ? list(rk.json, 'calls') : [];
    const mk = el('details', { class: 'file', id: 'call-new', open: !calls.length }, el('summary', { text: '公募回を作る' }));
    callForm(mk);
    if (!calls.length) { box.append(el('p', { text: '公募回がまだありません。作ると、申請者が申請を作れるようになります。' }), mk); return; }
    const f = el('form', { id: 'jimu-form', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'jm-call', text: '公募回' }), el('select', { id: 'jm-call' }, calls.map((c) => el('option', { value: c.id, text: c.title || c.name || c.id })))),
      el('div', { class: 'field' }, el('label', { for: 'jm-state', text: '状態' }), el('select', { id: 'jm-state' }, el('option', { value: '', text: 'すべて' }),
        ['submitted', 'returned', 'withdrawn'].map((s) => el('option', { value: s, text: STATE[s] })))),
      el('div', { class: 'field' }, el('label', { for: 'jm-frame', text: '枠' }), el('select', { id: 'jm-frame' })),
      field('jm-company', '会社（名前の一部）', {}),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '表示' })));
    const out = el('div', { id: 'jimu-out', 'aria-live': 'polite' });
    const frames = () => {
      const c = calls.find((x) => String(x.id) === $('jm-call').value) || {};
      const s = $('jm-frame');
      s.textContent = '';
      s.append(el('option', { value: '', text: 'すべて' }), ...(c.frames || []).map((fr) => el('option', { value: typeof fr === 'string' ? fr : fr.frame || fr.id, text: typeof fr === 'string' ? fr : fr.name || fr.frame || fr.id })));
    };
    let subPage = 1;
    let seq = 0; // only the latest search's answer is shown
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const run = ++seq;
      if (ev.submitter) subPage = 1; // a new search starts at its first page
      const q = new URLSearchParams({ page: subPage, per_page: PER_PAGE });
      for (const [k, i] of [['state', 'jm-state'], ['frame', 'jm-frame'], ['q', 'jm-company']]) if ($(i).value.trim()) q.set(k, $(i).value.trim());
      out.textContent = '読み込み中…';
      const r = await call('GET', 'calls/' + encodeURIComponent($('jm-call').value) + '/submissions' + (q.toString() ? '?' + q : ''));
      if (run !== seq) return;
      out.textContent = '';
      if (r.status !== 200) { out.append(el('p', { class: 'error', text: '読めません: ' + firstMessage(r) })); return; }
      const xs = list(r.json, 'submissions').length ? list(r.json, 'submissions') : list(r.json, 'applications');
      out.append(el('p', { id: 'jimu-count', text: xs.length ? xs.length + ' 件（全 ' + (r.json.total === undefined ? xs.length : r.json.total) + ' 件）' : '条件に合う提出はありません（0 件）。' }));
      if (xs.length) {
        out.append(el('div', { class: 'table-wrap' }, el('table', { id: 'jimu-table' },
          el('thead', {}, el('tr', {}, ['申請', '会社', '枠', '状態', '提出', '受付番号'].map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, xs.map((x) => {
            const a = x.application || x;
            const rc0 = x.receipt || a.receipt || {};
            const rc = typeof rc0 === 'string' ? { number: rc0 } : rc0;
            return el('tr', { 'data-app': a.id }, el('td', {}, el('a', { href: '#hikaku/' + a.id, text: '申請 ' + a.id + '（版の比較・差戻し）' })),
              el('td', { text: String(a.company_name || (a.company && a.company.name) || a.company || '') }), el('td', { text: fnames(a.frames) }),
              el('td', { text: STATE[a.state] || a.state }), el('td', { text: when(x.submitted_at || rc.submitted_at || a.submitted_at) }),
              el('td', { text: rc.number || x.receipt_number || '' }));
          })))));
        out.append(pager(r.json, (n) => { subPage = n; f.requestSubmit(); }));
      }
    });
    box.append(f, out, mk);
    $('jm-call').addEventListener('change', () => { subPage = 1; frames(); f.requestSubmit(); });
    frames();
    f.requestSubmit(); // the first call's submissions at once
  };

  // a call from one of the rulebook's editions (POST /api/v1/calls); its frames are the edition's
  async function callForm(box) {
    const r = await fetch(API + 'rules').then((x) => x.json()).catch(() => null);
    const eds = r ? r.programs.flatMap((p) => p.editions.map((e) => ({ id: e.id, text: (p.short || p.name) + ' ' + (e.short || e.name) + '（' + e.from + '〜' + e.to + '）' }))) : [];
    const f = el('form', { id: 'call-form', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'cl-edition', text: '規則集の版' }), el('select', { id: 'cl-edition', 'data-input': 'edition' }, eds.map((e) => el('option', { value: e.id, text: e.text })))),
      field('cl-title', '公募回の名前（例: 第1回）', { 'data-input': 'title' }),
      field('cl-opens', '受付開始（日本時間）', { type: 'datetime-local', 'data-input': 'opens_at' }),
      field('cl-closes', '締切（日本時間）', { type: 'datetime-local', 'data-input': 'closes_at' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '公募回を作る' })));
    const jst = (v) => (v ? v + (v.length === 16 ? ':00' : '') + '+09:00' : '');
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const x = await call('POST', 'calls', { edition: $('cl-edition').value, title: $('cl-title').value.trim(), opens_at: jst($('cl-opens').value), closes_at: jst($('cl-closes').value) });
      if (x.status === 201) { status('公募回「' + x.json.call.title + '」を作りました。'); hojo.views.jimu(); } else fail(f, x);
    });
    box.append(f);
  }

  // --- an application's versions side by side; the secretariat sends it back with a comment
  hojo.views.hikaku = async (id) => {
    const box = $('hikaku-body');
    if (!need(box, 'apps')) return;
    box.textContent = '読み込み中…';
    const [ra, rv] = await Promise.all([call('GET', 'applications/' + id), call('GET', 'applications/' + id + '/versions')]);
    box.textContent = '';
    if (ra.status !== 200) { box.append(el('p', { class: 'error', text: '申請を読めません: ' + firstMessage(ra) })); return; }
    const a = ra.json.application;
    const vn = (v) => v.n || v.version || v.number;
    const vs = rv.status === 200 ? list(rv.json, 'versions').map((v) => (typeof v === 'number' ? { n: v } : v)).sort((x, y) => vn(x) - vn(y)) : [];
    box.append(el('p', { text: '申請 ' + a.id + '　状態: ' + (STATE[a.state] || a.state) + '　版 ' + a.version }));
    if (vs.length) {
      const opts = () => vs.map((v) => { const n = vn(v); return el('option', { value: n, text: '版 ' + n + (v.state ? '（' + (STATE[v.state] || v.state) + '）' : '') + (v.saved_at || v.created_at ? ' ' + when(v.saved_at || v.created_at) : '') }); });
      const sa = el('select', { id: 'hk-a' }, opts());
      const sb = el('select', { id: 'hk-b' }, opts());
      sa.selectedIndex = Math.max(0, vs.length - 2);
      sb.selectedIndex = vs.length - 1;
      const only = el('input', { type: 'checkbox', id: 'hk-only' });
      const out = el('div', { id: 'hikaku-out' });
      const cache = {};
      const data = async (n) => {
        if (!cache[n]) {
          const r = await call('GET', 'applications/' + id + '/versions/' + n);
          const j = r.json;
          const v = j.version || {};
          cache[n] = Object.assign({ frames: v.frames || [] }, v.data || {}); // the frames too: they may change
        }
        return cache[n];
      };
      const draw = async () => { const [x, y] = await Promise.all([data(sa.value), data(sb.value)]); out.textContent = ''; out.append(diffTable(x, y, '版 ' + sa.value, '版 ' + sb.value, only.checked)); };
      [sa, sb, only].forEach((x) => x.addEventListener('change', draw));
      box.append(el('div', { class: 'pair' }, el('div', { class: 'field' }, el('label', { for: 'hk-a', text: '左の版' }), sa), el('div', { class: 'field' }, el('label', { for: 'hk-b', text: '右の版' }), sb)),
        el('div', { class: 'check' }, el('label', { for: 'hk-only' }, only, '違う項目だけ表示')), out);
      draw();
    } else box.append(el('p', { text: rv.absent ? 'このサーバーには版の一覧の API がまだありません。' : '版の一覧を読めません: ' + firstMessage(rv) }));
    if (isStaff()) auditLog(box, id);
    if (ra.json.permissions ? ra.json.permissions.send_back : isStaff() && a.state === 'submitted') {
      const f = el('form', { id: 'sendback-form', novalidate: true }, el('h2', { text: '差し戻す' }),
        el('div', { class: 'field' }, el('label', { for: 'sb-comment', text: '申請者へのコメント（必須。直してほしいところを書きます）' }), el('textarea', { id: 'sb-comment', rows: '4', 'data-input': 'comment', required: true })),
        el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '差し戻す' })));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const c = $('sb-comment').value.trim();
        if (!c) { showErrors(f, { message: 'コメントが要ります', errors: [{ field: 'comment', message: '差し戻しの理由を書いてください。' }] }); return; }
        const r = await call('POST', 'applications/' + id + '/sendback', { comment: c });
        if (r.status === 200 || r.status === 201 || r.status === 204) { status('差し戻しました。'); hojo.views.hikaku(id); } else fail(f, r);
      });
      box.append(f);
    }
  };

  // the audit log of one application for the secretariat (GET /api/v1/audit?application=), newest first
  const ACTION = { 'application.create': '作成', 'application.save': '保存', 'application.submit': '提出', 'application.sendback': '差戻し',
    'application.withdraw': '取下げ', 'attachment.add': '添付', 'attachment.delete': '添付の削除', 'application.collaborator.invite': '協力者の招待',
    'application.collaborator.revoke': '協力者の解除' };
  async function auditLog(box, id) {
    const r = await call('GET', 'audit?application=' + encodeURIComponent(id) + '&per_page=50');
    if (r.status !== 200) return;
    const ev = list(r.json, 'events');
    const d = el('details', { class: 'file', id: 'audit' }, el('summary', { text: '記録（監査ログ、新しい順、' + ev.length + ' 件）' }),
      el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, ['日時', '操作', '誰が', '結果', '接続元'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, ev.map((e) => el('tr', {}, el('td', { text: when(e.at) }), el('td', { text: (ACTION[e.action] || e.action) }),
          el('td', { text: e.actor_email || String(e.actor || '') }), el('td', { text: e.outcome === 'ok' ? '成功' : e.outcome === 'refused' ? '拒否' : e.outcome || '' }),
          el('td', { text: [e.ip, e.via].filter(Boolean).join(' ') })))))));
    const old = $('audit'); // a view drawn twice in a row keeps one log
    if (old) old.remove();
    const sb = box.querySelector('#sendback-form');
    if (sb) box.insertBefore(d, sb); else box.append(d);
  }

  // which view is shown: the bar of the open application stays over its editors
  let shownView = '';
  const OFF = ['account', 'reset', 'shinsei', 'jimu', 'uketsuke', // views without the open application's bar
    'shinsa', 'jimu-shinsa', 'shinsa-katen', 'shinsa-rieki', 'shinsa-wariate', 'shinsa-ten', 'shinsa-saitaku', 'yakuwari', 'tsuchi']; // (and web/review.js's)
  hojo.shown = (id) => {
    shownView = id;
    const off = OFF.includes(id) || (hojo.barless || []).includes(id);
    $('app-bar').hidden = !rec || off;
    $('app-warnings').hidden = !rec || !app || off || id === 'hikaku';
    if (rec && app && !off) showWarnings(); // its 入力する buttons follow the fields shown
  };

  // what web/parties.js, web/review.js and web/awards.js use (pageNav: the lists paged by i12-paging)
  hojo.office = { call, fail, field, need, go, when, list, firstMessage, pageNav, me: () => me };

  async function init() {
    $('app-close').addEventListener('click', () => { closeApp(); location.hash = '#shinsei'; });
    // the open application's edits kept here are shown at once, before any answer of the server
    const o = localStorage.getItem(OPEN);
    const l = o && readRec(o);
    if (l && l.state) { rec = Object.assign(l, { id: o }); hojo.setCase(rec.state, keeper); barShow(); }
    hojo.caseReady();
    await loadSession();
    const open = localStorage.getItem(OPEN);
    if (open && !missing.apps && !/^#app\//.test(location.hash)) await openApp(open);
    if (!me && rec && rec.pending) saveState('failed', 'ログインしていません。入力はこの端末に残っています。ログインすると保存します。');
    else if (me) await flushPending();
    const [h, arg] = (location.hash || '').slice(1).split(/[/=]/);
    if (hojo.views[h]) hojo.views[h](decodeURIComponent(arg || ''));
    hojo.shown(h);
  }
  window.addEventListener('online', () => { if (rec && rec.pending) schedule(0, true); });
  init();
}());
