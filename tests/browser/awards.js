// Browser tests of the pages after adoption (web/awards.js, issue 12 §5),
// added to tests/browser/run.js.
//  1. The pages on answers played by the browser (the documents of
//     include/hojo/grants/awards.h and hojo/after.h, written here with
//     hand-computed values): what the page sends (amounts typed as
//     「660万円」 parsed to integer yen, If-Match, the inspection's lines)
//     and what it shows (確定額 and its explanation, the plan beside each
//     yearly figure, the requirements met / not met with the gap, the
//     outcomes with n, the SVG chart, the CSV link); axe on every page.
//  2. The journey on the real server (routes of server/routes_awards.c):
//     see the second part of this file.
'use strict';
const crypto = require('crypto');

// t: {test, assert, eq, axe, shot, browser, url(), staff(email, password)}
module.exports = function awardsTests(t) {
  const { test, assert, eq, axe, shot } = t;

  // --- a played server: the documents of the after-adoption routes, and what the page sent
  function played(roles) {
    const s = {
      sent: [], // [{method, path, body, headers}]
      session: { account: { id: 41, email: 'grantee@example.jp', name: '試験 交付先', roles }, csrf: 'csrf-played' },
      award: {
        id: 7, application: 12, application_title: 'テスト精機株式会社 生産ラインの自動化', frame: 'mono-r5-general', state: 'granted',
        adopted_amount: 5000000, amount: 4000000, granted_on: '2024-06-01', period_end: '2024-12-01',
        conditions: ['交付決定の日より前に発注した経費は対象にしない', '実績報告は事業完了の日から30日以内に提出する'],
      },
      applied: { id: 8, application: 13, application_title: '試験食堂 厨房機器の更新', frame: 'mono-r5-general', state: 'applied', adopted_amount: 5000000 },
      changes: [],
      claim: { state: 'draft', version: 1, lines: [], completed_on: null, attachments: [] },
      settlement: null,
      payment: null,
      reports: {},
    };
    const json = (route, status, body, headers) => route.fulfill({ status, contentType: 'application/json', headers: headers || {}, body: JSON.stringify(body) });
    // the rule check of the claim lines, as hj_claim_check_json would answer: a line paid before
    // 交付決定 (2024-06-01) or after the period's end (2024-12-01) is refused
    const check = (lines) => ({ ok: lines.every((l) => l.date >= '2024-06-01' && l.date <= '2024-12-01'), lines: lines.map((l, index) => (
      l.date < '2024-06-01' ? { index, ok: false, reason: '交付決定（2024-06-01）より前の支払です', source: 'seed 001:881' }
        : l.date > '2024-12-01' ? { index, ok: false, reason: '事業期間（〜2024-12-01）の後の支払です', source: 'seed 001:889' }
          : { index, ok: true, reason: '', source: 'seed 001:889' })) });
    s.handler = async (route) => {
      const req = route.request();
      const u = new URL(req.url());
      const p = u.pathname.replace(/^\/api\/v1\//, '');
      const m = req.method();
      let body = null;
      const ct = req.headers()['content-type'] || '';
      if (m !== 'GET' && ct.startsWith('application/json')) body = JSON.parse(req.postData() || 'null');
      if (m !== 'GET') s.sent.push({ method: m, path: p + u.search, body, headers: req.headers() });
      if (p === 'auth/session') return json(route, 200, s.session);
      if (p === 'notices') return json(route, 200, { notices: [] });
      if (p === 'awards' && m === 'GET') return json(route, 200, { awards: roles.includes('staff') ? [s.award, s.applied] : [s.award] });
      // the settlement as stored: {amount, explanation: the engine's document}
      if (p === 'awards/7' && m === 'GET') return json(route, 200, { award: s.award, changes: s.changes, settlement: s.settlement && { amount: s.settlement.settled, explanation: s.settlement }, payment: s.payment });
      if (p === 'awards/8' && m === 'GET') return json(route, 200, { award: s.applied, changes: [] });
      if (p === 'awards/8/decision') {
        if (body.decision === 'grant') Object.assign(s.applied, { state: 'granted', amount: body.amount, conditions: body.conditions, granted_on: body.granted_on, period_end: '2025-01-10' });
        return json(route, 200, { award: s.applied });
      }
      if (p === 'awards/7/changes') {
        const c = { id: 3, award: 7, kind: body.kind, detail: { reason: body.reason, detail: body.detail, period_end: body.period_end }, state: 'requested', requested_at: '2024-09-01T01:00:00Z' };
        s.changes.push(c);
        return json(route, 201, { change: c });
      }
      if (p === 'awards/7/claim' && m === 'GET') return json(route, 200, { award: 7, claim: Object.assign({ line_check: check(s.claim.lines) }, s.claim), attachments: s.claim.attachments }, { ETag: '"' + s.claim.version + '"' });
      if (p === 'awards/7/claim' && m === 'PUT') {
        if (req.headers()['if-match'] !== '"' + s.claim.version + '"') return json(route, 412, { errors: [{ type: 'conflict', message: '新しい版があります' }] });
        Object.assign(s.claim, { lines: body.lines, completed_on: body.completed_on, version: s.claim.version + 1 });
        return json(route, 200, { award: 7, claim: Object.assign({ line_check: check(s.claim.lines) }, s.claim), attachments: s.claim.attachments }, { ETag: '"' + s.claim.version + '"' });
      }
      if (p === 'awards/7/claim/attachments') {
        const buf = req.postDataBuffer();
        // the file's bytes between the part's blank line and the closing boundary
        const start = buf.indexOf('\r\n\r\n', buf.indexOf('filename=')) + 4;
        const end = buf.indexOf('\r\n--', start);
        const data = buf.subarray(start, end);
        const at = { id: 91, name: '請求書.txt', kind: 'invoice', size: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
        s.claim.attachments.push(at);
        return json(route, 201, { attachment: at });
      }
      if (p === 'awards/7/claim/submit') { // a line the rules refuse stops the submission (lib/grants/awards.c)
        const bad = check(s.claim.lines).lines.find((l) => !l.ok);
        if (bad) return json(route, 422, { errors: [{ type: 'input', field: 'lines[' + bad.index + ']', message: 'lines[' + bad.index + ']: ' + bad.reason }] });
        s.claim.state = 'submitted'; s.award.state = 'claimed'; return json(route, 200, { claim: s.claim });
      }
      if (p === 'awards/7/inspection') {
        s.claim.lines.forEach((l, i) => Object.assign(l, body.lines[i]));
        return json(route, 200, { inspection: body });
      }
      if (p === 'awards/7/settlement') {
        // 確定額 (hand-computed, the engine's job in the real server): accepted lines 6,600,000 + 900,000 + 0
        // = 7,500,000; the frame's rate 1/2 → 3,750,000; under 交付決定額 4,000,000 → 3,750,000
        const st = { frame: 'mono-r5-general', granted: 4000000, accepted_total: 7500000, eligible_total: 7500000, evaluated: 3750000, settled: 3750000, capped_by: 'rate',
          lines: s.claim.lines.map((l, index) => Object.assign({ index }, l)),
          explanation: [
            { kind: 'accepted', text: '認めた経費: 6,600,000円 + 900,000円 + 0円 = 7,500,000円（不認定の行は0円）', source: 'seed 004:16' },
            { kind: 'rate', text: '補助率 1/2: 7,500,000円 × 1/2 = 3,750,000円', source: 'seed 004:16' },
            { kind: 'granted', text: '交付決定額 4,000,000円 以下なので 3,750,000円', source: '' }] };
        if (!u.searchParams.get('dry_run')) { s.settlement = st; s.award.state = 'settled'; }
        return json(route, 200, { dry_run: !!u.searchParams.get('dry_run'), amount: st.settled, settlement: st });
      }
      if (p === 'awards/7/payment') { s.payment = body; s.award.state = 'paid'; return json(route, 200, { payment: body }); }
      if (p === 'awards/7/reports' && m === 'GET') {
        return json(route, 200, { schedule: { source: 'seed 001:890', reports: [
          { year: 1, fiscal_year: 2025, due: '2026-06-30', source: 'seed 001:890' }, { year: 2, fiscal_year: 2026, due: '2027-06-30', source: 'seed 001:890' },
          { year: 3, fiscal_year: 2027, due: '2028-06-30', source: 'seed 001:890' }] }, reports: Object.values(s.reports) });
      }
      const y = /^awards\/7\/reports\/(\d+)$/.exec(p);
      if (y) {
        const d = body.data;
        // the comparison (hand-computed): 付加価値額 = 営業利益 + 人件費 + 減価償却費; 営業利益 =
        // 110,000,000 − 60,000,000 − 25,000,000 − 5,000,000 − 12,000,000 = 8,000,000 → 付加価値額
        // 8,000,000 + 25,000,000 + 5,000,000 = 38,000,000. Plan year 1: 付加価値額 36,050,000 (base
        // 35,000,000 × 1.03) → met, gap 38,000,000 − 36,050,000 = 1,950,000; 給与支給総額 plan
        // 20,300,000 (base 20,000,000 × 1.015), actual 20,100,000 → not met, gap −200,000.
        const cmp = { year: 1, derived: { sales: 110000000, operating_profit: 8000000, value_added: 38000000 },
          plan_row: { sales: 105000000, cost_of_sales: 58000000, labor_cost: 24500000, depreciation: 5000000, other_expenses: 11000000, total_wages: 20300000, employees: 12, min_wage: 1050 },
          requirements: [
            { id: 'va_growth', text: '付加価値額 年率3%以上の増加', status: 'met', target: 36050000, actual: 38000000, gap: 1950000, unit: 'yen', source: 'seed 004:197' },
            { id: 'wages_growth', text: '給与支給総額 年率1.5%以上の増加', status: 'not_met', target: 20300000, actual: 20100000, gap: -200000, unit: 'yen', source: 'seed 004:197' },
            { id: 'min_wage', text: '事業場内最低賃金 地域別最低賃金+30円以上', status: 'not_yet', target: null, actual: null, gap: null, source: 'seed 004:197' }],
          consequences: { none_encoded: true, note: '' } };
        s.reports[y[1]] = { year: Number(y[1]), state: body.submit ? 'submitted' : 'draft', data: d, comparison: cmp };
        return json(route, 200, { report: s.reports[y[1]] });
      }
      if (p === 'reports/overdue' && m === 'GET') {
        return json(route, 200, { today: '2026-07-15',
          missing: [{ award: 9, application: 15, company_name: '試験工房', year: 2, due: '2026-06-30', days_late: 15, reminders: 0 }],
          late: [{ award: 7, application: 12, company_name: 'テスト精機株式会社', year: 1, due: '2026-06-30', days_late: 3, reminders: 1 }] });
      }
      if (p === 'reports/overdue/remind') return json(route, 200, { count: 1, sent: [{ award: 9, year: 2, to: 'owner@example.jp', file: 'x.eml' }] });
      if (p === 'outcomes') {
        // as hj_outcomes_json answers (fractions as text, percentages written by the engine)
        return json(route, 200, { outcomes: [{ program: 'monodukuri', call: 5, edition: 'mono-r2', settled: 13000000, grantees: 2, result: { edition: 'mono-r2', grantees: 2, outcomes: [
          // Σ付加価値額 of 2 grantees: 200,000,000 in the base year → 210,000,000 in year 1 = +5% (1/20)
          // against the 3% needed by year 1 → met
          { id: 'mono_value_added', text: '補助事業者全体の付加価値額が年率平均3%以上向上', kind: 'aggregate_growth', target: { annual: '3%', fraction: '3/100' }, n: 2, at_year: 1,
            base_total: 200000000, total: 210000000, value: '1/20', value_text: '5%', required: '3/100', required_text: '3%', met: true, source: 'seed 001:488-489', formula: 'Σ付加価値額（K年後）÷ Σ付加価値額（基準年度）− 1' },
          // 1 of 2 meets both growth targets: 1/2 = 50% against 65% (13/20) → not met
          { id: 'mono_both', text: '両方の目標を達成している事業者割合65%以上', kind: 'share_both_growth', target: { value_added_annual: '3%', wages_annual: '1.5%', at_least: '65%', fraction: '13/20' },
            n: 2, count: 1, value: '1/2', value_text: '50%', met: false, source: 'seed 001:491', formula: '両方達成 ÷ n' },
          { id: 'sales_vs_budget', text: '事業化による売上の累計と予算の比', kind: 'cumulative_sales_vs_budget', target: { at_least: '150%', fraction: '3/2' }, n: 0, value: null, value_text: null, met: null, source: 'seed 001:1005', formula: 'Σ売上 ÷ 予算' }] } }] });
      }
      return route.fallback();
    };
    return s;
  }
  async function playedPage(roles, hash) {
    const ctx = await t.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const s = played(roles);
    await ctx.route(/\/api\/v1\/(auth\/session|notices|awards|changes|reports|outcomes)/, s.handler);
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.goto(t.url() + hash);
    return { page, s, ctx };
  }
  const last = (s, path) => [...s.sent].reverse().find((x) => x.path === path);

  // --- the demonstration data (hojo admin demo, cli/demo.c) on a server of its own: every page filled
  test('after adoption on hojo admin demo: the grantees\' awards, 確定額 and three reports, the overdue list, the outcomes of three grantees; axe', async () => {
    const { spawn, execFileSync } = require('child_process');
    const fs = require('fs');
    const os = require('os');
    const path = require('path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hojo-demo-'));
    const demoDb = 'sqlite:' + path.join(dir, 'demo.db');
    execFileSync(t.hojo, ['admin', 'demo', '--db', demoDb], { stdio: 'ignore' });
    const port = await new Promise((resolve) => { const srv = require('net').createServer(); srv.listen(0, '127.0.0.1', () => { const p0 = srv.address().port; srv.close(() => resolve(p0)); }); });
    const url = 'http://127.0.0.1:' + port + '/';
    const proc = spawn(t.hojo, ['serve', '--listen', '127.0.0.1:' + port, '--web', path.join(__dirname, '..', '..', 'web'), '--db', demoDb],
      { stdio: 'ignore', env: Object.assign({}, process.env, { HOJO_MAIL_DIR: path.join(dir, 'mail') }) });
    const exited = new Promise((r) => proc.on('exit', r));
    try {
      for (let i = 0; i < 200; i++) { try { if ((await fetch(url + 'healthz')).ok) break; } catch (e) { /* not yet */ } await new Promise((r) => setTimeout(r, 50)); }
      const as = async (who, hash) => {
        const ctx = await t.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
        const r = await ctx.request.post(url + 'api/v1/auth/signin', { data: { email: who + '@demo.hojo.example', password: 'hojo-demo-2026' } });
        eq(r.status(), 200, 'sign-in of ' + who);
        const page = await ctx.newPage();
        page.errors = [];
        page.on('pageerror', (e) => page.errors.push(String(e)));
        await page.goto(url + hash);
        return { page, ctx };
      };
      // owner1: two awards, both paid; サンプル工業's claim 7,000,000 + 2,000,000 + 1,000,000 with the
      // outsourcing halved → 9,000,000 × 1/2 = 確定額 4,500,000
      const o1 = await as('owner1', '#kofu');
      await o1.page.waitForSelector('#award-table');
      const rows = await o1.page.$$eval('#award-table tbody tr', (l) => l.map((x) => [x.children[0].textContent, x.querySelector('.award-state').textContent, x.children[2].textContent]));
      eq(rows.map((x) => x[1]), ['支払済み', '支払済み'], 'two awards, paid');
      const sample = await o1.page.$eval('#award-table tbody tr:has-text("株式会社サンプル工業") a', (a) => a.getAttribute('href'));
      await to(o1.page, sample);
      await o1.page.waitForSelector('#award-settlement');
      eq(await o1.page.textContent('#award-settlement .amount'), '確定額 4,500,000円', '9,000,000 × 1/2');
      eq(await o1.page.$$eval('#award-settlement-lines tbody tr', (l) => l.map((x) => [...x.children].slice(3, 6).map((c) => c.textContent))),
        [['7,000,000円', '7,000,000円', '認める'], ['2,000,000円', '1,000,000円', '減額する'], ['1,000,000円', '1,000,000円', '認める']], 'the reduced line');
      await axe(o1.page, '交付決定 (demo)');
      const seiki = rows.findIndex((x) => x[0].includes('デモ精機'));
      assert(seiki >= 0, 'デモ精機 listed');
      await to(o1.page, '#kofu');
      await o1.page.waitForSelector('#award-table');
      const href = await o1.page.$eval('#award-table tbody tr:has-text("株式会社デモ精機") a', (a) => a.getAttribute('href'));
      // its approved extension (計画変更) is version 2 of the terms: the period ends 2022-01-31 instead of 2021-12-31
      await to(o1.page, href);
      await o1.page.waitForSelector('#award-versions');
      eq(await o1.page.$$eval('#award-versions tbody tr', (l) => l.map((x) => [...x.children].slice(0, 4).map((c) => c.textContent.replace(/（.*$/, '')))),
        [['1', '7,500,000円', '2021-12-31', '交付決定'], ['2', '7,500,000円', '2022-01-31', '事業期間の延長']], 'the versions of the terms');
      await to(o1.page, href.replace('#kofu/', '#nenji/'));
      await o1.page.waitForSelector('#year-3');
      eq(await o1.page.$$eval('#schedule-table .report-state', (l) => l.map((x) => x.textContent)), ['提出済み', '提出済み', '提出済み'], 'three reports submitted');
      await axe(o1.page, '事業化状況報告 (demo)');
      await shot(o1.page, 'nenji-demo');
      // staff: three missing reports and one late (README "The demonstration data"); 3 settled grantees,
      // 7,500,000 + 4,500,000 + 6,000,000 (15,000,000 and 12,000,000 × 1/2) = 18,000,000
      const st = await as('staff', '#tokusoku');
      await st.page.waitForSelector('#overdue-table');
      eq(await st.page.$$eval('#overdue-table .overdue-state', (l) => l.map((x) => x.textContent).sort()), ['期限超過', '未提出', '未提出', '未提出'], 'three missing, one late');
      await to(st.page, '#seika');
      await st.page.waitForSelector('#outcome-chart');
      eq(await st.page.textContent('#seika .outcome-grantees'), '確定した交付先: 3 者（確定額の合計 18,000,000円）', 'the cohort');
      eq(await st.page.$$eval('#outcome-table tbody tr', (l) => l.length), 3, 'the three outcomes of mono-r2');
      await axe(st.page, '成果目標 (demo)');
      await shot(st.page, 'seika-demo');
      eq(o1.page.errors.concat(st.page.errors), [], 'no script error');
      await o1.ctx.close();
      await st.ctx.close();
    } finally {
      proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // --- the journey on the real server: one ものづくり R2 一般型 通常枠 application (rules/monodukuri/r2.yaml:
  // rate 1/2, cap 1,000万円), adopted for 7,500,000 (expenses 15,000,000 × 1/2) by an administrator
  // (POST /api/v1/applications/{id}/adoption, as tests/http/awards), then everything else on the pages
  const PW = 'correct horse battery 9';
  let seq = 0;
  async function api(who, method, path, body, headers) {
    const h = Object.assign({}, headers || {});
    if (who) { h.Cookie = who.cookie; h['X-CSRF-Token'] = who.csrf; }
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const r = await fetch(t.url() + 'api/v1/' + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { json = text; }
    return { status: r.status, json };
  }
  async function signUp(name) {
    const email = name + '-' + process.pid + '-' + (++seq) + '@awards.example';
    const r = await fetch(t.url() + 'api/v1/auth/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: PW, name: '試験 ' + name }) });
    const j = await r.json();
    if (r.status !== 201 && r.status !== 200) throw new Error('sign-up: ' + r.status + ' ' + JSON.stringify(j));
    return { cookie: r.headers.get('set-cookie').split(';')[0], csrf: j.csrf, email };
  }
  async function pageAs(who, hash) {
    const ctx = await t.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const eqAt = who.cookie.indexOf('=');
    await ctx.addCookies([{ name: who.cookie.slice(0, eqAt), value: who.cookie.slice(eqAt + 1), url: t.url() }]);
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    page.on('dialog', (d) => d.accept());
    await page.goto(t.url() + hash);
    return { page, ctx };
  }
  const to = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);
  const jst = (ms) => new Date(ms + 9 * 3600e3).toISOString().slice(0, 19) + '+09:00';
  const planYears = (...rows) => rows.map((r) => Object.fromEntries(['year_end', 'sales', 'cost_of_sales', 'labor_cost', 'depreciation', 'other_expenses', 'total_wages', 'employees', 'min_wage'].map((k, i) => [k, r[i]])));
  const DATA = { date: '2021-03-15',
    applicant: { name: '株式会社デモ精機', legal_form: 'company', industry: 'manufacturing', capital: '1,000万円', employees: 25, prefecture: '埼玉県' },
    project: { expenses: '1,500万円', low_contact: false, global: false },
    plan: { years: planYears(
      ['2022-03-31', '3億円', '1億8000万円', '6000万円', '1000万円', '2000万円', '5000万円', 25, 1060],
      ['2023-03-31', '3億1000万円', '1億8500万円', '6200万円', '1300万円', '2000万円', '5100万円', 25, 1110],
      ['2024-03-31', '3億2500万円', '1億9000万円', '6400万円', '1300万円', '2100万円', '5200万円', 26, 1130],
      ['2025-03-31', '3億4000万円', '1億9500万円', '6600万円', '1200万円', '2200万円', '5300万円', 27, 1180]) } };

  test('after adoption on the real server: 交付申請 → 交付決定 → 計画変更 approved → 実績報告 (a line refused by rule, a conflict kept mine, evidence) → 確定検査 → 確定額 → 精算払 → the first yearly report beside the plan → overdue and reminders → the outcomes with SVG and CSV; axe', async () => {
    const staff = await t.staff('awards-staff-' + process.pid + '@awards.example', PW); // admin and staff
    const owner = await signUp('grantee');
    const now = Date.now();
    let r = await api(staff, 'POST', 'calls', { edition: 'mono-r2', title: 'ものづくり R2 交付の試験', opens_at: jst(now - 3600e3), closes_at: jst(now + 3 * 3600e3) });
    eq(r.status, 201, 'call ' + JSON.stringify(r.json));
    const call = r.json.call.id;
    r = await api(owner, 'POST', 'companies', { name: '株式会社デモ精機' });
    const company = r.json.company.id;
    r = await api(owner, 'POST', 'applications', { company, call, frames: ['mono-r2-tsujo'], data: DATA });
    eq(r.status, 201, 'application ' + JSON.stringify(r.json).slice(0, 300));
    const app = r.json.application.id;
    r = await api(owner, 'POST', 'applications/' + app + '/submit', {}, { 'Idempotency-Key': 'awards-' + process.pid + '-' + app });
    eq(r.status, 201, 'submitted ' + JSON.stringify(r.json).slice(0, 300));
    r = await api(staff, 'POST', 'applications/' + app + '/adoption', { frame: 'mono-r2-tsujo', amount: 7500000 });
    eq(r.status, 201, 'adopted ' + JSON.stringify(r.json).slice(0, 300));

    // 交付申請 on the grantee's page
    const g = await pageAs(owner, '#kofu');
    await g.page.waitForSelector('#kofu-apply form[data-application="' + app + '"]');
    // the base year was a forecast: 従業員数 corrected to its actual 24, the rest as planned (the figures
    // of 付加価値額 and 給与支給総額 stay those of the plan)
    await g.page.click('#kofu-apply form[data-application="' + app + '"] details.base-actuals summary');
    await g.page.waitForSelector('#ka-' + app + '-sales');
    eq(await g.page.inputValue('#ka-' + app + '-sales'), '3億円', 'the plan\'s base-year forecast offered');
    await g.page.fill('#ka-' + app + '-employees', '24');
    await axe(g.page, '交付申請');
    await g.page.click('#kofu-apply form[data-application="' + app + '"] button[type=submit]');
    await g.page.waitForSelector('#award-facts');
    const award = Number((await g.page.evaluate(() => location.hash)).replace('#kofu/', ''));
    assert(award > 0, 'the award\'s page');
    r = await api(owner, 'GET', 'awards/' + award);
    // (the server keeps the request with its keys sorted)
    eq(r.json.award.request.base_actuals, { cost_of_sales: 180000000, depreciation: 10000000, employees: 24, labor_cost: 60000000, min_wage: 1060, other_expenses: 20000000,
      sales: 300000000, total_wages: 50000000, year_end: '2022-03-31' }, 'the whole base year sent as base_actuals in yen, 従業員数 corrected');
    eq(await g.page.textContent('#award-state'), '交付申請中', 'applied');
    eq(await g.page.textContent('#award-adopted'), '7,500,000円', 'the adopted amount copied from the adoption');
    // what is due by 交付決定, checked by the engine with the corrected base year
    eq(await g.page.getAttribute('#award-due li[data-due="base_year_actuals"]', 'data-status'), 'met', 'the base year replaced by its actuals, the plan checked again');
    // the edition's rules: mono-r2 gives no project period in months, and the reports' due date is a setting
    await g.page.click('#award-rules summary');
    assert((await g.page.textContent('#award-rules [data-rule="project_period"]')).includes('月数は規則になく'), 'the period set by the secretariat');
    assert((await g.page.textContent('#award-rules [data-rule="reports"]')).includes('期限は各年度末の 3 か月後（事務局の設定）'), 'the reports\' due date, a setting');

    // 交付決定 on the staff's page: above the adopted amount refused on the field, then 7,000,000
    const s = await pageAs(staff, '#kofu/' + award);
    await s.page.waitForSelector('#decision-form');
    await s.page.fill('#dc-amount', '750万1円');
    await s.page.fill('#dc-granted-on', '2021-06-01');
    await s.page.fill('#dc-period-end', '2021-12-31');
    await s.page.click('#dc-grant');
    await s.page.waitForSelector('#dc-amount[aria-invalid="true"]');
    await s.page.fill('#dc-amount', '700万円');
    await s.page.fill('#dc-conditions', '経営力向上計画の認定を受けること');
    await s.page.click('#dc-grant');
    await s.page.waitForFunction(() => document.getElementById('award-state') && document.getElementById('award-state').textContent === '交付決定');
    eq(await s.page.textContent('#award-amount'), '7,000,000円', '交付決定額');
    await axe(s.page, '交付決定 (staff)');

    // the grantee sees it, then reports the expenses: 12,000,000 + 3,000,000 + 1,000,000 and a 500,000 line
    // dated 2021-05-20, before 交付決定 (2021-06-01)
    await to(g.page, '#kofu');
    await to(g.page, '#kofu/' + award);
    await g.page.waitForFunction(() => document.getElementById('award-state') && document.getElementById('award-state').textContent === '交付決定');
    eq(await g.page.textContent('#award-amount'), '7,000,000円', 'the grantee sees 交付決定額');
    eq(await g.page.textContent('#award-period'), '2021-06-01〜2021-12-31', 'and the project period');
    eq(await g.page.$$eval('#award-conditions li', (l) => l.map((x) => x.textContent)), ['経営力向上計画の認定を受けること'], 'and the condition');
    // 計画変更: the grantee asks for an extension to 2022-01-31; staff cannot refuse without a reason, then
    // approve it: the period ends 2022-01-31 and the terms have a version 2
    await g.page.selectOption('#ch-kind', 'extension');
    await g.page.fill('#ch-detail', '加工機の納期が1か月遅れるため');
    await g.page.fill('#ch-end', '2022-01-31');
    await g.page.click('#change-form button[type=submit]');
    await g.page.waitForSelector('#changes [data-change]');
    assert((await g.page.textContent('#changes [data-change] h3')).includes('事業期間の延長（審査中）'), 'the change requested');
    await to(s.page, '#kofu');
    await s.page.waitForSelector('#award-table tr[data-award="' + award + '"] .changes-requested');
    eq(await s.page.textContent('#award-table tr[data-award="' + award + '"] .award-state'), '交付決定（計画変更 審査待ち 1 件）', 'staff see the change waiting in the list');
    await to(s.page, '#kofu/' + award);
    await s.page.waitForSelector('#changes [data-change] button');
    await s.page.click('#changes [data-change] button:has-text("承認しない")');
    assert((await s.page.getAttribute('#changes [data-change] textarea', 'aria-invalid')) === 'true', 'a refusal needs a reason');
    await s.page.click('#changes [data-change] button:has-text("承認する")');
    await s.page.waitForSelector('#award-versions');
    eq(await s.page.textContent('#award-period'), '2021-06-01〜2022-01-31', 'the period extended');
    eq(await s.page.$$eval('#award-versions tbody tr', (l) => l.map((x) => [...x.children].slice(0, 4).map((c) => c.textContent.replace(/（.*$/, '')))),
      [['1', '7,000,000円', '2021-12-31', '交付決定'], ['2', '7,000,000円', '2022-01-31', '事業期間の延長']], 'two versions of the terms');
    await to(g.page, '#jisseki/' + award);
    await g.page.waitForSelector('#claim-form');
    const lines = [['machinery', '加工機', '1,200万円', '2021-07-10'], ['outsourcing', '治具の設計', '300万円', '2021-08-01'], ['transport', '据付の運搬', '100万円', '2021-09-01'], ['expert', '交付決定前の相談', '50万円', '2021-05-20']];
    for (let i = 0; i < lines.length; i++) {
      await g.page.click('#cl-add');
      await g.page.fill('#cl-category-' + i, lines[i][0]);
      await g.page.fill('#cl-description-' + i, lines[i][1]);
      await g.page.fill('#cl-amount-' + i, lines[i][2]);
      await g.page.fill('#cl-date-' + i, lines[i][3]);
    }
    await g.page.fill('#cl-completed', '2021-12-20');
    await g.page.waitForFunction(() => document.getElementById('claim-save').dataset.state === 'saved' && document.querySelector('#claim-table tr[data-line="3"] .line-check .no'), null, { timeout: 15000 });
    // 12,000,000 + 3,000,000 + 1,000,000 + 500,000 = 16,500,000
    eq(await g.page.textContent('#claim-total'), '報告額の合計: 16,500,000円', 'the total');
    assert((await g.page.textContent('#claim-table tr[data-line="3"] .line-check')).includes('2021-06-01'), 'the line before 交付決定 refused with the date in its reason');
    eq(await g.page.$$eval('#claim-table .line-check .yes', (l) => l.length), 3, 'the three others pass the rule');
    // saved meanwhile elsewhere (the API, version n → n + 1): the page's next save is a conflict it shows;
    // keeping this browser's lines saves them over version n + 1
    r = await api(owner, 'GET', 'awards/' + award + '/claim');
    const v0 = r.json.claim.version;
    const theirs = r.json.claim.lines.map((l, i) => (i === 0 ? Object.assign({}, l, { description: '加工機（別の画面で直した）' }) : l));
    r = await api(owner, 'PUT', 'awards/' + award + '/claim', { lines: theirs, completed_on: '2021-12-20' }, { 'If-Match': '"' + v0 + '"' });
    eq(r.status, 200, 'saved elsewhere');
    await g.page.fill('#cl-description-1', '治具の設計・製作');
    await g.page.waitForSelector('#claim-conflict:not([hidden])', { timeout: 15000 });
    await g.page.click('#cl-mine');
    await g.page.waitForFunction(() => document.getElementById('claim-save').dataset.state === 'saved', null, { timeout: 15000 });
    r = await api(owner, 'GET', 'awards/' + award + '/claim');
    eq([r.json.claim.version, r.json.claim.lines[0].description, r.json.claim.lines[1].description], [v0 + 2, '加工機', '治具の設計・製作'], 'this browser\'s lines kept, as version n + 2');
    await g.page.click('#cl-submit');
    await g.page.waitForFunction(() => /提出できません/.test(document.getElementById('claim-submit-result').textContent));
    await g.page.click('button[aria-label="4行目を削除"]');
    await g.page.waitForFunction(() => document.getElementById('claim-save').dataset.state === 'saved' && document.querySelectorAll('#claim-table tbody tr').length === 3, null, { timeout: 15000 });
    const pdf = Buffer.from('%PDF-1.4 請求書 加工機 12,000,000円\n', 'utf8');
    await g.page.setInputFiles('#ev-file', { name: '請求書.pdf', mimeType: 'application/pdf', buffer: pdf });
    await g.page.selectOption('#ev-kind', 'invoice');
    await g.page.click('#evidence-form button[type=submit]');
    await g.page.waitForSelector('#evidence-verify');
    eq(await g.page.textContent('#evidence-sha'), crypto.createHash('sha256').update(pdf).digest('hex'), 'the evidence\'s SHA-256 stored');
    assert((await g.page.textContent('#evidence-verify')).includes('一致しました'), 'and the same in the browser');
    const back = await g.page.evaluate(async () => { const a = document.querySelector('#evidence-table tbody a'); const b = await (await fetch(a.getAttribute('href'))).arrayBuffer(); return [...new Uint8Array(b)]; });
    eq(crypto.createHash('sha256').update(Buffer.from(back)).digest('hex'), crypto.createHash('sha256').update(pdf).digest('hex'), 'its link downloads the same bytes');
    await axe(g.page, '実績報告 (server)');
    await g.page.click('#cl-submit');
    await g.page.waitForSelector('#claim-state');

    // 確定検査 and 確定額: machinery accepted, outsourcing reduced to 1,000,000, transport rejected →
    // 12,000,000 + 1,000,000 + 0 = 13,000,000 × 1/2 = 6,500,000 ≤ 7,000,000 → 確定額 6,500,000
    await to(s.page, '#kensa/' + award);
    await s.page.waitForSelector('#inspection-form #in-decision-2');
    await s.page.selectOption('#in-decision-1', 'reduce');
    await s.page.fill('#in-accepted-1', '100万円');
    await s.page.fill('#in-reason-1', '見積との差額は対象外');
    await s.page.selectOption('#in-decision-2', 'reject');
    await s.page.fill('#in-reason-2', '運搬の証拠書類がない');
    await s.page.click('#in-save');
    await s.page.waitForSelector('#settle-dry');
    eq(await s.page.textContent('#settle-dry .amount'), '確定額（試算） 6,500,000円', 'the preview: 13,000,000 × 1/2');
    eq(await s.page.textContent('#settle-dry [data-k="accepted_total"]'), '13,000,000円', 'the accepted total');
    await axe(s.page, '確定検査 (server)');
    await s.page.click('#settle-commit-btn');
    await s.page.waitForSelector('#payment-form');
    eq(await s.page.inputValue('#pay-amount'), '6500000', 'the payment proposed');
    await s.page.fill('#pay-on', '2022-02-15');
    await s.page.click('#payment-form button[type=submit]');
    await s.page.waitForSelector('#payment-done');

    // the grantee reads the 確定額 and its explanation
    await to(g.page, '#kofu/' + award);
    await g.page.waitForSelector('#award-settlement');
    eq(await g.page.textContent('#award-settlement .amount'), '確定額 6,500,000円', '確定額 for the grantee');
    eq(await g.page.$$eval('#award-settlement-lines tbody tr', (rows) => rows.map((x) => [...x.children].slice(3, 6).map((c) => c.textContent))),
      [['12,000,000円', '12,000,000円', '認める'], ['3,000,000円', '1,000,000円', '減額する'], ['1,000,000円', '0円', '認めない']], 'line by line');
    assert(await g.page.$$eval('#award-settlement ol.explanation li', (l) => l.length) > 0, 'with its explanation');
    assert((await g.page.textContent('#award-payment')).includes('2022-02-15 に 6,500,000円'), 'and the payment');

    // the first yearly report: completed 2021-12-20 (FY2021) → year 1 = FY2022, due 2023-06-30
    await to(g.page, '#nenji/' + award);
    await g.page.waitForSelector('#report-form-1');
    eq(await g.page.$$eval('#schedule-table tbody tr', (rows) => rows.map((x) => x.children[2].firstChild.textContent)), ['2023-06-30', '2024-06-30', '2025-06-30'], 'three reports due');
    const fill = { fiscal_year_end: '2023-03-31', sales: '3億500万円', cost_of_sales: '1億8,500万円', labor_cost: '6,200万円', depreciation: '1,300万円', other_expenses: '2,000万円', total_wages: '5,100万円', employees: '25', min_wage: '1110' };
    for (const [k, v] of Object.entries(fill)) await g.page.fill('#rp-1-' + k, v);
    await g.page.click('#rp-1-submit');
    await g.page.waitForSelector('#requirements-1');
    // 営業利益 305,000,000 − 185,000,000 − 62,000,000 − 13,000,000 − 20,000,000 = 25,000,000;
    // 付加価値額 25,000,000 + 62,000,000 + 13,000,000 = 100,000,000
    eq(await g.page.textContent('#year-1 [data-derived="value_added"]'), '100,000,000円', '付加価値額');
    eq(await g.page.textContent('#year-1 [data-derived="operating_profit"]'), '25,000,000円', '営業利益');
    // the plan's year 1 beside: 売上高 3億1000万 → 310,000,000
    eq(await g.page.$$eval('#report-table-1 tbody tr[data-row="sales"] td', (l) => l.map((x) => x.textContent)), ['310,000,000円', '305,000,000円'], 'the plan beside the figure');
    // base year 付加価値額 (300 − 180 − 60 − 10 − 20 = 30 百万) + 60 + 10 = 100,000,000; 3%/year →
    // 103,000,000 by year 1: 100,000,000 is 3,000,000 below the line (judged in the final year: not yet);
    // 給与支給総額 50,000,000 × 1.015 = 50,750,000; 51,000,000 is above by 250,000 → met
    const reqs = await g.page.$$eval('#requirements-1 tbody tr', (rows) => rows.map((x) => ({ id: x.dataset.requirement, status: x.dataset.status, target: x.children[2].textContent, actual: x.children[3].textContent, gap: x.children[4].textContent })));
    const va = reqs.find((q) => q.target === '103,000,000円');
    assert(va && va.actual === '100,000,000円' && va.gap === '-3,000,000円' && va.status !== 'met', '付加価値額 3,000,000 below: ' + JSON.stringify(reqs));
    const tw = reqs.find((q) => q.target === '50,750,000円');
    assert(tw && tw.actual === '51,000,000円' && tw.gap === '250,000円' && tw.status === 'met', '給与支給総額 met by 250,000: ' + JSON.stringify(reqs));
    await axe(g.page, '事業化状況報告 (server)');
    await shot(g.page, 'nenji-server');

    // overdue (the server's clock is today): years 2 and 3 missing, year 1 submitted late; reminders
    await to(s.page, '#tokusoku');
    await s.page.waitForSelector('#overdue-table');
    const od = await s.page.$$eval('#overdue-table tbody tr[data-award="' + award + '"]', (rows) => rows.map((x) => [x.dataset.year, x.querySelector('.overdue-state').textContent]));
    eq(od, [['2', '未提出'], ['3', '未提出'], ['1', '期限超過']], 'missing and late');
    await s.page.click('#remind');
    await s.page.waitForFunction(() => /件送りました/.test(document.getElementById('remind-result').textContent));
    assert(/督促のメールを [1-9]\d* 件送りました/.test(await s.page.textContent('#remind-result')), 'reminders sent');
    await axe(s.page, '未提出の報告 (server)');

    // the outcomes of the call: one grantee with one report (year 1). Σ付加価値額 100,000,000 → 100,000,000:
    // growth 0 against 3% needed by year 1 → not met; Σ給与支給総額 50,000,000 → 51,000,000: +2%
    // (1/50) against 1.5% → met
    await to(s.page, '#seika');
    await s.page.waitForSelector('#outcome-chart');
    await s.page.selectOption('#seika-program', 'monodukuri');
    await s.page.waitForFunction(() => (document.getElementById('outcomes-csv') || {}).href && document.getElementById('outcomes-csv').href.includes('program=monodukuri'));
    await s.page.waitForSelector('#outcome-chart');
    const outs = await s.page.$$eval('#seika section.outcomes', (secs) => secs.map((x) => ({ h: x.querySelector('h2').textContent,
      rows: [...x.querySelectorAll('tbody tr')].map((r) => [r.dataset.outcome, r.querySelector('.outcome-value').textContent, r.querySelector('.outcome-n').textContent, r.children[4].textContent]) })));
    const mine = outs.find((x) => x.h.includes('ものづくり R2 交付の試験'));
    assert(mine, 'the call\'s outcomes: ' + JSON.stringify(outs));
    const row = (id) => mine.rows.find((x) => x[0] === id);
    eq(row('mono_value_added'), ['mono_value_added', '0%', '1', '未達成'], '付加価値額: 0% growth of 1 grantee');
    eq(row('mono_wages'), ['mono_wages', '2%', '1', '達成'], '給与支給総額: +2% of 1 grantee');
    assert(await s.page.$('#outcome-chart rect.chart-bar[data-outcome="mono_wages"].met'), 'the bar of a met outcome');
    const csv = await s.page.evaluate(async () => { const r = await fetch(document.getElementById('outcomes-csv').getAttribute('href')); return [r.status, r.headers.get('Content-Type'), await r.text()]; });
    eq(csv[0], 200, 'the CSV link answers');
    assert(csv[1].startsWith('text/csv') && csv[2].startsWith('program,call,edition,outcome'), 'as CSV: ' + csv[2].slice(0, 80));
    assert(csv[2].split('\n').some((l) => l.startsWith('monodukuri,' + call + ',mono-r2,mono_wages,')), 'with the call\'s rows');
    await axe(s.page, '成果目標 (server)');
    await shot(s.page, 'seika-server');
    eq(g.page.errors.concat(s.page.errors), [], 'no script error');
    await g.ctx.close();
    await s.ctx.close();
  });

  // --- a list longer than one page: 22 awards of one call (created through the API), the page
  // shows 20 a page, newest first: ceil(22 / 20) = 2 pages, page 1 "22件中 1–20件" (the 22nd
  // created down to the 3rd), page 2 "22件中 21–22件" (the 2nd, then the 1st)
  test('awards a page at a time: staff page through 22 awards of a call (20 a page, 前へ / 次へ, "22件中 21–22件", the focus kept on the pager); the grantee\'s list pages too and offers no 交付申請 for an application with an award on its other page; axe', async () => {
    const staff = await t.staff('awards-pages-' + process.pid + '@awards.example', PW); // admin and staff
    const owner = await signUp('pages');
    const now = Date.now();
    let r = await api(staff, 'POST', 'calls', { edition: 'mono-r2', title: 'ものづくり R2 ページ送りの試験', opens_at: jst(now - 3600e3), closes_at: jst(now + 3 * 3600e3) });
    eq(r.status, 201, 'call ' + JSON.stringify(r.json));
    const call = r.json.call.id;
    const ids = []; // the awards, in the order created
    for (let i = 1; i <= 22; i++) {
      const name = '株式会社ページ' + i;
      const company = (await api(owner, 'POST', 'companies', { name })).json.company.id;
      r = await api(owner, 'POST', 'applications', { company, call, frames: ['mono-r2-tsujo'], data: Object.assign({}, DATA, { applicant: Object.assign({}, DATA.applicant, { name }) }) });
      eq(r.status, 201, 'application ' + i + ' ' + JSON.stringify(r.json).slice(0, 300));
      const app = r.json.application.id;
      r = await api(owner, 'POST', 'applications/' + app + '/submit', {}, { 'Idempotency-Key': 'pages-' + process.pid + '-' + app });
      eq(r.status, 201, 'submitted ' + i);
      r = await api(staff, 'POST', 'applications/' + app + '/adoption', { frame: 'mono-r2-tsujo', amount: 7500000 });
      eq(r.status, 201, 'adopted ' + i);
      r = await api(owner, 'POST', 'applications/' + app + '/award', {});
      eq(r.status, 201, '交付申請 ' + i + ' ' + JSON.stringify(r.json).slice(0, 300));
      ids.push(r.json.award.id);
    }
    const newest = ids.slice().reverse();
    const rows = (page) => page.$$eval('#award-table tbody tr', (l) => l.map((x) => Number(x.dataset.award)));
    const range = (page) => page.textContent('#kofu-pager .page-range');

    const s = await pageAs(staff, '#kofu');
    await s.page.waitForSelector('#kofu-call');
    await s.page.selectOption('#kofu-call', String(call));
    await s.page.waitForFunction(() => /^22件中 1–20件/.test((document.querySelector('#kofu-pager .page-range') || {}).textContent || ''));
    eq(await range(s.page), '22件中 1–20件（1 / 2 ページ）', 'page 1 of 2');
    eq(await rows(s.page), newest.slice(0, 20), 'page 1: the 22nd created down to the 3rd');
    assert(await s.page.isDisabled('#kofu-pager [data-pager="prev"]'), '前へ is disabled on page 1');
    await axe(s.page, '交付決定の一覧 (page 1 of 2)');
    await s.page.click('#kofu-pager [data-pager="next"]');
    await s.page.waitForFunction(() => /^22件中 21–22件/.test((document.querySelector('#kofu-pager .page-range') || {}).textContent || ''));
    eq(await rows(s.page), [ids[1], ids[0]], 'page 2: the 2nd created, then the 1st');
    assert(await s.page.isDisabled('#kofu-pager [data-pager="next"]'), '次へ is disabled on the last page');
    await s.page.waitForFunction(() => document.activeElement && document.activeElement.dataset.pager === 'prev');
    await s.page.keyboard.press('Enter'); // 前へ, by keyboard
    await s.page.waitForFunction(() => /^22件中 1–20件/.test((document.querySelector('#kofu-pager .page-range') || {}).textContent || ''));
    eq(await rows(s.page), newest.slice(0, 20), 'back on page 1');
    await s.page.waitForFunction(() => document.activeElement && document.activeElement.dataset.pager === 'next');
    await shot(s.page, 'kofu-pages');

    // the grantee: its 22 awards on the same pages; all 22 applications have an award, so nothing is
    // offered for 交付申請 (the two on page 2 are known too)
    const g = await pageAs(owner, '#kofu');
    await g.page.waitForSelector('#kofu-pager');
    eq(await range(g.page), '22件中 1–20件（1 / 2 ページ）', 'the grantee\'s page 1 of 2');
    eq(await rows(g.page), newest.slice(0, 20), 'the grantee\'s page 1');
    await g.page.waitForSelector('#kofu-body > div:not([aria-busy]) #kofu-pager'); // drawn whole, the offers too
    eq(await g.page.$$eval('#kofu-apply form', (l) => l.length), 0, 'no 交付申請 offered for an application that has an award');
    await g.page.click('#kofu-pager [data-pager="next"]');
    await g.page.waitForFunction(() => /^22件中 21–22件/.test((document.querySelector('#kofu-pager .page-range') || {}).textContent || ''));
    eq(await rows(g.page), [ids[1], ids[0]], 'the grantee\'s page 2');
    await axe(g.page, 'わたしの交付決定 (page 2 of 2)');
    eq([s.page.errors, g.page.errors], [[], []], 'no script error');
    await s.ctx.close();
    await g.ctx.close();
  });

  test('after adoption (played answers), grantee: the award, 計画変更, 実績報告 typed in 万円 and saved with If-Match, a line refused by rule, evidence with SHA-256, 確定額 explained, the first yearly report beside the plan; axe', async () => {
    const { page, s, ctx } = await playedPage(['applicant'], '#kofu');
    await page.waitForSelector('#award-table tbody tr[data-award="7"]');
    assert(!(await page.isHidden('#nav-kofu')), 'the navigation has 交付・報告');
    assert(await page.isHidden('#nav-seika'), 'a grantee has no 成果目標');
    await axe(page, '交付決定の一覧');
    await page.click('#award-table a[href="#kofu/7"]');
    await page.waitForSelector('#award-facts');
    eq(await page.textContent('#award-amount'), '4,000,000円', '交付決定額');
    eq(await page.textContent('#award-period'), '2024-06-01〜2024-12-01', 'the project period');
    eq(await page.$$eval('#award-conditions li', (l) => l.length), 2, 'two conditions');
    // 計画変更: an extension with its new end
    await page.selectOption('#ch-kind', 'extension');
    await page.fill('#ch-detail', '機械の納期が遅れたため、事業期間を延長したい');
    await page.fill('#ch-end', '2025-01-31');
    await page.click('#change-form button[type=submit]');
    await page.waitForSelector('[data-change="3"]');
    eq(last(s, 'awards/7/changes').body, { kind: 'extension', reason: '機械の納期が遅れたため、事業期間を延長したい', detail: {}, period_end: '2025-01-31' }, 'the change request sent');
    eq(await page.textContent('[data-change="3"] .change-detail'), '機械の納期が遅れたため、事業期間を延長したい', 'its reason shown');
    assert((await page.textContent('[data-change="3"] h3')).includes('事業期間の延長（審査中）'), 'listed as 審査中');
    await axe(page, '交付決定');
    // 実績報告: three lines typed, the amounts in 万円
    await page.click('a[href="#jisseki/7"]');
    await page.waitForSelector('#claim-form');
    const lines = [['machinery', '加工機 1台', '660万円', '2024-07-10'], ['outsourcing', '治具の設計', '110万', '2024-08-01'], ['machinery', '見積前の部品', '20万円', '2024-05-20']];
    for (let i = 0; i < lines.length; i++) {
      await page.click('#cl-add');
      const [c, d, a, dt] = lines[i];
      await page.fill('#cl-category-' + i, c);
      await page.fill('#cl-description-' + i, d);
      await page.fill('#cl-amount-' + i, a);
      await page.fill('#cl-date-' + i, dt);
    }
    await page.fill('#cl-completed', '2024-11-20');
    await page.waitForFunction(() => document.getElementById('claim-save').dataset.state === 'saved' && document.querySelectorAll('#claim-table tbody tr').length === 3, null, { timeout: 15000 });
    await page.waitForFunction(() => !localStorage.getItem('hojo.claim.v1.7'));
    const put = last(s, 'awards/7/claim');
    eq(put.body.lines.map((l) => l.amount), [6600000, 1100000, 200000], '660万円, 110万, 20万円 sent as integer yen');
    eq(put.body.completed_on, '2024-11-20', 'the completion date');
    assert(/^"\d+"$/.test(put.headers['if-match']), 'saved with If-Match');
    // 6,600,000 + 1,100,000 + 200,000 = 7,900,000
    eq(await page.textContent('#claim-total'), '報告額の合計: 7,900,000円', 'the total typed');
    assert((await page.textContent('#claim-table tbody tr[data-line="2"] .line-check')).includes('認められない 交付決定（2024-06-01）より前の支払です'), 'the line dated before 交付決定 refused with its reason');
    assert((await page.textContent('#claim-table tbody tr[data-line="0"] .line-check')).includes('認められる'), 'the first line accepted by rule');
    // evidence: the SHA-256 the (played) server computed on the bytes received equals the test's and the browser's
    const file = Buffer.from('請求書 加工機 6,600,000円\n', 'utf8');
    await page.setInputFiles('#ev-file', { name: '請求書.txt', mimeType: 'text/plain', buffer: file });
    await page.selectOption('#ev-kind', 'invoice');
    await page.click('#evidence-form button[type=submit]');
    await page.waitForSelector('#evidence-verify');
    eq(await page.textContent('#evidence-sha'), crypto.createHash('sha256').update(file).digest('hex'), 'the SHA-256 shown');
    assert((await page.textContent('#evidence-verify')).includes('一致しました'), 'checked in the browser');
    eq(await page.$$eval('#evidence-table tbody tr td', (l) => l.slice(1, 3).map((x) => x.textContent)), ['請求書', file.length.toLocaleString('ja-JP') + ' バイト'], 'listed with its kind and size');
    await axe(page, '実績報告');
    await shot(page, 'jisseki');
    // a line the rules refuse stops the submission, named; deleted, the claim goes
    await page.click('#cl-submit');
    await page.waitForFunction(() => /提出できません/.test(document.getElementById('claim-submit-result').textContent));
    assert((await page.textContent('#claim-submit-result')).includes('lines[2]: 交付決定（2024-06-01）より前の支払です'), 'the refusal names the line');
    eq(s.claim.state, 'draft', 'not submitted');
    await page.click('button[aria-label="3行目を削除"]');
    // 6,600,000 + 1,100,000 = 7,700,000
    eq(await page.textContent('#claim-total'), '報告額の合計: 7,700,000円', 'the total without the line');
    await page.click('#cl-submit');
    await page.waitForSelector('#claim-state');
    eq(s.claim.state, 'submitted', 'submitted');
    eq(s.claim.lines.map((l) => l.amount), [6600000, 1100000], 'the two lines left');
    // staff settle (played): the award now carries the 確定額
    s.claim.lines.forEach((l, i) => Object.assign(l, [{ decision: 'accept', accepted: 6600000 }, { decision: 'reduce', accepted: 900000, reason: '見積との差額' }][i]));
    const st = await page.evaluate(async () => (await (await fetch('api/v1/awards/7/settlement', { method: 'POST' })).json()).settlement);
    eq(st.settled, 3750000, 'played settlement');
    await page.evaluate(() => { location.hash = '#kofu/7'; });
    await page.waitForSelector('#award-settlement');
    eq(await page.getAttribute('#award-settlement .amount', 'data-settled'), '3750000', '確定額');
    eq(await page.textContent('#award-settlement .amount'), '確定額 3,750,000円', '確定額 shown');
    eq(await page.$$eval('#award-settlement-lines tbody tr', (r) => r.map((x) => [...x.children].slice(3, 6).map((c) => c.textContent))),
      [['6,600,000円', '6,600,000円', '認める'], ['1,100,000円', '900,000円', '減額する']], 'line by line');
    eq(await page.$$eval('#award-settlement ol.explanation li', (l) => l.length), 3, 'three steps of explanation');
    await axe(page, '確定額');
    // the first yearly report: 1億1,000万円 etc. typed, the plan's row beside each figure
    await page.evaluate(() => { location.hash = '#nenji/7'; });
    await page.waitForSelector('#report-form-1');
    eq(await page.$$eval('#schedule-table tbody tr', (r) => r.map((x) => x.children[2].firstChild.textContent)), ['2026-06-30', '2027-06-30', '2028-06-30'], 'three reports due');
    const fill = { fiscal_year_end: '2026-03-31', sales: '1億1,000万円', cost_of_sales: '6,000万円', labor_cost: '2,500万円', depreciation: '500万円', other_expenses: '1,200万円', total_wages: '2,010万円', employees: '12', min_wage: '1080' };
    for (const [k, v] of Object.entries(fill)) await page.fill('#rp-1-' + k, v);
    await page.check('#rp-1-commercialised');
    await page.click('#rp-1-submit');
    await page.waitForSelector('#requirements-1');
    eq(last(s, 'awards/7/reports/1').body, { data: { fiscal_year_end: '2026-03-31', sales: 110000000, cost_of_sales: 60000000, labor_cost: 25000000, depreciation: 5000000, other_expenses: 12000000, total_wages: 20100000, employees: 12, min_wage: 1080, year: 1, commercialised: true }, submit: true }, 'the report sent in integer yen');
    eq(await page.$$eval('#report-table-1 tbody tr[data-row="sales"] td', (l) => l.map((x) => x.textContent)), ['105,000,000円', '110,000,000円'], 'plan beside the figure');
    eq(await page.textContent('#year-1 .commercialised'), '補助事業の成果の事業化: した', 'commercialised');
    eq(await page.$$eval('#requirements-1 tbody tr', (r) => r.map((x) => [x.dataset.status, x.children[1].textContent, x.children[4].textContent])),
      [['met', '達成', '1,950,000円'], ['not_met', '未達成', '-200,000円'], ['not_yet', 'まだ測れない', '—']], 'met / not met / not yet with the gap');
    eq(await page.textContent('#year-1 [data-derived="value_added"]'), '38,000,000円', '付加価値額 derived');
    assert(await page.$('#year-1 [data-consequences="none"]'), 'no consequence encoded is said');
    await axe(page, '事業化状況報告');
    await shot(page, 'nenji');
    eq(page.errors, [], 'no script error');
    await ctx.close();
  });

  test('after adoption (played answers), staff: 交付決定 (refusal needs a reason), inspection per line, settlement preview and commit, payment, overdue reminders, the outcomes dashboard with SVG and CSV; axe', async () => {
    const { page, s, ctx } = await playedPage(['staff'], '#kofu/8');
    await page.waitForSelector('#decision-form');
    assert(!(await page.isHidden('#nav-seika')), 'staff have 成果目標');
    await axe(page, '交付決定 (staff)');
    await page.click('#dc-refuse');
    assert((await page.getAttribute('#dc-reason', 'aria-invalid')) === 'true', 'a refusal without a reason is stopped in the page');
    assert(!s.sent.some((x) => x.path === 'awards/8/decision'), 'nothing sent');
    await page.fill('#dc-amount', '450万円');
    await page.fill('#dc-conditions', '交付決定の日より前に発注した経費は対象にしない\n実績報告は事業完了の日から30日以内');
    await page.fill('#dc-granted-on', '2024-07-01');
    await page.click('#dc-grant');
    await page.waitForFunction(() => document.getElementById('award-state') && document.getElementById('award-state').textContent === '交付決定');
    eq(last(s, 'awards/8/decision').body, { decision: 'grant', amount: 4500000, conditions: ['交付決定の日より前に発注した経費は対象にしない', '実績報告は事業完了の日から30日以内'], granted_on: '2024-07-01' }, 'the decision sent');
    eq(await page.textContent('#award-amount'), '4,500,000円', '交付決定額 shown');
    // inspection of award 7's claim: three lines, one refused by rule
    s.claim.lines = [{ category: 'machinery', description: '加工機 1台', amount: 6600000, date: '2024-07-10' }, { category: 'outsourcing', description: '治具の設計', amount: 1100000, date: '2024-08-01' },
      { category: 'machinery', description: '予備の部品', amount: 300000, date: '2024-09-15' }];
    s.claim.state = 'submitted';
    await page.evaluate(() => { location.hash = '#kensa/7'; });
    await page.waitForSelector('#inspection-form');
    eq(await page.inputValue('#in-decision-2'), 'accept', 'every line starts as 認める');
    await page.selectOption('#in-decision-2', 'reject');
    eq(await page.inputValue('#in-accepted-2'), '0', '認めない sets 0');
    await page.fill('#in-reason-2', '証拠書類（納品書）がない');
    await page.selectOption('#in-decision-1', 'reduce');
    await page.fill('#in-accepted-1', '90万円');
    await page.click('#in-save');
    assert((await page.getAttribute('#in-reason-1', 'aria-invalid')) === 'true', 'a reduction needs a reason');
    await page.fill('#in-reason-1', '見積との差額');
    await page.click('#in-save');
    await page.waitForSelector('#settle-dry');
    eq(last(s, 'awards/7/inspection').body, { lines: [{ index: 0, decision: 'accept', accepted: 6600000, reason: '' }, { index: 1, decision: 'reduce', accepted: 900000, reason: '見積との差額' },
      { index: 2, decision: 'reject', accepted: 0, reason: '証拠書類（納品書）がない' }] }, 'the inspection sent');
    assert(s.sent.some((x) => x.path === 'awards/7/settlement?dry_run=1'), 'previewed with dry_run=1');
    eq(await page.textContent('#settle-dry .amount'), '確定額（試算） 3,750,000円', 'the preview');
    eq(await page.textContent('#settle-dry [data-k="capped_by"]'), '補助率で計算', 'what decided it');
    assert(s.settlement === null, 'not committed by the preview');
    await axe(page, '確定検査');
    await shot(page, 'kensa');
    page.once('dialog', (d) => d.accept());
    await page.click('#settle-commit-btn');
    await page.waitForSelector('#payment-form');
    eq(s.settlement.settled, 3750000, 'committed');
    eq(await page.inputValue('#pay-amount'), '3750000', 'the payment proposed is the 確定額');
    await page.fill('#pay-on', '2025-01-20');
    await page.click('#payment-form button[type=submit]');
    await page.waitForSelector('#payment-done');
    eq(last(s, 'awards/7/payment').body, { paid_on: '2025-01-20', amount: 3750000 }, 'the payment sent');
    // overdue reports and reminders
    await page.evaluate(() => { location.hash = '#tokusoku'; });
    await page.waitForSelector('#overdue-table');
    eq(await page.$$eval('#overdue-table tbody tr', (r) => r.map((x) => [...x.children].map((c) => c.textContent))),
      [['試験工房', '2回目', '2026-06-30', '未提出', '15日'], ['テスト精機株式会社', '1回目', '2026-06-30', '期限超過', '3日']], 'missing and late');
    await page.click('#remind');
    await page.waitForFunction(() => /1 件送りました/.test(document.getElementById('remind-result').textContent));
    await axe(page, '未提出の報告');
    // the outcomes dashboard
    await page.evaluate(() => { location.hash = '#seika'; });
    await page.waitForSelector('#outcome-chart');
    eq(await page.$$eval('#outcome-table tbody tr', (r) => r.map((x) => [x.dataset.outcome, x.children[1].textContent, x.querySelector('.outcome-value').textContent, x.querySelector('.outcome-n').textContent, x.children[4].textContent])),
      [['mono_value_added', '年率3% （1年後に必要な伸び 3%）', '5%', '2', '達成'],
        ['mono_both', '付加価値額 年率3%・給与支給総額 年率1.5% を両方達成した割合 65%以上', '50%', '2', '未達成'],
        ['sales_vs_budget', '150%以上', 'まだ測れない', '0', 'まだ測れない']],
      'each target against what the reports show, with n');
    eq(await page.textContent('#seika .outcome-grantees'), '確定した交付先: 2 者（確定額の合計 13,000,000円）', 'the cohort');
    const bars = await page.$$eval('#outcome-chart rect.chart-bar', (l) => l.map((r) => [r.dataset.outcome, r.getAttribute('class')]));
    eq(bars, [['mono_value_added', 'chart-bar met'], ['mono_both', 'chart-bar not-met']], 'an SVG bar per measured outcome');
    eq(await page.$$eval('#outcome-chart line.chart-target', (l) => l.length), 3, 'a target line per outcome');
    // the scale: 0 … max(goals, values) × 1.1 = 3/2 × 1.1 = 1.65 over 640 − 2 × 16 = 608 px from x = 16:
    // 1/2 → a bar 608 × 0.5 / 1.65 = 184.24 px wide; its target 13/20 at 16 + 608 × 0.65 / 1.65 = 255.52;
    // the aggregate's line at the growth needed by year 1, 3/100: 16 + 608 × 0.03 / 1.65 = 27.05
    const w = Number(await page.getAttribute('#outcome-chart rect[data-outcome="mono_both"]', 'width'));
    assert(Math.abs(w - 184.24) < 0.01, 'bar width ' + w);
    const x1 = Number(await page.getAttribute('#outcome-chart line[data-target="mono_both"]', 'x1'));
    assert(Math.abs(x1 - 255.52) < 0.01, 'target at ' + x1);
    const x0 = Number(await page.getAttribute('#outcome-chart line[data-target="mono_value_added"]', 'x1'));
    assert(Math.abs(x0 - 27.05) < 0.01, 'the growth needed at ' + x0);
    eq(await page.getAttribute('#outcome-chart', 'role'), 'img', 'the chart is an image with a title and a description');
    assert((await page.textContent('#outcome-chart desc')).includes('両方の目標を達成している事業者割合65%以上: 目標 付加価値額 年率3%・給与支給総額 年率1.5% を両方達成した割合 65%以上、実績 50%（n=2）'), 'its description says the values');
    eq(await page.getAttribute('#outcomes-csv', 'href'), 'api/v1/outcomes?format=csv', 'the CSV link');
    await axe(page, '成果目標');
    await shot(page, 'seika');
    eq(page.errors, [], 'no script error');
    await ctx.close();
  });
};
