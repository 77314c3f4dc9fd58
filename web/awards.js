// hojo pages after adoption (issue 12 §5), loaded before web/office.js and
// using its helpers (hojo.office), on the routes of include/hojo/grants/
// awards.h (docs/api.md "Awards, claims and reports"):
//   #kofu            my awards (a grantee) or every award (staff, by call),
//                    20 a page, newest first (前へ / 次へ, "N件中 a–b件");
//                    the adopted applications without one yet (交付申請)
//   #kofu/ID         one award: 交付決定額, conditions, project period, the
//                    staff's 交付決定 form, 計画変更 (request; decide), the
//                    確定額 with its explanation line by line, the payment
//   #jisseki/ID      実績報告: expense lines (dates, categories), checked by
//                    rule on the server; autosaved with If-Match and kept in
//                    localStorage until a save is answered; evidence with
//                    its SHA-256; submit
//   #kensa/ID        staff: 確定検査 per line (accept / reduce / reject with a
//                    reason), settlement preview and commit, 精算払
//   #nenji/ID        yearly 事業化状況報告 with the approved plan's row beside
//                    each figure and each requirement met / not met / not yet
//   #tokusoku        staff: missing and late reports, reminders to the spool
//   #seika           staff: the programs' 成果目標 per program and call,
//                    with n, bar charts drawn here as inline SVG, CSV
// Amounts are integer yen from the server; nothing here computes an amount
// (the chart's bar lengths are drawing only). A pending claim edit is kept
// under hojo.claim.v1.<award> ({base, lines, completed_on}) until saved.
'use strict';
(function () {
  const hojo = window.hojo;
  if (!hojo) return;
  const { el, status, showErrors } = hojo;
  const $ = (id) => document.getElementById(id);
  const o = () => hojo.office;
  const API = 'api/v1/';
  const CLAIM = 'hojo.claim.v1.'; // + award id
  const DEBOUNCE = 800;
  const ok = (r) => r.status >= 200 && r.status < 300;
  const yen = (n) => (n === null || n === undefined || n === '' ? '—' : Number(n).toLocaleString('ja-JP') + '円');
  const one = (j, k) => (j && j[k] && typeof j[k] === 'object' && !Array.isArray(j[k]) ? j[k] : j);
  const arr = (v) => (Array.isArray(v) ? v : []);
  const isStaff = () => { const m = o().me(); return !!(m && (m.account.roles || []).some((x) => x === 'staff' || x === 'admin')); };
  const AWARD_STATE = {
    applied: '交付申請中', requested: '交付申請中', granted: '交付決定', refused: '不交付', claim_draft: '実績報告 作成中',
    claimed: '実績報告 提出済み', claim_submitted: '実績報告 提出済み', inspected: '確定検査済み', settled: '確定', paid: '支払済み', closed: '完了',
  };
  const DUE_STATUS = { met: '満たしている', not_met: '満たしていない', unknown: '要確認', not_yet: 'まだ確かめられない' };
  const DUE_CLASS = { met: 'yes', not_met: 'no' };
  const CHANGE_KIND = { reallocation: '経費の配分変更', extension: '事業期間の延長' };
  const CHANGE_STATE = { pending: '審査中', requested: '審査中', approved: '承認', refused: '不承認' };
  const DECISION = { accept: '認める', reduce: '減額する', reject: '認めない' };
  const RSTATUS = { met: '達成', not_met: '未達成', not_yet: 'まだ測れない' };
  const REPORT_STATE = { draft: '下書き', submitted: '提出済み', missing: '未提出', late: '期限超過', due: '提出待ち' };
  // the yearly report's figures (hojo/after.h hj_report_compare_json) and the
  // approved plan's keys that stand beside them (docs/plan.md)
  const REPORT_ROWS = [
    ['fiscal_year_end', '決算期末（年月日）', 'date', 'year_end'],
    ['sales', '売上高', 'yen', 'sales'], ['cost_of_sales', '売上原価', 'yen', 'cost_of_sales'],
    ['labor_cost', '人件費', 'yen', 'labor_cost'], ['depreciation', '減価償却費', 'yen', 'depreciation'],
    ['other_expenses', 'その他経費', 'yen', 'other_expenses'], ['total_wages', '給与支給総額', 'yen', 'total_wages'],
    ['employees', '従業員数（人）', 'num', 'employees'], ['min_wage', '事業場内最低賃金（円/時）', 'num', 'min_wage'],
  ];
  // the derived figures of a report shown (hj_report_compare_json "derived"; the typed ones are in the table)
  const DERIVED = { operating_profit: '営業利益', ordinary_profit: '経常利益', value_added: '付加価値額', labor_productivity: '労働生産性（1人あたり付加価値額）' };

  // "1,500万円", "3億2000万", "1200000" → integer yen; null when not an amount
  function parseYen(s) {
    const t = String(s === undefined || s === null ? '' : s).replace(/[,，\s円]/g, '').replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (!t) return null;
    const m = /^(?:(\d+)億)?(?:(\d+)万)?(\d*)$/.exec(t);
    if (!m || (!m[1] && !m[2] && !m[3])) return null;
    const v = Number(m[1] || 0) * 1e8 + Number(m[2] || 0) * 1e4 + Number(m[3] || 0);
    return Number.isSafeInteger(v) ? v : null;
  }
  // an exact fraction of the API ({num,den}, "13/20", an integer, a decimal text) → {n, d, text}
  function frac(v) {
    if (v === null || v === undefined) return null;
    if (typeof v === 'object' && v.num !== undefined) return { n: Number(v.num), d: Number(v.den || 1) };
    if (typeof v === 'object' && v.numerator !== undefined) return { n: Number(v.numerator), d: Number(v.denominator || 1) };
    const s = String(v);
    const m = /^(-?\d+)\/(\d+)$/.exec(s);
    if (m) return { n: Number(m[1]), d: Number(m[2]) };
    const x = /^(-?\d+)(?:\.(\d+))?$/.exec(s);
    if (x) { const dec = x[2] || ''; return { n: Number(x[1] + dec), d: Math.pow(10, dec.length) }; }
    return null;
  }
  // a share or a ratio as a percentage (exact to 0.1%, rounded half up) with the fraction beside it
  function pct(v) {
    const f = frac(v);
    if (!f || !f.d) return v === null || v === undefined ? '—' : String(v);
    const t = Math.round((f.n * 1000) / f.d); // drawing text only
    return (t / 10).toLocaleString('ja-JP', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + '%' + (f.d !== 1 && f.d !== 100 ? '（' + f.n + '/' + f.d + '）' : '');
  }
  const ratio = (v) => { const f = frac(v); return f && f.d ? f.n / f.d : null; };
  // an outcome (hj_outcomes_json): what its value is compared with — the growth required by the
  // year reached for an aggregate growth, else the target's fraction — and both as text
  const goalOf = (x) => (x.required !== undefined && x.required !== null ? x.required : x.target && typeof x.target === 'object' && x.target.fraction !== undefined ? x.target.fraction : x.target);
  function targetText(x) {
    const t = x.target;
    if (!t || typeof t !== 'object' || t.num !== undefined) return pct(t);
    const parts = [];
    if (t.value_added_annual) parts.push('付加価値額 年率' + t.value_added_annual + '・給与支給総額 年率' + t.wages_annual + ' を両方達成した割合');
    if (t.annual) parts.push('年率' + t.annual);
    if (t.total) parts.push('伸び' + t.total);
    if (t.at_least) parts.push(t.at_least + '以上');
    if (t.above) parts.push(t.above + '超');
    if (x.required_text || x.required) parts.push('（' + (x.at_year ? x.at_year + '年後' : '') + 'に必要な伸び ' + pctText(x.required_text, x.required) + '）');
    return parts.join(' ') || pct(t.fraction);
  }
  // the engine writes a percentage when it is a finite decimal ("9.2727%"), else the fraction: then ours
  const pctText = (txt, v) => (txt && /%$/.test(String(txt)) ? String(txt) : pct(v));
  const valueText = (x) => (x.value === null || x.value === undefined ? 'まだ測れない' : pctText(x.value_text, x.value));
  function fmt(v, kind) {
    if (v === null || v === undefined || v === '') return '—';
    if (kind === 'yen') return yen(v);
    if (kind === 'pct' || kind === 'share' || kind === 'rate' || kind === 'ratio') return pct(v);
    if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
    if (typeof v === 'number') return v.toLocaleString('ja-JP');
    if (typeof v === 'object') return frac(v) ? pct(v) : JSON.stringify(v);
    return String(v);
  }
  const sourceText = (s) => (Array.isArray(s) ? s.join('、') : s ? String(s) : '');
  function src(s) { const t = sourceText(s); return t ? el('span', { class: 'hint src', text: '（出典: ' + t + '）' }) : null; }
  const table = (id, caption, heads, rows) => el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    el('table', { id }, el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, rows)));
  // a view draws into a container of its own: a later drawing of the same view (a quick second
  // hash change) replaces it, and the earlier one, still awaiting answers, writes into a detached node
  function fresh(id) {
    const d = el('div');
    $(id).replaceChildren(d);
    return d;
  }
  function need(box) { // signed in, the server has the routes
    return o().need(box, 'apps');
  }
  async function get(box, path) { // GET path → json; else a message in box and null
    const r = await o().call('GET', path);
    if (r.status === 200) return r.json;
    box.textContent = '';
    box.append(el('p', { class: 'notice', 'data-missing': r.absent ? 'awards' : null,
      text: r.absent ? 'このサーバーにはまだ採択後の機能がありません（API /' + API + path.split('?')[0] + ' がありません）。' : '読み込めません: ' + o().firstMessage(r) }));
    return null;
  }
  const awardOf = (j) => one(j, 'award');
  // a settlement as answered (the engine's document) or as stored ({amount, explanation: that document})
  const settleDoc = (x) => (!x ? null : x.settlement && typeof x.settlement === 'object' ? settleDoc(x.settlement)
    : x.explanation && !Array.isArray(x.explanation) && typeof x.explanation === 'object' ? x.explanation : x);
  const amountOf = (a) => (a.amount !== undefined ? a.amount : a.granted_amount !== undefined ? a.granted_amount : a.granted);
  const periodOf = (a) => (a.period || { start: a.period_start || a.granted_on, end: a.period_end });
  const appTitle = (a) => a.application_title || a.title || a.company_name || (a.company && a.company.name) || ('申請 ' + (a.application || ''));

  // --- #kofu: the list, a page at a time (GET /api/v1/awards?page&per_page: total); #kofu/ID: one award
  const KOFU_PER = 20;
  let kofuPage = 1;
  hojo.views.kofu = async (id) => {
    const box = fresh('kofu-body');
    if (!need(box)) return;
    if (id) return award(box, id);
    if (box.isConnected) $('kofu-h').textContent = '交付決定と報告';
    box.textContent = '読み込み中…';
    box.setAttribute('aria-busy', 'true'); // until the list and the 交付申請 offers are drawn
    const staff = isStaff();
    const callSel = sessionStorage.getItem('hojo.kofu.call') || '';
    const j = await get(box, 'awards?page=' + kofuPage + '&per_page=' + KOFU_PER + (staff && callSel ? '&call=' + encodeURIComponent(callSel) : ''));
    if (!j) { box.removeAttribute('aria-busy'); return; }
    // past the last page (awards of another call, or fewer than when the page was drawn): the last one
    if (kofuPage > 1 && !o().list(j, 'awards').length && j.total > 0) { kofuPage = Math.ceil(j.total / KOFU_PER); return hojo.views.kofu(); }
    box.textContent = '';
    if (staff) {
      const c = await o().call('GET', 'calls');
      const calls = c.status === 200 ? o().list(c.json, 'calls') : [];
      const sel = el('select', { id: 'kofu-call' }, el('option', { value: '', text: 'すべての公募回' }),
        calls.map((x) => el('option', { value: String(x.id), text: x.title || ('公募回 ' + x.id), selected: String(x.id) === callSel })));
      sel.addEventListener('change', () => { sessionStorage.setItem('hojo.kofu.call', sel.value); kofuPage = 1; hojo.views.kofu(); });
      box.append(el('div', { class: 'field' }, el('label', { for: 'kofu-call', text: '公募回' }), sel),
        el('ul', { class: 'links' }, el('li', {}, el('a', { href: '#tokusoku', text: '未提出・期限超過の報告' })),
          el('li', {}, el('a', { href: '#seika', text: '成果目標（ダッシュボード）' }))));
    }
    const aw = o().list(j, 'awards');
    if (!aw.length) box.append(el('p', { id: 'kofu-none', text: staff ? '交付申請はまだありません。' : 'あなたの交付決定はまだありません。' }));
    else {
      box.append(table('award-table', staff ? '交付申請と交付決定' : 'あなたの交付決定', ['申請', '状態', '交付決定額', '事業期間', ''],
        aw.map((a) => { const p = periodOf(a); return el('tr', { 'data-award': a.id },
          el('td', { text: appTitle(a) }), el('td', { class: 'award-state' }, AWARD_STATE[a.state] || a.state || '',
            a.changes_requested ? el('span', { class: 'changes-requested', text: '（計画変更 審査待ち ' + a.changes_requested + ' 件）' }) : null),
          el('td', { class: 'num', text: yen(amountOf(a)) }), el('td', { text: p.end ? (p.start || '') + '〜' + p.end : '—' }),
          el('td', {}, el('a', { href: '#kofu/' + a.id, text: '開く', 'aria-label': appTitle(a) + ' の交付決定を開く' }))); })));
      if (j.total !== undefined) box.append(o().pageNav(j, (n) => { kofuPage = n; hojo.views.kofu(); }, '交付決定の一覧のページ送り', 'kofu-pager'));
    }
    if (!staff) await adopted(box, aw.length < (j.total || 0) ? await mine() : aw);
    box.removeAttribute('aria-busy');
  };
  // every award of the grantee, 500 a page (which adopted applications have one already)
  async function mine() {
    const out = [];
    for (let p = 1; ; p++) {
      const r = await o().call('GET', 'awards?page=' + p + '&per_page=500');
      const xs = r.status === 200 ? o().list(r.json, 'awards') : [];
      out.push(...xs);
      if (!xs.length || out.length >= (r.json.total || 0)) return out;
    }
  }
  // adopted applications without an award: 交付申請 (notices of i11, else my applications marked adopted)
  async function adopted(box, aw) {
    const have = new Set(aw.map((a) => String(a.application)));
    let apps = [];
    const n = await o().call('GET', 'notices');
    // a notice (hojo/grants/review.h): {application (an id or {id, …}), outcome "adopted…", frame, amount}
    const idOf = (v) => (v && typeof v === 'object' ? v.id : v);
    if (n.status === 200) apps = o().list(n.json, 'notices').filter((x) => /^adopted/.test(String(x.outcome || x.result || '')))
      .map((x) => ({ id: idOf(x.application) || x.application_id, title: (x.application && x.application.title) || x.application_title || x.company_name, amount: x.amount, frame: x.frame_name || x.frame }));
    // submitted applications whose notice is not out yet (an adoption recorded by an administrator):
    // offered too; the server says whether each is adopted
    const known = new Set(apps.map((x) => String(x.id)));
    const a = await o().call('GET', 'applications?per_page=100');
    if (a.status === 200) o().list(a.json, 'applications').filter((x) => x.state === 'submitted' && !known.has(String(x.id)))
      .forEach((x) => apps.push({ id: x.id, title: (x.company_name || '') + (x.receipt ? '（受付番号 ' + x.receipt + '）' : ''), unsure: true }));
    apps = apps.filter((x) => x.id && !have.has(String(x.id)));
    if (!apps.length) return;
    const sec = el('section', { id: 'kofu-apply', 'aria-labelledby': 'kofu-apply-h' }, el('h2', { id: 'kofu-apply-h', text: '採択された申請: 交付申請' }),
      el('p', { text: '採択された申請について、交付申請をします。事業計画で基準年度を見込みで入力していた場合は、確定した実績の値を入力してください（交付決定の前に規則がもう一度確かめます）。' }));
    apps.forEach((x) => {
      const f = el('form', { class: 'card', 'data-application': x.id, novalidate: true }, el('h3', { text: (x.title || '申請 ' + x.id) }),
        x.amount !== undefined || x.frame ? el('p', { text: [x.frame, x.amount !== undefined ? '採択額 ' + yen(x.amount) : ''].filter(Boolean).join('　') }) : null,
        x.unsure ? el('p', { class: 'hint', text: '採択の通知はまだ届いていません。採択されていれば交付申請できます（採択されていないときはそう表示します）。' }) : null);
      const pre = 'ka-' + x.id + '-';
      // the plan's base year (a forecast when the application was made): the grantee corrects it to
      // the actual figures; changed, the whole year goes as base_actuals (it replaces the plan's
      // base year and the plan requirements are checked again, seed 004:198-200)
      const baseRows = REPORT_ROWS.filter(([k]) => k !== 'fiscal_year_end');
      const planBase = {};
      const d = el('details', { class: 'base-actuals' }, el('summary', { text: '基準年度を見込みで入力していたとき: 実績の値に直す' }),
        el('p', { class: 'hint', text: '事業計画の基準年度の値を入れてあります。決算で確定した値と違う項目を直してください。直した項目があれば、基準年度をこの値で置き換えて要件をもう一度確かめます。' }));
      const tb = el('tbody');
      d.append(el('div', { class: 'table-wrap' }, el('table', { id: pre + 'table' }, el('caption', { text: '基準年度の実績' }),
        el('thead', {}, el('tr', {}, ['項目', '事業計画（見込み）', '実績'].map((h) => el('th', { scope: 'col', text: h })))), tb)));
      f.append(d);
      o().call('GET', 'applications/' + x.id).then((g) => {
        const y0 = (((((g.json || {}).application || {}).data || {}).plan || {}).years || [])[0] || {};
        Object.assign(planBase, y0);
        baseRows.forEach(([k, lab, kind]) => tb.append(el('tr', {}, el('th', { scope: 'row' }, el('label', { for: pre + k, text: lab })),
          el('td', { class: 'num', text: y0[k] === undefined ? '—' : kind === 'yen' && parseYen(y0[k]) !== null ? yen(parseYen(y0[k])) : String(y0[k]) }),
          el('td', {}, el('input', { type: 'text', id: pre + k, value: y0[k] === undefined ? '' : String(y0[k]), inputmode: 'numeric', 'data-input': 'base_actuals.' + k })))));
      });
      f.append(el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '交付申請をする' })));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const base = {};
        let changed = false;
        for (const [k, , kind] of baseRows) {
          const e = f.querySelector('#' + pre + k);
          const v = e ? e.value.trim() : '';
          if (!v) continue;
          const n = kind === 'yen' ? parseYen(v) : /^\d+$/.test(v) ? Number(v) : null;
          if (n === null) { showErrors(f, { message: '値を読めません', errors: [{ field: 'base_actuals.' + k, message: kind === 'yen' ? '円の金額で入力してください（例: 1,500万円）。' : '数で入力してください。' }] }); return; }
          base[k] = n;
          const was = planBase[k] === undefined ? null : kind === 'yen' ? parseYen(planBase[k]) : Number(planBase[k]);
          if (was !== n) changed = true;
        }
        if (changed && planBase.year_end) base.year_end = planBase.year_end;
        const r = await o().call('POST', 'applications/' + x.id + '/award', changed ? { base_actuals: base } : {});
        if (ok(r)) { const a = awardOf(r.json); status('交付申請をしました。'); o().go('#kofu/' + a.id); } else o().fail(f, r);
      });
      sec.append(f);
    });
    box.append(sec);
  }

  async function award(box, id) {
    box.textContent = '読み込み中…';
    const j = await get(box, 'awards/' + id);
    if (!j) return;
    const a = awardOf(j);
    const staff = isStaff();
    const redraw = () => hojo.views.kofu(id);
    if (box.isConnected) $('kofu-h').textContent = '交付決定: ' + appTitle(a);
    box.textContent = '';
    const p = periodOf(a);
    const conds = arr(a.conditions);
    box.append(el('dl', { class: 'facts', id: 'award-facts' },
      el('dt', { text: '状態' }), el('dd', { id: 'award-state', text: AWARD_STATE[a.state] || a.state || '' }),
      a.frame ? [el('dt', { text: '枠' }), el('dd', { text: a.frame_name || a.frame })] : null,
      el('dt', { text: '採択額' }), el('dd', { id: 'award-adopted', text: yen(a.adopted_amount !== undefined ? a.adopted_amount : a.adopted) }),
      el('dt', { text: '交付決定額' }), el('dd', { id: 'award-amount', text: yen(amountOf(a)) }),
      el('dt', { text: '交付決定日' }), el('dd', { id: 'award-granted-on', text: a.granted_on || '—' }),
      el('dt', { text: '事業期間' }), el('dd', { id: 'award-period', text: p.end ? (p.start || a.granted_on || '') + '〜' + p.end : '—' }, p.source ? src(p.source) : null),
      a.refusal || a.refusal_reason ? [el('dt', { text: '不交付の理由' }), el('dd', { id: 'award-refusal', text: a.refusal || a.refusal_reason })] : null));
    if (conds.length) {
      box.append(el('h2', { text: '交付の条件' }), el('ul', { id: 'award-conditions' }, conds.map((c) => el('li', {}, typeof c === 'string' ? c : (c.text || c.id || JSON.stringify(c)), typeof c === 'object' ? src(c.source) : null))));
    }
    // what is due by 交付決定, checked by the engine on the application with the 交付申請's base-year
    // actuals (the award's due_check); else the rules' list
    const dc = j.due_check;
    const due = dc && Array.isArray(dc.items) ? dc.items : arr(a.due_by_grant || (j.rules && j.rules.due_by_grant));
    if (due.length) {
      box.append(el('h2', { text: '交付決定までに必要なこと' }), el('ul', { id: 'award-due' }, due.map((d) => el('li', { 'data-due': d.id, 'data-status': d.status || null },
        d.status ? el('span', { class: DUE_CLASS[d.status] || 'unknown', text: (DUE_STATUS[d.status] || d.status) + '　' }) : null,
        d.text || d.id || String(d), src(d.source), d.detail ? el('span', { class: 'hint', text: ' ' + d.detail }) : null))));
      if (dc && dc.ok === false && (a.state === 'applied' || a.state === 'requested')) {
        box.append(el('p', { class: 'notice', id: 'award-due-blocked', text: '満たしていない条件があるため、このままでは交付決定できません（交付決定はその条件を示して断られます）。' }));
      }
    }
    if (j.rules) box.append(rulesView(j.rules));
    const granted = amountOf(a) !== undefined && amountOf(a) !== null && a.state !== 'refused' && a.state !== 'applied' && a.state !== 'requested';
    box.append(el('ul', { class: 'links' },
      granted ? el('li', {}, el('a', { href: '#jisseki/' + a.id, text: '実績報告' })) : null,
      granted && staff ? el('li', {}, el('a', { href: '#kensa/' + a.id, text: '確定検査と確定額' })) : null,
      granted ? el('li', {}, el('a', { href: '#nenji/' + a.id, text: '事業化状況報告（年次）' })) : null,
      el('li', {}, el('a', { href: '#kofu', text: '一覧へ戻る' }))));
    if (staff && (a.state === 'applied' || a.state === 'requested')) box.append(decisionForm(a, redraw));
    const st = settleDoc(j.settlement || a.settlement);
    if (st && st.settled !== undefined) box.append(settlementView(st, 'award-settlement', '確定額'));
    const pay = j.payment || a.payment;
    if (pay) box.append(el('h2', { text: '精算払' }), el('p', { id: 'award-payment', text: (pay.paid_on || '') + ' に ' + yen(pay.amount) + ' を支払いました。' }));
    changes(box, a, arr(j.changes || a.changes), staff, redraw);
    // every version of the award's terms (交付決定 = 1, one more per approved 計画変更)
    const vs = arr(j.versions);
    if (vs.length > 1) {
      box.append(table('award-versions', '交付の条件の版', ['版', '交付決定額', '事業期間の終わり', '変更', '日時'],
        vs.map((v) => { const tm = v.terms || {}; return el('tr', { 'data-version': v.n },
          el('th', { scope: 'row', text: String(v.n) }), el('td', { class: 'num', text: yen(tm.granted_amount) }), el('td', { text: tm.period_end || '—' }),
          el('td', { text: tm.kind ? (CHANGE_KIND[tm.kind] || tm.kind) + (v.reason ? '（' + v.reason + '）' : '') : '交付決定' }),
          el('td', { text: o().when(v.saved_at) })); })));
    }
  }

  // the edition's rules after adoption (hj_after_rules_json), each with its source: the period, the
  // contracts allowed before 交付決定, the yearly reports, what a missed requirement brings
  function rulesView(r) {
    const items = [];
    const pp = r.project_period;
    if (pp) items.push(el('li', { 'data-rule': 'project_period' }, '事業期間: ' + (pp.months ? '交付決定から ' + pp.months + ' か月' : '月数は規則になく、交付決定のときに事務局が終わりの日を決めます'), src(pp.source), pp.note ? el('span', { class: 'hint', text: ' ' + pp.note }) : null));
    arr(r.retroactive).forEach((x) => items.push(el('li', { 'data-rule': 'retroactive' }, '交付決定の前の契約（遡及適用）: ' + x.from + ' 以降の契約は対象', src(x.source), x.note ? el('span', { class: 'hint', text: ' ' + x.note }) : null)));
    const rp = r.reports;
    if (rp) {
      const when = rp.first_fiscal_year ? rp.first_fiscal_year + '年度から' : '事業完了の' + (rp.first_after_completion || 1) + '年度後から';
      const due = rp.due ? '、期限は各年度末の ' + rp.due.months_after_year_end + ' か月後' + (rp.due.setting ? '（事務局の設定）' : '') : '';
      items.push(el('li', { 'data-rule': 'reports' }, '事業化状況報告: ' + when + (rp.count === 'plan' ? '事業計画の年数だけ' : rp.count + ' 回') + due, src(rp.source),
        rp.extra ? el('span', { text: ' ' + rp.extra.text }) : null, rp.note ? el('span', { class: 'hint', text: ' ' + rp.note }) : null));
    }
    const cs = r.consequences;
    if (cs && cs.none_encoded) items.push(el('li', { 'data-rule': 'consequences' }, '要件を満たさないときの扱い: 規則には書かれていません。', cs.note ? el('span', { class: 'hint', text: ' ' + cs.note }) : null));
    else arr(cs).forEach((c) => items.push(el('li', { 'data-rule': 'consequences' }, '要件を満たさないとき: ' + c.text, src(c.source))));
    return el('details', { class: 'card', id: 'award-rules' }, el('summary', { text: '採択のあとの規則（' + (r.edition || '') + '）' }), el('ul', {}, items));
  }

  // the staff's 交付決定: amount (at most the adopted amount), conditions, period; or refusal
  function decisionForm(a, redraw) {
    const f = el('form', { id: 'decision-form', novalidate: true }, el('h2', { text: '交付決定' }),
      o().field('dc-amount', '交付決定額（円、採択額 ' + yen(a.adopted_amount !== undefined ? a.adopted_amount : a.adopted) + ' 以下）', { 'data-input': 'amount', inputmode: 'numeric' }),
      o().field('dc-conditions', '交付の条件（1行に1つ）', { tag: 'textarea', rows: '3', 'data-input': 'conditions' }),
      o().field('dc-granted-on', '交付決定日', { type: 'date', 'data-input': 'granted_on' }, '空なら今日です。'),
      o().field('dc-period-end', '事業期間の終わり（規則に期間がないときだけ）', { type: 'date', 'data-input': 'period_end' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'dc-grant', text: '交付を決定する' })),
      el('h3', { text: '交付しないとき' }),
      o().field('dc-reason', '不交付の理由', { tag: 'textarea', rows: '2', 'data-input': 'reason' }),
      el('div', { class: 'actions' }, el('button', { type: 'button', id: 'dc-refuse', text: '交付しない' })));
    const send = async (body) => {
      const r = await o().call('POST', 'awards/' + a.id + '/decision', body);
      if (ok(r)) { status(body.decision === 'grant' ? '交付を決定しました。' : '不交付にしました。'); redraw(); } else o().fail(f, r);
    };
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const amount = parseYen(f.querySelector('#dc-amount').value);
      if (amount === null) { showErrors(f, { message: '交付決定額を読めません', errors: [{ field: 'amount', message: '円の金額で入力してください（例: 500万円）。' }] }); return; }
      const body = { decision: 'grant', amount, conditions: f.querySelector('#dc-conditions').value.split('\n').map((s) => s.trim()).filter(Boolean) };
      const g = f.querySelector('#dc-granted-on').value;
      const e = f.querySelector('#dc-period-end').value;
      if (g) body.granted_on = g;
      if (e) body.period_end = e;
      send(body);
    });
    f.querySelector('#dc-refuse').addEventListener('click', () => {
      const reason = f.querySelector('#dc-reason').value.trim();
      if (!reason) { showErrors(f, { message: '理由がありません', errors: [{ field: 'reason', message: '不交付の理由を書いてください。' }] }); return; }
      send({ decision: 'refuse', reason });
    });
    return f;
  }

  // 計画変更: every request with its decision; the grantee asks, staff approve or refuse with a reason
  function changes(box, a, list, staff, redraw) {
    const sec = el('section', { id: 'changes', 'aria-labelledby': 'changes-h' }, el('h2', { id: 'changes-h', text: '計画変更' }));
    if (!list.length) sec.append(el('p', { id: 'changes-none', text: '計画変更の申請はありません。' }));
    list.forEach((c) => {
      const pending = c.state === 'pending' || c.state === 'requested' || !c.state;
      const det = c.detail && typeof c.detail === 'object' ? c.detail : { reason: c.detail };
      const d = el('div', { class: 'card', 'data-change': c.id },
        el('h3', { text: (CHANGE_KIND[c.kind] || c.kind || '計画変更') + '（' + (CHANGE_STATE[c.state] || c.state || '審査中') + '）' }),
        el('p', { class: 'change-detail', text: det.reason || '' }),
        det.period_end || c.period_end ? el('p', { text: '延長後の事業期間の終わり: ' + (det.period_end || c.period_end) }) : null,
        c.state !== 'requested' && c.reason ? el('p', { class: 'change-reason', text: '事務局の理由: ' + c.reason }) : null,
        c.requested_at || c.created_at ? el('p', { class: 'hint', text: '申請: ' + o().when(c.requested_at || c.created_at) + (c.award_version ? '（交付の条件 版 ' + c.award_version + '）' : '') }) : null);
      if (staff && pending) {
        const rid = 'cr-reason-' + c.id;
        d.append(o().field(rid, '理由（不承認のときは必須）', { tag: 'textarea', rows: '2', 'data-input': 'reason' }),
          el('div', { class: 'actions' },
            el('button', { type: 'button', class: 'primary', text: '承認する', 'aria-label': '計画変更 ' + c.id + ' を承認する', onclick: () => decide(c, 'approve', d) }),
            el('button', { type: 'button', text: '承認しない', 'aria-label': '計画変更 ' + c.id + ' を承認しない', onclick: () => decide(c, 'refuse', d) })));
      }
      sec.append(d);
    });
    async function decide(c, decision, d) {
      const reason = d.querySelector('textarea').value.trim();
      if (decision === 'refuse' && !reason) { showErrors(d, { message: '理由がありません', errors: [{ field: 'reason', message: '承認しない理由を書いてください。' }] }); return; }
      const r = await o().call('POST', 'changes/' + c.id + '/decision', reason ? { decision, reason } : { decision });
      if (ok(r)) { status(decision === 'approve' ? '計画変更を承認しました。' : '計画変更を承認しませんでした。'); redraw(); } else o().fail(d, r);
    }
    if (!staff && a.state !== 'refused' && a.state !== 'applied' && a.state !== 'requested' && a.state !== 'settled' && a.state !== 'paid') {
      const f = el('form', { id: 'change-form', novalidate: true }, el('h3', { text: '計画変更を申請する' }),
        o().field('ch-kind', '種類', { tag: 'select', 'data-input': 'kind' }),
        o().field('ch-detail', '内容（何をどう変えるか、その理由）', { tag: 'textarea', rows: '3', 'data-input': 'reason' }),
        o().field('ch-end', '延長後の事業期間の終わり（延長のとき）', { type: 'date', 'data-input': 'period_end' }),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: '計画変更を申請する' })));
      const k = f.querySelector('#ch-kind');
      Object.entries(CHANGE_KIND).forEach(([v, t]) => k.append(el('option', { value: v, text: t })));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const body = { kind: k.value, reason: f.querySelector('#ch-detail').value.trim(), detail: {} };
        const e = f.querySelector('#ch-end').value;
        if (e) body.period_end = e;
        const r = await o().call('POST', 'awards/' + a.id + '/changes', body);
        if (ok(r)) { status('計画変更を申請しました。'); redraw(); } else o().fail(f, r);
      });
      sec.append(f);
    }
    box.append(sec);
  }

  // 確定額 and its explanation, line by line (hj_settle_json)
  const CAPPED = { granted: '交付決定額が上限', cap: '枠の補助上限額が上限', rate: '補助率で計算', none: '' };
  function settlementView(st, id, title) {
    const lines = arr(st.lines);
    return el('section', { id, 'aria-labelledby': id + '-h' }, el('h2', { id: id + '-h', text: title }),
      el('p', { class: 'amount', 'data-settled': String(st.settled), text: title + ' ' + yen(st.settled) }),
      el('dl', { class: 'facts' },
        el('dt', { text: '交付決定額' }), el('dd', { 'data-k': 'granted', text: yen(st.granted) }),
        el('dt', { text: '認められた経費の合計' }), el('dd', { 'data-k': 'accepted_total', text: yen(st.accepted_total) }),
        st.eligible_total !== undefined ? [el('dt', { text: '補助対象経費' }), el('dd', { 'data-k': 'eligible_total', text: yen(st.eligible_total) })] : null,
        st.evaluated !== undefined ? [el('dt', { text: '枠の計算による補助額' }), el('dd', { 'data-k': 'evaluated', text: yen(st.evaluated) })] : null,
        st.capped_by ? [el('dt', { text: '決め手' }), el('dd', { 'data-k': 'capped_by', text: CAPPED[st.capped_by] || st.capped_by })] : null),
      lines.length ? table(id + '-lines', '経費の行ごとの検査結果', ['行', '区分', '内容', '報告額', '認めた額', '判断', '理由'],
        lines.map((l, i) => el('tr', { 'data-line': l.index !== undefined ? l.index : i },
          el('td', { text: String((l.index !== undefined ? l.index : i) + 1) }), el('td', { text: l.category_name || l.category || '' }),
          el('td', { text: l.description || '' }), el('td', { class: 'num', text: yen(l.amount) }), el('td', { class: 'num', text: yen(l.accepted) }),
          el('td', { text: DECISION[l.decision] || l.decision || '' }), el('td', { text: l.reason || '' })))) : null,
      el('h3', { text: '計算の説明' }),
      el('ol', { class: 'explanation' }, arr(st.explanation).map((x) => el('li', { 'data-kind': x.kind || null }, typeof x === 'string' ? x : x.text, typeof x === 'object' ? src(x.source) : null))));
  }

  // --- #jisseki/ID: 実績報告
  const claimKey = (id) => CLAIM + id;
  const readLocal = (id) => { try { return JSON.parse(localStorage.getItem(claimKey(id)) || 'null'); } catch (e) { return null; } };
  let claimTimer = null;
  hojo.views.jisseki = async (id) => {
    const box = fresh('jisseki-body');
    if (!need(box)) return;
    if (!id) { box.textContent = ''; box.append(el('p', {}, '交付決定を選んでください。', el('a', { href: '#kofu', text: '交付決定の一覧へ' }))); return; }
    box.textContent = '読み込み中…';
    const r = await o().call('GET', 'awards/' + id + '/claim');
    if (r.status !== 200) { box.textContent = ''; box.append(el('p', { class: 'notice', text: '実績報告を開けません: ' + o().firstMessage(r) })); return; }
    const version = Number((r.headers.get('ETag') || '').replace(/[^0-9]/g, '')) || Number((one(r.json, 'claim') || {}).version) || 0;
    const c = one(r.json, 'claim');
    const aw = await o().call('GET', 'awards/' + id);
    const a = aw.status === 200 ? awardOf(aw.json) : {};
    const editable = !isStaff() && (!c.state || c.state === 'draft' || c.state === 'returned');
    let local = readLocal(id);
    if (local && !editable) { localStorage.removeItem(claimKey(id)); local = null; }
    // the state edited here: the server's unless this browser keeps an edit not yet saved
    const s = local && local.pending ? local : { base: version, lines: arr(c.lines).map((l) => Object.assign({}, l)), completed_on: c.completed_on || '', pending: false };
    if (local && local.pending && local.base !== version) s.conflict = true;
    const cats = await categories(a.frame);
    const catName = (id) => { const x = cats.find((c2) => c2.id === id); return x ? x.name : String(id || ''); };
    if (box.isConnected) $('jisseki-h').textContent = '実績報告: ' + appTitle(a);
    box.textContent = '';
    const p = periodOf(a);
    box.append(el('p', { text: '事業期間（' + (p.start || a.granted_on || '') + '〜' + (p.end || '') + '）に契約・支払った経費を1行ずつ入力してください。交付決定の前の日付や期間の外の日付の行は、規則で認められない理由を示します（交付決定の前の契約が認められる枠を除く）。' }),
      el('p', { id: 'claim-save', class: 'save-state', role: 'status', 'aria-live': 'polite' }),
      el('div', { id: 'claim-conflict', class: 'conflict', hidden: true, tabindex: '-1' }));
    const checks = {};
    arr((r.json.check || c.line_check || c.check || {}).lines).forEach((x) => { checks[x.index] = x; });
    const form = el('form', { id: 'claim-form', novalidate: true });
    const checkCell = (ck) => [ck ? el('span', { class: ck.ok ? 'yes' : 'no', text: ck.ok ? '認められる' : '認められない' }) : '—',
      ck && ck.reason ? el('span', { text: ' ' + ck.reason }) : null, ck ? src(ck.source) : null];
    // the rule check of a save shown in place (the row being typed in is not drawn again)
    const showChecks = () => form.querySelectorAll('#claim-table tbody tr').forEach((tr) => {
      const ck = checks[tr.dataset.line] || null;
      const td = tr.querySelector('.line-check');
      td.textContent = '';
      td.append(...checkCell(ck).filter(Boolean));
      tr.classList.toggle('refused', !!(ck && ck.ok === false));
    });
    const showTotal = () => { const e = form.querySelector('#claim-total'); if (e) e.textContent = '報告額の合計: ' + yen(s.lines.reduce((t, l) => { const v = parseYen(l.amount); return v === null ? t : t + v; }, 0)); };
    const draw = () => {
      form.textContent = '';
      if (cats.length) form.append(el('datalist', { id: 'claim-cats' }, cats.map((x) => el('option', { value: x.id, label: x.name, text: x.name }))));
      form.append(o().field('cl-completed', '事業の完了日', { type: 'date', value: s.completed_on || '', 'data-input': 'completed_on', disabled: !editable }));
      const heads = ['行', '区分', '内容', '金額（円）', '支払日', '契約日', '規則の確認', ''];
      const rows = s.lines.map((l, i) => {
        const ck = checks[i] || l.check || null;
        const inp = (k, lab, attrs) => (!editable ? el('td', { class: k === 'amount' ? 'num' : null, text: k === 'amount' ? (parseYen(l[k]) === null ? String(l[k] || '') : yen(parseYen(l[k]))) : k === 'category' ? catName(l[k]) : String(l[k] || '') })
          : el('td', {}, el('input', Object.assign({ type: 'text', id: 'cl-' + k + '-' + i, 'aria-label': (i + 1) + '行目の' + lab,
          value: l[k] === undefined || l[k] === null ? '' : String(l[k]), 'data-input': 'lines[' + i + '].' + k, disabled: !editable,
          oninput: (ev) => { l[k] = ev.target.value; if (k === 'amount') showTotal(); changed(); } }, attrs || {}))));
        return el('tr', { 'data-line': i, class: ck && ck.ok === false ? 'refused' : null },
          el('th', { scope: 'row', text: String(i + 1) }),
          inp('category', '区分', cats.length ? { list: 'claim-cats' } : {}), inp('description', '内容'),
          inp('amount', '金額', { inputmode: 'numeric' }), inp('date', '支払日', { type: 'date' }), inp('contract_date', '契約日', { type: 'date' }),
          el('td', { class: 'line-check' }, checkCell(ck)),
          el('td', {}, editable ? el('button', { type: 'button', text: '削除', 'aria-label': (i + 1) + '行目を削除', onclick: () => { s.lines.splice(i, 1); changed(); draw(); } }) : null));
      });
      form.append(table('claim-table', '実績報告の経費の行', heads, rows));
      form.append(el('p', { id: 'claim-total' }));
      showTotal();
      if (editable) {
        form.append(el('div', { class: 'actions' },
          el('button', { type: 'button', id: 'cl-add', text: '行を追加', onclick: () => { s.lines.push({ category: '', description: '', amount: '', date: '' }); draw(); const b = form.querySelectorAll('#claim-table tbody tr'); const inp = b[b.length - 1].querySelector('input'); if (inp) inp.focus(); } }),
          el('button', { type: 'button', id: 'cl-save', text: '今すぐ保存', onclick: () => save(true) })));
      }
      const ce = form.querySelector('#cl-completed');
      ce.addEventListener('input', () => { s.completed_on = ce.value; changed(); });
    };
    const saveState = (state, text) => { const e = box.querySelector('#claim-save'); if (e) { e.dataset.state = state; e.textContent = text; } };
    const keep = () => localStorage.setItem(claimKey(id), JSON.stringify({ base: s.base, lines: s.lines, completed_on: s.completed_on, pending: s.pending }));
    const blank = (l) => !['category', 'description', 'amount', 'date', 'contract_date'].some((k) => String(l[k] || '').trim());
    const body = () => ({ completed_on: s.completed_on || null, lines: s.lines.filter((l) => !blank(l)).map((l) => {
      const v = parseYen(l.amount);
      const x = { category: l.category || '', description: l.description || '', amount: v === null ? l.amount : v, date: l.date || '' };
      if (l.contract_date) x.contract_date = l.contract_date;
      return x;
    }) });
    function changed() {
      s.pending = true;
      keep();
      saveState('pending', '未保存の入力があります（この端末に残しています）');
      clearTimeout(claimTimer);
      claimTimer = setTimeout(() => save(false), DEBOUNCE);
    }
    let inflight = null; // one save at a time: a second one waits for the first's version
    async function save(now) {
      clearTimeout(claimTimer);
      while (inflight) await inflight;
      inflight = saveOnce(now);
      try { return await inflight; } finally { inflight = null; }
    }
    async function saveOnce(now) {
      if (!s.pending && !now) return true;
      if (s.conflict) { showConflict(); return false; }
      const bad = s.lines.findIndex((l) => !blank(l) && parseYen(l.amount) === null);
      if (bad >= 0) { saveState('pending', (bad + 1) + '行目の金額を円で入力すると保存します（入力はこの端末に残しています）'); return false; }
      saveState('saving', '保存しています…');
      const sent = JSON.stringify(body());
      const q = await o().call('PUT', 'awards/' + id + '/claim', JSON.parse(sent), { 'If-Match': '"' + s.base + '"' });
      if (q.status === 200 || q.status === 201) {
        const v = Number((q.headers.get('ETag') || '').replace(/[^0-9]/g, '')) || Number((one(q.json, 'claim') || {}).version) || s.base + 1;
        s.base = v;
        s.pending = JSON.stringify(body()) !== sent; // typed while the save was on its way: saved next
        if (s.pending) { keep(); claimTimer = setTimeout(() => save(false), DEBOUNCE); } else localStorage.removeItem(claimKey(id));
        Object.keys(checks).forEach((k) => delete checks[k]);
        const qc = one(q.json, 'claim') || {};
        arr((q.json.check || qc.line_check || qc.check || {}).lines).forEach((x) => { checks[x.index] = x; });
        saveState(s.pending ? 'pending' : 'saved', s.pending ? '未保存の入力があります（この端末に残しています）' : '保存しました（版 ' + v + '）');
        showChecks();
        return true;
      }
      if (q.status === 412 || q.status === 409) { s.conflict = true; keep(); showConflict(); return false; }
      saveState('failed', '保存できません（入力はこの端末に残っています）: ' + o().firstMessage(q));
      if (q.status === 422 || q.status === 400) showErrors(form, { message: o().firstMessage(q), errors: q.json.errors || [] }, false);
      return false;
    }
    function showConflict() {
      const d = box.querySelector('#claim-conflict');
      if (!d) return;
      d.hidden = false;
      d.textContent = '';
      saveState('failed', '別の画面で保存された新しい版があります');
      d.append(el('p', { text: 'この実績報告は、別の画面（または別の人）が先に保存しました。この端末の入力をどうするか選んでください。' }),
        el('div', { class: 'actions' },
          el('button', { type: 'button', id: 'cl-mine', text: 'この端末の入力で上書きする', onclick: async () => {
            const g = await o().call('GET', 'awards/' + id + '/claim');
            s.base = Number((g.headers.get('ETag') || '').replace(/[^0-9]/g, '')) || Number((one(g.json, 'claim') || {}).version) || s.base;
            s.conflict = false; d.hidden = true; s.pending = true; save(true);
          } }),
          el('button', { type: 'button', id: 'cl-theirs', text: 'サーバーの内容を読み込む（この端末の入力は捨てる）', onclick: () => { localStorage.removeItem(claimKey(id)); hojo.views.jisseki(id); } })));
      d.focus();
    }
    draw();
    box.append(form);
    if (s.conflict) showConflict();
    else if (s.pending) { saveState('pending', 'この端末に残っていた入力を保存します'); save(true); }
    else saveState('saved', version ? '保存済み（版 ' + version + '）' : '');
    box.append(evidence(id, arr(c.attachments || r.json.attachments), editable));
    if (editable) {
      const out = el('div', { id: 'claim-submit-result', role: 'status', 'aria-live': 'polite' });
      box.append(el('h2', { text: '提出' }), el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'cl-submit', text: '実績報告を提出する', onclick: async () => {
        if (!(await save(true)) && s.pending) { out.textContent = '入力をまだ保存できていません。'; return; }
        const q = await o().call('POST', 'awards/' + id + '/claim/submit');
        if (ok(q)) { status('実績報告を提出しました。'); hojo.views.jisseki(id); } else { o().fail(form, q); out.textContent = '提出できません: ' + o().firstMessage(q); }
      } })), out);
    } else if (c.state) box.append(el('p', { id: 'claim-state', text: '状態: ' + ({ submitted: '提出済み', inspected: '検査済み', settled: '確定' }[c.state] || c.state) + (c.submitted_at ? '（' + o().when(c.submitted_at) + '）' : '') }));
  };
  // the frame's expense categories (GET /api/v1/rules/FRAME), for the line's list
  const catCache = {};
  async function categories(frame) {
    if (!frame) return [];
    if (catCache[frame]) return catCache[frame];
    const r = await o().call('GET', 'rules/' + encodeURIComponent(frame));
    try { catCache[frame] = r.json.programs[0].editions[0].frames[0].expenses.categories || []; } catch (e) { catCache[frame] = []; }
    return catCache[frame];
  }
  async function sha256hex(buf) {
    if (!(window.crypto && crypto.subtle)) return null;
    const h = await crypto.subtle.digest('SHA-256', buf);
    return [...new Uint8Array(h)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  const EKIND = { invoice: '請求書', receipt: '領収書', contract: '契約書', delivery: '納品書', other: 'その他' };
  function evidence(id, list, editable) {
    const sec = el('section', { id: 'claim-evidence', 'aria-labelledby': 'claim-evidence-h' }, el('h2', { id: 'claim-evidence-h', text: '証拠書類（請求書・領収書など）' }));
    const tb = el('tbody');
    const row = (x) => el('tr', { 'data-attachment': x.id },
      el('td', {}, x.id ? el('a', { href: API + 'awards/' + id + '/claim/attachments/' + x.id, download: x.name, text: x.name }) : x.name),
      el('td', { text: EKIND[x.kind] || x.kind || '' }), el('td', { text: Number(x.size || 0).toLocaleString('ja-JP') + ' バイト' }),
      el('td', {}, el('code', { class: 'hash', text: x.sha256 || '' })));
    list.forEach((x) => tb.append(row(x)));
    sec.append(el('div', { class: 'table-wrap' }, el('table', { id: 'evidence-table' }, el('caption', { text: '添付した証拠書類と SHA-256' }),
      el('thead', {}, el('tr', {}, ['ファイル', '種類', '大きさ', 'SHA-256'].map((h) => el('th', { scope: 'col', text: h })))), tb)));
    if (!list.length) sec.append(el('p', { id: 'evidence-none', text: 'まだ添付はありません。' }));
    if (!editable) return sec;
    const result = el('div', { id: 'evidence-result', role: 'status', 'aria-live': 'polite' });
    const f = el('form', { id: 'evidence-form', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'ev-file', text: 'ファイル' }), el('input', { type: 'file', id: 'ev-file', 'data-input': 'file' })),
      el('div', { class: 'field' }, el('label', { for: 'ev-kind', text: '書類の種類' }), el('select', { id: 'ev-kind', 'data-input': 'kind' }, Object.entries(EKIND).map(([v, t]) => el('option', { value: v, text: t })))),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '添付する' })), result);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const file = f.querySelector('#ev-file').files[0];
      if (!file) { showErrors(f, { message: 'ファイルを選んでください', errors: [{ field: 'file', message: 'ファイルを選んでください。' }] }); return; }
      result.textContent = '送信中…';
      const mine = await sha256hex(await file.arrayBuffer());
      const fd = new FormData();
      fd.append('file', file, file.name);
      fd.append('kind', f.querySelector('#ev-kind').value);
      const r = await o().call('POST', 'awards/' + id + '/claim/attachments', fd);
      result.textContent = '';
      if (!ok(r)) { result.append(el('p', { class: 'error', text: '添付できません: ' + o().firstMessage(r) })); return; }
      const at = one(r.json, 'attachment');
      const same = mine ? mine === at.sha256 : null;
      const none = sec.querySelector('#evidence-none');
      if (none) none.remove();
      tb.append(row(at));
      result.append(el('p', { id: 'evidence-done', text: '添付しました: ' + at.name }),
        el('p', {}, 'サーバーが受け取った内容の SHA-256: ', el('code', { id: 'evidence-sha', class: 'hash', text: at.sha256 })),
        el('p', { id: 'evidence-verify', class: same === false ? 'error' : same ? 'yes' : 'hint',
          text: same === null ? 'この接続ではブラウザで SHA-256 を計算できません。' : same ? 'このブラウザで計算した SHA-256 と一致しました。'
            : '一致しません（このブラウザでは ' + mine + '）。もう一度添付してください。' }));
      f.reset();
    });
    sec.append(f);
    return sec;
  }

  // --- #kensa/ID: staff inspect line by line, preview and commit the settlement, record the payment
  hojo.views.kensa = async (id) => {
    const box = fresh('kensa-body');
    if (!need(box)) return;
    if (!isStaff()) { box.textContent = ''; box.append(el('p', { text: 'この画面は事務局の画面です。' })); return; }
    box.textContent = '読み込み中…';
    const r = await get(box, 'awards/' + id + '/claim');
    if (!r) return;
    const c = one(r, 'claim');
    const aw = await o().call('GET', 'awards/' + id);
    const a = aw.status === 200 ? awardOf(aw.json) : {};
    if (box.isConnected) $('kensa-h').textContent = '確定検査: ' + appTitle(a);
    box.textContent = '';
    const checks = {};
    arr((r.check || c.line_check || c.check || {}).lines).forEach((x) => { checks[x.index] = x; });
    const lines = arr(c.lines);
    box.append(el('p', {}, '交付決定額 ', el('strong', { id: 'kensa-granted', text: yen(amountOf(a)) }), '。報告された経費の行ごとに、認める・減額する・認めないを選び、理由を書いてください。規則で認められない行は、その理由が表示されています。'));
    if (!lines.length) box.append(el('p', { id: 'kensa-none', text: '実績報告の行がまだありません。' }));
    const f = el('form', { id: 'inspection-form', novalidate: true });
    f.append(table('inspection-table', '実績報告の行と検査', ['行', '区分', '内容', '報告額', '日付', '規則の確認', '判断', '認める額（円）', '理由'],
      lines.map((l, i) => {
        const ck = checks[i] || l.check || null;
        const dec = l.decision || (ck && ck.ok === false ? 'reject' : 'accept');
        const sel = el('select', { id: 'in-decision-' + i, 'aria-label': (i + 1) + '行目の判断', 'data-input': 'lines[' + i + '].decision' },
          Object.entries(DECISION).map(([v, t]) => el('option', { value: v, text: t, selected: v === dec })));
        const amt = el('input', { type: 'text', id: 'in-accepted-' + i, inputmode: 'numeric', 'aria-label': (i + 1) + '行目の認める額', 'data-input': 'lines[' + i + '].accepted',
          value: String(l.accepted !== undefined && l.accepted !== null ? l.accepted : dec === 'reject' ? 0 : l.amount) });
        sel.addEventListener('change', () => { if (sel.value === 'accept') amt.value = String(l.amount); if (sel.value === 'reject') amt.value = '0'; });
        return el('tr', { 'data-line': i },
          el('th', { scope: 'row', text: String(i + 1) }), el('td', { text: l.category_name || l.category || '' }), el('td', { text: l.description || '' }),
          el('td', { class: 'num', text: yen(l.amount) }), el('td', { text: l.date || '' }),
          el('td', {}, ck ? el('span', { class: ck.ok ? 'yes' : 'no', text: ck.ok ? '認められる' : '認められない' }) : '—', ck && ck.reason ? ' ' + ck.reason : '', ck ? src(ck.source) : null),
          el('td', {}, sel), el('td', {}, amt),
          el('td', {}, el('input', { type: 'text', id: 'in-reason-' + i, 'aria-label': (i + 1) + '行目の理由', 'data-input': 'lines[' + i + '].reason',
            value: l.reason || (ck && ck.ok === false ? ck.reason || '' : '') })));
      })));
    f.append(el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'in-save', text: '検査の結果を保存する', disabled: !lines.length })));
    const preview = el('div', { id: 'settle-preview', 'aria-live': 'polite' });
    const commitBox = el('div', { id: 'settle-commit' });
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { lines: [] };
      for (let i = 0; i < lines.length; i++) {
        const decision = f.querySelector('#in-decision-' + i).value;
        const accepted = parseYen(f.querySelector('#in-accepted-' + i).value);
        const reason = f.querySelector('#in-reason-' + i).value.trim();
        if (accepted === null) { showErrors(f, { message: '認める額を読めません', errors: [{ field: 'lines[' + i + '].accepted', message: '円の金額で入力してください。' }] }); return; }
        if (decision !== 'accept' && !reason) { showErrors(f, { message: '理由がありません', errors: [{ field: 'lines[' + i + '].reason', message: '減額・不認定の理由を書いてください。' }] }); return; }
        body.lines.push({ index: i, decision, accepted, reason });
      }
      const q = await o().call('POST', 'awards/' + id + '/inspection', body);
      if (ok(q)) { status('検査の結果を保存しました。'); previewSettlement(); } else o().fail(f, q);
    });
    async function previewSettlement() {
      preview.textContent = '計算しています…';
      const q = await o().call('POST', 'awards/' + id + '/settlement?dry_run=1');
      preview.textContent = '';
      commitBox.textContent = '';
      if (!ok(q)) { preview.append(el('p', { class: 'error', text: '確定額を計算できません: ' + o().firstMessage(q) })); return; }
      preview.append(settlementView(settleDoc(q.json), 'settle-dry', '確定額（試算）'));
      commitBox.append(el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'settle-commit-btn', text: 'この額で確定する', onclick: async () => {
        if (!window.confirm('確定額を確定します。よろしいですか。')) return;
        const x = await o().call('POST', 'awards/' + id + '/settlement');
        if (ok(x)) { status('確定額を確定しました。'); hojo.views.kensa(id); } else commitBox.append(el('p', { class: 'error', text: '確定できません: ' + o().firstMessage(x) }));
      } })));
    }
    const settled = aw.status === 200 ? settleDoc(aw.json.settlement || a.settlement) : null;
    if (settled && settled.settled !== undefined) {
      box.append(settlementView(settled, 'settle-final', '確定額'));
      const pay = aw.json.payment || a.payment;
      if (pay) box.append(el('p', { id: 'payment-done', text: '精算払: ' + (pay.paid_on || '') + ' に ' + yen(pay.amount) + '。' }));
      else box.append(paymentForm(id, settled.settled));
      return;
    }
    box.append(f, el('div', { class: 'actions' }, el('button', { type: 'button', id: 'settle-preview-btn', text: '確定額を試算する（まだ確定しません）', onclick: previewSettlement, disabled: !lines.length })), preview, commitBox);
  };
  function paymentForm(id, settled) {
    const f = el('form', { id: 'payment-form', novalidate: true }, el('h2', { text: '精算払' }),
      o().field('pay-on', '支払日', { type: 'date', 'data-input': 'paid_on' }),
      o().field('pay-amount', '支払額（円）', { value: String(settled), inputmode: 'numeric', 'data-input': 'amount' }, '確定額 ' + yen(settled) + ' を支払います。'),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: '支払を記録する' })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const amount = parseYen(f.querySelector('#pay-amount').value);
      if (amount === null) { showErrors(f, { message: '支払額を読めません', errors: [{ field: 'amount', message: '円の金額で入力してください。' }] }); return; }
      const r = await o().call('POST', 'awards/' + id + '/payment', { paid_on: f.querySelector('#pay-on').value, amount });
      if (ok(r)) { status('支払を記録しました。'); hojo.views.kensa(id); } else o().fail(f, r);
    });
    return f;
  }

  // --- #nenji/ID: yearly reports, each beside the approved plan's row
  hojo.views.nenji = async (id) => {
    const box = fresh('nenji-body');
    if (!need(box)) return;
    if (!id) { box.textContent = ''; box.append(el('p', {}, '交付決定を選んでください。', el('a', { href: '#kofu', text: '交付決定の一覧へ' }))); return; }
    box.textContent = '読み込み中…';
    const j = await get(box, 'awards/' + id + '/reports');
    if (!j) return;
    const staff = isStaff();
    box.textContent = '';
    const sched = arr(j.schedule && j.schedule.reports ? j.schedule.reports : j.schedule);
    const reports = arr(j.reports);
    const byYear = {};
    reports.forEach((x) => { byYear[x.year] = x; });
    if (j.schedule && j.schedule.source) box.append(el('p', { class: 'hint' }, '報告の回数と期限は規則によります。', src(j.schedule.source)));
    if (!sched.length) box.append(el('p', { id: 'nenji-none', text: '報告の予定はまだありません（事業の完了日が決まると、報告の予定が決まります）。' }));
    box.append(table('schedule-table', '事業化状況報告の予定', ['回', '年度', '期限', '状態'],
      sched.map((x) => el('tr', { 'data-year': x.year }, el('th', { scope: 'row', text: x.year + '回目' }), el('td', { text: x.fiscal_year ? String(x.fiscal_year) + '年度' : '' }),
        el('td', { text: x.due || '' }, src(x.source)), el('td', { class: 'report-state', text: REPORT_STATE[(byYear[x.year] || {}).state || x.state] || (byYear[x.year] ? '' : '未提出') })))));
    const years = (j.plan && j.plan.years) || [];
    sched.forEach((x) => box.append(yearSection(id, x, byYear[x.year] || {}, staff, years[x.year] || {})));
  };
  function yearSection(id, sch, rep, staff, planYear) {
    const y = sch.year;
    const data = rep.data || {};
    const cmp = rep.comparison || rep.compare || {};
    const plan = cmp.plan_row || rep.plan_row || planYear || {};
    const done = rep.state === 'submitted';
    const sec = el('section', { class: 'card', id: 'year-' + y, 'aria-labelledby': 'year-' + y + '-h' },
      el('h2', { id: 'year-' + y + '-h', text: y + '回目の報告' + (sch.fiscal_year ? '（' + sch.fiscal_year + '年度）' : '') + '　' + (REPORT_STATE[rep.state] || '未提出') }));
    const editable = !staff && !done;
    const f = el('form', { id: 'report-form-' + y, novalidate: true });
    const rows = REPORT_ROWS.map(([k, lab, kind, pk]) => {
      const v = data[k];
      const pv = plan[k] !== undefined ? plan[k] : plan[pk];
      return el('tr', { 'data-row': k }, el('th', { scope: 'row' }, el('label', { for: 'rp-' + y + '-' + k, text: lab })),
        el('td', { class: 'num plan-value', text: kind === 'date' ? (pv || '—') : fmt(pv, kind) }),
        editable ? el('td', {}, el('input', { type: kind === 'date' ? 'date' : 'text', id: 'rp-' + y + '-' + k, value: v === undefined || v === null ? '' : String(v),
          inputmode: kind === 'date' ? null : 'numeric', 'data-input': 'data.' + k }))
          : el('td', { class: 'num actual-value', text: kind === 'date' ? (v || '—') : fmt(v, kind) }));
    });
    f.append(table('report-table-' + y, y + '回目: 承認された計画と実績', ['項目', '計画', '実績'], rows));
    f.append(editable ? el('div', { class: 'check' }, el('label', {}, el('input', { type: 'checkbox', id: 'rp-' + y + '-commercialised', checked: !!data.commercialised }), '補助事業の成果を事業化した'))
      : el('p', { class: 'commercialised', text: '補助事業の成果の事業化: ' + (data.commercialised ? 'した' : data.commercialised === false ? 'していない' : '—') }));
    const derived = cmp.derived || {};
    if (Object.keys(derived).length) {
      sec.append(el('dl', { class: 'facts derived' }, Object.entries(derived).filter(([k]) => DERIVED[k]).map(([k, v]) => [el('dt', { text: DERIVED[k] }), el('dd', { 'data-derived': k, text: fmt(v, 'yen') })]).flat()));
    }
    const reqs = arr(cmp.requirements);
    if (reqs.length) {
      sec.append(table('requirements-' + y, y + '回目: 要件ごとの判定', ['要件', '判定', '目標', '実績', '差'],
        reqs.map((q) => el('tr', { 'data-requirement': q.id, 'data-status': q.status },
          el('td', {}, q.text || q.id, src(q.source), q.detail ? el('span', { class: 'hint req-detail', text: ' ' + q.detail }) : null),
          el('td', {}, el('span', { class: q.status === 'met' ? 'yes' : q.status === 'not_met' ? 'no' : 'unknown', text: RSTATUS[q.status] || q.status })),
          el('td', { class: 'num', text: fmtReq(q.target, q) }), el('td', { class: 'num', text: fmtReq(q.actual, q) }),
          el('td', { class: 'num gap', text: q.gap === null || q.gap === undefined ? '—' : fmtReq(q.gap, q) })))));
    }
    const cons = cmp.consequences;
    if (cons && cons.none_encoded) sec.append(el('p', { class: 'hint', 'data-consequences': 'none', text: '要件を満たさないときの扱い（返還など）は、規則にはまだ書かれていません。' + (cons.note ? ' ' + cons.note : '') }));
    else if (arr(cons).length) sec.append(el('ul', { 'data-consequences': 'some' }, arr(cons).map((c) => el('li', {}, (c.text || '') + (c.amount !== undefined ? ' ' + yen(c.amount) : ''), src(c.source)))));
    if (editable) {
      const send = async (submit) => {
        const d = {};
        for (const [k, , kind] of REPORT_ROWS) {
          const v = f.querySelector('#rp-' + y + '-' + k).value.trim();
          if (!v) continue;
          if (kind === 'yen') {
            const n = parseYen(v);
            if (n === null) { showErrors(f, { message: '金額を読めません', errors: [{ field: 'data.' + k, message: '円の金額で入力してください（例: 1,500万円）。' }] }); return; }
            d[k] = n;
          } else if (kind === 'num') d[k] = /^\d+$/.test(v) ? Number(v) : v;
          else d[k] = v;
        }
        d.year = y;
        d.commercialised = f.querySelector('#rp-' + y + '-commercialised').checked;
        const r = await o().call('PUT', 'awards/' + id + '/reports/' + y, { data: d, submit });
        if (ok(r)) { status(submit ? y + '回目の報告を提出しました。' : y + '回目の報告を保存しました。'); hojo.views.nenji(id); } else o().fail(f, r);
      };
      f.append(el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'rp-' + y + '-save', text: '下書きを保存して計画と比べる', onclick: () => send(false) }),
        el('button', { type: 'button', class: 'primary', id: 'rp-' + y + '-submit', text: '報告を提出する', onclick: () => send(true) })));
    }
    sec.insertBefore(f, sec.children[1] || null);
    return sec;
  }
  const fmtReq = (v, q) => (v === null || v === undefined ? '—' : q.unit === 'yen' || (typeof v === 'number' && Math.abs(v) >= 1000 && q.unit !== 'ratio') ? yen(v) : frac(v) && typeof v !== 'number' ? pct(v) : fmt(v));

  // --- #tokusoku: missing and late reports, reminders
  hojo.views.tokusoku = async () => {
    const box = fresh('tokusoku-body');
    if (!need(box)) return;
    if (!isStaff()) { box.textContent = ''; box.append(el('p', { text: 'この画面は事務局の画面です。' })); return; }
    box.textContent = '読み込み中…';
    const j = await get(box, 'reports/overdue');
    if (!j) return;
    box.textContent = '';
    const list = j.missing || j.late ? arr(j.missing).map((x) => Object.assign({ state: 'missing' }, x)).concat(arr(j.late).map((x) => Object.assign({ state: 'late' }, x))) : o().list(j, 'overdue');
    const out = el('div', { id: 'remind-result', role: 'status', 'aria-live': 'polite' });
    if (!list.length) box.append(el('p', { id: 'overdue-none', text: '未提出・期限超過の報告はありません。' }));
    else {
      box.append(table('overdue-table', '未提出・期限超過の事業化状況報告', ['申請', '回', '期限', '状態', '経過日数'],
        list.map((x) => el('tr', { 'data-award': x.award || x.award_id, 'data-year': x.year },
          el('td', {}, el('a', { href: '#nenji/' + (x.award || x.award_id), text: appTitle(x) })), el('td', { text: x.year + '回目' }),
          el('td', { text: x.due || '' }), el('td', { class: 'overdue-state', text: REPORT_STATE[x.state] || x.state || '' }),
          el('td', { class: 'num', text: x.days_late !== undefined ? String(x.days_late) + '日' : x.days !== undefined ? String(x.days) + '日' : '—' })))),
      el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'remind', text: '督促のメールを送る（' + list.length + '件）', onclick: async () => {
        const r = await o().call('POST', 'reports/overdue/remind');
        const n = r.json.count !== undefined ? r.json.count : Array.isArray(r.json.sent) ? r.json.sent.length : r.json.sent;
        out.textContent = ok(r) ? '督促のメールを ' + n + ' 件送りました。' : '送れません: ' + o().firstMessage(r);
      } })));
    }
    box.append(out);
  };

  // --- #seika: the outcomes dashboard (staff)
  const NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) { if (k === 'text') e.textContent = v; else e.setAttribute(k, v); }
    for (const c of kids.flat()) if (c) e.append(c);
    return e;
  }
  // one horizontal bar per outcome: what the reports show (bar) against the target (line)
  function chart(outs, gi) {
    const cid = 'outcome-chart' + (gi ? '-' + gi : '');
    const W = 640;
    const L = 16;
    const BAR = 20;
    const GAP = 66; // a row: the outcome's name, its bar, its values
    const H = 8 + outs.length * GAP;
    const top = Math.max(1, ...outs.map((x) => Math.max(ratio(goalOf(x)) || 0, ratio(x.value) || 0))) * 1.1;
    const x = (v) => L + ((W - 2 * L) * Math.max(0, v)) / top;
    const title = '成果目標ごとの目標と実績（棒: 報告が示す値、縦線: 目標）';
    const g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-labelledby': cid + '-t ' + cid + '-d', id: cid, class: 'chart' },
      svg('title', { id: cid + '-t', text: title }),
      svg('desc', { id: cid + '-d', text: outs.map((o2) => (o2.text || o2.id) + ': 目標 ' + targetText(o2) + '、実績 ' + valueText(o2) + '（n=' + (o2.n || 0) + '）').join('。') }));
    outs.forEach((oc, i) => {
      const y = 4 + i * GAP;
      const v = ratio(oc.value);
      const t = ratio(goalOf(oc));
      const name = oc.text || oc.id;
      g.append(svg('text', { x: L, y: y + 10, class: 'chart-label', 'font-size': '12', text: name.length > 46 ? name.slice(0, 45) + '…' : name }));
      g.append(svg('rect', { x: L, y: y + 14, width: W - 2 * L, height: BAR, class: 'chart-track' }));
      if (v !== null) g.append(svg('rect', { x: L, y: y + 14, width: Math.max(1, x(v) - L), height: BAR, class: 'chart-bar ' + (oc.met === true ? 'met' : oc.met === false ? 'not-met' : 'unknown'), 'data-outcome': oc.id }));
      if (t !== null) g.append(svg('line', { x1: x(t), x2: x(t), y1: y + 10, y2: y + 14 + BAR + 4, class: 'chart-target', 'data-target': oc.id }));
      g.append(svg('text', { x: L, y: y + 14 + BAR + 16, 'font-size': '12', class: 'chart-value', text: '実績 ' + valueText(oc) + '　目標 ' + (oc.required !== undefined && oc.required !== null ? pctText(oc.required_text, oc.required) : (oc.target && (oc.target.at_least || oc.target.above)) || pct(goalOf(oc))) + '　n=' + (oc.n || 0) }));
    });
    return g;
  }
  // a program's short name (GET /api/v1/rules?program=ID), kept for the page's life
  const progName = {};
  async function programNames(ids) {
    await Promise.all(ids.filter((p) => !(p in progName)).map(async (p) => {
      const r = await o().call('GET', 'rules?program=' + encodeURIComponent(p));
      const x = r.status === 200 && r.json.programs && r.json.programs[0];
      progName[p] = x ? x.short || x.name : p;
    }));
    return progName;
  }
  hojo.views.seika = async () => {
    const box = fresh('seika-body');
    if (!need(box)) return;
    if (!isStaff()) { box.textContent = ''; box.append(el('p', { text: 'この画面は事務局の画面です。' })); return; }
    const q = new URLSearchParams(sessionStorage.getItem('hojo.seika.q') || '');
    box.textContent = '読み込み中…';
    const c = await o().call('GET', 'calls');
    const calls = c.status === 200 ? o().list(c.json, 'calls') : [];
    const progOf = (x) => x.program || String(x.edition || '').split('-')[0];
    const programs = [...new Set(calls.map(progOf).filter(Boolean))];
    const path = 'outcomes' + (q.toString() ? '?' + q.toString() : '');
    const names = await programNames(programs);
    const j = await get(box, path);
    if (!j) return;
    box.textContent = '';
    const ps = el('select', { id: 'seika-program' }, el('option', { value: '', text: 'すべての制度' }), programs.map((p) => el('option', { value: p, text: names[p] || p, selected: q.get('program') === p })));
    const cs = el('select', { id: 'seika-call' }, el('option', { value: '', text: 'すべての公募回' }),
      calls.filter((x) => !q.get('program') || progOf(x) === q.get('program')).map((x) => el('option', { value: String(x.id), text: x.title || '公募回 ' + x.id, selected: q.get('call') === String(x.id) })));
    const pick = () => {
      const n = new URLSearchParams();
      if (ps.value) n.set('program', ps.value);
      if (cs.value && (ps.value === q.get('program') || !ps.value)) n.set('call', cs.value);
      sessionStorage.setItem('hojo.seika.q', n.toString());
      hojo.views.seika();
    };
    ps.addEventListener('change', pick);
    cs.addEventListener('change', pick);
    box.append(el('div', { class: 'filters' }, el('div', { class: 'field' }, el('label', { for: 'seika-program', text: '制度' }), ps),
      el('div', { class: 'field' }, el('label', { for: 'seika-call', text: '公募回' }), cs)));
    const csvq = new URLSearchParams(q);
    csvq.set('format', 'csv');
    box.append(el('p', {}, el('a', { id: 'outcomes-csv', href: API + 'outcomes?' + csvq.toString(), download: 'hojo-outcomes.csv', text: 'CSV でダウンロード' })));
    // one group per program and call (the office's answer) or per program, or one document
    const groups = arr(j.outcomes).length && arr(j.outcomes)[0].result ? arr(j.outcomes).map((g) => Object.assign({}, g, { outcomes: arr((g.result || {}).outcomes) }))
      : arr(j.programs).length ? arr(j.programs) : [j];
    const callTitle = (id) => { const x = calls.find((c2) => String(c2.id) === String(id)); return x ? x.title || '公募回 ' + id : id ? '公募回 ' + id : ''; };
    if (!groups.length) box.append(el('p', { id: 'outcomes-none', text: '確定した交付がまだないため、成果目標を測れる報告はありません。' }));
    groups.forEach((gr, gi) => {
      const outs = arr(gr.outcomes);
      const sec = el('section', { class: 'outcomes', 'data-program': gr.program || gr.edition || null, 'aria-labelledby': 'seika-' + gi + '-h' },
        el('h2', { id: 'seika-' + gi + '-h', text: (gr.program_name || names[gr.program] || gr.program || gr.edition || '成果目標') + (gr.call_title || gr.call ? '　' + (gr.call_title || callTitle(gr.call)) : '') }));
      const settledSum = gr.settled !== undefined ? gr.settled : gr.budget;
      if (gr.grantees !== undefined) sec.append(el('p', { class: 'outcome-grantees', text: '確定した交付先: ' + (Array.isArray(gr.grantees) ? gr.grantees.length : gr.grantees) + ' 者' + (settledSum ? '（確定額の合計 ' + yen(settledSum) + '）' : '') }));
      if (!outs.length) { sec.append(el('p', { text: 'この制度の成果目標は規則にまだありません。' })); box.append(sec); return; }
      sec.append(table('outcome-table' + (gi ? '-' + gi : ''), '成果目標と報告が示す値', ['成果目標', '目標', '報告が示す値', 'n（交付先の数）', '判定', '出典'],
        outs.map((x) => el('tr', { 'data-outcome': x.id },
          el('td', {}, x.text || x.id, x.formula ? el('details', { class: 'formula' }, el('summary', { text: '算式' }), el('p', { class: 'hint', text: x.formula })) : null),
          el('td', { class: 'outcome-target', text: targetText(x) }),
          el('td', { class: 'num outcome-value', text: valueText(x) }),
          el('td', { class: 'num outcome-n', text: String(x.n || 0) }),
          el('td', {}, el('span', { class: x.met === true ? 'yes' : x.met === false ? 'no' : 'unknown', text: x.met === true ? '達成' : x.met === false ? '未達成' : 'まだ測れない' })),
          el('td', { text: sourceText(x.source) })))));
      const fig = el('figure', { class: 'chart-wrap' }, chart(outs, gi), el('figcaption', { text: '棒は報告が示す値、縦線は目標です。緑の棒は目標に届いたもの、赤の棒は届いていないものです（同じ値を上の表と棒の下の文字で示しています）。' }));
      sec.append(fig);
      box.append(sec);
    });
  };

  // views without the open application's bar (web/office.js)
  hojo.barless = (hojo.barless || []).concat(['kofu', 'jisseki', 'kensa', 'nenji', 'tokusoku', 'seika']);
  // the links of the navigation: a signed-in account has 交付・報告; staff the overdue list and outcomes
  (hojo.onSession = hojo.onSession || []).push((me) => {
    const roles = me ? me.account.roles || [] : [];
    const staff = roles.some((x) => x === 'staff' || x === 'admin');
    $('nav-kofu').hidden = !me;
    $('nav-seika').hidden = !staff;
  });
}());
