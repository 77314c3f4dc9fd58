// hojo review pages (issue 11 §4), loaded after web/parties.js and before
// web/office.js, using its helpers (hojo.office): the reviewer's queue and
// scoring form (#shinsa, #shinsa/APP: the criteria beside the application,
// its plan and the engine's explanation; a score and a comment per
// criterion kept in localStorage under hojo.review.v1.<assignment> until
// the server acknowledges the save, If-Match on every save; submit; a
// conflict declared); the secretariat's pages under 事務局 (#jimu-shinsa
// settings, #shinsa-katen 加点, #shinsa-rieki conflicts, #shinsa-wariate
// assignments, #shinsa-ten scores and ranking, #shinsa-saitaku selection
// with its cut line, commit by an administrator, notices); the applicant's
// notices (#tsuchi, and a section on #app/ID). Talks only to the routes of
// include/hojo/grants/review.h (docs/api.md "Review and selection").
// Scores are exact fractions: shown from their numerator and denominator
// with integer arithmetic only.
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
  const isReviewer = () => roles().includes('reviewer');
  const val = (x) => (x && typeof x === 'object' && !Array.isArray(x) && 'value' in x ? x.value : x);
  const srcOf = (x) => (x && typeof x === 'object' && !Array.isArray(x) && 'source' in x ? x.source : '');
  const idOf = (x) => (x && typeof x === 'object' ? x.id : x);
  const appName = (a) => (a && typeof a === 'object' ? (a.company_name || (a.company && a.company.name) || '') + '（申請 ' + a.id + '）' : '申請 ' + a);
  const who = (r) => (r && typeof r === 'object' ? r.name || r.email || 'アカウント ' + r.id : 'アカウント ' + r);
  const STATE = { assigned: '未着手', draft: '下書き', submitted: '提出済み', conflict: '利益相反' };
  const TRUTH = { true: '該当', false: '非該当', unknown: '要確認' };
  const CONF = { pending: '未確認', confirmed: '確認済み', rejected: '却下' };
  const CTYPE = { company: '同じ会社', support_agency: '同じ認定支援機関', relationship: '関係がある', other: 'その他' };
  const OUTCOME = { adopted: '採択', adopted_rereview: '採択（再審査）', rejected: '不採択', excluded: '対象外' };
  const STOP = { budget: '予算の上限', slots: '採択数の上限', none: '上限に達せず' };
  const TB = { bonus_desc: '加点の多い順', request_asc: '補助金額の少ない順', request_desc: '補助金額の多い順', submitted_asc: '提出の早い順', criterion_desc: '審査項目の平均の高い順（criterion_desc:項目ID）' };

  // --- exact fractions: "7/2", 7, {num,den} or {n,d}; shown without floating point
  function frac(v) {
    if (v === null || v === undefined || v === '') return null;
    let n;
    let d = 1n;
    try {
      if (typeof v === 'object' && ['value', 'fraction', 'exact', 'frac'].some((k) => k in v)) return frac(v.value ?? v.fraction ?? v.exact ?? v.frac);
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

  // --- the reviewer's queue
  hojo.views.shinsa = async (arg) => {
    const box = $('shinsa-body');
    const { call, need, firstMessage, list } = o() || {};
    if (!o() || !need(box, 'apps')) return;
    if (arg) return scoring(box, arg);
    $('shinsa-h').textContent = '審査: わたしの担当';
    box.textContent = '読み込み中…';
    const r = await call('GET', 'reviewer/queue');
    box.textContent = '';
    if (r.absent) { box.append(el('p', { class: 'notice', text: 'このサーバーにはまだ審査の機能がありません（API /api/v1/reviewer/queue がありません）。' })); return; }
    if (r.status === 403) { box.append(el('p', { class: 'notice', text: 'この画面は審査員だけが使えます（管理者が審査員の役割を付けます）。' })); return; }
    if (r.status !== 200) { box.append(el('p', { class: 'error', text: '担当の一覧を読めません: ' + firstMessage(r) })); return; }
    const xs = list(r.json, 'assignments').length ? list(r.json, 'assignments') : list(r.json, 'queue');
    if (!xs.length) { box.append(el('p', { id: 'queue-none', text: '担当する申請はまだありません（利益相反のある申請は表示されません）。' })); return; }
    box.append(el('div', { class: 'table-wrap' }, el('table', { id: 'queue-table' }, el('caption', { text: '担当する申請（' + xs.length + ' 件）' }),
      el('thead', {}, el('tr', {}, ['申請', '公募回', '枠', '状態', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => {
        const a = x.application || {};
        const aid = idOf(a) || x.application_id;
        const st = (x.review && x.review.state) || x.review_state || x.state;
        return el('tr', { 'data-app': aid, 'data-assignment': x.id },
          el('td', {}, el('a', { href: '#shinsa/' + aid, text: appName(typeof a === 'object' ? a : aid) })),
          el('td', { text: a.call_title || x.call_title || '' }),
          el('td', { text: (a.frame_names || a.frames || x.frames || []).join('、') }),
          el('td', { class: 'review-state', text: STATE[st] || st || '' }),
          el('td', {}, el('a', { href: '#shinsa/' + aid, text: st === 'submitted' ? '見る・修正する' : '採点する', 'aria-label': appName(typeof a === 'object' ? a : aid) + ' を' + (st === 'submitted' ? '見る' : '採点する') })));
      })))));
  };

  // the review kept in this browser until the server acknowledges it
  const keepKey = (asg) => KEEP + asg;
  const readKeep = (asg) => { try { return JSON.parse(localStorage.getItem(keepKey(asg)) || 'null'); } catch (e) { return null; } };

  // --- the scoring form: criteria beside the application, its plan and the engine's explanation
  async function scoring(box, id) {
    const { call, firstMessage } = o();
    $('shinsa-h').textContent = '審査: 申請 ' + id + ' の採点';
    box.textContent = '読み込み中…';
    const r = await call('GET', 'reviewer/applications/' + encodeURIComponent(id));
    box.textContent = '';
    if (r.status !== 200) {
      box.append(el('p', { class: 'error', id: 'shinsa-error', text: r.status === 404 ? 'この申請は担当ではないか、利益相反のため表示できません。' : '申請を読めません: ' + firstMessage(r) }),
        el('p', {}, el('a', { href: '#shinsa', text: '担当の一覧へ' })));
      return;
    }
    const j = r.json;
    const a = j.application || {};
    const asg = idOf(j.assignment) || (j.review && j.review.assignment) || j.assignment_id;
    const review = j.review || {};
    const criteria = j.criteria || [];
    const scale = j.scale || (j.settings && j.settings.scale) || {};
    const lo = Number(val(scale.min));
    const hi = Number(val(scale.max));
    let server = { version: Number(review.version || 0), state: review.state || 'draft' };
    let kept = readKeep(asg);
    if (kept && kept.base !== server.version) kept = kept.pending ? kept : null; // kept edits of another version: said below
    const cur = kept && kept.pending ? kept : { scores: review.scores || {}, comments: review.comments || {}, overall: review.overall || '' };
    box.append(el('p', { class: 'hint' }, el('a', { href: '#shinsa', text: '← 担当の一覧へ' })));
    const grid = el('div', { class: 'review-grid' });
    // the application as the reviewer sees it
    const left = el('section', { class: 'review-app', 'aria-labelledby': 'rv-app-h' }, el('h2', { id: 'rv-app-h', text: '申請の内容' }));
    const d = a.data || {};
    const ap = d.applicant || {};
    left.append(el('dl', { class: 'facts', id: 'rv-facts' },
      el('dt', { text: '会社' }), el('dd', { text: a.company_name || ap.name || '' }),
      el('dt', { text: '公募回' }), el('dd', { text: a.call_title || '' }),
      el('dt', { text: '枠' }), el('dd', { text: (a.frame_names || a.frames || []).join('、') }),
      el('dt', { text: '業種' }), el('dd', { text: ap.industry || '—' }),
      el('dt', { text: '資本金' }), el('dd', { text: ap.capital === undefined ? '—' : String(ap.capital) }),
      el('dt', { text: '従業員数' }), el('dd', { text: ap.employees === undefined ? '—' : String(ap.employees) })));
    left.append(await planTable(j.plan, d));
    left.append(await explanation(j.explanation, a, d));
    grid.append(left);
    // the form
    const f = el('form', { id: 'review-form', class: 'review-form', novalidate: true, 'aria-labelledby': 'rv-form-h' }, el('h2', { id: 'rv-form-h', text: '採点' }),
      el('p', { class: 'hint', id: 'rv-scale', text: '各審査項目を ' + lo + '〜' + hi + ' の整数で採点し、項目ごとに講評を書きます。' + (scale.note ? '（' + scale.note + '）' : '') }),
      el('p', { id: 'rv-state', class: 'save-state', role: 'status', 'aria-live': 'polite' }));
    criteria.forEach((c) => {
      const sid = 'rv-score-' + c.id;
      const cid = 'rv-comment-' + c.id;
      f.append(el('fieldset', { class: 'criterion', 'data-criterion': c.id },
        el('legend', { text: (c.group ? c.group + ': ' : '') + (c.name || c.id) }),
        el('p', { class: 'hint', id: sid + '-q', text: (c.text || '') + (c.source ? '（' + c.source + '）' : '') + (c.weight !== undefined ? '　重み ' + val(c.weight) : '') }),
        el('div', { class: 'field' }, el('label', { for: sid, text: '点数（' + lo + '〜' + hi + '）' }),
          el('input', { id: sid, type: 'number', inputmode: 'numeric', min: lo, max: hi, step: 1, 'data-input': 'scores.' + c.id, 'aria-describedby': sid + '-q', value: cur.scores[c.id] === undefined ? '' : String(cur.scores[c.id]) })),
        el('div', { class: 'field' }, el('label', { for: cid, text: '講評' }),
          el('textarea', { id: cid, rows: 3, 'data-input': 'comments.' + c.id }, cur.comments[c.id] || ''))));
    });
    const reasonBox = el('div', { class: 'field', id: 'rv-reason-field' }, el('label', { for: 'rv-reason', text: '提出後の修正の理由（必須）' }),
      el('textarea', { id: 'rv-reason', rows: 2, 'data-input': 'reason' }, (kept && kept.reason) || ''));
    const saveBtn = el('button', { type: 'button', id: 'rv-save', text: '下書きを保存' });
    const submitBtn = el('button', { type: 'submit', class: 'primary', id: 'rv-submit', text: '提出する' });
    f.append(reasonBox, el('div', { class: 'actions' }, saveBtn, submitBtn));
    grid.append(f);
    box.append(grid);
    const stateEl = f.querySelector('#rv-state');
    const say = (s, msg) => { stateEl.dataset.state = s; stateEl.textContent = msg; };
    const showServer = () => {
      reasonBox.hidden = server.state !== 'submitted';
      submitBtn.textContent = server.state === 'submitted' ? '修正を提出する' : '提出する';
      saveBtn.hidden = server.state === 'submitted';
    };
    showServer();
    say('saved', server.version ? (server.state === 'submitted' ? '提出済み（版 ' + server.version + '）' : '保存済み（版 ' + server.version + '）') : 'まだ保存していません');
    // what the form holds now
    const read = () => {
      const s = {};
      const c = {};
      criteria.forEach((x) => {
        const v = f.querySelector('#rv-score-' + CSS.escape(x.id)).value.trim();
        if (v !== '') s[x.id] = /^-?\d+$/.test(v) ? Number(v) : v;
        const t = f.querySelector('#rv-comment-' + CSS.escape(x.id)).value;
        if (t.trim()) c[x.id] = t;
      });
      return { scores: s, comments: c, reason: f.querySelector('#rv-reason').value };
    };
    const keep = (pending) => {
      const k = Object.assign(read(), { base: server.version, pending });
      localStorage.setItem(keepKey(asg), JSON.stringify(k));
    };
    // the page's own checks: an integer within the scale; every criterion scored to submit
    const check = (all) => {
      const errs = [];
      const cur2 = read();
      criteria.forEach((x) => {
        const v = cur2.scores[x.id];
        if (v === undefined) { if (all) errs.push({ field: 'scores.' + x.id, message: '点数を入れてください（' + lo + '〜' + hi + '）。' }); }
        else if (typeof v !== 'number' || v < lo || v > hi) errs.push({ field: 'scores.' + x.id, message: lo + '〜' + hi + ' の整数で入れてください。' });
      });
      if (server.state === 'submitted' && all && !cur2.reason.trim()) errs.push({ field: 'reason', message: '提出後に直す理由を書いてください。' });
      return errs;
    };
    let busy = null;
    let timer = null;
    async function save(submit) {
      clearTimeout(timer);
      if (busy) await busy;
      const errs = check(submit);
      if (errs.length) { showErrors(f, { message: submit ? '提出できません' : '保存できません', errors: errs }, submit); say('failed', '保存できません: 入力を直してください'); return false; }
      hojo.clearErrors(f);
      const cur2 = read();
      const body = { scores: cur2.scores, comments: cur2.comments };
      if (submit) body.submit = true;
      if (server.state === 'submitted') { body.reason = cur2.reason.trim(); body.submit = true; }
      say('saving', '保存中…');
      let done;
      busy = new Promise((res) => { done = res; });
      const x = await call('PUT', 'reviews/' + encodeURIComponent(asg), body, { 'If-Match': '"' + server.version + '"' });
      done();
      busy = null;
      if (ok(x)) {
        const rv = x.json.review || x.json;
        const etag = (x.headers.get('ETag') || '').replace(/[W/"]/g, '');
        server = { version: Number(rv.version || etag || server.version + 1), state: rv.state || (body.submit ? 'submitted' : 'draft') };
        const now = read();
        const same = JSON.stringify(now.scores) === JSON.stringify(cur2.scores) && JSON.stringify(now.comments) === JSON.stringify(cur2.comments);
        if (same) localStorage.removeItem(keepKey(asg)); else keep(true);
        showServer();
        if (server.state === 'submitted') f.querySelector('#rv-reason').value = '';
        say('saved', (server.state === 'submitted' ? '提出済み（版 ' : '保存済み（版 ') + server.version + '）');
        if (body.submit) status(body.reason ? '修正を提出しました（版 ' + server.version + '）。' : '採点を提出しました。');
        return true;
      }
      if (x.status === 409 || x.status === 412) {
        say('conflict', '保存できません: この採点は別の画面で版 ' + (x.json.version || '（新しい版）') + ' に保存されています。入力はこの端末に残っています。');
        f.append(el('div', { class: 'notice', id: 'rv-conflict', role: 'alert' }, '別の画面で保存された採点があります。',
          el('button', { type: 'button', text: '保存された採点を読み込む（この端末の入力を捨てる）', onclick: () => { localStorage.removeItem(keepKey(asg)); scoring(box, id); } })));
        return false;
      }
      if (x.status === 401) say('failed', '保存できません: ログインし直してください。入力はこの端末に残っています。');
      else if (x.status === 0) say('failed', '保存できません: サーバーに接続できません。入力はこの端末に残っています。');
      else { o().fail(f, x); say('failed', '保存できません: ' + firstMessage(x)); }
      return false;
    }
    f.addEventListener('input', () => {
      keep(true);
      say('pending', 'この端末に保存しました（サーバーへはまだ）');
      clearTimeout(timer);
      if (server.state !== 'submitted') timer = setTimeout(() => { if (!check(false).length) save(false); }, DEBOUNCE);
    });
    saveBtn.addEventListener('click', () => save(false));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (server.state !== 'submitted' && !window.confirm('採点を提出します。提出後の修正は理由とともに記録されます。よろしいですか。')) return;
      await save(true);
    });
    if (kept && kept.pending && kept.base !== server.version) {
      say('conflict', 'この端末の入力は版 ' + kept.base + ' からのもので、サーバーには版 ' + server.version + ' があります。');
      f.append(el('div', { class: 'notice', id: 'rv-conflict', role: 'alert' }, 'この端末に残っている入力と、サーバーの採点が違います。',
        el('button', { type: 'button', text: 'この端末の入力で保存する', onclick: () => { server.version = Number(review.version || 0); save(false); } }),
        el('button', { type: 'button', text: 'サーバーの採点を使う', onclick: () => { localStorage.removeItem(keepKey(asg)); scoring(box, id); } })));
    } else if (kept && kept.pending && server.state !== 'submitted') save(false);
    box.append(conflictForm({ application: Number(a.id || id) }, 'rv-cf'));
  }

  // the plan table of the application (POST /api/v1/plan on its data when the route does not give it)
  async function planTable(plan, data) {
    const sec = el('section', { class: 'review-plan', 'aria-labelledby': 'rv-plan-h' }, el('h3', { id: 'rv-plan-h', text: '事業計画' }));
    let ys = plan && plan.years;
    if (!ys && data.plan && (data.plan.years || []).length >= 2) {
      const r = await o().call('POST', 'plan', data);
      if (r.status === 200 && r.json.plan) ys = r.json.plan.years;
    }
    if (!ys || !ys.length) { sec.append(el('p', { text: '事業計画は入力されていません。' })); return sec; }
    const ROWS = [['sales', '①売上高'], ['operating_profit', '②営業利益'], ['ordinary_profit', '③経常利益'], ['labor_cost', '④人件費'], ['depreciation', '⑤減価償却費'],
      ['value_added', '付加価値額'], ['capex', '⑥設備投資額'], ['total_wages', '⑦給与支給総額']];
    const Y = ['基準年度', '1年後', '2年後', '3年後', '4年後', '5年後'];
    sec.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': '事業計画の表（横にスクロールできます）' }, el('table', { id: 'rv-plan', class: 'plan' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '項目' }), ys.map((y, i) => el('th', { scope: 'col', text: Y[i] || i + '年後' })))),
      el('tbody', {}, ROWS.map(([k, label]) => el('tr', {}, el('th', { scope: 'row', text: label }),
        ys.map((y) => el('td', { class: 'amount', text: y[k] === null || y[k] === undefined ? '' : Number(y[k]).toLocaleString('ja-JP') }))))))));
    return sec;
  }
  // the engine's explanation per frame: the route's, else POST /api/v1/explain/{frame}
  async function explanation(given, a, data) {
    const sec = el('section', { class: 'review-explain', 'aria-labelledby': 'rv-ex-h' }, el('h3', { id: 'rv-ex-h', text: 'エンジンの判定と説明' }));
    let results = given ? (Array.isArray(given) ? given : given.results || [given]) : null;
    if (!results) {
      results = [];
      for (const fr of a.frames || []) {
        const r = await o().call('POST', 'explain/' + encodeURIComponent(fr), data);
        if (r.status === 200) results.push(...(r.json.results || []).filter((x) => x.frame === fr));
      }
    }
    if (!results.length) { sec.append(el('p', { text: '説明を読み込めませんでした。' })); return sec; }
    const V = { eligible: '対象', ineligible: '対象外', undetermined: '要確認' };
    results.forEach((x) => {
      const d = el('details', { class: 'card', 'data-frame': x.frame }, el('summary', { text: (x.frame_name || x.frame) + ': ' + (V[x.verdict] || x.verdict || '') + (x.subsidy_yen !== undefined && x.subsidy_yen !== null ? '　補助額 ' + yen(x.subsidy_yen) : '') }));
      d.append(el('ul', { class: 'reasons' }, (x.reasons || []).map((y) => el('li', {},
        el('span', { class: y.result === true ? 'yes' : y.result === false ? 'no' : 'unknown', text: y.result === true ? '○ ' : y.result === false ? '× ' : y.result === undefined ? '' : '？ ' }),
        y.text || '', y.values ? '（' + y.values + '）' : '', y.source ? el('span', { class: 'hint', text: '　' + y.source }) : null))));
      sec.append(d);
    });
    return sec;
  }

  // a conflict declared by the reviewer (on one application, a company or an organisation)
  function conflictForm(target, pfx) {
    const { call, fail, field } = o();
    const f = el('form', { id: pfx + '-form', class: 'card', novalidate: true }, el('h2', { text: '利益相反を申し出る' }),
      el('p', { class: 'hint', text: '申し出た申請は担当から外れ、採点できなくなります。' }),
      el('div', { class: 'field' }, el('label', { for: pfx + '-type', text: '種類' }), el('select', { id: pfx + '-type', 'data-input': 'type' }, Object.keys(CTYPE).map((k) => el('option', { value: k, text: CTYPE[k] })))),
      field(pfx + '-note', '内容（必須）', { tag: 'textarea', rows: 2, 'data-input': 'note' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '申し出る' })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const note = f.querySelector('textarea').value.trim();
      if (!note) { showErrors(f, { message: '申し出られません', errors: [{ field: 'note', message: '内容を書いてください。' }] }); return; }
      if (!window.confirm('利益相反を申し出ます。この申請は担当から外れます。よろしいですか。')) return;
      const r = await call('POST', 'reviewer/conflicts', Object.assign({ type: f.querySelector('select').value, note }, target));
      if (ok(r)) { status('利益相反を申し出ました。'); location.hash = '#shinsa'; } else fail(f, r);
    });
    return f;
  }

  // --- the secretariat: choosing a call, and the review pages of that call
  const PAGES = [['jimu-shinsa', '審査の設定'], ['shinsa-katen', '加点の確認'], ['shinsa-rieki', '利益相反'], ['shinsa-wariate', '審査員の割当て'],
    ['shinsa-ten', '点数と順位'], ['shinsa-saitaku', '採択と通知']];
  let calls = null;
  async function staffPage(view, arg) {
    const box = $(view + '-body');
    const { call, need, list } = o() || {};
    if (!o() || !need(box, 'apps')) return null;
    if (!isStaff()) { box.textContent = 'この画面は事務局の担当者だけが使えます。'; return null; }
    if (!calls) { const r = await call('GET', 'calls'); calls = r.status === 200 ? list(r.json, 'calls') : []; }
    box.textContent = '';
    if (!calls.length) { box.append(el('p', {}, '公募回がまだありません。', el('a', { href: '#jimu', text: '事務局で公募回を作る' }))); return null; }
    const cid = arg || sessionStorage.getItem('hojo.review.call') || String(calls[calls.length - 1].id);
    sessionStorage.setItem('hojo.review.call', cid);
    const sel = el('select', { id: view + '-call' }, calls.map((c) => el('option', { value: c.id, text: c.title || c.name || c.id, selected: String(c.id) === cid })));
    sel.addEventListener('change', () => { location.hash = '#' + view + '/' + sel.value; });
    box.append(el('div', { class: 'field' }, el('label', { for: view + '-call', text: '公募回' }), sel),
      isAdmin() ? el('p', {}, el('a', { href: '#yakuwari', text: '審査員の役割を付ける（管理者）' })) : null,
      el('nav', { 'aria-label': '審査の画面', class: 'subnav' }, el('ul', {}, PAGES.map(([v, t]) => el('li', {},
        el('a', { href: '#' + v + '/' + cid, text: t, 'aria-current': v === view ? 'page' : null }))))));
    return { box, cid, call: calls.find((c) => String(c.id) === cid) || { id: cid } };
  }
  const frameName = (c, f) => { const x = ((c && c.frames) || []).find((y) => (y.frame || y) === f); return (x && x.name) || f; };
  const answer = (box, r, what) => {
    if (r.status === 200 || r.status === 201) return true;
    box.append(el('p', { class: 'error', text: r.absent ? 'このサーバーにはまだこの API がありません（' + what + '）。' : '読めません: ' + o().firstMessage(r) }));
    return false;
  };

  // 審査の設定: reviews per application, the scale, weights, points, threshold, tie-breaks, budgets and slots
  hojo.views['jimu-shinsa'] = async (arg) => {
    const p = await staffPage('jimu-shinsa', arg);
    if (!p) return;
    const { call, fail, field } = o();
    const r = await call('GET', 'calls/' + p.cid + '/review');
    if (!answer(p.box, r, 'GET /api/v1/calls/{id}/review')) return;
    const j = r.json;
    const s = j.settings || {};
    const crit = j.criteria || [];
    const bon = j.bonus_rules || [];
    const from = (x) => { const sc = srcOf(x); return sc ? '（' + (sc === 'call' ? 'この公募回の設定' : sc === 'rulebook' || sc === 'default' ? '規則集の既定' : sc) + '）' : ''; };
    const f = el('form', { id: 'settings-form', novalidate: true }, el('h2', { text: '審査の設定' }),
      el('p', { class: 'hint', text: '資料に数値がない項目（重み・尺度・加点の点数など）は事務局の設定です。設定しない項目は規則集の既定を使います。' }),
      field('st-per-app', '1件あたりの審査員の数' + from(s.reviews_per_app), { type: 'number', min: 1, step: 1, value: val(s.reviews_per_app) ?? '', 'data-input': 'reviews_per_app' }),
      el('fieldset', {}, el('legend', { text: '点数の尺度（整数）' + from(s.scale) }),
        field('st-min', '最低点', { type: 'number', step: 1, value: val((val(s.scale) || {}).min) ?? '', 'data-input': 'scale.min' }),
        field('st-max', '最高点', { type: 'number', step: 1, value: val((val(s.scale) || {}).max) ?? '', 'data-input': 'scale.max' })),
      el('fieldset', { id: 'st-weights' }, el('legend', { text: '審査項目の重み' + from(s.weights) }),
        crit.map((c) => field('st-w-' + c.id, (c.group ? c.group + ': ' : '') + (c.name || c.id) + (c.source ? '（' + c.source + '）' : ''),
          { type: 'number', min: 0, step: 1, value: val((val(s.weights) || {})[c.id]) ?? val(c.weight) ?? '', 'data-input': 'weights.' + c.id, 'data-crit': c.id }))),
      el('fieldset', { id: 'st-points' }, el('legend', { text: '加点項目の点数' + from(s.bonus_points) }),
        bon.map((b) => field('st-p-' + b.id, (b.name || b.id) + (b.source ? '（' + b.source + '）' : ''),
          { type: 'number', min: 0, step: 1, value: val((val(s.bonus_points) || {})[b.id]) ?? val(b.points) ?? '', 'data-input': 'bonus_points.' + b.id, 'data-bonus': b.id }))),
      field('st-dis', '意見が分かれたとみなす点差（審査員の合計点の最大と最小の差）' + from(s.disagreement), { type: 'number', min: 0, step: 1, value: val(s.disagreement) ?? '', 'data-input': 'disagreement' }),
      field('st-tb', '同点のときの順（カンマ区切り）' + from(s.tiebreak), { value: val(s.tiebreak) ?? '', 'data-input': 'tiebreak' },
        '使える名前: ' + Object.keys(TB).map((k) => k + '＝' + TB[k]).join('、') + '。最後は申請番号の小さい順です。'),
      el('fieldset', { id: 'st-frames' }, el('legend', { text: '枠ごとの予算と採択数（0 は上限なし）' + from(s.frames) }),
        el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, ['枠', '予算（円）', '採択数'].map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, (val(s.frames) || []).map((x, i) => el('tr', { 'data-frame': x.frame }, el('th', { scope: 'row', text: frameName(p.call, x.frame) }),
            el('td', {}, el('input', { type: 'number', min: 0, step: 1, id: 'st-budget-' + i, 'aria-label': frameName(p.call, x.frame) + ' の予算（円）', value: val(x.budget) ?? '', 'data-input': 'frames[' + i + '].budget' })),
            el('td', {}, el('input', { type: 'number', min: 0, step: 1, id: 'st-slots-' + i, 'aria-label': frameName(p.call, x.frame) + ' の採択数', value: val(x.slots) ?? '', 'data-input': 'frames[' + i + '].slots' })))))))),
      el('div', { class: 'check' }, el('label', { for: 'st-release' }, el('input', { type: 'checkbox', id: 'st-release', checked: !!val(s.feedback_release) }), '不採択の申請者に講評を知らせる')),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '設定を保存' })));
    const int = (id) => { const v = f.querySelector('#' + id).value.trim(); return v === '' ? undefined : Number(v); };
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { reviews_per_app: int('st-per-app'), scale: { min: int('st-min'), max: int('st-max') }, weights: {}, bonus_points: {},
        disagreement: int('st-dis'), tiebreak: f.querySelector('#st-tb').value.trim(), feedback_release: f.querySelector('#st-release').checked,
        frames: (val(s.frames) || []).map((x, i) => ({ frame: x.frame, budget: int('st-budget-' + i) ?? 0, slots: int('st-slots-' + i) ?? 0 })) };
      f.querySelectorAll('[data-crit]').forEach((x) => { if (x.value.trim() !== '') body.weights[x.dataset.crit] = Number(x.value); });
      f.querySelectorAll('[data-bonus]').forEach((x) => { if (x.value.trim() !== '') body.bonus_points[x.dataset.bonus] = Number(x.value); });
      const x = await call('PUT', 'calls/' + p.cid + '/review', body);
      if (ok(x)) { status('審査の設定を保存しました。'); hojo.views['jimu-shinsa'](p.cid); } else fail(f, x);
    });
    p.box.append(f);
    if (crit.length) {
      p.box.append(el('h2', { text: '審査項目' }), el('ul', { id: 'criteria-list' }, crit.map((c) => el('li', { text: (c.group ? '【' + c.group + '】' : '') + (c.text || c.name || c.id) + (c.source ? '（' + c.source + '）' : '') + (c.note ? ' — ' + c.note : '') }))));
    }
  };

  // 加点の確認: the engine's truth and values seen, the evidence, confirm / reject with a reason
  hojo.views['shinsa-katen'] = async (arg) => {
    const p = await staffPage('shinsa-katen', arg);
    if (!p) return;
    const { call, fail, field, list } = o();
    const r = await call('GET', 'calls/' + p.cid + '/bonuses');
    if (!answer(p.box, r, 'GET /api/v1/calls/{id}/bonuses')) return;
    const apps = list(r.json, 'applications');
    p.box.append(el('h2', { text: '加点の確認（' + apps.length + ' 件の申請）' }));
    if (!apps.length) { p.box.append(el('p', { text: '提出された申請はまだありません。' })); return; }
    const rows = [];
    apps.forEach((x) => {
      const a = x.application || x;
      (x.bonuses || []).forEach((b) => rows.push({ a, b }));
    });
    p.box.append(el('div', { class: 'table-wrap' }, el('table', { id: 'bonus-table' }, el('caption', { text: '申請ごとの加点項目（エンジンの判定と事務局の確認）' }),
      el('thead', {}, el('tr', {}, ['申請', '加点項目', '点', 'エンジンの判定', '証拠', '確認', '操作'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.map(({ a, b }) => {
        const bid = b.bonus || b.id;
        const aid = idOf(a);
        const c = b.confirmation || {};
        const st = c.state || b.state || 'pending';
        const t = b.engine === undefined ? b.truth : b.engine;
        const ev = b.evidence || {};
        const atts = ev.attachments || (ev.attachment ? [ev.attachment] : []);
        const label = appName(a) + ' の ' + (b.name || bid);
        const fid = 'bn-' + aid + '-' + bid;
        const form = el('form', { class: 'bonus-decide', novalidate: true },
          field(fid + '-reason', '却下の理由', { 'data-input': 'reason' }),
          el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', text: '確認する', 'aria-label': label + ' を確認する', 'data-decision': 'confirm' }),
            el('button', { type: 'button', text: '却下する', 'aria-label': label + ' を却下する', 'data-decision': 'reject' })));
        form.querySelectorAll('button').forEach((btn) => btn.addEventListener('click', async () => {
          const reason = form.querySelector('input').value.trim();
          if (btn.dataset.decision === 'reject' && !reason) { showErrors(form, { message: '却下できません', errors: [{ field: 'reason', message: '却下の理由を書いてください。' }] }); return; }
          const body = { decision: btn.dataset.decision };
          if (reason) body.reason = reason;
          const y = await call('POST', 'applications/' + aid + '/bonuses/' + encodeURIComponent(bid), body);
          if (ok(y)) { status(label + ' を' + (body.decision === 'confirm' ? '確認しました。' : '却下しました。')); hojo.views['shinsa-katen'](p.cid); } else fail(form, y);
        }));
        return el('tr', { 'data-app': aid, 'data-bonus': bid },
          el('td', { text: appName(a) }),
          el('td', { text: (b.name || bid) + (b.source ? '（' + b.source + '）' : '') }),
          el('td', { class: 'amount', text: String(val(b.points) ?? '') }),
          el('td', { class: 'bonus-engine', text: (TRUTH[String(t)] || String(t ?? '')) + (b.values ? '（' + b.values + '）' : '') }),
          el('td', {}, atts.length ? atts.map((z) => el('a', { href: 'api/v1/attachments/' + idOf(z), download: z.name || '', text: (z.name || '証拠') + ' ' })) : (ev.kind || b.evidence_kind ? '未添付（' + (ev.name || ev.kind || b.evidence_kind) + '）' : '—')),
          el('td', { class: 'bonus-state', text: (CONF[st] || st) + (c.reason ? ': ' + c.reason : '') }),
          el('td', {}, form));
      })))));
  };

  // 利益相反: declared and detected; a detected one dismissed with a reason
  hojo.views['shinsa-rieki'] = async (arg) => {
    const p = await staffPage('shinsa-rieki', arg);
    if (!p) return;
    const { call, fail, field, list } = o();
    const r = await call('GET', 'calls/' + p.cid + '/conflicts');
    if (!answer(p.box, r, 'GET /api/v1/calls/{id}/conflicts')) return;
    const xs = list(r.json, 'conflicts');
    p.box.append(el('h2', { text: '利益相反（' + xs.length + ' 件）' }));
    if (!xs.length) { p.box.append(el('p', { id: 'conflict-none', text: '申し出・検出された利益相反はありません。' })); return; }
    p.box.append(el('div', { class: 'table-wrap' }, el('table', { id: 'conflict-table' }, el('caption', { text: '申し出と検出' }),
      el('thead', {}, el('tr', {}, ['審査員', '申請・会社・機関', '種類', '由来', '内容', '状態'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => {
        const detected = (x.origin || x.kind) === 'detected';
        const dis = x.dismissed || (x.state === 'dismissed' ? { reason: x.reason } : null);
        let cell = dis ? '解除（' + (dis.reason || '') + '）' : '有効';
        if (detected && !dis) {
          const f = el('form', { novalidate: true }, field('cf-reason-' + x.id, '解除の理由', { 'data-input': 'reason' }),
            el('button', { type: 'submit', text: '解除する', 'aria-label': '利益相反 ' + x.id + ' を解除する' }));
          f.addEventListener('submit', async (ev) => {
            ev.preventDefault();
            const reason = f.querySelector('input').value.trim();
            if (!reason) { showErrors(f, { message: '解除できません', errors: [{ field: 'reason', message: '解除の理由を書いてください。' }] }); return; }
            const y = await call('POST', 'conflicts/' + x.id + '/dismiss', { reason });
            if (ok(y)) { status('利益相反 ' + x.id + ' を解除しました。'); hojo.views['shinsa-rieki'](p.cid); } else fail(f, y);
          });
          cell = el('div', {}, '有効', f);
        }
        const target = x.application ? appName(x.application) : x.company ? '会社 ' + (x.company.name || x.company) : x.organisation ? '機関 ' + (x.organisation.name || x.organisation) : '';
        return el('tr', { 'data-conflict': x.id }, el('td', { text: who(x.reviewer) }), el('td', { text: target }), el('td', { text: CTYPE[x.type] || x.type }),
          el('td', { text: detected ? '検出' : '申し出（解除できません）' }), el('td', { text: x.note || x.detail || '' }), el('td', {}, cell));
      })))));
  };

  // 審査員の割当て: auto (dry run first), by hand, delete
  hojo.views['shinsa-wariate'] = async (arg) => {
    const p = await staffPage('shinsa-wariate', arg);
    if (!p) return;
    const { call, fail, list } = o();
    const redraw = () => hojo.views['shinsa-wariate'](p.cid);
    const auto = el('section', { id: 'assign-auto', 'aria-labelledby': 'as-auto-h' }, el('h2', { id: 'as-auto-h', text: '自動で割り当てる' }),
      el('p', { class: 'hint', text: '各申請に設定の人数の審査員を、担当数が偏らないように、利益相反を避けて割り当てます。まず試しの結果を見てから確定します。' }));
    const out = el('div', { id: 'assign-preview', 'aria-live': 'polite' });
    auto.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'assign-dry', text: '試しに割り当てる（保存しません）', onclick: async () => {
      out.textContent = '計算中…';
      const x = await call('POST', 'calls/' + p.cid + '/assignments?dry_run=1', { mode: 'auto' });
      out.textContent = '';
      if (!ok(x)) { fail(auto, x); return; }
      const ps = list(x.json, 'assignments').length ? list(x.json, 'assignments') : list(x.json, 'pairs');
      out.append(el('p', { id: 'assign-preview-count', text: '割り当てる組: ' + ps.length + ' 組（まだ保存していません）' }),
        pairsTable(ps, 'assign-preview-table', '試しの割当て', null),
        el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'assign-commit', text: 'この割当てを確定する', onclick: async () => {
          const y = await call('POST', 'calls/' + p.cid + '/assignments', { mode: 'auto' });
          if (ok(y)) { status('割当てを確定しました。'); redraw(); } else fail(auto, y);
        } })));
    } })), out);
    p.box.append(auto);
    // by hand: an application and a reviewer
    const [ra, rs] = await Promise.all([call('GET', 'calls/' + p.cid + '/assignments'), call('GET', 'calls/' + p.cid + '/submissions?state=submitted&per_page=100')]);
    const rv = isAdmin() ? await call('GET', 'admin/accounts?per_page=100') : { status: 0, json: {} };
    const reviewers = (rv.status === 200 ? list(rv.json, 'accounts') : []).filter((x) => (x.roles || []).includes('reviewer'));
    const subs = rs.status === 200 ? (list(rs.json, 'submissions').length ? list(rs.json, 'submissions') : list(rs.json, 'applications')) : [];
    const man = el('form', { id: 'assign-manual', novalidate: true }, el('h2', { text: '手で割り当てる' }),
      el('div', { class: 'field' }, el('label', { for: 'am-app', text: '申請' }), el('select', { id: 'am-app', 'data-input': 'pairs[0].application' }, subs.map((x) => { const a = x.application || x; return el('option', { value: a.id, text: appName(a) }); }))),
      reviewers.length
        ? el('div', { class: 'field' }, el('label', { for: 'am-rev', text: '審査員' }), el('select', { id: 'am-rev', 'data-input': 'pairs[0].reviewer' }, reviewers.map((x) => el('option', { value: x.id, text: who(x) }))))
        : o().field('am-rev', '審査員のアカウント番号', { type: 'number', min: 1, step: 1, 'data-input': 'pairs[0].reviewer' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '割り当てる' })));
    man.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const y = await call('POST', 'calls/' + p.cid + '/assignments', { mode: 'manual', pairs: [{ application: Number(man.querySelector('#am-app').value), reviewer: Number(man.querySelector('#am-rev').value) }] });
      if (ok(y)) { status('割り当てました。'); redraw(); } else fail(man, y);
    });
    p.box.append(man, el('h2', { text: '割当ての一覧' }));
    if (!answer(p.box, ra, 'GET /api/v1/calls/{id}/assignments')) return;
    const xs = list(ra.json, 'assignments');
    if (!xs.length) { p.box.append(el('p', { id: 'assign-none', text: 'まだ割当てはありません。' })); return; }
    p.box.append(pairsTable(xs, 'assign-table', '割当て（' + xs.length + ' 件）', async (x) => {
      if (!window.confirm(appName(x.application) + ' の ' + who(x.reviewer) + ' の割当てを削除します。よろしいですか。')) return;
      const y = await call('DELETE', 'assignments/' + x.id);
      if (ok(y)) { status('割当てを削除しました。'); redraw(); } else status('削除できません: ' + o().firstMessage(y));
    }));
  };
  function pairsTable(xs, id, caption, del) {
    return el('div', { class: 'table-wrap' }, el('table', { id }, el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, ['申請', '審査員', '状態', del ? '' : null].filter((h) => h !== null).map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => el('tr', { 'data-assignment': x.id, 'data-app': idOf(x.application) },
        el('td', { text: appName(x.application) }), el('td', { text: who(x.reviewer) }),
        el('td', { text: STATE[(x.review && x.review.state) || x.review_state || x.state] || (x.review_state || x.state || '') }),
        del ? el('td', {}, el('button', { type: 'button', text: '削除', 'aria-label': appName(x.application) + ' の ' + who(x.reviewer) + ' の割当てを削除', onclick: () => del(x) })) : null)))));
  }

  // 点数と順位: mean / median / spread per criterion and total, the disagreement flag; the ranking per frame
  hojo.views['shinsa-ten'] = async (arg) => {
    const p = await staffPage('shinsa-ten', arg);
    if (!p) return;
    const { call, list } = o();
    const [rs, rr] = await Promise.all([call('GET', 'calls/' + p.cid + '/scores'), call('GET', 'calls/' + p.cid + '/ranking')]);
    p.box.append(el('h2', { text: '点数の集計' }));
    if (answer(p.box, rs, 'GET /api/v1/calls/{id}/scores')) {
      const xs = list(rs.json, 'applications').length ? list(rs.json, 'applications') : list(rs.json, 'scores');
      const crit = rs.json.criteria || [];
      if (!xs.length) p.box.append(el('p', { text: '提出された採点はまだありません。' }));
      else {
        p.box.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': '点数の集計（横にスクロールできます）' }, el('table', { id: 'scores-table' }, el('caption', { text: '申請ごとの点数（平均・中央値・ばらつき）' }),
          el('thead', {}, el('tr', {}, ['申請', '採点数', '合計の平均', '合計の中央値', 'ばらつき（最大−最小）', '確認済みの加点', '意見の分かれ', ...crit.map((c) => (c.name || c.id) + 'の平均')].map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, xs.map((x) => {
            const t = x.total || {};
            const flag = x.disagreement === true || (x.disagreement && x.disagreement.flag);
            return el('tr', { 'data-app': idOf(x.application), class: flag ? 'flagged' : null },
              el('th', { scope: 'row', text: appName(x.application) }), el('td', { class: 'amount', text: String(x.reviews ?? x.n ?? '') }),
              el('td', { class: 'amount score-mean', text: fracText(t.mean) }), el('td', { class: 'amount score-median', text: fracText(t.median) }),
              el('td', { class: 'amount score-spread', text: fracText(t.spread) }), el('td', { class: 'amount', text: fracText(x.bonus ?? 0) }),
              el('td', { class: 'score-flag', text: flag ? '要注意（点差が設定を超える）' : '—' }),
              crit.map((c) => el('td', { class: 'amount', text: fracText(((x.criteria || {})[c.id] || {}).mean) })));
          })))));
      }
    }
    p.box.append(el('h2', { text: '順位（枠ごと）' }));
    if (!answer(p.box, rr, 'GET /api/v1/calls/{id}/ranking')) return;
    (rr.json.frames || []).forEach((fr) => p.box.append(rankTable(p.call, fr, 'ranking')));
  };
  // one frame's ranking (or selection) with its cut line drawn between the last adopted and the first rejected
  function rankTable(c, fr, pfx) {
    const rows = fr.ranking || fr.decisions || fr.applications || [];
    const cut = fr.cut || fr;
    const name = fr.frame_name || frameName(c, fr.frame);
    const sec = el('section', { class: 'frame-rank', 'data-frame': fr.frame, 'aria-labelledby': pfx + '-' + fr.frame + '-h' }, el('h3', { id: pfx + '-' + fr.frame + '-h', text: name }));
    if (cut && (cut.budget !== undefined || cut.last_adopted !== undefined)) {
      sec.append(el('dl', { class: 'facts cut', id: pfx + '-cut-' + fr.frame },
        el('dt', { text: '順位の付いた申請' }), el('dd', { text: String(cut.ranked ?? rows.length) + ' 件' }),
        el('dt', { text: '採択' }), el('dd', { class: 'cut-adopted', text: String(cut.adopted ?? '') + ' 件' + (Number(cut.slots) ? '（採択数の上限 ' + cut.slots + '）' : '（採択数の上限なし）') }),
        el('dt', { text: '最後に採択した点数' }), el('dd', { class: 'cut-last', text: cut.last_adopted === undefined || cut.last_adopted === null ? '—' : fracText(cut.last_adopted) }),
        el('dt', { text: '最初に不採択になった点数' }), el('dd', { class: 'cut-first', text: cut.first_rejected === undefined || cut.first_rejected === null ? '—' : fracText(cut.first_rejected) }),
        el('dt', { text: '予算' }), el('dd', { class: 'cut-budget', text: Number(cut.budget) ? yen(cut.budget) : '上限なし' }),
        el('dt', { text: '予算の使用額' }), el('dd', { class: 'cut-used', text: yen(cut.used) }),
        el('dt', { text: '予算の残り' }), el('dd', { class: 'cut-left', text: Number(cut.budget) ? yen(cut.left) : '—' }),
        el('dt', { text: '止まった理由' }), el('dd', { text: STOP[cut.stopped_by] || cut.stopped_by || '—' })));
    }
    if (!rows.length) { sec.append(el('p', { text: 'この枠の申請はありません。' })); return sec; }
    const body = el('tbody', {});
    let lastAdopted = -1;
    rows.forEach((x, i) => { if (/^adopted/.test(x.outcome || '')) lastAdopted = i; });
    rows.forEach((x, i) => {
      body.append(el('tr', { 'data-app': idOf(x.application ?? x.id), class: /^adopted/.test(x.outcome || '') ? 'adopted' : x.outcome ? 'rejected' : null },
        el('td', { class: 'amount', text: String(x.rank ?? i + 1) }), el('th', { scope: 'row', text: appName(x.application ?? x.id) }),
        el('td', { class: 'amount rank-score', text: fracText(x.score) }), el('td', { class: 'amount', text: fracText(x.bonus ?? 0) }),
        el('td', { class: 'amount', text: yen(x.amount ?? x.request) }),
        el('td', { class: 'rank-outcome', text: x.outcome ? (OUTCOME[x.outcome] || x.outcome) + (x.moved ? '（再審査で移った）' : '') : '' }),
        el('td', { text: x.reason || '' })));
      if (i === lastAdopted && i < rows.length - 1) body.append(el('tr', { class: 'cut-line' }, el('td', { colspan: 7, text: '――― ここまで採択（採択ライン） ―――' })));
    });
    sec.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': name + ' の順位（横にスクロールできます）' }, el('table', { class: 'rank', id: pfx + '-table-' + fr.frame },
      el('caption', { text: name + ' の順位' }),
      el('thead', {}, el('tr', {}, ['順位', '申請', '点数', '加点', '補助金額', '結果', '理由'].map((h) => el('th', { scope: 'col', text: h })))), body)));
    return sec;
  }

  // 採択と通知: the preview (nothing stored), the commit (administrators, after a confirmation), the notices
  hojo.views['shinsa-saitaku'] = async (arg) => {
    const p = await staffPage('shinsa-saitaku', arg);
    if (!p) return;
    const { call, fail, list } = o();
    const out = el('div', { id: 'selection-preview', 'aria-live': 'polite' });
    const dry = el('button', { type: 'button', class: 'primary', id: 'sel-dry', text: '採択を試算する（保存しません）' });
    p.box.append(el('h2', { text: '採択の試算' }),
      el('p', { class: 'hint', text: '枠ごとに点数（採点の平均と確認済みの加点）の高い順に、予算と採択数の範囲で採択します。試算は何も保存しません。' }),
      el('div', { class: 'actions' }, dry), out);
    dry.addEventListener('click', async () => {
      out.textContent = '計算中…';
      const x = await call('POST', 'calls/' + p.cid + '/selections?dry_run=1');
      out.textContent = '';
      if (!ok(x)) { fail(out, x); out.append(el('p', { class: 'error', text: '試算できません: ' + o().firstMessage(x) })); return; }
      out.append(selectionView(p.call, x.json.selection || x.json, 'preview'));
      if (isAdmin()) {
        out.append(el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'sel-commit', text: 'この結果で採択を確定する', onclick: async () => {
          if (!window.confirm('採択を確定します。確定すると取り消せません（同じ入力でもう一度確定しても結果は変わりません）。よろしいですか。')) return;
          const y = await call('POST', 'calls/' + p.cid + '/selections');
          if (ok(y)) { status(y.headers.get('Idempotent-Replayed') === 'true' ? '同じ採択がすでに確定しています。' : '採択を確定しました。'); hojo.views['shinsa-saitaku'](p.cid); } else fail(out, y);
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
      const sel = g.status === 200 ? g.json.selection || g.json : s;
      p.box.append(el('h3', { text: '採択 ' + s.id + '（' + o().when(sel.created_at || s.created_at) + '）' }), selectionView(p.call, sel, 'sel-' + s.id), noticesForm(p, sel));
    }
  };
  // a selection: its hashes, the cut line and decisions per frame
  function selectionView(c, s, pfx) {
    const box = el('div', { class: 'selection', 'data-selection': s.id || '' });
    box.append(el('p', { class: 'hint sel-hashes', text: '規則集のハッシュ ' + (s.rulebook_hash || '—') + '／使った点数のハッシュ ' + (s.scores_hash || s.inputs_hash || '—') }));
    const ds = s.decisions || [];
    const frames = s.frames || s.cuts || [];
    frames.forEach((fr) => {
      const rows = fr.decisions || ds.filter((d) => d.frame === fr.frame && d.outcome !== 'excluded').sort((a, b) => Number(a.rank) - Number(b.rank));
      box.append(rankTable(c, Object.assign({}, fr, { ranking: rows, cut: fr.cut || fr }), pfx));
    });
    const ex = ds.filter((d) => d.outcome === 'excluded');
    if (ex.length) box.append(el('h3', { text: '順位の対象外' }), el('ul', {}, ex.map((d) => el('li', { text: appName(d.application ?? d.id) + ': ' + (d.reason || '') }))));
    return box;
  }
  // notices: for each rejected application, the review comments the secretariat chooses to release
  function noticesForm(p, s) {
    const { call, fail } = o();
    const ds = (s.decisions || (s.frames || []).flatMap((f) => f.decisions || [])).filter((d) => d.outcome !== 'excluded');
    const f = el('form', { class: 'notices-form', id: 'notices-' + s.id, novalidate: true }, el('h4', { text: '通知を出す' }));
    if (s.notices_released || s.released_at) { f.append(el('p', { class: 'notices-done', text: '通知は出しました（' + o().when(s.released_at) + '）。' })); return f; }
    const rej = ds.filter((d) => d.outcome === 'rejected');
    rej.forEach((d) => {
      const aid = idOf(d.application ?? d.id);
      const cs = d.comments || [];
      f.append(el('fieldset', { 'data-app': aid }, el('legend', { text: appName(d.application ?? d.id) + '（不採択）に知らせる講評' }),
        cs.map((cm, i) => el('div', { class: 'check' }, el('label', { for: 'nf-' + s.id + '-' + aid + '-' + i },
          el('input', { type: 'checkbox', id: 'nf-' + s.id + '-' + aid + '-' + i, value: cm.id }), (cm.criterion_name || cm.criterion || '') + ': ' + (cm.text || '')))),
        o().field('nf-' + s.id + '-' + aid + '-text', '事務局からの講評（任意）', { tag: 'textarea', rows: 2 })));
    });
    f.append(el('p', { class: 'hint', text: '採択 ' + (ds.length - rej.length) + ' 件・不採択 ' + rej.length + ' 件に通知します。' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '通知を出す' })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!window.confirm('申請者に採択・不採択を通知します。よろしいですか。')) return;
      const feedback = {};
      f.querySelectorAll('fieldset[data-app]').forEach((fs) => {
        const xs = [...fs.querySelectorAll('input:checked')].map((x) => (/^\d+$/.test(x.value) ? Number(x.value) : x.value));
        const t = fs.querySelector('textarea').value.trim();
        if (t) xs.push(t);
        if (xs.length) feedback[fs.dataset.app] = xs;
      });
      const y = await call('POST', 'selections/' + s.id + '/notices', { feedback });
      if (ok(y)) { status('通知を出しました。'); hojo.views['shinsa-saitaku'](p.cid); } else fail(f, y);
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
    const adopted = /^adopted/.test(n.outcome || '') || n.outcome === 'adopted';
    const fb = n.feedback || [];
    return el('div', { class: 'card notice-card', 'data-app': idOf(n.application), 'data-outcome': n.outcome },
      el(hid ? 'h3' : 'h2', { class: 'notice-outcome', text: (adopted ? '採択' : '不採択') + '　' + appName(n.application || n.application_id) }),
      el('dl', { class: 'facts' },
        el('dt', { text: '枠' }), el('dd', { class: 'notice-frame', text: n.frame_name || n.frame || '—' }),
        adopted ? [el('dt', { text: '補助金額（上限）' }), el('dd', { class: 'notice-amount', text: yen(n.amount) })] : null,
        el('dt', { text: '通知日' }), el('dd', { text: o().when(n.released_at || n.created_at) })),
      fb.length ? el('div', {}, el('p', { text: '審査の講評:' }), el('ul', { class: 'notice-feedback' }, fb.map((x) => el('li', { text: typeof x === 'string' ? x : (x.criterion_name || x.criterion ? (x.criterion_name || x.criterion) + ': ' : '') + (x.text || '') })))) : null);
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
    const n = r.json.notice || r.json;
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
  hojo.review = { fracText, isReviewer };
}());
