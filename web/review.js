// hojo review pages (issue 11 §4), loaded after web/parties.js and before
// web/office.js, using its helpers (hojo.office): the reviewer's queue and
// scoring form (#shinsa, #shinsa/APP: the criteria beside the application,
// its plan and the engine's explanation; a score and a comment per
// criterion kept in localStorage under hojo.review.v1.<assignment> until
// the server acknowledges the save, If-Match on every save; submit; a
// conflict declared); the secretariat's pages under 事務局 (#jimu-shinsa
// settings, #shinsa-katen 加点, #shinsa-rieki conflicts, #shinsa-wariate
// assignments, #shinsa-ten scores and ranking, #shinsa-saitaku selection
// with its cut line, commit by an administrator, notices); the
// administrator's roles page (#yakuwari); the applicant's notices (#tsuchi,
// and a section on #app/ID). Talks only to the routes of
// include/hojo/grants/review.h (docs/api.md "Review and selection"), the
// call's budgets (PATCH /api/v1/calls/{id}) and the accounts' roles. Long
// lists are asked for a page at a time, so a call of 100,000 applications
// stays usable (bench/review-web.js). Scores are exact fractions: shown
// from their numerator and denominator with integer arithmetic only.
'use strict';
(function () {
  const hojo = window.hojo;
  if (!hojo) return;
  const { el, status, showErrors } = hojo;
  const $ = (id) => document.getElementById(id);
  const o = () => hojo.office;
  const ok = (r) => r.status >= 200 && r.status < 300;
  const KEEP = 'hojo.review.v1.'; // + assignment: {base, pending, scores, comments, reason}
  const DEBOUNCE = 800;
  const yen = (n) => (n === null || n === undefined || n === '' ? '—' : Number(n).toLocaleString('ja-JP') + '円');
  const roles = () => ((o() && o().me() && o().me().account.roles) || []);
  const isStaff = () => roles().some((x) => x === 'staff' || x === 'admin');
  const isAdmin = () => roles().includes('admin');
  // an application named by its company: x.company_name and x.application (or x.id)
  const appName = (x, id) => {
    const n = id === undefined ? (x && typeof x === 'object' ? x.application ?? x.id : x) : id;
    const c = x && typeof x === 'object' ? x.company_name : names[n];
    return (c ? c + '（申請 ' + n + '）' : '申請 ' + n);
  };
  const names = {}; // company names by application id, as read
  const learn = (xs) => (xs || []).forEach((x) => { if (x && x.company_name) names[x.application ?? x.id] = x.company_name; });
  const STATE = { null: '未着手', draft: '下書き', submitted: '提出済み' };
  const TRUTH = { true: '該当', false: '非該当', unknown: '要確認' };
  const CONF = { pending: '未確認', confirmed: '確認済み', rejected: '却下' };
  const CTYPE = { company: '同じ会社', support_agency: '同じ認定支援機関', relationship: '関係がある', other: 'その他' };
  const OUTCOME = { adopted: '採択', rejected: '不採択', excluded: '順位の対象外' };
  const STOP = { budget: '予算の上限', slots: '採択数の上限', none: '上限に達せず' };
  const TB = { bonus_desc: '加点の多い順', request_asc: '補助金額の少ない順', request_desc: '補助金額の多い順', submitted_asc: '提出の早い順', criterion_desc: '審査項目の平均の高い順（criterion_desc:項目ID）' };

  // --- exact fractions: {value: "77/2"}, "7/2", 7, {num,den}; shown without floating point
  function frac(v) {
    if (v === null || v === undefined || v === '') return null;
    let n;
    let d = 1n;
    try {
      if (typeof v === 'object' && 'value' in v) return frac(v.value); // {value: "77/2", text: "38.50"}
      if (typeof v === 'object') { n = BigInt(v.num ?? v.n ?? v.numerator); d = BigInt(v.den ?? v.d ?? v.denominator ?? 1); }
      else if (typeof v === 'string' && v.includes('/')) { const [a, b] = v.split('/'); n = BigInt(a.trim()); d = BigInt(b.trim()); }
      else if (typeof v === 'string' && /^-?\d+\.\d+$/.test(v)) { const [a, b] = v.split('.'); d = 10n ** BigInt(b.length); n = BigInt(a + b); }
      else n = BigInt(v);
    } catch (e) { return null; }
    if (d < 0n) { n = -n; d = -d; }
    return d === 0n ? null : { n, d };
  }
  // the decimal when it ends within 2 digits, else "n/d（約 x.xx）" (truncated, integers only)
  function fracText(v) {
    const f = frac(v);
    if (!f) return v === null || v === undefined || v === '' ? '—' : String(v);
    const g = (a, b) => (b === 0n ? a : g(b, a % b));
    const k = g(f.n < 0n ? -f.n : f.n, f.d) || 1n;
    const n = f.n / k;
    const d = f.d / k;
    const dec = (num) => {
      const neg = num < 0n;
      const a = neg ? -num : num;
      const s = (a / 100n).toString() + '.' + (a % 100n).toString().padStart(2, '0');
      return (neg ? '-' : '') + s.replace(/\.?0+$/, '');
    };
    if ((n * 100n) % d === 0n) return dec((n * 100n) / d);
    return n + '/' + d + '（約 ' + dec((n * 100n) / d) + '）';
  }

  // frame names by id, from the calls (GET /api/v1/calls: frames[].name)
  let calls = null;
  const frameNames = {};
  async function loadCalls(force) {
    if (calls && !force) return calls;
    const r = await o().call('GET', 'calls');
    calls = r.status === 200 ? o().list(r.json, 'calls') : [];
    calls.forEach((c) => (c.frames || []).forEach((f) => { if (f.name) frameNames[f.frame] = f.name; }));
    return calls;
  }
  const fname = (id) => frameNames[id] || id;

  // --- the reviewer's queue, 20 a page (GET /api/v1/reviewer/queue?page&per_page: items, total)
  const QUEUE_PER = 20;
  let queuePage = 1;
  hojo.views.shinsa = async (arg) => {
    const box = $('shinsa-body');
    const { call, need, firstMessage, list } = o() || {};
    if (!o() || !need(box, 'apps')) return;
    if (arg) return scoring(box, arg);
    $('shinsa-h').textContent = '審査: わたしの担当';
    box.textContent = '読み込み中…';
    await loadCalls();
    const r = await call('GET', 'reviewer/queue?page=' + queuePage + '&per_page=' + QUEUE_PER);
    box.textContent = '';
    if (r.absent) { box.append(el('p', { class: 'notice', text: 'このサーバーにはまだ審査の機能がありません（API /api/v1/reviewer/queue がありません）。' })); return; }
    if (r.status === 403) { box.append(el('p', { class: 'notice', text: 'この画面は審査員だけが使えます（管理者が審査員の役割を付けます）。' })); return; }
    if (r.status !== 200) { box.append(el('p', { class: 'error', text: '担当の一覧を読めません: ' + firstMessage(r) })); return; }
    const xs = list(r.json, 'items');
    // past the last page (an application left the queue): the last one
    if (!xs.length && queuePage > 1 && r.json.total > 0) { queuePage = Math.ceil(r.json.total / QUEUE_PER); return hojo.views.shinsa(); }
    if (!xs.length) { box.append(el('p', { id: 'queue-none', text: '担当する申請はまだありません（利益相反のある申請は表示されません）。' })); return; }
    box.append(el('div', { class: 'table-wrap' }, el('table', { id: 'queue-table' }, el('caption', { text: '担当する申請（全 ' + (r.json.total ?? xs.length) + ' 件）' }),
      el('thead', {}, el('tr', {}, ['申請', '公募回', '枠', '採点', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => {
        const st = x.review_state;
        return el('tr', { 'data-app': x.application, 'data-assignment': x.assignment },
          el('th', { scope: 'row' }, el('a', { href: '#shinsa/' + x.application, text: appName(x) })),
          el('td', { text: x.call_title || '' }),
          el('td', { text: (x.frames || []).map(fname).join('、') }),
          el('td', { class: 'review-state', text: (STATE[st] || st) + (x.review_version ? '（版 ' + x.review_version + '）' : '') }),
          el('td', {}, el('a', { href: '#shinsa/' + x.application, text: st === 'submitted' ? '見る・直す' : '採点する', 'aria-label': appName(x) + ' を' + (st === 'submitted' ? '見る・直す' : '採点する') })));
      })))));
    box.append(o().pageNav(r.json, (n) => { queuePage = n; hojo.views.shinsa(); }, '担当の一覧のページ送り', 'queue-pager'));
  };

  // the review kept in this browser until the server acknowledges it
  const keepKey = (asg) => KEEP + asg;
  const readKeep = (asg) => { try { return JSON.parse(localStorage.getItem(keepKey(asg)) || 'null'); } catch (e) { return null; } };

  // --- the scoring form: criteria beside the application, its plan and the engine's explanation
  async function scoring(box, id) {
    const { call, firstMessage } = o();
    $('shinsa-h').textContent = '審査: 申請 ' + id + ' の採点';
    box.textContent = '読み込み中…';
    await loadCalls();
    const r = await call('GET', 'reviewer/applications/' + encodeURIComponent(id));
    box.textContent = '';
    if (r.status !== 200) {
      box.append(el('p', { class: 'error', id: 'shinsa-error', text: r.status === 404 ? 'この申請は担当ではないか、利益相反のため表示できません。' : '申請を読めません: ' + firstMessage(r) }),
        el('p', {}, el('a', { href: '#shinsa', text: '担当の一覧へ' })));
      return;
    }
    const j = r.json;
    const a = j.application || {};
    const asg = j.assignment;
    const review = j.review || {};
    const criteria = j.criteria || [];
    const scale = j.scale || {};
    const lo = Number(scale.min);
    const hi = Number(scale.max);
    const etag = Number((r.headers.get('ETag') || '').replace(/[W/"]/g, '') || review.version || 0);
    let server = { version: etag, state: review.state || 'draft' };
    const kept = readKeep(asg);
    const cur = kept && kept.pending ? kept : { scores: review.scores || {}, comments: review.comments || {} };
    $('shinsa-h').textContent = '審査: ' + appName(a, a.id) + ' の採点';
    box.append(el('p', {}, el('a', { href: '#shinsa', text: '← 担当の一覧へ' })));
    const grid = el('div', { class: 'review-grid' });
    // the application as the reviewer sees it
    const left = el('section', { class: 'review-app', 'aria-labelledby': 'rv-app-h' }, el('h2', { id: 'rv-app-h', text: '申請の内容' }));
    const d = a.data || {};
    const ap = d.applicant || {};
    const pj = d.project || {};
    const dd = (v) => (v === undefined || v === null || v === '' ? '—' : v === true ? 'はい' : v === false ? 'いいえ' : String(v));
    left.append(el('dl', { class: 'facts', id: 'rv-facts' },
      el('dt', { text: '会社' }), el('dd', { text: a.company_name || ap.name || '' }),
      el('dt', { text: '公募回' }), el('dd', { text: (j.call && j.call.title) || '' }),
      el('dt', { text: '枠' }), el('dd', { text: (a.frames || []).map(fname).join('、') }),
      el('dt', { text: '業種' }), el('dd', { text: dd(ap.industry) }),
      el('dt', { text: '資本金' }), el('dd', { text: dd(ap.capital) }),
      el('dt', { text: '従業員数' }), el('dd', { text: dd(ap.employees) }),
      el('dt', { text: '所在地' }), el('dd', { text: dd(ap.prefecture) }),
      el('dt', { text: '事業費' }), el('dd', { text: dd(pj.expenses) }),
      el('dt', { text: '提出' }), el('dd', { text: o().when(a.submitted_at) })));
    if ((a.attachments || []).length) {
      left.append(el('h3', { text: '添付書類' }), el('ul', { id: 'rv-attachments' }, a.attachments.map((x) => el('li', {},
        el('a', { href: 'api/v1/attachments/' + x.id, download: x.name, text: x.name }), '（' + x.kind + '）'))));
    }
    left.append(await planTable(d, j.plan, a.frames), explanation(j.explanation || [], j.unreadable));
    grid.append(left);
    // the form
    const f = el('form', { id: 'review-form', class: 'review-form', novalidate: true, 'aria-labelledby': 'rv-form-h' }, el('h2', { id: 'rv-form-h', text: '採点' }),
      el('p', { class: 'hint', id: 'rv-scale', text: '各審査項目を ' + lo + '〜' + hi + ' の整数で採点し、項目ごとに講評を書きます。' + (scale.note ? '（' + scale.note + '）' : '') }),
      el('p', { id: 'rv-state', class: 'save-state', role: 'status', 'aria-live': 'polite' }));
    criteria.forEach((c, i) => {
      const sid = 'rv-score-' + c.id;
      const cid = 'rv-comment-' + c.id;
      f.append(el('fieldset', { class: 'criterion', 'data-criterion': c.id },
        el('legend', { text: (i + 1) + '. ' + (c.group ? '【' + c.group + '】' : '') + c.text }),
        el('p', { class: 'hint', id: sid + '-q', text: '出典 ' + (c.source || '—') + '　重み ' + c.weight }),
        el('div', { class: 'field' }, el('label', { for: sid, text: '点数（' + lo + '〜' + hi + '）' }),
          el('input', { id: sid, type: 'number', inputmode: 'numeric', min: lo, max: hi, step: 1, 'data-input': 'scores.' + c.id, 'aria-describedby': sid + '-q', value: cur.scores[c.id] === undefined ? '' : String(cur.scores[c.id]) })),
        el('div', { class: 'field' }, el('label', { for: cid, text: '講評' }),
          el('textarea', { id: cid, rows: 2, 'data-input': 'comments.' + c.id }, cur.comments[c.id] || ''))));
    });
    const reasonBox = el('div', { class: 'field', id: 'rv-reason-field' }, el('label', { for: 'rv-reason', text: '提出後に直す理由（必須）' }),
      el('textarea', { id: 'rv-reason', rows: 2, 'data-input': 'reason' }, (kept && kept.reason) || ''));
    const saveBtn = el('button', { type: 'button', id: 'rv-save', text: '下書きを保存' });
    const submitBtn = el('button', { type: 'submit', class: 'primary', id: 'rv-submit', text: '提出する' });
    const versions = el('details', { id: 'rv-versions', class: 'file' }, el('summary', { text: 'この採点の版' }), el('div', { id: 'rv-versions-body' }));
    f.append(reasonBox, el('div', { class: 'actions' }, saveBtn, submitBtn), versions);
    grid.append(f);
    // every saved version (GET /api/v1/reviews/{id}/versions): number, state, time, the reason of a change after submission
    const loadVersions = async () => {
      const vb = versions.querySelector('#rv-versions-body');
      if (!server.version) { vb.textContent = 'まだ保存していません。'; return; }
      const v = await call('GET', 'reviews/' + encodeURIComponent(asg) + '/versions');
      vb.textContent = '';
      if (v.status !== 200) { vb.append(el('p', { class: 'error', text: '版を読めません: ' + firstMessage(v) })); return; }
      vb.append(el('ol', { id: 'rv-version-list' }, (v.json.versions || []).map((x) => el('li', { 'data-version': x.n },
        '版 ' + x.n + '　' + (STATE[x.state] || x.state) + '　' + o().when(x.saved_at ?? x.saved_at_us) + (x.reason ? '　理由: ' + x.reason : '')))));
    };
    loadVersions();
    box.append(grid);
    const stateEl = f.querySelector('#rv-state');
    const say = (s, msg) => { stateEl.dataset.state = s; stateEl.textContent = msg; };
    const showServer = () => {
      reasonBox.hidden = server.state !== 'submitted';
      submitBtn.textContent = server.state === 'submitted' ? '直した採点を提出する' : '提出する';
      saveBtn.hidden = server.state === 'submitted';
    };
    const savedText = () => (server.version ? (server.state === 'submitted' ? '提出済み（版 ' : '保存済み（版 ') + server.version + '）' : 'まだ保存していません');
    showServer();
    say('saved', savedText());
    // what the form holds now
    const read = () => {
      const sc = {};
      const cm = {};
      criteria.forEach((x) => {
        const v = f.querySelector('#rv-score-' + CSS.escape(x.id)).value.trim();
        if (v !== '') sc[x.id] = /^-?\d+$/.test(v) ? Number(v) : v;
        const t = f.querySelector('#rv-comment-' + CSS.escape(x.id)).value;
        if (t.trim()) cm[x.id] = t;
      });
      return { scores: sc, comments: cm, reason: f.querySelector('#rv-reason').value };
    };
    const keep = () => localStorage.setItem(keepKey(asg), JSON.stringify(Object.assign(read(), { base: server.version, pending: true })));
    // the page's own checks: an integer within the scale; every criterion scored to submit
    const check = (all) => {
      const errs = [];
      const now = read();
      criteria.forEach((x) => {
        const v = now.scores[x.id];
        if (v === undefined) { if (all) errs.push({ field: 'scores.' + x.id, message: '点数を入れてください（' + lo + '〜' + hi + '）。' }); }
        else if (typeof v !== 'number' || v < lo || v > hi) errs.push({ field: 'scores.' + x.id, message: lo + '〜' + hi + ' の整数で入れてください。' });
      });
      if (server.state === 'submitted' && all && !now.reason.trim()) errs.push({ field: 'reason', message: '提出後に直す理由を書いてください。' });
      return errs;
    };
    let busy = null;
    let timer = null;
    async function save(submit) {
      clearTimeout(timer);
      while (busy) await busy;
      const errs = check(submit);
      if (errs.length) { showErrors(f, { message: submit ? '提出できません' : '保存できません', errors: errs }, submit !== 'auto'); say('failed', '保存できません: 印の付いた項目を直してください'); return false; }
      hojo.clearErrors(f);
      const sent = read();
      const body = { scores: sent.scores, comments: sent.comments };
      if (server.state === 'submitted') { body.reason = sent.reason.trim(); body.submit = true; } else if (submit === true) body.submit = true;
      say('saving', '保存中…');
      let done;
      busy = new Promise((res) => { done = res; });
      const x = await call('PUT', 'reviews/' + encodeURIComponent(asg), body, { 'If-Match': '"' + server.version + '"' });
      busy = null;
      done();
      if (ok(x)) {
        server = { version: Number(x.json.version), state: x.json.state };
        const now = read();
        if (JSON.stringify([now.scores, now.comments]) === JSON.stringify([sent.scores, sent.comments])) localStorage.removeItem(keepKey(asg)); else keep();
        if (body.reason) f.querySelector('#rv-reason').value = '';
        showServer();
        say('saved', savedText());
        loadVersions();
        if (body.submit) status(body.reason ? '直した採点を提出しました（版 ' + server.version + '）。' : '採点を提出しました（版 ' + server.version + '）。');
        return true;
      }
      if (x.status === 409 || x.status === 412) {
        say('conflict', '保存できません: この採点は別の画面で保存されています。入力はこの端末に残っています。');
        const old = f.querySelector('#rv-conflict');
        if (old) old.remove();
        f.append(el('div', { class: 'notice', id: 'rv-conflict', role: 'alert' }, el('p', { text: '別の画面で保存された採点があります。' }),
          el('button', { type: 'button', text: '保存された採点を読み込む（この端末の入力を捨てる）', onclick: () => { localStorage.removeItem(keepKey(asg)); scoring(box, id); } })));
        return false;
      }
      if (x.status === 401) say('failed', '保存できません: ログインし直してください。入力はこの端末に残っています。');
      else if (x.status === 0) say('failed', '保存できません: サーバーに接続できません。入力はこの端末に残っています。');
      else { o().fail(f, x); say('failed', '保存できません: ' + firstMessage(x)); }
      return false;
    }
    f.addEventListener('input', () => {
      keep();
      say('pending', 'この端末に保存しました（サーバーへはまだ）');
      clearTimeout(timer);
      if (server.state !== 'submitted') timer = setTimeout(() => save('auto'), DEBOUNCE);
    });
    saveBtn.addEventListener('click', () => save(false));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (check(true).length) { save(true); return; }
      if (server.state !== 'submitted' && !window.confirm('採点を提出します。提出後に直すと、理由とともに新しい版として記録されます。よろしいですか。')) return;
      await save(true);
    });
    if (kept && kept.pending && kept.base !== server.version) {
      say('conflict', 'この端末の入力は版 ' + kept.base + ' からのもので、サーバーには版 ' + server.version + ' があります。');
      f.append(el('div', { class: 'notice', id: 'rv-conflict', role: 'alert' }, el('p', { text: 'この端末に残っている入力と、サーバーの採点が違います。' }),
        el('button', { type: 'button', text: 'この端末の入力で保存する', onclick: () => { f.querySelector('#rv-conflict').remove(); save(false); } }),
        el('button', { type: 'button', text: 'サーバーの採点を使う（この端末の入力を捨てる）', onclick: () => { localStorage.removeItem(keepKey(asg)); scoring(box, id); } })));
    } else if (kept && kept.pending && server.state !== 'submitted') { say('pending', 'この端末の入力を保存します…'); save('auto'); }
    box.append(conflictForm(Number(a.id || id), 'rv-cf'));
  }

  // the plan table of the application and the plan's requirements per frame: the route's
  // 'plan' (as POST /api/v1/plan answers), else POST /api/v1/plan on its data
  async function planTable(data, given, frames) {
    const sec = el('section', { class: 'review-plan', 'aria-labelledby': 'rv-plan-h' }, el('h3', { id: 'rv-plan-h', text: '事業計画' }));
    let pc = given && given.plan ? given : null;
    if (!pc && data.plan && (data.plan.years || []).length >= 2) {
      const r = await o().call('POST', 'plan', data);
      if (r.status === 200 && r.json.plan) pc = r.json;
    }
    const ys = pc ? pc.plan.years : null;
    if (!ys || !ys.length) { sec.append(el('p', { id: 'rv-plan-none', text: '事業計画の表は入力されていません。' })); return sec; }
    const ROWS = [['sales', '①売上高'], ['operating_profit', '②営業利益'], ['ordinary_profit', '③経常利益'], ['labor_cost', '④人件費'], ['depreciation', '⑤減価償却費'],
      ['value_added', '付加価値額'], ['capex', '⑥設備投資額'], ['total_wages', '⑦給与支給総額']];
    const Y = ['基準年度', '1年後', '2年後', '3年後', '4年後', '5年後'];
    sec.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': '事業計画の表（横にスクロールできます）' }, el('table', { id: 'rv-plan', class: 'plan' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '項目' }), ys.map((y, i) => el('th', { scope: 'col', text: Y[i] || i + '年後' })))),
      el('tbody', {}, ROWS.map(([k, label]) => el('tr', {}, el('th', { scope: 'row', text: label }),
        ys.map((y) => el('td', { class: 'num', text: y[k] === null || y[k] === undefined ? '' : Number(y[k]).toLocaleString('ja-JP') }))))))));
    // the requirements of the plan that apply to the application's frames (○ × ？ per year)
    const fr = new Set(frames || []);
    (pc.results || []).filter((x) => (x.requirements || []).some((q) => q.applies) && (!fr.size || fr.has(x.frame))).forEach((x) => {
      sec.append(el('h4', { text: (x.frame_name || fname(x.frame)) + ' の計画の要件' }), el('ul', { class: 'reasons rv-plan-req', 'data-frame': x.frame },
        x.requirements.filter((q) => q.applies).map((q) => el('li', {},
          el('span', { class: q.result === true ? 'yes' : q.result === false ? 'no' : 'unknown', text: q.result === true ? '○ ' : q.result === false ? '× ' : '？ ' }),
          q.text, q.values ? el('div', { class: 'hint', text: q.values }) : null,
          (q.years || []).length ? el('div', { text: q.years.map((v, i) => (i + 1) + '年後 ' + (v === true ? '○' : v === false ? '×' : '？')).join('　') }) : null))));
    });
    return sec;
  }
  // the engine's explanation per frame, as the reviewer route gives it
  function explanation(results, unreadable) {
    const sec = el('section', { class: 'review-explain', 'aria-labelledby': 'rv-ex-h' }, el('h3', { id: 'rv-ex-h', text: 'エンジンの判定と説明' }));
    if (unreadable) sec.append(el('p', { class: 'notice', text: '申請の入力を読めません: ' + unreadable }));
    if (!results.length) { sec.append(el('p', { text: '判定はありません。' })); return sec; }
    const MARK = { true: '○ ', false: '× ', unknown: '？ ' };
    results.forEach((x) => {
      const d = el('details', { class: 'card', 'data-frame': x.frame }, el('summary', { text: (x.name || fname(x.frame)) + ': ' + (x.verdict_ja || x.verdict) + (x.subsidy !== null && x.subsidy !== undefined ? '　補助額 ' + yen(x.subsidy) : '') }));
      d.append(el('ul', { class: 'reasons' }, (x.reasons || []).map((y) => el('li', {},
        el('span', { class: y.result === 'true' ? 'yes' : y.result === 'false' ? 'no' : 'unknown', text: MARK[y.result] || '' }),
        y.text || '', y.values ? '（' + y.values + '）' : '', y.source ? el('span', { class: 'hint', text: '　' + y.source }) : null))));
      sec.append(d);
    });
    return sec;
  }

  // a conflict the reviewer declares on one application
  function conflictForm(app, pfx) {
    const { call, fail, field } = o();
    const f = el('form', { id: pfx + '-form', class: 'card', novalidate: true, 'aria-labelledby': pfx + '-h' }, el('h2', { id: pfx + '-h', text: '利益相反を申し出る' }),
      el('p', { class: 'hint', text: '申し出た申請は担当から外れ、見ることも採点することもできなくなります。申し出は取り消せません。' }),
      el('div', { class: 'field' }, el('label', { for: pfx + '-type', text: '種類' }), el('select', { id: pfx + '-type', 'data-input': 'type' }, Object.keys(CTYPE).map((k) => el('option', { value: k, text: CTYPE[k] })))),
      field(pfx + '-note', '内容（必須）', { tag: 'textarea', rows: 2, 'data-input': 'note' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '申し出る' })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const note = f.querySelector('textarea').value.trim();
      if (!note) { showErrors(f, { message: '申し出られません', errors: [{ field: 'note', message: '内容を書いてください。' }] }); return; }
      if (!window.confirm('利益相反を申し出ます。この申請は担当から外れます。よろしいですか。')) return;
      const r = await call('POST', 'reviewer/conflicts', { application: app, type: f.querySelector('select').value, note });
      if (ok(r)) { status('利益相反を申し出ました。申請 ' + app + ' は担当から外れました。'); location.hash = '#shinsa'; } else fail(f, r);
    });
    return f;
  }

  // --- the secretariat: choosing a call, and the review pages of that call
  const PAGES = [['jimu-shinsa', '審査の設定'], ['shinsa-katen', '加点の確認'], ['shinsa-rieki', '利益相反'], ['shinsa-wariate', '審査員の割当て'],
    ['shinsa-ten', '点数と順位'], ['shinsa-saitaku', '採択と通知']];
  async function staffPage(view, arg) {
    const box = $(view + '-body');
    const { need } = o() || {};
    if (!o() || !need(box, 'apps')) return null;
    if (!isStaff()) { box.textContent = 'この画面は事務局の担当者だけが使えます。'; return null; }
    box.textContent = '読み込み中…';
    const cs = await loadCalls(true);
    box.textContent = '';
    const rolesLink = isAdmin() ? el('p', {}, el('a', { href: '#yakuwari', text: '審査員の役割を付ける（管理者）' })) : '';
    if (!cs.length) { box.append(el('p', {}, '公募回がまだありません。', el('a', { href: '#jimu', text: '事務局で公募回を作る' })), rolesLink); return null; }
    const cid = arg || sessionStorage.getItem('hojo.review.call') || String(cs[cs.length - 1].id);
    sessionStorage.setItem('hojo.review.call', cid);
    const sel = el('select', { id: view + '-call' }, cs.map((c) => el('option', { value: c.id, text: c.title || c.id, selected: String(c.id) === cid })));
    sel.addEventListener('change', () => { location.hash = '#' + view + '/' + sel.value; });
    box.append(el('div', { class: 'field' }, el('label', { for: view + '-call', text: '公募回' }), sel),
      el('nav', { 'aria-label': '審査の画面', class: 'subnav' }, el('ul', {}, PAGES.map(([v, t]) => el('li', {},
        el('a', { href: '#' + v + '/' + cid, text: t, 'aria-current': v === view ? 'page' : null }))))), rolesLink);
    return { box, cid, call: cs.find((c) => String(c.id) === cid) || { id: cid, frames: [] } };
  }
  const answer = (box, r, what) => {
    if (r.status === 200 || r.status === 201) return true;
    box.append(el('p', { class: 'error', text: r.absent ? 'このサーバーにはまだこの API がありません（' + what + '）。' : '読めません: ' + o().firstMessage(r) }));
    return false;
  };
  const intOrNull = (v) => (String(v).trim() === '' ? null : Number(String(v).trim()));

  // 審査の設定 (GET/PUT /api/v1/calls/{id}/review; budgets and slots: PATCH /api/v1/calls/{id})
  hojo.views['jimu-shinsa'] = async (arg) => {
    const p = await staffPage('jimu-shinsa', arg);
    if (!p) return;
    const { call, fail, field } = o();
    const r = await call('GET', 'calls/' + p.cid + '/review');
    if (!answer(p.box, r, 'GET /api/v1/calls/{id}/review')) return;
    const j = r.json;
    const s = j.settings;
    const own = new Set(j.set_by_call || []);
    const from = (k) => (own.has(k) ? '（この公募回の設定）' : '（既定）');
    const crit = j.criteria || [];
    const bon = j.bonus_rules || [];
    const frames = s.frames || [];
    const f = el('form', { id: 'settings-form', novalidate: true }, el('h2', { text: '審査の設定' }),
      el('p', { class: 'hint', text: '資料に数値がない項目（尺度・重み・加点の点数・予算など）は事務局が公募回ごとに決めます。設定していない項目は規則集の既定を使います。' }),
      field('st-per-app', '1件あたりの審査員の数' + from('reviews_per_app'), { type: 'number', min: 1, step: 1, value: s.reviews_per_app, 'data-input': 'reviews_per_app' }),
      el('fieldset', { 'data-input': 'scale' }, el('legend', { text: '点数の尺度（整数）' + from('scale') }),
        el('p', { class: 'hint', text: s.scale.note || '' }),
        field('st-min', '最低点', { type: 'number', step: 1, value: s.scale.min, 'data-input': 'scale.min' }),
        field('st-max', '最高点', { type: 'number', step: 1, value: s.scale.max, 'data-input': 'scale.max' })),
      el('fieldset', { id: 'st-weights' }, el('legend', { text: '審査項目の重み' + from('weights') }),
        crit.map((c, i) => field('st-w-' + c.id, (i + 1) + '. ' + (c.group ? '【' + c.group + '】' : '') + c.text + '（' + c.source + '）',
          { type: 'number', min: 0, step: 1, value: s.weights[c.id], 'data-input': 'weights.' + c.id, 'data-crit': c.id }))),
      el('fieldset', { id: 'st-points' }, el('legend', { text: '加点項目の点数' + from('bonus_points') }),
        bon.map((b) => field('st-p-' + b.id, b.name + (b.group ? '（' + b.group + '）' : '') + '（' + b.source + '）',
          { type: 'number', min: 0, step: 1, value: s.bonus_points[b.id], 'data-input': 'bonus_points.' + b.id, 'data-bonus': b.id }))),
      field('st-dis', '意見が分かれたとみなす点差（審査員の合計点の最大−最小がこれを超えると要注意。0 は使わない）' + from('disagreement'), { type: 'number', min: 0, step: 1, value: s.disagreement, 'data-input': 'disagreement' }),
      field('st-tb', '同点のときの順（カンマ区切り）' + from('tiebreak'), { value: s.tiebreak, 'data-input': 'tiebreak' },
        '使える名前: ' + Object.keys(TB).map((k) => k + '＝' + TB[k]).join('、') + '。最後は申請番号の小さい順です。'),
      el('fieldset', { id: 'st-frames', 'data-input': 'frames' }, el('legend', { text: '枠ごとの予算と採択数（空欄は上限なし）' }),
        el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, ['枠', '予算（円）', '採択数（社）'].map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, frames.map((x, i) => el('tr', { 'data-frame': x.frame }, el('th', { scope: 'row', text: fname(x.frame) }),
            el('td', {}, el('input', { type: 'number', min: 0, step: 1, id: 'st-budget-' + i, 'aria-label': fname(x.frame) + ' の予算（円）', value: x.budget ?? '', 'data-input': 'frames[' + i + ']' })),
            el('td', {}, el('input', { type: 'number', min: 0, step: 1, id: 'st-slots-' + i, 'aria-label': fname(x.frame) + ' の採択数（社）', value: x.slots ?? '' })))))))),
      el('div', { class: 'check' }, el('label', { for: 'st-release' }, el('input', { type: 'checkbox', id: 'st-release', checked: !!s.feedback_release }), '不採択の通知に審査の講評を添えるのを既定にする' + from('feedback_release'))),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '設定を保存' })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const q = (id) => intOrNull(f.querySelector('#' + id).value);
      // only what changed: what the call does not set stays the rulebook's default
      const body = {};
      const put = (k, v, old) => { if (JSON.stringify(v) !== JSON.stringify(old)) body[k] = v; };
      put('reviews_per_app', q('st-per-app'), s.reviews_per_app);
      put('scale', { min: q('st-min'), max: q('st-max') }, { min: s.scale.min, max: s.scale.max });
      const w = {};
      f.querySelectorAll('[data-crit]').forEach((x) => { w[x.dataset.crit] = intOrNull(x.value); });
      put('weights', w, s.weights);
      const bp = {};
      f.querySelectorAll('[data-bonus]').forEach((x) => { bp[x.dataset.bonus] = intOrNull(x.value); });
      put('bonus_points', bp, s.bonus_points);
      put('disagreement', q('st-dis'), s.disagreement);
      put('tiebreak', f.querySelector('#st-tb').value.trim(), s.tiebreak);
      put('feedback_release', f.querySelector('#st-release').checked, s.feedback_release);
      const fr = frames.map((x, i) => ({ frame: x.frame, budget: q('st-budget-' + i), slots: q('st-slots-' + i) }));
      const frChanged = JSON.stringify(fr) !== JSON.stringify(frames.map((x) => ({ frame: x.frame, budget: x.budget, slots: x.slots })));
      if (Object.keys(body).length) {
        const x = await call('PUT', 'calls/' + p.cid + '/review', body);
        if (!ok(x)) { fail(f, x); return; }
      }
      if (frChanged) {
        const x = await call('PATCH', 'calls/' + p.cid, { frames: fr });
        if (!ok(x)) { fail(f, x); return; }
      }
      await hojo.views['jimu-shinsa'](p.cid);
      status(Object.keys(body).length || frChanged ? '審査の設定を保存しました。' : '変更はありません。');
    });
    p.box.append(f);
    if ((j.rereview || []).length) {
      p.box.append(el('h2', { text: '再審査（規則集）' }), el('ul', { id: 'rereview-list' }, j.rereview.map((x) => el('li', {
        text: fname(x.from) + ' で不採択の申請は ' + fname(x.to) + ' で審査し直す' + (x.priority ? '（同点なら優先）' : '') + (x.bonus ? '（加点 ' + x.bonus + '）' : '') + '（' + x.source + '）' + (x.note ? ' — ' + x.note : '') }))));
    }
  };

  // 加点の確認 (GET /api/v1/calls/{id}/bonuses; POST /api/v1/applications/{id}/bonuses/{bonus})
  hojo.views['shinsa-katen'] = async (arg) => {
    const p = await staffPage('shinsa-katen', arg);
    if (!p) return;
    const { call, list } = o();
    const per = 50;
    const r = await call('GET', 'calls/' + p.cid + '/bonuses?per_page=' + per + '&page=' + bonusFilter.apage);
    if (!answer(p.box, r, 'GET /api/v1/calls/{id}/bonuses')) return;
    const apps = list(r.json, 'applications');
    const total = r.json.total ?? apps.length;
    const pages = Math.max(1, Math.ceil(total / per));
    if (bonusFilter.apage > pages) { bonusFilter.apage = pages; hojo.views['shinsa-katen'](p.cid); return; }
    learn(apps);
    const first = (bonusFilter.apage - 1) * per;
    p.box.append(el('h2', { text: '加点の確認（提出された申請 ' + total + ' 件）' }),
      el('p', { class: 'hint', text: 'エンジンの判定（申請の入力から）と添付された証拠を見て、加点を確認するか、理由を書いて却下します。確認した加点だけが点数に入ります。' }));
    if (!apps.length) { p.box.append(el('p', { text: '提出された申請はまだありません。' })); return; }
    const all = [];
    apps.forEach((a) => (a.bonuses || []).forEach((b) => all.push({ a, b })));
    // the filters act on the applications of this page (kept while the page is drawn again)
    const fl = el('form', { id: 'bonus-filter', class: 'pair', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'bf-engine', text: 'エンジンの判定' }), el('select', { id: 'bf-engine' },
        [['', 'すべて'], ['true', '該当'], ['unknown', '要確認'], ['false', '非該当']].map(([v, t]) => el('option', { value: v, text: t, selected: bonusFilter.engine === v })))),
      el('div', { class: 'field' }, el('label', { for: 'bf-decision', text: '確認' }), el('select', { id: 'bf-decision' },
        [['', 'すべて'], ['pending', '未確認'], ['confirmed', '確認済み'], ['rejected', '却下']].map(([v, t]) => el('option', { value: v, text: t, selected: bonusFilter.decision === v })))));
    const out = el('div', { id: 'bonus-out' });
    const draw = () => {
      const rows = all.filter(({ b }) => (!bonusFilter.engine || b.engine === bonusFilter.engine) && (!bonusFilter.decision || b.decision === bonusFilter.decision));
      out.textContent = '';
      out.append(el('p', { id: 'bonus-count', text: rows.length + ' 件' }));
      if (rows.length) out.append(bonusTable(p, rows));
    };
    fl.addEventListener('change', () => { bonusFilter.engine = fl.querySelector('#bf-engine').value; bonusFilter.decision = fl.querySelector('#bf-decision').value; draw(); });
    p.box.append(el('p', { id: 'bonus-apps', text: '申請 ' + (first + 1) + '〜' + (first + apps.length) + ' 件目（全 ' + total + ' 件、' + per + ' 件ずつ）' }), fl, out);
    if (pages > 1) {
      p.box.append(el('nav', { class: 'actions', 'aria-label': '加点のページ送り' },
        el('button', { type: 'button', text: '前の ' + per + ' 件', disabled: bonusFilter.apage <= 1, onclick: () => { bonusFilter.apage--; hojo.views['shinsa-katen'](p.cid); } }),
        el('button', { type: 'button', text: '次の ' + per + ' 件', disabled: bonusFilter.apage >= pages, onclick: () => { bonusFilter.apage++; hojo.views['shinsa-katen'](p.cid); } })));
    }
    draw();
  };
  const bonusFilter = { engine: '', decision: '', apage: 1 };
  function bonusTable(p, rows) {
    const { call, fail, field } = o();
    return el('div', { class: 'table-wrap' }, el('table', { id: 'bonus-table' }, el('caption', { text: '申請ごとの加点項目' }),
      el('thead', {}, el('tr', {}, ['申請', '加点項目', '点', 'エンジンの判定', '証拠', '確認', '操作'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.map(({ a, b }) => {
        const label = appName(a) + ' の ' + b.name;
        const fid = 'bn-' + a.application + '-' + b.bonus;
        const form = el('form', { class: 'bonus-decide', novalidate: true },
          field(fid + '-reason', '却下の理由', { 'data-input': 'reason' }),
          el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', text: '確認する', 'aria-label': label + ' を確認する', 'data-decision': 'confirm' }),
            el('button', { type: 'button', text: '却下する', 'aria-label': label + ' を却下する', 'data-decision': 'reject' })));
        form.querySelectorAll('button').forEach((btn) => btn.addEventListener('click', async () => {
          const reason = form.querySelector('input').value.trim();
          if (btn.dataset.decision === 'reject' && !reason) { showErrors(form, { message: '却下できません', errors: [{ field: 'reason', message: '却下の理由を書いてください。' }] }); return; }
          const body = { decision: btn.dataset.decision };
          if (reason) body.reason = reason;
          const y = await call('POST', 'applications/' + a.application + '/bonuses/' + encodeURIComponent(b.bonus), body);
          if (ok(y)) { await hojo.views['shinsa-katen'](p.cid); status(label + ' を' + (body.decision === 'confirm' ? '確認しました。' : '却下しました。')); } else fail(form, y);
        }));
        const ev = b.evidence_attached || [];
        return el('tr', { 'data-app': a.application, 'data-bonus': b.bonus },
          el('th', { scope: 'row', text: appName(a) }),
          el('td', { text: b.name }),
          el('td', { class: 'num', text: String(b.points) }),
          el('td', { class: 'bonus-engine', text: (b.engine_ja || TRUTH[b.engine] || b.engine) + (b.values ? '（' + b.values + '）' : '') }),
          el('td', {}, ev.length ? ev.map((z) => el('a', { href: 'api/v1/attachments/' + z.id, download: z.name, text: z.name })) : b.evidence ? '未添付' : '証拠書類の定めなし'),
          el('td', { class: 'bonus-state', text: (CONF[b.decision] || b.decision) + (b.reason ? ': ' + b.reason : '') }),
          el('td', {}, form));
      }))));
  }

  // 利益相反 (GET /api/v1/calls/{id}/conflicts; POST /api/v1/conflicts/{id}/dismiss)
  hojo.views['shinsa-rieki'] = async (arg) => {
    const p = await staffPage('shinsa-rieki', arg);
    if (!p) return;
    const { call, fail, field, list } = o();
    const r = await call('GET', 'calls/' + p.cid + '/conflicts?per_page=100&page=' + cfPage);
    if (!answer(p.box, r, 'GET /api/v1/calls/{id}/conflicts')) return;
    const xs = list(r.json, 'conflicts');
    const total = r.json.total ?? xs.length;
    const pages = Math.max(1, Math.ceil(total / 100));
    if (cfPage > pages) { cfPage = pages; hojo.views['shinsa-rieki'](p.cid); return; }
    p.box.append(el('h2', { text: '利益相反（' + total + ' 件）' }),
      el('p', { class: 'hint', text: '審査員が申し出たもの（解除できません）と、hojo が見つけたもの（同じ会社・同じ認定支援機関・申し出た関係。理由を書いて解除できます）。利益相反のある審査員には割り当てません。' }));
    if (!xs.length) { p.box.append(el('p', { id: 'conflict-none', text: '申し出・検出された利益相反はありません。' })); return; }
    p.box.append(el('div', { class: 'table-wrap' }, el('table', { id: 'conflict-table' }, el('caption', { text: '申し出と検出' }),
      el('thead', {}, el('tr', {}, ['審査員', '対象', '種類', '由来', '内容', '状態'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => {
        const detected = x.origin === 'detected';
        let cell = x.dismissed ? '解除済み（' + (x.dismissed_reason || '') + '）' : '有効';
        if (detected && !x.dismissed) {
          const f = el('form', { novalidate: true }, field('cf-reason-' + x.id, '解除の理由', { 'data-input': 'reason' }),
            el('button', { type: 'submit', text: '解除する', 'aria-label': x.reviewer_email + ' の利益相反を解除する' }));
          f.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            const reason = f.querySelector('input').value.trim();
            if (!reason) { showErrors(f, { message: '解除できません', errors: [{ field: 'reason', message: '解除の理由を書いてください。' }] }); return; }
            const y = await call('POST', 'conflicts/' + x.id + '/dismiss', { reason });
            if (ok(y)) { await hojo.views['shinsa-rieki'](p.cid); status('利益相反を解除しました。'); } else fail(f, y);
          });
          cell = el('div', {}, '有効', f);
        }
        const target = x.application ? appName(x.application) : x.company ? '会社 ' + x.company : x.organisation ? '機関 ' + x.organisation : '';
        return el('tr', { 'data-conflict': x.id }, el('td', { text: x.reviewer_email || 'アカウント ' + x.reviewer }), el('td', { text: target }), el('td', { text: CTYPE[x.type] || x.type }),
          el('td', { class: 'conflict-origin', text: detected ? '検出' : '申し出（解除できません）' }), el('td', { text: x.note || '' }), el('td', {}, cell));
      })))));
    if (pages > 1) {
      p.box.append(el('nav', { class: 'actions', 'aria-label': '利益相反のページ送り' },
        el('button', { type: 'button', text: '前へ', disabled: cfPage <= 1, onclick: () => { cfPage--; hojo.views['shinsa-rieki'](p.cid); } }),
        el('span', { class: 'hint', text: cfPage + ' / ' + pages + ' ページ' }),
        el('button', { type: 'button', text: '次へ', disabled: cfPage >= pages, onclick: () => { cfPage++; hojo.views['shinsa-rieki'](p.cid); } })));
    }
  };
  let cfPage = 1; // the page of the conflicts' list

  // 審査員の割当て (POST /api/v1/calls/{id}/assignments ?dry_run=1; GET; DELETE /api/v1/assignments/{id})
  hojo.views['shinsa-wariate'] = async (arg) => {
    const p = await staffPage('shinsa-wariate', arg);
    if (!p) return;
    const { call, fail, list } = o();
    const redraw = () => hojo.views['shinsa-wariate'](p.cid);
    const [ra, rs] = await Promise.all([call('GET', 'calls/' + p.cid + '/assignments?per_page=100&page=' + asgPage), call('GET', 'calls/' + p.cid + '/submissions?state=submitted&per_page=100')]);
    const subs = rs.status === 200 ? list(rs.json, 'applications') : [];
    learn(subs);
    const auto = el('section', { id: 'assign-auto', 'aria-labelledby': 'as-auto-h' }, el('h2', { id: 'as-auto-h', text: '自動で割り当てる' }),
      el('p', { class: 'hint', text: '各申請に設定の人数の審査員を、担当数が偏らないように、利益相反を避けて割り当てます。まず試しの結果を見てから確定します。' }));
    const out = el('div', { id: 'assign-preview', 'aria-live': 'polite' });
    auto.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'assign-dry', text: '試しに割り当てる（保存しません）', onclick: async () => {
      out.textContent = '計算中…';
      const x = await call('POST', 'calls/' + p.cid + '/assignments?dry_run=1', { mode: 'auto' });
      out.textContent = '';
      if (!ok(x)) { out.append(el('p', { class: 'error', text: '割り当てられません: ' + o().firstMessage(x) })); return; }
      const ps = x.json.assignments || [];
      out.append(el('p', { id: 'assign-preview-count', text: '新しく割り当てる組: ' + ps.length + ' 組（1件あたり ' + x.json.reviews_per_app + ' 人、まだ保存していません）' }));
      if ((x.json.shortage || []).length) out.append(el('p', { class: 'notice', id: 'assign-shortage', text: '審査員が足りない申請: ' + x.json.shortage.map((y) => appName(y.application) + '（あと ' + y.missing + ' 人）').join('、') }));
      if (ps.length) {
        out.append(pairsTable(ps, 'assign-preview-table', '試しの割当て', null),
          el('div', { class: 'table-wrap' }, el('table', { id: 'assign-load' }, el('caption', { text: '審査員ごとの担当数' }),
            el('thead', {}, el('tr', {}, ['審査員', '今', '割り当て後'].map((h) => el('th', { scope: 'col', text: h })))),
            el('tbody', {}, (x.json.load || []).map((l) => el('tr', {}, el('th', { scope: 'row', text: l.email }), el('td', { class: 'num', text: String(l.before) }), el('td', { class: 'num', text: String(l.after) })))))),
          el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'assign-commit', text: 'この割当てを確定する', onclick: async () => {
            const y = await call('POST', 'calls/' + p.cid + '/assignments', { mode: 'auto' });
            if (ok(y)) { await redraw(); status(y.json.count + ' 組を割り当てました。'); } else fail(auto, y);
          } })));
      }
    } })), out);
    p.box.append(auto);
    // by hand: an application and a reviewer (the reviewer accounts are listed for administrators)
    const rv = isAdmin() ? await call('GET', 'admin/accounts?per_page=200') : { status: 0, json: {} };
    const reviewers = (rv.status === 200 ? list(rv.json, 'accounts') : []).filter((x) => (x.roles || []).includes('reviewer'));
    const man = el('form', { id: 'assign-manual', novalidate: true }, el('h2', { text: '手で割り当てる' }),
      (rs.json.total || 0) > subs.length
        ? o().field('am-app', '申請の番号', { type: 'number', min: 1, step: 1, 'data-input': 'pairs[0]' }, '提出された申請が ' + rs.json.total + ' 件あるので、番号で指定します。')
        : el('div', { class: 'field' }, el('label', { for: 'am-app', text: '申請' }), el('select', { id: 'am-app', 'data-input': 'pairs[0]' }, subs.map((a) => el('option', { value: a.id, text: appName(a, a.id) })))),
      reviewers.length
        ? el('div', { class: 'field' }, el('label', { for: 'am-rev', text: '審査員' }), el('select', { id: 'am-rev' }, reviewers.map((x) => el('option', { value: x.id, text: (x.name || '') + '（' + x.email + '）' }))))
        : o().field('am-rev', '審査員のアカウント番号', { type: 'number', min: 1, step: 1 }, '審査員の一覧は管理者に表示されます。'),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '割り当てる' })));
    man.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const y = await call('POST', 'calls/' + p.cid + '/assignments', { mode: 'manual', pairs: [{ application: Number(man.querySelector('#am-app').value), reviewer: Number(man.querySelector('#am-rev').value) }] });
      if (ok(y)) { await redraw(); status('割り当てました。'); } else fail(man, y);
    });
    p.box.append(man, el('h2', { text: '割当ての一覧' }));
    if (!answer(p.box, ra, 'GET /api/v1/calls/{id}/assignments')) return;
    const xs = list(ra.json, 'assignments');
    const total = ra.json.total ?? xs.length;
    if (!xs.length) { p.box.append(el('p', { id: 'assign-none', text: 'まだ割当てはありません。' })); return; }
    p.box.append(pairsTable(xs, 'assign-table', '割当て（全 ' + total + ' 件）', async (x) => {
      if (!window.confirm(appName(x.application) + ' の ' + x.reviewer_email + ' の割当てを削除します。よろしいですか。')) return;
      const y = await call('DELETE', 'assignments/' + x.id);
      if (ok(y)) { await redraw(); status('割当てを削除しました。'); } else status('削除できません: ' + o().firstMessage(y));
    }));
    const pages = Math.max(1, Math.ceil(total / 100));
    if (pages > 1) {
      p.box.append(el('nav', { class: 'actions', 'aria-label': '割当てのページ送り' },
        el('button', { type: 'button', text: '前へ', disabled: asgPage <= 1, onclick: () => { asgPage--; redraw(); } }),
        el('span', { class: 'hint', text: asgPage + ' / ' + pages + ' ページ' }),
        el('button', { type: 'button', text: '次へ', disabled: asgPage >= pages, onclick: () => { asgPage++; redraw(); } })));
    }
  };
  let asgPage = 1; // the page of the assignments' list
  function pairsTable(xs, id, caption, del) {
    return el('div', { class: 'table-wrap' }, el('table', { id }, el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, ['申請', '審査員', '採点', del ? '操作' : null].filter(Boolean).map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => el('tr', { 'data-assignment': x.id, 'data-app': x.application },
        el('th', { scope: 'row', text: appName(x.application) }), el('td', { text: x.reviewer_email || 'アカウント ' + x.reviewer }),
        el('td', { text: x.conflicted ? '利益相反' : (STATE[x.review_state] || '未着手') + (x.review_version ? '（版 ' + x.review_version + '）' : '') }),
        del ? el('td', {}, el('button', { type: 'button', text: '削除', 'aria-label': appName(x.application) + ' の ' + x.reviewer_email + ' の割当てを削除', onclick: () => del(x) })) : null)))));
  }

  // 点数と順位 (GET /api/v1/calls/{id}/scores and /ranking)
  hojo.views['shinsa-ten'] = async (arg) => {
    const p = await staffPage('shinsa-ten', arg);
    if (!p) return;
    const { call, list } = o();
    const [rs, rr, rc] = await Promise.all([call('GET', 'calls/' + p.cid + '/scores?per_page=100'), call('GET', 'calls/' + p.cid + '/ranking'), call('GET', 'calls/' + p.cid + '/review')]);
    const cname = {};
    if (rc.status === 200) (rc.json.criteria || []).forEach((c, i) => { cname[c.id] = (i + 1) + '. ' + c.text; });
    p.box.append(el('h2', { text: '点数の集計' }));
    if (answer(p.box, rs, 'GET /api/v1/calls/{id}/scores')) {
      const first = list(rs.json, 'applications');
      p.box.append(el('p', { class: 'hint', text: '合計は審査員ごとの重み付きの合計点。ばらつきはその最大−最小で、設定の点差（' + (rs.json.disagreement || '使わない') + '）を超えると「要注意」です。点数は分数のまま計算しています。' }));
      if (!first.length) p.box.append(el('p', { text: '提出された申請はまだありません。' }));
      else {
        const crit = (first[0].criteria || []).map((c) => c.criterion);
        p.box.append(el('details', { class: 'file', id: 'scores-criteria' }, el('summary', { text: '審査項目の番号' }), el('ol', {}, crit.map((c) => el('li', { text: (cname[c] || c).replace(/^\d+\. /, '') })))));
        // 100 a page from the server (GET …/scores?page=&per_page=100[&disagree=1])
        const only = el('input', { type: 'checkbox', id: 'scores-flagged' });
        const out = el('div', { id: 'scores-out', 'aria-live': 'polite' });
        let page = 1;
        const draw = async (j) => {
          if (!j) {
            const x = await call('GET', 'calls/' + p.cid + '/scores?per_page=100&page=' + page + (only.checked ? '&disagree=1' : ''));
            if (!ok(x)) { out.textContent = ''; out.append(el('p', { class: 'error', text: '読めません: ' + o().firstMessage(x) })); return; }
            j = x.json;
          }
          const xs = list(j, 'applications');
          learn(xs);
          const pages = Math.max(1, Math.ceil(j.total / 100));
          out.textContent = '';
          out.append(el('p', { id: 'scores-count', text: j.total + ' 件' + (pages > 1 ? '（' + page + ' / ' + pages + ' ページ）' : '') }),
            el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': '点数の集計（横にスクロールできます）' }, el('table', { id: 'scores-table' }, el('caption', { text: '申請ごとの点数' }),
              el('thead', {}, el('tr', {}, ['申請', '採点数', '合計の平均', '合計の中央値', 'ばらつき', '意見の分かれ', '確認済みの加点', '点数（平均＋加点）'].map((h) => el('th', { scope: 'col', text: h })),
                crit.map((c, i) => el('th', { scope: 'col', title: cname[c] || c }, '項目' + (i + 1) + 'の平均')))),
              el('tbody', {}, xs.map((x) => el('tr', { 'data-app': x.application, class: x.disagree ? 'flagged' : null },
                el('th', { scope: 'row', text: appName(x) }), el('td', { class: 'num score-reviews', text: String(x.reviews) }),
                el('td', { class: 'num score-mean', text: fracText(x.total_mean) }), el('td', { class: 'num score-median', text: fracText(x.total_median) }),
                el('td', { class: 'num score-spread', text: fracText(x.total_spread) }),
                el('td', { class: 'score-flag', text: x.disagree ? '要注意（点差が大きい）' : '—' }),
                el('td', { class: 'num score-bonus', text: String(x.bonus) }), el('td', { class: 'num score-total', text: fracText(x.score) }),
                (x.criteria || []).map((c) => el('td', { class: 'num', text: fracText(c.mean) }))))))));
          if (pages > 1) {
            out.append(el('nav', { class: 'actions', 'aria-label': '点数のページ送り' },
              el('button', { type: 'button', text: '前へ', disabled: page <= 1, onclick: () => { page--; draw(); } }),
              el('button', { type: 'button', text: '次へ', disabled: page >= pages, onclick: () => { page++; draw(); } })));
          }
        };
        only.addEventListener('change', () => { page = 1; draw(); });
        p.box.append(el('div', { class: 'check' }, el('label', { for: 'scores-flagged' }, only, '意見が分かれた申請だけ（' + (rs.json.disagreeing ?? 0) + ' 件）')), out);
        draw(rs.json);
      }
    }
    p.box.append(el('h2', { text: '順位（枠ごと、予算と採択数の範囲での採択の見込み）' }));
    if (!answer(p.box, rr, 'GET /api/v1/calls/{id}/ranking')) return;
    (rr.json.frames || []).forEach((fr) => p.box.append(rankTable(fr, fr.ranking || [], 'ranking')));
  };
  // one frame: its cut line and its ranking, a marked row between the last adopted and the first rejected
  function rankTable(fr, rows, pfx) {
    const name = fr.name || fname(fr.frame);
    learn(rows);
    const sec = el('section', { class: 'frame-rank', 'data-frame': fr.frame, 'aria-labelledby': pfx + '-' + fr.frame + '-h' }, el('h3', { id: pfx + '-' + fr.frame + '-h', text: name }));
    sec.append(el('dl', { class: 'facts cut', id: pfx + '-cut-' + fr.frame },
      el('dt', { text: '順位の付いた申請' }), el('dd', { class: 'cut-ranked', text: fr.ranked + ' 件' }),
      el('dt', { text: '採択' }), el('dd', { class: 'cut-adopted', text: fr.adopted + ' 件（採択数の上限 ' + (fr.slots ? fr.slots + ' 社' : 'なし') + '）' }),
      el('dt', { text: '最後に採択した点数' }), el('dd', { class: 'cut-last', text: fracText(fr.last_adopted) }),
      el('dt', { text: '最初に不採択になった点数' }), el('dd', { class: 'cut-first', text: fracText(fr.first_rejected) }),
      el('dt', { text: '予算' }), el('dd', { class: 'cut-budget', text: fr.budget ? yen(fr.budget) : '上限なし' }),
      el('dt', { text: '予算の使用額' }), el('dd', { class: 'cut-used', text: yen(fr.used) }),
      el('dt', { text: '予算の残り' }), el('dd', { class: 'cut-left', text: fr.budget ? yen(fr.left) : '—' }),
      el('dt', { text: '止まった理由' }), el('dd', { class: 'cut-stop', text: STOP[fr.stopped_by] || fr.stopped_by }),
      fr.rereview_frame ? [el('dt', { text: '再審査' }), el('dd', { text: '不採択の申請は ' + fname(fr.rereview_frame) + ' で審査し直します' })] : null));
    if (!rows.length) { sec.append(el('p', { text: 'この枠で順位の付いた申請はありません。' })); return sec; }
    const body = el('tbody', {});
    let last = -1;
    rows.forEach((x, i) => { if (x.outcome === 'adopted') last = i; });
    // a long ranking shows its head and the rows around the cut line (「すべて表示」 draws the rest)
    const LONG = 150;
    const shown = (i) => rows.length <= LONG || i < 50 || Math.abs(i - last) <= 10 || (last < 0 && i < 60);
    const row = (x, i) => {
      body.append(el('tr', { 'data-app': x.application, class: x.outcome === 'adopted' ? 'adopted' : 'rejected' },
        el('td', { class: 'num', text: String(x.rank) }), el('th', { scope: 'row', text: appName(x) }),
        el('td', { class: 'num rank-score', text: fracText(x.score) }), el('td', { class: 'num', text: String(x.bonus) }),
        el('td', { class: 'num rank-amount', text: x.outcome === 'adopted' ? yen(x.amount) : yen(x.rerequest ?? x.request) + '（申請）' }),
        el('td', { class: 'rank-outcome', text: x.outcome_ja || OUTCOME[x.outcome] || x.outcome }),
        el('td', { text: (x.moved ? fname(x.applied_frame) + ' から再審査で移った。' : '') + (x.reason || '') })));
      if (i === last && i < rows.length - 1) body.append(el('tr', { class: 'cut-line' }, el('td', { colspan: 7, text: '――― ここまで採択（採択ライン） ―――' })));
    };
    const draw = (all) => {
      body.textContent = '';
      let gap = false;
      rows.forEach((x, i) => {
        if (all || shown(i)) { gap = false; row(x, i); } else if (!gap) { gap = true; body.append(el('tr', { class: 'rank-gap' }, el('td', { colspan: 7, text: '（省略）' }))); }
      });
    };
    draw(false);
    if (rows.length > LONG) {
      sec.append(el('p', { class: 'hint' }, '全 ' + rows.length + ' 件のうち、上位 50 件と採択ラインの前後 10 件を表示しています。',
        el('button', { type: 'button', class: 'rank-all', text: 'すべて表示', onclick: (ev) => { draw(true); ev.target.remove(); } })));
    }
    sec.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': name + ' の順位（横にスクロールできます）' }, el('table', { class: 'rank', id: pfx + '-table-' + fr.frame },
      el('caption', { text: name + ' の順位' }),
      el('thead', {}, el('tr', {}, ['順位', '申請', '点数', '加点', '補助金額', '結果', '理由'].map((h) => el('th', { scope: 'col', text: h })))), body)));
    return sec;
  }

  // 採択と通知 (POST /api/v1/calls/{id}/selections ?dry_run=1; GET …/selections, /api/v1/selections/{id}; POST …/notices)
  hojo.views['shinsa-saitaku'] = async (arg) => {
    const p = await staffPage('shinsa-saitaku', arg);
    if (!p) return;
    const { call, list } = o();
    const out = el('div', { id: 'selection-preview', 'aria-live': 'polite' });
    const dry = el('button', { type: 'button', class: 'primary', id: 'sel-dry', text: '採択を試算する（保存しません）' });
    p.box.append(el('h2', { text: '採択の試算' }),
      el('p', { class: 'hint', text: '枠ごとに点数（採点の平均と確認済みの加点）の高い順に、予算と採択数の範囲で採択します。入らなかった申請で止まり、そこが採択ラインです。試算は何も保存しません。' }),
      el('div', { class: 'actions' }, dry), out);
    dry.addEventListener('click', async () => {
      out.textContent = '計算中…';
      const x = await call('POST', 'calls/' + p.cid + '/selections?dry_run=1');
      out.textContent = '';
      if (!ok(x)) { out.append(el('p', { class: 'error', text: '試算できません: ' + o().firstMessage(x) })); return; }
      out.append(selectionView(x.json, 'preview'));
      if (isAdmin()) {
        out.append(el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'sel-commit', text: 'この結果で採択を確定する', onclick: async () => {
          if (!window.confirm('採択を確定します。確定した採択は取り消せません（同じ入力でもう一度確定しても、最初の結果のままです）。よろしいですか。')) return;
          const y = await call('POST', 'calls/' + p.cid + '/selections');
          if (ok(y)) { await hojo.views['shinsa-saitaku'](p.cid); status(y.headers.get('Idempotent-Replayed') === 'true' ? 'この公募回の採択はすでに確定しています（採択 ' + y.json.selection + '）。' : '採択を確定しました（採択 ' + y.json.selection + '）。'); }
          else out.append(el('p', { class: 'error', text: '確定できません: ' + o().firstMessage(y) }));
        } })));
      } else out.append(el('p', { class: 'hint', id: 'sel-admin-only', text: '確定は管理者が行います。' }));
    });
    const rl = await call('GET', 'calls/' + p.cid + '/selections');
    p.box.append(el('h2', { text: '確定した採択' }));
    if (!answer(p.box, rl, 'GET /api/v1/calls/{id}/selections')) return;
    const xs = list(rl.json, 'selections');
    if (!xs.length) { p.box.append(el('p', { id: 'sel-none', text: 'まだ確定した採択はありません。' })); return; }
    for (const s of xs) {
      const g = await call('GET', 'selections/' + s.id);
      if (!answer(p.box, g, 'GET /api/v1/selections/{id}')) continue;
      p.box.append(el('h3', { text: '採択 ' + s.id + '（' + o().when(s.committed_at) + ' に確定）' }), selectionView(g.json, 'sel-' + s.id), noticesForm(p, s.id, g.json));
    }
  };
  // a selection: its hashes, and per frame the cut line and the decisions in rank order
  function selectionView(s, pfx) {
    const box = el('div', { class: 'selection' });
    box.append(el('p', { class: 'hint sel-hashes', text: '同じ入力からは同じ結果になります。規則集のハッシュ ' + s.rulebook_sha256 + '／使った点数のハッシュ ' + s.scores_sha256 + '／入力のハッシュ ' + s.inputs_sha256 }));
    const ds = s.decisions || [];
    (s.frames || []).forEach((fr) => box.append(rankTable(fr, ds.filter((d) => d.frame === fr.frame && d.outcome !== 'excluded').sort((a, b) => a.rank - b.rank), pfx)));
    const ex = ds.filter((d) => d.outcome === 'excluded');
    if (ex.length) box.append(el('h3', { text: '順位の対象外' }), el('ul', { class: 'sel-excluded' }, ex.map((d) => el('li', { text: appName(d) + ': ' + (d.reason || '') }))));
    return box;
  }
  // notices: for each rejected application, the comments of its reviews the secretariat chooses to release
  function noticesForm(p, sid, s) {
    const { call, fail } = o();
    const ds = (s.decisions || []).filter((d) => d.outcome !== 'excluded');
    const rej = ds.filter((d) => d.outcome === 'rejected');
    const chosen = new Map(); // application → {refs: Set of JSON refs, text}
    const pick = (app) => chosen.get(app) || (chosen.set(app, { refs: new Set(), text: '' }), chosen.get(app));
    const f = el('form', { class: 'notices-form', id: 'notices-' + sid, novalidate: true, 'aria-labelledby': 'notices-' + sid + '-h' },
      el('h4', { id: 'notices-' + sid + '-h', text: '採択・不採択を通知する' }),
      el('p', { class: 'hint', text: '採択 ' + (ds.length - rej.length) + ' 件・不採択 ' + rej.length + ' 件。不採択の申請には、審査の講評から選んだもの（と事務局の文）だけを知らせます。申請を開くと、その審査の講評が出ます。通知は一度だけ出ます。' }));
    // every assignment of the call, read once a page of 5,000 at a time, when a comment is first wanted
    let asgs = null;
    const assignments = () => asgs || (asgs = (async () => {
      const xs = [];
      for (let pg = 1; ; pg++) {
        const ra = await call('GET', 'calls/' + p.cid + '/assignments?per_page=5000&page=' + pg);
        if (ra.status !== 200) break;
        xs.push(...(ra.json.assignments || []));
        if (xs.length >= (ra.json.total || 0) || !(ra.json.assignments || []).length) break;
      }
      return xs;
    })());
    // one rejected application: its reviews' comments (the last version of each: GET /api/v1/reviews/{id}/versions)
    const one = (d) => {
      const c = pick(d.application);
      const box = el('div', { class: 'notice-comments' }, el('p', { class: 'hint', text: '読み込み中…' }));
      const ta = el('textarea', { id: 'nf-' + sid + '-' + d.application, rows: 2 }, c.text);
      ta.addEventListener('input', () => { c.text = ta.value; });
      const det = el('details', { class: 'card', 'data-app': d.application }, el('summary', { text: appName(d) + '（不採択）に知らせる講評' }),
        el('fieldset', {}, el('legend', { text: '審査の講評から選ぶ' }), box),
        el('div', { class: 'field' }, el('label', { for: 'nf-' + sid + '-' + d.application, text: '事務局からの講評（任意）' }), ta));
      det.addEventListener('toggle', async () => {
        if (!det.open || det.dataset.loaded) return;
        det.dataset.loaded = '1';
        const mine = (await assignments()).filter((x) => x.application === d.application && x.review_state === 'submitted');
        box.textContent = '';
        let k = 0;
        for (const x of mine) {
          const v = await call('GET', 'reviews/' + x.id + '/versions');
          const last = v.status === 200 ? (v.json.versions || []).slice(-1)[0] : null;
          if (!last) continue;
          const items = Object.keys(last.comments || {}).map((cr) => ({ ref: { assignment: x.id, criterion: cr }, text: last.comments[cr] }));
          if (last.overall) items.push({ ref: { assignment: x.id }, text: last.overall });
          items.forEach((it) => {
            const id = 'nf-' + sid + '-' + d.application + '-' + (k++);
            const ref = JSON.stringify(it.ref);
            const cb = el('input', { type: 'checkbox', id, value: ref, checked: c.refs.has(ref) });
            cb.addEventListener('change', () => { if (cb.checked) c.refs.add(ref); else c.refs.delete(ref); });
            box.append(el('div', { class: 'check' }, el('label', { for: id }, cb, it.text)));
          });
        }
        if (!k) box.append(el('p', { class: 'hint', text: '知らせられる講評はありません。' }));
      });
      return det;
    };
    // the rejected applications 20 at a time (what is chosen on one page is kept on the others)
    const list = el('div', { class: 'notice-apps' });
    let page = 1;
    const pages = Math.max(1, Math.ceil(rej.length / 20));
    const draw = () => {
      list.textContent = '';
      rej.slice((page - 1) * 20, page * 20).forEach((d) => list.append(one(d)));
      if (pages > 1) {
        list.append(el('nav', { class: 'actions', 'aria-label': '不採択の申請のページ送り' },
          el('button', { type: 'button', text: '前の 20 件', disabled: page <= 1, onclick: () => { page--; draw(); } }),
          el('span', { class: 'hint', text: page + ' / ' + pages }),
          el('button', { type: 'button', text: '次の 20 件', disabled: page >= pages, onclick: () => { page++; draw(); } })));
      }
    };
    draw();
    const result = el('p', { class: 'notices-result', role: 'status' });
    f.append(list, el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '通知を出す' })), result);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!window.confirm('申請者に採択・不採択を通知します。通知は取り消せません。よろしいですか。')) return;
      const feedback = {};
      chosen.forEach((c, app) => {
        const xs = [...c.refs].map((r) => JSON.parse(r));
        if (c.text.trim()) xs.unshift(c.text.trim());
        if (xs.length) feedback[app] = xs;
      });
      const y = await call('POST', 'selections/' + sid + '/notices', { feedback });
      if (ok(y)) {
        result.classList.add('notices-done');
        result.textContent = '通知を出しました（新たに ' + y.json.released + ' 件' + (y.json.already ? '、通知済み ' + y.json.already + ' 件' : '') + '）。';
        status(result.textContent);
      } else fail(f, y);
    });
    return f;
  }

  // --- 役割 (administrators): who is a reviewer, staff, …; PATCH /api/v1/admin/accounts/{id}
  const ROLES = [['applicant', '申請者'], ['reviewer', '審査員'], ['staff', '事務局'], ['admin', '管理者'], ['supporter', '支援機関'], ['vendor', 'IT導入支援事業者']];
  hojo.views.yakuwari = async (arg) => {
    const box = $('yakuwari-body');
    const { call, need, list, fail, firstMessage } = o() || {};
    if (!o() || !need(box, 'apps')) return;
    if (!isAdmin()) { box.textContent = 'この画面は管理者だけが使えます。'; return; }
    const page = Math.max(1, Number(arg) || 1);
    box.textContent = '読み込み中…';
    const r = await call('GET', 'admin/accounts?page=' + page + '&per_page=50');
    box.textContent = '';
    if (r.status !== 200) { box.append(el('p', { class: 'error', text: 'アカウントを読めません: ' + firstMessage(r) })); return; }
    const xs = list(r.json, 'accounts');
    box.append(el('p', { class: 'hint', text: '審査員に「審査員」の役割を付けると、事務局が審査を割り当てられるようになります。' }));
    xs.forEach((x) => {
      const f = el('form', { class: 'card roles-form', 'data-account': x.id, novalidate: true },
        el('fieldset', {}, el('legend', { text: (x.name || '') + '（' + x.email + '）' }),
          ROLES.map(([k, t]) => el('div', { class: 'check' }, el('label', { for: 'yk-' + x.id + '-' + k },
            el('input', { type: 'checkbox', id: 'yk-' + x.id + '-' + k, value: k, checked: (x.roles || []).includes(k), 'data-input': 'roles' }), t)))),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: '役割を保存', 'aria-label': x.email + ' の役割を保存' })));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const y = await call('PATCH', 'admin/accounts/' + x.id, { roles: [...f.querySelectorAll('input:checked')].map((i) => i.value) });
        if (ok(y)) status(x.email + ' の役割を保存しました。'); else fail(f, y);
      });
      box.append(f);
    });
    const last = Math.max(1, Math.ceil((r.json.total || xs.length) / 50));
    if (last > 1) {
      box.append(el('nav', { class: 'actions', 'aria-label': 'ページ送り' },
        el('a', { href: '#yakuwari/' + (page - 1), text: '前へ', hidden: page <= 1 }), el('span', { class: 'hint', text: page + ' / ' + last + ' ページ' }),
        el('a', { href: '#yakuwari/' + (page + 1), text: '次へ', hidden: page >= last })));
    }
  };

  // --- the applicant's notices: a list (#tsuchi) and a section on the application's page
  function noticeCard(n, hid) {
    const adopted = n.outcome === 'adopted';
    const fb = n.feedback || [];
    return el('div', { class: 'card notice-card', 'data-app': n.application, 'data-outcome': n.outcome },
      el(hid ? 'h3' : 'h2', { class: 'notice-outcome', text: (n.outcome_ja || OUTCOME[n.outcome]) + '　' + (n.call_title ? n.call_title + ' ' : '') + '申請 ' + n.application }),
      el('dl', { class: 'facts' },
        el('dt', { text: '枠' }), el('dd', { class: 'notice-frame', text: n.frame_name || fname(n.frame) }),
        adopted ? [el('dt', { text: '補助金額' }), el('dd', { class: 'notice-amount', text: n.amount_text || yen(n.amount) })] : null,
        el('dt', { text: '通知日' }), el('dd', { text: o().when(n.released_at) })),
      fb.length ? el('div', {}, el('p', { text: '審査の講評:' }), el('ul', { class: 'notice-feedback' }, fb.map((x) => el('li', { text: String(x) })))) : null,
      hid ? null : el('p', {}, el('a', { href: '#app/' + n.application, text: '申請 ' + n.application + ' を開く' })));
  }
  hojo.views.tsuchi = async () => {
    const box = $('tsuchi-body');
    const { call, need, list, firstMessage } = o() || {};
    if (!o() || !need(box, 'apps')) return;
    box.textContent = '読み込み中…';
    const r = await call('GET', 'notices');
    box.textContent = '';
    if (r.status !== 200) { box.append(el('p', { class: r.absent ? 'notice' : 'error', text: r.absent ? 'このサーバーにはまだ通知の機能がありません。' : '通知を読めません: ' + firstMessage(r) })); return; }
    const xs = list(r.json, 'notices');
    if (!xs.length) { box.append(el('p', { id: 'tsuchi-none', text: '届いている通知はありません。' })); return; }
    box.append(el('div', { id: 'tsuchi-list' }, xs.map((n) => noticeCard(n, false))));
  };
  // on #app/ID (called by web/office.js): the notice of that application, when there is one
  hojo.reviewNotice = async (box, id) => {
    const r = await o().call('GET', 'applications/' + id + '/notice');
    if (r.status !== 200) return;
    const n = r.json;
    const sec = el('section', { id: 'app-notice', 'aria-labelledby': 'app-notice-h' }, el('h2', { id: 'app-notice-h', text: '審査の結果' }), noticeCard(n, true));
    const old = $('app-notice');
    if (old) old.remove();
    if (box.isConnected && box.querySelector('#app-state-text')) box.insertBefore(sec, box.querySelector('.facts').nextSibling);
  };
  // the navigation: 審査 for reviewers, 通知 for everyone signed in (called by web/office.js's setMe)
  hojo.reviewNav = (me) => {
    const rs = me ? me.account.roles || [] : [];
    if ($('nav-shinsa')) $('nav-shinsa').hidden = !rs.includes('reviewer');
    if ($('nav-tsuchi')) $('nav-tsuchi').hidden = !me;
  };
  hojo.review = { fracText };
}());
