// hojo page: plain JavaScript over the JSON API of docs/api.md (the same
// JSON as the CLI's --json). Everything typed is kept in localStorage
// (key hojo.case.v1) as it is typed; the case is the CLI's input document.
// With an application open, web/office.js (loaded when first needed) gives
// the case and keeps it instead (hojo.setCase: hojo.app.v1.<id>, saved on
// the server as typed).
'use strict';
(function () {
  const KEY = 'hojo.case.v1';
  const API = 'api/v1/';
  const $ = (id) => document.getElementById(id);
  let facts = null; // GET /api/v1/facts
  let lastCheck = null; // last POST /api/v1/check answer
  let rulesVersion = '';
  let state = load();

  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (s && typeof s === 'object' && s.input) return s;
    } catch (e) { /* a broken store starts afresh */ }
    return { input: {}, unknown: [], asked: [], dx: {}, expFrame: '' };
  }
  // where the case is kept: this browser's anonymous case, or an application
  // of the office pages (web/office.js sets another keeper with hojo.setCase)
  const keepLocal = (s) => localStorage.setItem(KEY, JSON.stringify(s));
  let keep = keepLocal;
  function save() { keep(state); }

  // --- the input document, by dotted path ("applicant.capital")
  function getPath(o, p) {
    return p.split('.').reduce((a, k) => (a && typeof a === 'object' ? a[k] : undefined), o);
  }
  function setPath(o, p, v) {
    const ks = p.split('.');
    let a = o;
    for (let i = 0; i < ks.length - 1; i++) {
      if (typeof a[ks[i]] !== 'object' || a[ks[i]] === null || Array.isArray(a[ks[i]])) a[ks[i]] = {};
      a = a[ks[i]];
    }
    if (v === undefined) delete a[ks[ks.length - 1]]; else a[ks[ks.length - 1]] = v;
  }

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  function status(msg) { $('status').textContent = msg; }
  const yen = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('ja-JP') + '円');
  const VERDICT = { eligible: '対象', ineligible: '対象外', undetermined: '要確認' };

  async function api(method, path, body, type) {
    const opt = { method, headers: {} };
    if (body !== undefined) {
      opt.headers['Content-Type'] = type || 'application/json';
      opt.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const r = await fetch(API + path, opt);
    const v = r.headers.get('X-Rules-Version');
    if (v) rulesVersion = v;
    const ct = r.headers.get('Content-Type') || '';
    if (!ct.startsWith('application/json')) {
      if (!r.ok) throw { status: r.status, message: 'サーバーの応答が読めません', errors: [] };
      return r;
    }
    const j = await r.json();
    if (!r.ok) throw j;
    return j;
  }

  // --- errors tied to their field (aria-invalid, aria-describedby)
  function clearErrors(root) {
    root.querySelectorAll('.error').forEach((e) => e.remove());
    root.querySelectorAll('[aria-invalid]').forEach((e) => {
      e.removeAttribute('aria-invalid');
      const d = (e.getAttribute('aria-describedby') || '').split(' ').filter((x) => !x.startsWith('err-')).join(' ');
      if (d) e.setAttribute('aria-describedby', d); else e.removeAttribute('aria-describedby');
    });
  }
  // move: focus the first bad field (not while the user types elsewhere)
  function showErrors(root, err, move) {
    clearErrors(root);
    const errs = (err && err.errors) || [];
    let first = null;
    let shown = false;
    errs.forEach((e, i) => {
      const ctl = e.field ? root.querySelector('[data-input="' + CSS.escape(e.field) + '"]') : null;
      if (!ctl) return;
      const id = 'err-' + i + '-' + Math.random().toString(36).slice(2, 7);
      const p = el('p', { class: 'error', id, text: e.message });
      ctl.setAttribute('aria-invalid', 'true');
      ctl.setAttribute('aria-describedby', ((ctl.getAttribute('aria-describedby') || '') + ' ' + id).trim());
      (ctl.closest('.field, fieldset') || ctl.parentNode).append(p);
      first = first || ctl;
      shown = true;
    });
    status((err && err.message ? err.message : 'エラー') + (shown ? '。印の付いた項目を直してください。' :
      errs.length ? ': ' + errs.map((e) => (e.field ? e.field + ': ' : '') + e.message).join(' / ') : ''));
    if (first && move !== false) first.focus();
  }

  // --- one form control for one fact (facts JSON), bound to the input
  let uid = 0;
  function enumValues(name) {
    const e = facts.enums.find((x) => x.enum === name);
    return e ? e.values : [];
  }
  function markUnknown(fact, on) {
    state.unknown = state.unknown.filter((n) => n !== fact.name);
    if (on) { state.unknown.push(fact.name); setPath(state.input, fact.input, undefined); }
    save();
  }
  function control(fact) {
    const id = 'f-' + (++uid);
    const cur = getPath(state.input, fact.input);
    const unknown = state.unknown.includes(fact.name);
    const t = fact.type;
    if (t === 'bool' || t === 'presence') {
      const fs = el('fieldset', { 'data-fact': fact.name }, el('legend', { text: fact.label }));
      const box = el('div', { class: 'choice' });
      const now = unknown ? 'unknown' : t === 'presence' ? (cur === undefined ? '' : cur === null ? 'no' : 'yes')
        : cur === true ? 'yes' : cur === false ? 'no' : '';
      [['yes', 'はい'], ['no', 'いいえ'], ['unknown', '分からない']].forEach(([v, lab]) => {
        const rid = id + '-' + v;
        const r = el('input', { type: 'radio', name: id, id: rid, value: v, 'data-input': fact.input, checked: now === v });
        r.addEventListener('change', () => {
          if (v === 'unknown') return markUnknown(fact, true);
          markUnknown(fact, false);
          if (t === 'presence') setPath(state.input, fact.input, v === 'yes' ? (typeof cur === 'object' && cur ? cur : {}) : undefined);
          else setPath(state.input, fact.input, v === 'yes');
          save();
        });
        box.append(el('label', { for: rid }, r, lab));
      });
      fs.append(box);
      return fs;
    }
    if (t === 'enum' || t === 'set') {
      const vals = enumValues(fact.enum);
      if (t === 'set') {
        const fs = el('fieldset', { 'data-fact': fact.name }, el('legend', { text: fact.label }));
        const box = el('div', { class: 'check' });
        const set = Array.isArray(cur) ? cur : [];
        vals.forEach((v, i) => {
          const cid = id + '-' + i;
          const c = el('input', { type: 'checkbox', id: cid, value: v.id, 'data-input': i === 0 ? fact.input : null, checked: set.includes(v.id) });
          c.addEventListener('change', () => {
            const now = Array.from(fs.querySelectorAll('input[type=checkbox][value]:not([data-unknown])')).filter((x) => x.checked).map((x) => x.value);
            markUnknown(fact, false);
            fs.querySelector('[data-unknown]').checked = false;
            setPath(state.input, fact.input, now);
            save();
          });
          box.append(el('div', {}, el('label', { for: cid }, c, v.label + '（' + v.id + '）')));
        });
        const uidk = id + '-u';
        const u = el('input', { type: 'checkbox', id: uidk, 'data-unknown': '1', checked: unknown });
        u.addEventListener('change', () => {
          if (u.checked) fs.querySelectorAll('input[value]').forEach((x) => { x.checked = false; });
          markUnknown(fact, u.checked);
        });
        box.append(el('div', {}, el('label', { for: uidk }, u, '分からない', el('span', { class: 'visually-hidden', text: '（' + fact.label + '）' }))));
        fs.append(box);
        return fs;
      }
      const s = el('select', { id, 'data-input': fact.input });
      s.append(el('option', { value: '', text: '選んでください' }));
      vals.forEach((v) => s.append(el('option', { value: v.id, text: v.label, selected: cur === v.id })));
      s.append(el('option', { value: '?', text: '分からない', selected: unknown }));
      s.addEventListener('change', () => {
        markUnknown(fact, s.value === '?');
        if (s.value !== '?') setPath(state.input, fact.input, s.value || undefined);
        save();
      });
      const box = el('div', { class: 'field', 'data-fact': fact.name }, el('label', { for: id, text: fact.label }), s);
      const amb = (facts.enums.find((x) => x.enum === fact.enum) || {}).ambiguous || [];
      if (amb.length) { // names the sources do not place in one value (e.g. 飲食店): say so, with the source
        box.append(el('details', { class: 'hint' }, el('summary', { text: 'どれに当たるか迷うとき' }),
          el('ul', {}, amb.map((a) => el('li', {}, el('strong', { text: a.names.join('・') + ': ' }), a.note + ' ', sourceLinks(a.source))))));
      }
      return box;
    }
    if (t === 'series') {
      return el('p', { class: 'hint', 'data-fact': fact.name, text: fact.label + ': この項目は一覧の形で入るため、このページでは聞きません。ファイル（' + fact.input + '）で入力してください。' });
    }
    // text, yen, num, date
    const hints = { yen: '例: 1,500万円、300万、3000000', num: '例: 25', date: '例: 2024-03-15', text: '' };
    const hid = id + '-hint';
    const i = el('input', { type: 'text', id, 'data-input': fact.input, value: cur === undefined ? '' : String(cur),
      inputmode: t === 'num' ? 'numeric' : null, autocomplete: fact.input === 'applicant.name' ? 'organization' : 'off',
      'aria-describedby': hints[t] ? hid : null });
    i.addEventListener('input', () => {
      markUnknown(fact, false);
      const v = i.value.trim();
      setPath(state.input, fact.input, v === '' ? undefined : t === 'num' && /^\d+$/.test(v) ? Number(v) : v);
      save();
    });
    const box = el('div', { class: 'field', 'data-fact': fact.name }, el('label', { for: id, text: fact.label }), i);
    if (hints[t]) box.append(el('p', { class: 'hint', id: hid, text: hints[t] }));
    if (t !== 'text' && t !== 'date') {
      const kid = id + '-u';
      const k = el('input', { type: 'checkbox', id: kid, checked: unknown });
      k.addEventListener('change', () => { if (k.checked) i.value = ''; markUnknown(fact, k.checked); });
      box.append(el('div', { class: 'check' }, el('label', { for: kid }, k, '分からない', el('span', { class: 'visually-hidden', text: '（' + fact.label + '）' }))));
    }
    return box;
  }

  // --- 診断: the first steps are fixed, then the facts that decide most
  const STEPS = [
    { title: '会社について', facts: ['name', 'date', 'legal_form', 'industry', 'capital', 'employees', 'prefecture'] },
    { title: '事業について', facts: ['expenses'] },
  ];
  function factByName(n) { return facts.facts.find((f) => f.name === n); }
  function answered(f) { return state.unknown.includes(f.name) || getPath(state.input, f.input) !== undefined; }

  // the next fact to ask: the one missing in the most undetermined frames
  function nextFact(check) {
    const count = new Map();
    for (const r of check.results) {
      if (r.verdict !== 'undetermined') continue;
      for (const m of r.missing_facts || []) {
        const f = factByName(m.fact);
        if (!f || answered(f) || f.type === 'series') continue;
        count.set(m.fact, (count.get(m.fact) || 0) + 1);
      }
    }
    let best = null;
    for (const [n, c] of count) if (!best || c > best[1]) best = [n, c];
    return best ? { fact: factByName(best[0]), frames: best[1] } : null;
  }

  function renderQuestion() {
    const box = $('q-fields');
    box.textContent = '';
    clearErrors($('q-form'));
    const step = state.step || 0;
    $('q-back').hidden = step === 0;
    if (step < STEPS.length) {
      box.append(el('h2', { text: STEPS[step].title + '（' + (step + 1) + '）' }));
      STEPS[step].facts.forEach((n) => { const f = factByName(n); if (f) box.append(control(f)); });
      if (step === 0 && getPath(state.input, 'date') === undefined) {
        const d = new Date();
        const iso = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
        setPath(state.input, 'date', iso);
        box.querySelector('[data-input="date"]').value = iso;
        save();
      }
      $('q-progress').textContent = '';
      $('q-next').hidden = false;
      return;
    }
    const asked = state.asked[step - STEPS.length];
    if (asked) {
      const f = factByName(asked.fact);
      box.append(el('h2', { text: '質問 ' + (step + 1) }));
      box.append(control(f));
      $('q-progress').textContent = 'この答えで、まだ決まっていない ' + asked.frames + ' の枠が決まりに近づきます。';
      $('q-next').hidden = false;
    } else {
      box.append(el('h2', { text: '質問はここまでです' }));
      if (lastCheck && lastCheck.as_of && !lastCheck.results.length) {
        // nothing open that day (often today's date past the rulebook's periods): say so, and how to change it
        box.append(el('p', { id: 'q-none-open', text: '申請日 ' + lastCheck.as_of + ' に受付中の枠は規則集にありません。「結果を見る」では受付前・受付終了の枠を参考として見られます。公募の受付期間の日付で確かめるときは、申請日を変えてください。' }));
        box.append(el('button', { type: 'button', id: 'q-change-date', text: '申請日を変える', onclick: () => {
          state.step = 0; save(); renderQuestion();
          const d = $('q-fields').querySelector('[data-input="date"]');
          if (d) d.focus();
        } }));
      } else box.append(el('p', { text: '決めるのに必要な答えはそろいました（分からないと答えた項目の枠は要確認のままです）。「結果を見る」を押してください。' }));
      $('q-progress').textContent = '';
      $('q-next').hidden = true;
    }
  }

  async function check() {
    const r = await api('POST', 'check', state.input);
    lastCheck = r;
    return r;
  }

  async function nextStep(ev) {
    ev.preventDefault();
    const form = $('q-form');
    // a question left unanswered is not skipped: it would only be asked again
    const cur = (state.step || 0) >= STEPS.length ? state.asked[(state.step || 0) - STEPS.length] : null;
    const curFact = cur && factByName(cur.fact);
    const given = [...$('q-fields').querySelectorAll('input, select')].some((c) =>
      (c.type === 'radio' || c.type === 'checkbox' ? c.checked : c.value.trim() !== ''));
    if (curFact && !given) {
      showErrors(form, { message: 'この質問に答えてください', errors: [{ field: curFact.input, type: 'missing',
        message: '答えを選ぶか入力してください。分からないときは「分からない」を選びます。' }] });
      return;
    }
    let r;
    try { r = await check(); } catch (err) { showErrors(form, err); return; }
    clearErrors(form);
    const step = (state.step || 0) + 1;
    if (step >= STEPS.length) {
      const k = step - STEPS.length;
      state.asked = state.asked.slice(0, k);
      const n = nextFact(r);
      if (n) state.asked.push({ fact: n.fact.name, frames: n.frames });
    }
    state.step = step;
    save();
    renderQuestion();
    const first = $('q-fields').querySelector('input, select') || $('q-fields').querySelector('h2');
    if (first && first.tagName === 'H2') first.setAttribute('tabindex', '-1');
    status('回答を保存しました。' + summaryLine(r));
    if (first) first.focus();
  }
  function summaryLine(r) {
    const c = { eligible: 0, ineligible: 0, undetermined: 0 };
    r.results.forEach((x) => { c[x.verdict]++; });
    return '受付中の枠: 対象 ' + c.eligible + '、要確認 ' + c.undetermined + '、対象外 ' + c.ineligible + '。';
  }

  // --- source viewer
  function sourceLinks(src) {
    const span = el('span', { class: 'sources' });
    if (!src) return span;
    span.append('出典: ');
    src.split(/,\s*/).forEach((c, i) => {
      if (i) span.append('、');
      span.append(el('button', { type: 'button', class: 'link', onclick: () => openSource(c), text: c }));
    });
    return span;
  }
  async function openSource(cite) {
    const d = $('source-dialog');
    const b = $('source-body');
    b.textContent = '読み込み中…';
    $('source-title').textContent = '出典 ' + cite;
    if (!d.open) d.showModal();
    try {
      const r = await api('GET', 'source?cite=' + encodeURIComponent(cite));
      b.textContent = '';
      b.append(el('p', { text: (r.document && r.document.title) || '' }));
      if (r.document && r.document.issuer) b.append(el('p', { class: 'hint', text: '発行: ' + r.document.issuer }));
      if (r.lines) b.append(el('pre', { text: r.lines.map((l) => l.line + ': ' + l.text).join('\n') }));
      else b.append(el('p', { text: '資料の本文はこのサーバーにありません。' }));
    } catch (err) { b.textContent = (err && err.message) || '出典を読めませんでした'; }
  }

  // --- 結果
  function frameCard(r) {
    const card = el('details', { class: 'card', 'data-frame': r.frame });
    const amount = r.verdict === 'eligible' ? '補助額 ' + yen(r.subsidy_yen) :
      r.computed_subsidy_yen != null ? '（条件が整えば ' + yen(r.computed_subsidy_yen) + '）' : '';
    card.append(el('summary', {}, el('strong', { text: r.program_name + ' ' + r.frame_name }), ' ',
      el('span', { class: 'verdict v-' + r.verdict, text: VERDICT[r.verdict] }), ' ', el('span', { class: 'amount', text: amount })));
    const body = el('div', {});
    body.append(el('p', { class: 'hint', text: r.edition_name + '　受付 ' + r.open_from + '〜' + r.open_to }));
    const change = [];
    if (r.verdict === 'undetermined') {
      (r.missing_facts || []).forEach((m) => change.push('「' + m.label + '」が分かれば決まります。'));
    }
    (r.reasons || []).filter((x) => (x.kind === 'condition' || x.kind === 'requirement' || x.kind === 'plan') && x.result !== true)
      .filter((x) => x.result === false || !(r.missing_facts || []).length)
      .forEach((x) => change.push(x.result === false ? '「' + x.text + '」を満たせば、この条件は通ります。' : '「' + x.text + '」を確かめてください（要確認）。'));
    if (r.shortfall_yen) change.push('補助額が下限に ' + yen(r.shortfall_yen) + ' 足りません。経費が ' + yen(r.expenses_needed_yen) + ' 以上なら下限に届きます。');
    if (change.length && r.verdict !== 'eligible') {
      body.append(el('h3', { text: '答えが変わるには' }), el('ul', {}, change.map((c) => el('li', { text: c }))));
    }
    const ex = el('div', { class: 'explain' }, el('p', { class: 'hint', text: '開くと計算と条件を読み込みます。' }));
    body.append(ex);
    card.append(body);
    card.addEventListener('toggle', () => { if (card.open && !ex.dataset.done) explain(r.frame, ex); });
    return card;
  }
  async function explain(frame, box) {
    box.dataset.done = '1';
    try {
      const e = await api('POST', 'explain/' + encodeURIComponent(frame), state.input);
      const r = e.results.find((x) => x.frame === frame) || e.results[0];
      box.textContent = '';
      const steps = r.reasons.filter((x) => x.kind === 'step' || x.kind === 'subsidy' || x.kind === 'cap' || x.kind === 'rate' || x.kind === 'tier' || x.kind === 'lower_limit');
      box.append(el('h3', { text: '補助額の計算' }), el('ol', { class: 'reasons' }, steps.map((x) => el('li', {}, x.text + ' ', sourceLinks(x.source)))));
      const conds = r.reasons.filter((x) => !steps.includes(x));
      box.append(el('h3', { text: '条件' }), el('ul', { class: 'reasons' }, conds.map((x) => el('li', {},
        el('span', { class: x.result === true ? 'yes' : x.result === false ? 'no' : 'unknown', text: x.result === true ? '○ ' : x.result === false ? '× ' : '？ ' }),
        x.text, x.values ? '（' + x.values + '）' : '', ' ', sourceLinks(x.source), x.note ? el('div', { class: 'hint', text: '読み方: ' + x.note }) : null))));
    } catch (err) { box.textContent = (err && err.message) || '説明を読み込めませんでした'; }
  }
  // the programs the rulebook does not cover on the date (check --json 'coverage'), as hojo check says
  let programNames = null;
  // a program's short name and an edition's name (or short name, "R5補正") when GET /api/v1/rules was loaded, else 'dflt' / the id
  function progName(id, dflt) { const p = (programNames || {})[id]; return p ? p.name + (dflt === '' ? ' ' : '') : dflt; }
  function edName(p, id, short) { const e = (((programNames || {})[p] || {}).eds || {})[id]; return e ? (short && e.short) || e.name : id; }
  let namesLoading = null;
  function loadNames() {
    return namesLoading || (namesLoading = (async () => {
      const names = {};
      try {
        const d = await api('GET', 'rules');
        d.programs.forEach((p) => { names[p.id] = { name: p.short || p.name, eds: Object.fromEntries(p.editions.map((e) => [e.id, { name: e.name, short: e.short }])) }; });
        programNames = names;
      } catch (err) { namesLoading = null; /* ids are shown instead; asked again next time */ }
    })());
  }
  function coverageNotice(r, id) {
    const pn = (id) => progName(id, id);
    const en = (p, id) => edName(p, id, true);
    const items = r.coverage.map((c) => el('li', { 'data-coverage': c.program, text: c.kind === 'no_edition_open'
      ? pn(c.program) + '（' + [c.edition_before ? en(c.program, c.edition_before) + ' は ' + c.closed_on + ' まで' : '',
        c.edition_after ? en(c.program, c.edition_after) + ' は ' + c.opens_on + ' から' : ''].filter(Boolean).join('、') + '）'
      : pn(c.program) + ' ' + en(c.program, c.edition) + '（' + edName(c.program, c.edition) + '）: 規則は' + c.call + 'のもので、この日がその公募回かは資料にありません' }));
    return el('div', { id: id || 'coverage', role: 'note' },
      el('p', { text: '要確認: 次の制度は ' + r.as_of + ' に受付中の版が規則集にないか、その日の公募回が確かめられません。その日の公募の有無・条件・金額は各制度の公募要領で確かめてください。' }),
      el('ul', {}, items));
  }
  async function renderResults() {
    const box = $('results');
    box.textContent = '読み込み中…';
    let r;
    try { r = await check(); } catch (err) {
      box.textContent = '';
      box.append(el('p', { class: 'error', text: '入力に誤りがあります。診断に戻って直してください: ' + ((err.errors || []).map((e) => e.field + ': ' + e.message).join(' / ') || err.message) }));
      return;
    }
    if ((r.coverage && r.coverage.length) || (r.not_open && r.not_open.length)) await loadNames();
    const cov = r.coverage && r.coverage.length ? coverageNotice(r) : null;
    box.textContent = '';
    box.append(el('p', {}, (r.applicant.name || '（名前なし）') + '　' + (r.as_of ? r.as_of + ' 時点' : '日付の指定なし') + '　' + summaryLine(r)));
    if (cov) box.append(cov);
    box.append(el('h2', { text: '受付中の枠' }));
    if (!r.results.length) box.append(el('p', { text: 'この日に受付中の枠はありません。' }));
    r.results.forEach((x) => box.append(frameCard(x)));
    if (r.not_open && r.not_open.length) {
      box.append(el('h2', { text: '受付前・受付終了の枠' }));
      const st = { not_yet_open: '受付前', closed: '受付終了' };
      box.append(el('ul', {}, r.not_open.map((x) => el('li', { 'data-frame': x.frame }, el('strong', { text: (st[x.status] || x.status) + ' ' }),
        progName(x.program, '') + x.frame_name + '（' + edName(x.program, x.edition) + '、受付 ' + x.open_from + '〜' + x.open_to + '）: ' + VERDICT[x.verdict] +
        (x.subsidy_yen != null ? ' ' + yen(x.subsidy_yen) : '')))));
    }
  }

  // --- 事業計画
  const PLAN_ROWS = [
    ['year_end', '決算期末（年月日）', 'date'], ['sales', '①売上高'], ['cost_of_sales', '売上原価'],
    ['labor_cost', '④人件費'], ['depreciation', '⑤減価償却費'], ['other_expenses', 'その他経費'],
    ['operating_profit', '②営業利益', 'derived'], ['non_operating', '営業外収支'], ['ordinary_profit', '③経常利益', 'derived'],
    ['value_added', '付加価値額（②+④+⑤）', 'derived'], ['va_growth', '伸び率（付加価値額、基準年度比）', 'growth:value_added'],
    ['capex', '⑥設備投資額'], ['total_wages', '⑦給与支給総額'], ['tw_growth', '伸び率（給与支給総額、基準年度比）', 'growth:total_wages'],
    ['employees', '従業員数（人）', 'num'], ['min_wage', '事業場内最低賃金（円/時）', 'num'],
  ];
  const YEARS = ['基準年度', '1年後', '2年後', '3年後', '4年後', '5年後'];
  let planTimer = null;
  let planAnswer = null;
  function planYears() {
    const ys = ((state.input.plan || {}).years || []).slice();
    while (ys.length < 6) ys.push({});
    return ys;
  }
  function renderPlanTable() {
    const t = $('plan-table');
    t.textContent = '';
    const ys = planYears();
    t.append(el('caption', { class: 'visually-hidden', text: '会社全体の事業計画（単位: 円）' }));
    t.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '項目' }), YEARS.map((y) => el('th', { scope: 'col', text: y })))));
    const tb = el('tbody');
    for (const [key, label, kind] of PLAN_ROWS) {
      const tr = el('tr', {}, el('th', { scope: 'row', text: label }));
      ys.forEach((y, i) => {
        if (kind === 'derived' || (kind || '').startsWith('growth')) {
          tr.append(el('td', { class: 'derived', 'data-derived': key + ':' + i, text: '' }));
          return;
        }
        const id = 'plan-' + key + '-' + i;
        const inp = el('input', { type: 'text', id, value: y[key] === undefined ? '' : String(y[key]), 'data-input': 'plan.years[' + i + '].' + key,
          'aria-label': YEARS[i] + ' ' + label, inputmode: kind === 'num' ? 'numeric' : null, placeholder: kind === 'date' ? 'YYYY-MM-DD' : '' });
        inp.addEventListener('input', () => {
          const all = planYears();
          const v = inp.value.trim();
          if (v === '') delete all[i][key]; else all[i][key] = kind === 'num' && /^\d+$/.test(v) ? Number(v) : v;
          let n = all.length;
          while (n > 0 && Object.keys(all[n - 1]).length === 0) n--;
          state.input.plan = { years: all.slice(0, n) };
          if (n === 0) delete state.input.plan;
          save();
          clearTimeout(planTimer);
          planTimer = setTimeout(updatePlan, 300);
        });
        tr.append(el('td', {}, inp));
      });
      tb.append(tr);
    }
    t.append(tb);
  }
  function growth(a, b) { // per mille of b over a, floored, shown as x.x% (integers only)
    if (a === null || b === null || a === undefined || b === undefined || a <= 0) return '';
    const d = BigInt(b) - BigInt(a);
    let pm = (d * 1000n) / BigInt(a);
    if (d < 0n && (d * 1000n) % BigInt(a) !== 0n) pm -= 1n;
    const neg = pm < 0n;
    const abs = neg ? -pm : pm;
    return (neg ? '-' : '') + (abs / 10n) + '.' + (abs % 10n) + '%';
  }
  async function updatePlan() {
    const box = $('plan-results');
    const errBox = $('plan-errors');
    const years = ((state.input.plan || {}).years || []);
    if (years.length < 2) { box.textContent = ''; errBox.textContent = ''; return; }
    let r;
    try { r = await api('POST', 'plan', state.input); } catch (err) {
      showErrors($('keikaku'), err, false);
      return;
    }
    planAnswer = r;
    if ($('keikaku').querySelector('[aria-invalid]')) status('');
    clearErrors($('keikaku'));
    errBox.textContent = '';
    const ys = r.plan.years;
    document.querySelectorAll('[data-derived]').forEach((td) => {
      const [k, i] = td.dataset.derived.split(':');
      const y = ys[Number(i)];
      if (!y) { td.textContent = ''; return; }
      if (k === 'va_growth' || k === 'tw_growth') {
        const m = k === 'va_growth' ? 'value_added' : 'total_wages';
        td.textContent = Number(i) > 0 && ys[0] ? growth(ys[0][m], y[m]) : '';
      } else td.textContent = y[k] === null || y[k] === undefined ? '' : Number(y[k]).toLocaleString('ja-JP');
    });
    // keep what the reader opened across re-renders; a frame whose requirement starts failing opens by itself
    const wasOpen = new Set(Array.from(box.querySelectorAll('details[open]')).map((d) => d.dataset.planFrame));
    const wasFailing = new Set(Array.from(box.querySelectorAll('details[data-failing]')).map((d) => d.dataset.planFrame));
    box.textContent = '';
    box.append(el('h2', { text: '要件の確認（年ごと）' }));
    if (r.plan.warnings && r.plan.warnings.length) box.append(el('ul', {}, r.plan.warnings.map((w) => el('li', { text: typeof w === 'string' ? w : JSON.stringify(w) }))));
    const show = r.results.filter((x) => x.requirements.some((q) => q.applies));
    show.forEach((fr) => {
      const failing = fr.requirements.some((q) => q.applies && q.result === false);
      const d = el('details', { class: 'card', 'data-plan-frame': fr.frame, 'data-failing': failing,
        open: wasOpen.has(fr.frame) || (failing && !wasFailing.has(fr.frame)) },
        el('summary', {}, el('strong', { text: fr.frame_name + ' ' }),
        el('span', { class: 'verdict v-' + fr.verdict, text: VERDICT[fr.verdict] })));
      const ul = el('ul', { class: 'reasons' });
      fr.requirements.filter((q) => q.applies).forEach((q) => {
        const marks = (q.years || []).map((v, i) => (i + 1) + '年後 ' + (v === true ? '○' : v === false ? '×' : '？')).join('　');
        ul.append(el('li', {}, el('span', { class: q.result === true ? 'yes' : q.result === false ? 'no' : 'unknown', text: q.result === true ? '○ ' : q.result === false ? '× ' : '？ ' }),
          q.text, el('div', { class: 'hint', text: q.values }), marks ? el('div', { text: marks }) : null,
          q.fix ? el('div', { class: 'no', text: '通るための最小の変更: ' + q.fix }) : null, sourceLinks(q.source)));
      });
      d.append(ul);
      box.append(d);
    });
  }
  async function downloadXlsx() {
    try {
      const r = await api('POST', 'plan.xlsx', state.input);
      const blob = await r.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: 'hojo-plan.xlsx' });
      document.body.append(a);
      a.click();
      a.remove();
      status('Excel ファイルをダウンロードしました。');
    } catch (err) { showErrors($('keikaku'), err); }
  }

  // --- 経費
  function expLines() { return state.input.expense_lines || (state.input.expense_lines = []); }
  // the chosen frame's expense rules (GET /api/v1/rules/{frame}: frames[].expenses)
  const frameExpenses = {};
  async function expRules(frame) {
    if (!frame) return null;
    if (!frameExpenses[frame]) {
      try {
        const d = await api('GET', 'rules/' + encodeURIComponent(frame));
        const ed = d.programs[0].editions[0];
        frameExpenses[frame] = ed.frames[0].expenses;
      } catch (err) { return null; }
    }
    return frameExpenses[frame];
  }
  // one option per category id (an id may be listed twice with unit-price bounds)
  function expOptions(list) {
    const by = new Map();
    list.forEach((c) => by.set(c.id, (by.has(c.id) ? by.get(c.id) + '／' : '') + c.name));
    return [...by].map(([id, name]) => el('option', { value: id, text: name }));
  }
  async function renderExpenses() {
    const sel = $('exp-frame');
    sel.textContent = '';
    const frames = lastCheck ? lastCheck.results : [];
    if (!frames.length) sel.append(el('option', { value: '', text: '（先に診断・結果で枠を出してください）' }));
    frames.forEach((r) => sel.append(el('option', { value: r.frame, text: r.program_name + ' ' + r.frame_name, selected: state.expFrame === r.frame })));
    if (!state.expFrame && frames[0]) state.expFrame = frames[0].frame;
    const x = await expRules(state.expFrame);
    const note = $('exp-frame-note');
    note.textContent = '';
    if (x) {
      const what = x.list === 'complete' ? 'この枠の補助対象経費の区分です。一覧にない区分は対象外です。'
        : x.list === 'partial' ? '資料はこの枠の区分を一部しか挙げていません。一覧にない区分の行は要確認になります。区分は一覧から選ぶか、ID か名前で入力します。'
          : 'この枠の補助対象経費の区分は資料にありません。行はすべて要確認になります。区分は ID（例: machinery）か名前で入力します。';
      note.append(what + ' ', x.source ? sourceLinks(x.source) : '');
      if (x.note) note.append(el('span', { class: 'hint', text: ' ' + x.note }));
    }
    const useSelect = x && x.list === 'complete' && x.categories.length;
    const box = $('exp-lines');
    box.textContent = '';
    if (x && !useSelect && x.categories.length) box.append(el('datalist', { id: 'exp-cat-list' }, expOptions(x.categories)));
    const lines = expLines();
    if (!lines.length) lines.push({});
    lines.forEach((ln, i) => {
      const row = el('div', { class: 'exp-line', role: 'group', 'aria-label': '経費 ' + (i + 1) + ' 行目' });
      [['name', '品名'], ['category', '区分'], ['unit_price', '単価（円）'], ['quantity', '数量']].forEach(([k, lab]) => {
        const id = 'exp-' + k + '-' + i;
        const cur = ln[k] === undefined ? '' : String(ln[k]);
        let inp;
        if (k === 'category' && useSelect) {
          inp = el('select', { id, 'data-input': 'expense_lines[' + i + '].' + k },
            el('option', { value: '', text: '（区分を選んでください）' }),
            el('optgroup', { label: 'この枠の補助対象経費' }, expOptions(x.categories)),
            x.excluded.length ? el('optgroup', { label: 'この枠では対象外の経費' }, expOptions(x.excluded)) : null,
            x.undetermined.length ? el('optgroup', { label: 'この枠での扱いが要確認の経費' }, expOptions(x.undetermined)) : null);
          // a category typed before or read from a file is kept, not lost
          if (cur && ![...inp.options].some((o) => o.value === cur)) inp.append(el('option', { value: cur, text: cur }));
          inp.value = cur;
          inp.addEventListener('change', () => {
            if (inp.value === '') delete ln[k]; else ln[k] = inp.value;
            save();
          });
        } else {
          inp = el('input', { type: 'text', id, value: cur, 'data-input': 'expense_lines[' + i + '].' + k, list: k === 'category' && x && x.categories.length ? 'exp-cat-list' : null });
          inp.addEventListener('input', () => {
            const v = inp.value.trim();
            if (v === '') delete ln[k]; else ln[k] = k === 'quantity' && /^\d+$/.test(v) ? Number(v) : v;
            save();
          });
        }
        row.append(el('div', { class: 'field' }, el('label', { for: id, text: lab + '（' + (i + 1) + '行目）' }), inp));
      });
      row.append(el('button', { type: 'button', onclick: () => { lines.splice(i, 1); save(); renderExpenses(); }, text: '削除', 'aria-label': (i + 1) + '行目を削除' }));
      box.append(row);
    });
    save();
  }
  async function checkExpenses() {
    const box = $('exp-results');
    state.expFrame = $('exp-frame').value;
    save();
    const input = Object.assign({}, state.input);
    input.expense_lines = expLines().filter((l) => Object.keys(l).length);
    try {
      const r = await api('POST', 'expenses?frame=' + encodeURIComponent(state.expFrame), input);
      clearErrors($('keihi'));
      box.textContent = '';
      r.results.forEach((x) => {
        box.append(el('h2', { text: x.frame_name + ': ' + VERDICT[x.verdict] }));
        box.append(el('p', { text: '対象の経費 ' + yen(x.eligible_total_yen) + '、対象外 ' + yen(x.refused_total_yen) + '、要確認 ' + yen(x.pending_total_yen) + '、補助額 ' + yen(x.subsidy_yen) }));
        if (x.categories.length) box.append(el('ul', {}, x.categories.map((c) => el('li', { text: c.name + ': ' + yen(c.total_yen) + '（' + c.lines + '行）' }))));
        if (x.refused.length) {
          box.append(el('h3', { text: '対象外の行' }));
          box.append(el('ul', {}, x.refused.map((c) => el('li', { 'data-refused': c.name }, c.name + '（' + yen(c.amount_yen) + '）: ' + c.reason + ' ', sourceLinks(c.source)))));
        }
        if (x.pending.length) {
          box.append(el('h3', { text: '要確認の行' }));
          box.append(el('ul', {}, x.pending.map((c) => el('li', {}, c.name + '（' + yen(c.amount_yen) + '）: ' + (c.reason || '') + ' ', sourceLinks(c.source)))));
        }
      });
      status('経費を確かめました。');
    } catch (err) { showErrors($('keihi'), err); }
  }

  // --- DX自己診断 (data/dx-checklist.json)
  async function renderDx() {
    const box = $('dx-body');
    if (box.dataset.done) return;
    box.dataset.done = '1';
    const d = await (await fetch('data/dx-checklist.json')).json();
    box.append(el('p', {}, d.title + '（', sourceLinks(d.source), '）'), el('p', { class: 'hint', text: d.note }));
    d.areas.forEach((a) => {
      const fs = el('fieldset', {}, el('legend', { text: '(' + a.no + ') ' + a.name }));
      a.items.forEach((it) => {
        const id = 'dx-' + a.id + '-' + it.id;
        const c = el('input', { type: 'checkbox', id, checked: !!state.dx[id] });
        c.addEventListener('change', () => { state.dx[id] = c.checked; save(); reading(); });
        fs.append(el('div', { class: 'check' }, el('label', { for: id }, c, it.text)));
      });
      box.append(fs);
    });
    const out = el('div', { id: 'dx-reading', 'aria-live': 'polite' });
    box.append(out);
    function few(a) { // fewer than numerator/denominator of the area's items checked
      const n = a.items.filter((it) => state.dx['dx-' + a.id + '-' + it.id]).length;
      return n * d.few.denominator < a.items.length * d.few.numerator;
    }
    function reading() {
      const f = d.areas.map(few);
      let id = 'none';
      if (f.every((x) => x)) id = 'first_step';
      else if (f[0] && !f[1] && !f[2]) id = 'vision_first';
      else if (!f[0] && !f[1] && !f[2] && f[3]) id = 'connect';
      const r = d.readings.find((x) => x.id === id);
      out.textContent = '';
      out.append(el('h2', { text: '結果の読み方' }), el('p', {}, el('strong', { text: r.when + ': ' }), r.state),
        el('p', {}, el('strong', { text: '次の一歩: ' }), r.next), el('p', {}, sourceLinks(r.source)), el('p', { class: 'hint', text: d.few.reading }));
    }
    reading();
  }

  // --- 支援機関 (data/support.json)
  async function renderSupport() {
    const box = $('shien-body');
    if (box.dataset.done) return;
    box.dataset.done = '1';
    const d = await (await fetch('data/support.json')).json();
    const regions = [...new Set(d.items.map((x) => x.region))];
    const rs = el('select', { id: 'shien-region' }, el('option', { value: '', text: 'すべての地域' }), regions.map((r) => el('option', { value: r, text: r })));
    const ks = el('select', { id: 'shien-kind' }, el('option', { value: '', text: 'すべての支援' }), d.kinds.map((k) => el('option', { value: k.id, text: k.label })));
    const list = el('ul', { id: 'shien-list', 'aria-live': 'polite' });
    box.append(el('p', {}, d.title + '（', sourceLinks(d.source), '）'), el('p', { class: 'hint', text: d.note }),
      el('div', { class: 'field' }, el('label', { for: 'shien-region', text: '地域' }), rs),
      el('div', { class: 'field' }, el('label', { for: 'shien-kind', text: '支援の種類' }), ks), list);
    function show() {
      list.textContent = '';
      const hit = d.items.filter((x) => (!rs.value || x.region === rs.value) && (!ks.value || x.kinds.includes(ks.value)));
      hit.forEach((x) => list.append(el('li', { class: 'card' }, el('strong', { text: x.name }), el('div', { text: '支援内容: ' + x.help }),
        el('div', { text: '連絡先: ' + x.contact }), el('div', {}, '地域: ' + x.region + '　', sourceLinks(x.source)))));
      if (!hit.length) list.append(el('li', { text: '当てはまる支援機関は資料にありません。' }));
    }
    rs.addEventListener('change', show);
    ks.addEventListener('change', show);
    show();
  }

  // --- 報告書
  async function renderReport() {
    const box = $('report-body');
    box.textContent = '読み込み中…';
    let r;
    try { r = await check(); } catch (err) { box.textContent = '入力に誤りがあります。診断に戻って直してください。'; return; }
    if (r.coverage && r.coverage.length) await loadNames();
    box.textContent = '';
    const today = new Date();
    box.append(el('h2', { text: (r.applicant.name || '（名前なし）') + ' 様　補助金の診断結果' }));
    box.append(el('p', { text: '作成日: ' + today.getFullYear() + '年' + (today.getMonth() + 1) + '月' + today.getDate() + '日　判定の基準日: ' + (r.as_of || '指定なし') }));
    // the same 要確認 on coverage as 結果 and hojo check
    if (r.coverage && r.coverage.length) box.append(coverageNotice(r, 'report-coverage'));
    const ranked = r.results.filter((x) => x.verdict !== 'ineligible');
    box.append(el('h2', { text: '申請を検討できる枠（順位順）' }));
    if (!ranked.length) box.append(el('p', { text: '受付中の枠で、対象または要確認のものはありません。' }));
    const ol = el('ol', { id: 'report-ranked' });
    ranked.forEach((x) => {
      const li = el('li', { class: 'card' }, el('strong', { text: x.program_name + ' ' + x.frame_name }), '　',
        el('span', { class: 'verdict v-' + x.verdict, text: VERDICT[x.verdict] }), '　',
        x.verdict === 'eligible' ? '補助額 ' + yen(x.subsidy_yen) : '');
      const why = x.reasons.filter((q) => q.kind === 'condition' || q.kind === 'step' || q.kind === 'subsidy');
      li.append(el('ul', {}, why.map((q) => el('li', { text: (q.result === true ? 'はい: ' : q.result === false ? 'いいえ: ' : '未確認: ') + q.text }))));
      if (x.verdict === 'undetermined' && x.missing_facts.length)
        li.append(el('p', { text: '確かめること: ' + x.missing_facts.map((m) => m.label).join('、') }));
      ol.append(li);
    });
    box.append(ol);
    const out = r.results.filter((x) => x.verdict === 'ineligible');
    if (out.length) box.append(el('h2', { text: '対象外の枠' }), el('p', { text: out.map((x) => x.program_name + ' ' + x.frame_name).join('、') }));
    box.append(el('h2', { text: '出典（資料名）' }));
    const docs = r.documents || {};
    box.append(el('ul', {}, Object.keys(docs).sort().map((k) => el('li', { text: k + ': ' + docs[k].title + (docs[k].issuer ? '（' + docs[k].issuer + '）' : '') }))));
    box.append(el('p', { id: 'report-version', text: 'この結果は規則集「' + r.rulebook.name + '」版 ' + r.rulebook.version + '（ハッシュ ' + (rulesVersion || r.rulebook.hash) + '）で判定しました。補助金の最終的な可否は各制度の公募要領と事務局の審査によります。' }));
  }

  // --- save / open the case as a file (the CLI's input format: JSON)
  function saveFile() {
    const blob = new Blob([JSON.stringify(state.input, null, 2) + '\n'], { type: 'application/json' });
    const a = el('a', { href: URL.createObjectURL(blob), download: 'hojo-case.json' });
    document.body.append(a);
    a.click();
    a.remove();
    status('ファイルに保存しました（hojo check で読めます）。');
  }
  function openFile(ev) {
    const f = ev.target.files[0];
    if (!f) return;
    f.text().then((t) => {
      let v;
      try { v = JSON.parse(t); } catch (e) { status('JSON として読めません。このページは JSON のファイルを開けます（YAML はコマンドの hojo check で読んでください）。'); return; }
      state = { input: v, unknown: [], asked: [], dx: state.dx, expFrame: '', step: 0 };
      save();
      renderQuestion();
      status('ファイルを開きました。');
    });
  }

  // --- the office pages (web/office.js) are loaded when first needed: the
  // diagnosis alone does not carry them (first load under 150 KB)
  const OFFICE = ['account', 'reset', 'shinsei', 'app', 'tenpu', 'teishutsu', 'uketsuke', 'jimu', 'hikaku', 'kikan', 'itool', 'toolreview'];
  OFFICE.push('kofu', 'jisseki', 'kensa', 'nenji', 'tokusoku', 'seika'); // web/awards.js (issue 12)
  OFFICE.push('shinsa', 'jimu-shinsa', 'shinsa-katen', 'shinsa-rieki', 'shinsa-wariate', 'shinsa-ten', 'shinsa-saitaku', 'yakuwari', 'tsuchi'); // web/review.js
  let officeLoading = null;
  function loadOffice() {
    return officeLoading || (officeLoading = new Promise((resolve) => {
      // web/parties.js, web/review.js and web/awards.js first: their views exist when office.js draws the page it starts on
      const office = () => document.head.append(el('script', { src: 'office.js', onload: resolve, onerror: resolve }));
      const awards = () => document.head.append(el('script', { src: 'awards.js', onload: office, onerror: office })); // issue 12
      const review = () => document.head.append(el('script', { src: 'review.js', onload: awards, onerror: awards })); // issue 11
      document.head.append(el('script', { src: 'parties.js', onload: review, onerror: review }));
    }));
  }

  // --- views
  // quiet: the case changed under the same view (office views not asked again)
  function show(quiet) {
    if (quiet !== true) status('');
    const [id, arg] = (location.hash || '#shindan').slice(1).split(/[/=]/); // #app/12, #reset=TOKEN
    const views = Array.from(document.querySelectorAll('.view'));
    const v = views.find((x) => x.id === id) || views[0];
    views.forEach((x) => { x.hidden = x !== v; });
    document.querySelectorAll('[data-nav]').forEach((a) => {
      if (a.dataset.nav === v.id) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    if (v.id === 'kekka') renderResults();
    if (v.id === 'keikaku') { renderPlanTable(); updatePlan(); }
    if (v.id === 'keihi') (lastCheck ? Promise.resolve() : check().catch(() => null)).then(renderExpenses);
    if (v.id === 'dx') renderDx();
    if (v.id === 'shien') renderSupport();
    if (v.id === 'report') renderReport();
    if (hojo.views[v.id] && quiet !== true) hojo.views[v.id](arg ? decodeURIComponent(arg) : '');
    else if (OFFICE.includes(v.id)) loadOffice(); // it draws the view when it starts
    hojo.shown(v.id);
    document.title = v.querySelector('h1').textContent + ' - hojo 補助金診断';
  }

  async function init() {
    try { facts = await api('GET', 'facts'); } catch (err) { status('サーバーに接続できません。'); return; }
    $('q-form').addEventListener('submit', nextStep);
    $('q-back').addEventListener('click', () => { state.step = Math.max(0, (state.step || 0) - 1); save(); renderQuestion(); });
    $('q-result').addEventListener('click', () => { location.hash = '#kekka'; $('main').focus(); });
    $('save-file').addEventListener('click', saveFile);
    $('open-file').addEventListener('change', openFile);
    $('clear-all').addEventListener('click', () => {
      if (!window.confirm('入力をすべて消します。よろしいですか。')) return;
      state = { input: {}, unknown: [], asked: [], dx: {}, expFrame: '' };
      save();
      renderQuestion();
    });
    $('plan-xlsx').addEventListener('click', downloadXlsx);
    $('exp-add').addEventListener('click', async () => { expLines().push({}); save(); await renderExpenses(); const i = document.querySelectorAll('.exp-line input, .exp-line select'); if (i.length) i[i.length - 4].focus(); });
    $('exp-check').addEventListener('click', checkExpenses);
    $('exp-frame').addEventListener('change', () => { state.expFrame = $('exp-frame').value; save(); renderExpenses(); });
    $('print').addEventListener('click', () => window.print());
    window.addEventListener('hashchange', () => { show(); $('main').focus(); });
    // an application open in this browser (or a session): its case before the first drawing
    const first = (location.hash || '').slice(1).split(/[/=]/)[0];
    if (OFFICE.includes(first) || localStorage.getItem('hojo.open.v1') || localStorage.getItem('hojo.signed.v1')) {
      loadOffice();
      if (localStorage.getItem('hojo.open.v1')) await Promise.race([caseSet, new Promise((r) => setTimeout(r, 3000))]);
    }
    ready = true;
    renderQuestion();
    show();
  }
  let caseReady;
  const caseSet = new Promise((r) => { caseReady = r; });
  // what web/office.js (the application pages) uses: the case being edited,
  // the helpers, and one renderer per view of its own (views[id](arg))
  let ready = false;
  const hojo = window.hojo = {
    el, status, showErrors, clearErrors, views: {}, shown: () => {},
    getCase: () => state,
    // edit another case (an application's) kept by 'keeper'; null: back to this browser's case
    setCase(s, keeper) {
      state = s || load();
      keep = keeper || keepLocal;
      lastCheck = null;
      const dx = $('dx-body');
      dx.textContent = '';
      delete dx.dataset.done;
      if (ready) { renderQuestion(); show(true); }
    },
    blank: () => ({ input: {}, unknown: [], asked: [], dx: {}, expFrame: '' }),
    caseReady: () => caseReady(), // web/office.js: the open application's case is set
  };
  init();
}());
