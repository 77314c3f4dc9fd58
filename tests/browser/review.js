// Browser journey of the review pages (web/review.js, issue 11 §4), added to
// tests/browser/run.js: staff set a call's review (two reviewers per
// application, a disagreement threshold, a budget), confirm a 加点 (refused
// first without a reason), assign the reviewers automatically after a dry
// run; a reviewer scores an application on the page (a score typed just
// before a reload is kept, a score out of the scale is refused in the page)
// and submits; the scores page shows mean, median, spread and the
// disagreement flag; staff preview the selection with its cut line, an
// administrator commits it; notices are released with chosen feedback; the
// applicants read them on their application's page and in 通知. axe on
// every page. The values asserted are computed by hand from the scores the
// test enters (comments beside each).
'use strict';

// t: {test, assert, eq, axe, shot, browser, url(), staff(email, password)}
module.exports = function reviewTests(t) {
  const { test, assert, eq, axe, shot } = t;
  const PASSWORD = 'correct horse battery 9';
  let n = 0;
  const email = (who) => 'rv-' + who + '-' + process.pid + '-' + (++n) + '@example.jp';

  // a client of the API in node: its session cookie and CSRF token
  async function client(body, path) {
    const r = await fetch(t.url() + 'api/v1/auth/' + (path || 'signup'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const j = await r.json();
    if (r.status !== 200 && r.status !== 201) throw new Error('auth ' + (path || 'signup') + ': ' + r.status + ' ' + JSON.stringify(j));
    const c = { cookie: r.headers.get('set-cookie').split(';')[0], csrf: j.csrf, account: j.account };
    c.req = async (method, p, b, headers) => {
      const h = Object.assign({ Cookie: c.cookie }, headers || {});
      if (method !== 'GET') h['X-CSRF-Token'] = c.csrf;
      let bodyOut;
      if (b instanceof FormData) bodyOut = b;
      else if (b !== undefined) { h['Content-Type'] = 'application/json'; bodyOut = JSON.stringify(b); }
      const x = await fetch(t.url() + 'api/v1/' + p, { method, headers: h, body: bodyOut });
      const text = await x.text();
      let json = null;
      try { json = JSON.parse(text); } catch (e) { json = null; }
      return { status: x.status, json, text, headers: x.headers };
    };
    c.must = async (method, p, b, headers) => {
      const x = await c.req(method, p, b, headers);
      if (x.status < 200 || x.status > 299) throw new Error(method + ' ' + p + ': ' + x.status + ' ' + x.text.slice(0, 400));
      return x.json;
    };
    return c;
  }
  const signUp = (who, name) => client({ email: email(who), password: PASSWORD, name });
  // a browser page signed in as client c (its session cookie), opened at hash
  async function pageAs(c, hash) {
    const ctx = await t.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    const u = new URL(t.url());
    await ctx.addCookies([{ name: c.cookie.split('=')[0], value: c.cookie.split('=').slice(1).join('='), domain: u.hostname, path: '/' }]);
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.goto(t.url() + hash);
    return page;
  }
  // at 375 px the page scrolls only inside its tables (no horizontal scroll of the page)
  async function narrow(page, view) {
    await page.setViewportSize({ width: 375, height: 900 });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize({ width: 1280, height: 900 });
    assert(w <= 375, view + ' at 375 px scrolls sideways: ' + w);
  }
  const go = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);
  const text = (page, sel) => page.textContent(sel);

  // an applicant's submitted application of the call (frame mono-r2-tsujo), with an attachment when given
  // the plan of examples/plan.yaml moved three years earlier (base year to 3年後; ものづくり R2 reads 3 to 5 years)
  const PLAN = { years: [
    { year_end: '2020-09-30', sales: '3億円', cost_of_sales: '1億8000万円', labor_cost: '6000万円', depreciation: '1000万円', other_expenses: '2000万円', non_operating: '-200万円', capex: '500万円', total_wages: '5000万円', employees: 25, min_wage: 1060 },
    { year_end: '2021-09-30', sales: '3億1000万円', cost_of_sales: '1億8500万円', labor_cost: '6200万円', depreciation: '1300万円', other_expenses: '2000万円', non_operating: '-200万円', capex: '1500万円', total_wages: '5100万円', employees: 25, min_wage: 1110 },
    { year_end: '2022-09-30', sales: '3億2500万円', cost_of_sales: '1億9000万円', labor_cost: '6400万円', depreciation: '1300万円', other_expenses: '2100万円', non_operating: '-150万円', capex: '300万円', total_wages: '5200万円', employees: 26, min_wage: 1130 },
    { year_end: '2023-09-30', sales: '3億4000万円', cost_of_sales: '1億9500万円', labor_cost: '6600万円', depreciation: '1200万円', other_expenses: '2200万円', non_operating: '-100万円', capex: '300万円', total_wages: '5300万円', employees: 27, min_wage: 1180 }] };
  async function submitted(c, call, company, extra, attach, plan) {
    const co = await c.must('POST', 'companies', { name: company });
    const data = { date: '2021-03-01', applicant: Object.assign({ name: company, legal_form: 'company', industry: 'manufacturing', capital: '1,000万円', employees: 25, prefecture: '埼玉県' }, extra || {}),
      project: { expenses: '1,500万円', low_contact: true, global: false } };
    if (plan) data.plan = plan;
    const a = await c.must('POST', 'applications', { company: co.company.id, call, frames: ['mono-r2-tsujo'], data });
    const id = a.application.id;
    if (attach) {
      const fd = new FormData();
      fd.append('file', new Blob([attach.bytes], { type: 'application/pdf' }), attach.name);
      fd.append('kind', attach.kind);
      await c.must('POST', 'applications/' + id + '/attachments', fd);
    }
    // the 要確認 items, if any, acknowledged with a reason (docs/intake.md); this data leaves none for the 通常枠
    const acks = ((await c.must('GET', 'applications/' + id)).warnings || []).filter((w) => w.type === 'missing' || w.type === 'undetermined')
      .map((w) => ({ frame: w.frame, item: w.item, reason: '試験' }));
    await c.must('POST', 'applications/' + id + '/submit', acks.length ? { acks } : {});
    return id;
  }

  test('review pages: staff set the review and confirm a 加点, reviewers are assigned, a reviewer scores and submits, scores and cut line, an admin commits, applicants read their notices; axe on each page', async () => {
    // --- the people: an administrator (also staff), a staff member, two reviewers, two applicants
    const adminEmail = email('admin');
    await t.staff(adminEmail, PASSWORD); // admin + staff
    const admin = await client({ email: adminEmail, password: PASSWORD }, 'signin');
    const staff = await signUp('staff', '事務局 審査担当');
    await admin.must('PATCH', 'admin/accounts/' + staff.account.id, { roles: ['staff'] });
    const r1 = await signUp('reviewer1', '審査員 一郎');
    const r2 = await signUp('reviewer2', '審査員 二郎');
    await admin.must('PATCH', 'admin/accounts/' + r1.account.id, { roles: ['reviewer'] });
    // reviewer 2 gets the role on the administrator's page (管理者: アカウントの役割), found on its page of 50
    const ap = await pageAs(admin, '#jimu-shinsa');
    await ap.waitForSelector('#jimu-shinsa-body a[href="#yakuwari"]');
    const all = await admin.must('GET', 'admin/accounts?per_page=200');
    const at = all.accounts.findIndex((x) => x.id === r2.account.id);
    assert(at >= 0, 'reviewer 2 is listed');
    await go(ap, '#yakuwari/' + (Math.floor(at / 50) + 1));
    const rf = ap.locator('.roles-form[data-account="' + r2.account.id + '"]');
    await rf.waitFor();
    await axe(ap, '管理者: アカウントの役割');
    await rf.getByLabel('審査員').check();
    await rf.getByLabel('申請者').uncheck();
    await rf.getByRole('button', { name: /の役割を保存$/ }).click();
    await ap.waitForFunction(() => /の役割を保存しました/.test(document.getElementById('status').textContent));
    eq((await admin.must('GET', 'admin/accounts?per_page=200')).accounts.find((x) => x.id === r2.account.id).roles, ['reviewer'], 'reviewer 2 holds the role given on the page');
    const call = (await admin.must('POST', 'calls', { edition: 'mono-r2', title: '審査の試験 ものづくり R2', opens_at: '2020-01-01T00:00:00+09:00', closes_at: '2099-12-31T17:00:00+09:00' })).call.id;
    // A: 採点精機 (no 加点); B: 証拠工業 (holds a 経営革新計画, its 承認書 attached)
    const pa = await signUp('applicant-a', '申請者 A');
    const pb = await signUp('applicant-b', '申請者 B');
    const A = await submitted(pa, call, '採点精機株式会社', null, null, PLAN);
    const B = await submitted(pb, call, '証拠工業株式会社', { certifications: { keiei_kakushin: { approved: '2020-12-01' } } },
      { name: '承認書.pdf', kind: 'kakushin_approval', bytes: Buffer.from('%PDF-1.4 経営革新計画 承認書') });

    // --- staff: 審査の設定 (two reviewers per application, threshold 4, the 通常枠's budget 10,000,000円)
    const sp = await pageAs(staff, '#jimu');
    await sp.waitForSelector('#jimu-body a[href="#jimu-shinsa"]');
    await sp.click('#jimu-body a[href="#jimu-shinsa"]');
    await sp.waitForSelector('#jimu-shinsa-call');
    await sp.selectOption('#jimu-shinsa-call', String(call));
    await sp.waitForSelector('#settings-form #st-per-app');
    eq(await sp.$$eval('#st-weights input', (l) => l.length), 10, 'the ten 審査項目 of ものづくり R2 (rules/monodukuri/r2.yaml), each with its weight');
    await axe(sp, '事務局: 審査の設定');
    await narrow(sp, '事務局: 審査の設定');
    await shot(sp, 'review-settings');
    await sp.fill('#st-per-app', '2');
    await sp.fill('#st-dis', '4');
    const row = sp.locator('#st-frames tr[data-frame="mono-r2-tsujo"]');
    await row.locator('input').first().fill('10000000');
    await sp.click('#settings-form button[type=submit]');
    await sp.waitForFunction(() => /審査の設定を保存しました/.test(document.getElementById('status').textContent));
    const st = (await staff.must('GET', 'calls/' + call + '/review')).settings;
    const v = (x) => (x && typeof x === 'object' && 'value' in x ? x.value : x);
    eq([v(st.reviews_per_app), v(st.disagreement)], [2, 4], 'the settings are stored');
    eq(v((v(st.frames) || []).find((f) => f.frame === 'mono-r2-tsujo').budget), 10000000, 'the budget is stored');

    // --- 加点: B's 経営革新計画 is true for the engine; reject without a reason is stopped, then confirmed
    await go(sp, '#shinsa-katen/' + call);
    const kb = sp.locator('#bonus-table tr[data-app="' + B + '"][data-bonus="kakushin"]');
    await kb.waitFor();
    assert((await kb.locator('.bonus-engine').textContent()).startsWith('該当'), 'the engine finds B\'s 経営革新計画: ' + await kb.locator('.bonus-engine').textContent());
    assert((await kb.textContent()).includes('承認書.pdf'), 'the evidence is linked');
    const ka = await sp.locator('#bonus-table tr[data-app="' + A + '"][data-bonus="kakushin"] .bonus-engine').textContent();
    eq(ka, '要確認（kakushin.held=未入力）', 'A says nothing of a 経営革新計画: 要確認 with the value seen');
    await axe(sp, '事務局: 加点の確認');
    await narrow(sp, '事務局: 加点の確認');
    await kb.getByRole('button', { name: /を却下する$/ }).click();
    await kb.locator('[aria-invalid="true"]').waitFor();
    assert((await kb.textContent()).includes('却下の理由を書いてください。'), 'a rejection needs a reason (checked in the page)');
    await kb.getByRole('button', { name: /を確認する$/ }).click();
    await sp.waitForFunction((b) => { const r = document.querySelector('#bonus-table tr[data-app="' + b + '"][data-bonus="kakushin"] .bonus-state'); return r && r.textContent.startsWith('確認済み'); }, B);
    // filtered by the decision: only B's confirmed 経営革新計画 (2 applications × 5 rules = 10 rows in all)
    eq(await text(sp, '#bonus-count'), '10 件', 'every application × every 加点 rule');
    await sp.selectOption('#bf-decision', 'confirmed');
    await sp.waitForFunction(() => document.getElementById('bonus-count').textContent === '1 件');
    eq(await sp.$$eval('#bonus-table tbody tr', (l) => l.map((x) => x.dataset.app + ':' + x.dataset.bonus)), [B + ':kakushin'], 'the confirmed one');
    await sp.selectOption('#bf-decision', '');
    await shot(sp, 'review-bonuses');

    // --- 割当て: the dry run proposes 2 applications × 2 reviewers = 4 pairs and stores nothing; then committed
    await go(sp, '#shinsa-wariate/' + call);
    await sp.waitForSelector('#assign-dry');
    await sp.waitForSelector('#assign-none');
    await sp.click('#assign-dry');
    await sp.waitForSelector('#assign-preview-table');
    eq(await sp.$$eval('#assign-preview-table tbody tr', (l) => l.length), 4, 'the dry run: 2 × 2 pairs');
    eq(((await staff.must('GET', 'calls/' + call + '/assignments')).assignments || []).length, 0, 'the dry run stored nothing');
    await axe(sp, '事務局: 審査員の割当て (dry run)');
    await sp.click('#assign-commit');
    await sp.waitForSelector('#assign-table');
    eq(await sp.$$eval('#assign-table tbody tr', (l) => l.length), 4, 'four assignments stored');
    await shot(sp, 'review-assignments');

    // --- reviewer 1 on the page: the queue, then A's scoring form beside the application
    const rp = await pageAs(r1, '#shinsa');
    await rp.waitForSelector('#queue-table');
    eq((await rp.$$eval('#queue-table tbody tr', (l) => l.map((x) => x.dataset.app))).sort(), [String(A), String(B)].sort(), 'both applications in the queue');
    await axe(rp, '審査: わたしの担当');
    await rp.click('#queue-table tr[data-app="' + A + '"] a');
    await rp.waitForSelector('#review-form fieldset.criterion');
    eq(await rp.$$eval('#review-form fieldset.criterion', (l) => l.length), 10, 'ten criteria');
    assert((await text(rp, '#rv-facts')).includes('採点精機株式会社'), 'the application beside the form');
    await rp.waitForSelector('.review-explain details[data-frame="mono-r2-tsujo"]');
    // 1,500万円 × 1/2 = 750万円 (seed 004:16; under the 1,000万円 cap)
    assert((await text(rp, '.review-explain details[data-frame="mono-r2-tsujo"] summary')).includes('補助額 7,500,000円'), 'the engine\'s explanation: ' + await text(rp, '.review-explain'));
    // the plan beside the form: 営業利益 = 売上高 − 売上原価 − 人件費 − 減価償却費 − その他経費;
    // base year 3億 − 1億8000万 − 6000万 − 1000万 − 2000万 = 3000万; 1年後 3億1000万 − 1億8500万 − 6200万 − 1300万 − 2000万 = 3000万;
    // 付加価値額 = 営業利益 + 人件費 + 減価償却費 (seed 004:202): 3000万 + 6000万 + 1000万 = 1億; 3000万 + 6200万 + 1300万 = 1億500万
    const planRow = (label) => rp.$$eval('#rv-plan tbody tr', (l, t) => { const r = l.find((x) => x.querySelector('th').textContent === t); return r ? [...r.querySelectorAll('td')].slice(0, 2).map((x) => x.textContent) : null; }, label);
    await rp.waitForSelector('#rv-plan');
    eq(await planRow('②営業利益'), ['30,000,000', '30,000,000'], 'the plan table: 営業利益 of the base year and 1年後');
    eq(await planRow('付加価値額'), ['100,000,000', '105,000,000'], 'the plan table: 付加価値額');
    // the plan's requirement of the 通常枠: 付加価値額 年率+3%以上 — 2年後 3億2500万 − 1億9000万 − 6400万 − 1300万 − 2100万 = 3700万,
    // + 6400万 + 1300万 = 1億1400万; 3年後 3億4000万 − 1億9500万 − 6600万 − 1200万 − 2200万 = 4500万, + 6600万 + 1200万 = 1億2300万;
    // growth from 1億: 5 %, 6.8 % a year over 2, 7.1 % a year over 3 — each ≥ 3 %: ○ ○ ○
    const va = rp.locator('.rv-plan-req[data-frame="mono-r2-tsujo"] li', { hasText: '付加価値額 年率+3%以上' });
    assert((await va.textContent()).startsWith('○ '), 'the requirement is met: ' + await va.textContent());
    assert((await va.textContent()).includes('1年後 ○　2年後 ○　3年後 ○'), 'in each year: ' + await va.textContent());
    assert((await va.textContent()).includes('2年後 114,000,000円、3年後 123,000,000円'), 'with the values: ' + await va.textContent());
    // a score outside 0..5 is refused in the page and tied to its field
    const crit = await rp.$$eval('#review-form fieldset.criterion', (l) => l.map((x) => x.dataset.criterion));
    await rp.fill('#rv-score-' + crit[0], '7');
    await rp.click('#rv-save');
    await rp.waitForSelector('#rv-score-' + crit[0] + '[aria-invalid="true"]');
    eq(await rp.evaluate(() => document.activeElement.id), 'rv-score-' + crit[0], 'the focus on the score refused');
    assert((await text(rp, '#review-form')).includes('0〜5 の整数で入れてください。'), 'out of the scale');
    // A by reviewer 1: 5+4+4+3+5+4+3+4+5+4 = 41
    const S1 = [5, 4, 4, 3, 5, 4, 3, 4, 5, 4];
    for (let i = 0; i < crit.length; i++) await rp.fill('#rv-score-' + crit[i], String(S1[i]));
    await rp.fill('#rv-comment-' + crit[0], '開発の革新性は高い。');
    await rp.fill('#rv-comment-' + crit[5], '市場の規模の把握が具体的である。');
    // typed and reloaded before any save: kept in this browser, then saved
    await rp.fill('#rv-score-' + crit[9], '4');
    await rp.reload();
    await rp.waitForSelector('#review-form fieldset.criterion');
    eq(await rp.inputValue('#rv-score-' + crit[0]), '5', 'the scores typed before the reload are still there');
    await rp.waitForFunction(() => document.getElementById('rv-state').dataset.state === 'saved' && /保存済み/.test(document.getElementById('rv-state').textContent), null, { timeout: 15000 });
    await axe(rp, '審査: 採点');
    await narrow(rp, '審査: 採点');
    await shot(rp, 'review-scoring');
    rp.once('dialog', (d) => d.accept());
    await rp.click('#rv-submit');
    await rp.waitForFunction(() => /提出済み/.test(document.getElementById('rv-state').textContent));
    const mine = (await r1.must('GET', 'reviewer/applications/' + A)).review;
    eq(mine.state, 'submitted', 'submitted on the server');
    eq(crit.map((c) => Number(mine.scores[c])), S1, 'the scores typed are the server\'s');
    eq(mine.comments[crit[0]], '開発の革新性は高い。', 'the comment too');
    // a change after submission: refused in the page without a reason, then a new version with it (the scores unchanged)
    await rp.fill('#rv-comment-' + crit[1], '目標の考え方は明確。');
    await rp.click('#rv-submit');
    await rp.locator('#rv-reason[aria-invalid="true"]').waitFor();
    eq(await rp.evaluate(() => document.activeElement.id), 'rv-reason', 'the focus on the reason asked for');
    await rp.fill('#rv-reason', '講評を補った');
    await rp.click('#rv-submit');
    await rp.waitForFunction((v) => document.getElementById('rv-state').textContent === '提出済み（版 ' + (v + 1) + '）', mine.version);
    await rp.locator('#rv-versions summary').click();
    await rp.waitForSelector('#rv-version-list li[data-version="' + (mine.version + 1) + '"]');
    assert((await text(rp, '#rv-version-list li[data-version="' + (mine.version + 1) + '"]')).includes('理由: 講評を補った'), 'the new version with its reason');
    const vs = (await r1.must('GET', 'reviews/' + mine.assignment + '/versions')).versions;
    eq([vs.length, vs[vs.length - 1].reason, vs[vs.length - 1].comments[crit[1]]], [mine.version + 1, '講評を補った', '目標の考え方は明確。'], 'every version kept, the last with its reason');
    eq(rp.errors, [], 'no script errors (reviewer)');

    // the other reviews through the API (If-Match "0": none yet)
    const asg = (c, app) => c.must('GET', 'reviewer/applications/' + app).then((j) => (j.assignment && j.assignment.id) || j.assignment);
    const put = async (c, app, s, comment) => {
      const scores = {};
      crit.forEach((k, i) => { scores[k] = s[i]; });
      await c.must('PUT', 'reviews/' + await asg(c, app), { scores, comments: { [crit[0]]: comment }, submit: true }, { 'If-Match': '"0"' });
    };
    await put(r1, B, [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], '計画の具体性に欠ける。'); // 30
    await put(r2, A, [4, 3, 4, 3, 4, 3, 3, 4, 4, 4], '妥当。'); // 36
    await put(r2, B, [4, 3, 3, 3, 3, 3, 3, 3, 3, 4], '課題の設定があいまい。'); // 32

    // --- scores: A (41, 36): mean = median = 77/2 = 38.5, spread 41 − 36 = 5 > 4 → flagged;
    //             B (30, 32): mean = median = 31, spread 2, bonus 1 (confirmed)
    await go(sp, '#shinsa-ten/' + call);
    await sp.waitForSelector('#scores-table');
    const rowA = sp.locator('#scores-table tr[data-app="' + A + '"]');
    const rowB = sp.locator('#scores-table tr[data-app="' + B + '"]');
    eq([await rowA.locator('.score-mean').textContent(), await rowA.locator('.score-median').textContent(), await rowA.locator('.score-spread').textContent()], ['38.5', '38.5', '5'], 'A: mean, median, spread');
    assert((await rowA.locator('.score-flag').textContent()).startsWith('要注意'), 'A is flagged (5 > 4)');
    eq([await rowB.locator('.score-mean').textContent(), await rowB.locator('.score-spread').textContent(), await rowB.locator('.score-flag').textContent()], ['31', '2', '—'], 'B: mean, spread, not flagged');
    await sp.check('#scores-flagged');
    await sp.waitForFunction(() => document.getElementById('scores-count').textContent === '1 件');
    eq(await sp.$$eval('#scores-table tbody tr', (l) => l.map((x) => x.dataset.app)), [String(A)], 'only A when the flagged ones are asked for');
    await sp.uncheck('#scores-flagged');
    await sp.waitForSelector('#ranking-table-mono-r2-tsujo');
    // ranked by total: A 77/2 = 38.5; B 31 + 1 = 32
    eq(await sp.$$eval('#ranking-table-mono-r2-tsujo tbody tr[data-app]', (l) => l.map((x) => [x.dataset.app, x.querySelector('.rank-score').textContent])),
      [[String(A), '38.5'], [String(B), '32']], 'the ranking of the 通常枠');
    await axe(sp, '事務局: 点数と順位');
    await narrow(sp, '事務局: 点数と順位');
    await shot(sp, 'review-scores');

    // --- selection: the preview (staff; nothing stored) with its cut line; budget 10,000,000円:
    //     A adopted (7,500,000円), left 2,500,000円 < B's 7,500,000円 → B rejected, the frame stops at the budget
    await go(sp, '#shinsa-saitaku/' + call);
    await sp.waitForSelector('#sel-dry');
    await sp.click('#sel-dry');
    await sp.waitForSelector('#preview-cut-mono-r2-tsujo');
    const cut = async (page, pfx) => page.$eval('#' + pfx + '-cut-mono-r2-tsujo', (d) => ['cut-last', 'cut-first', 'cut-used', 'cut-left'].map((c) => d.querySelector('.' + c).textContent));
    eq(await cut(sp, 'preview'), ['38.5', '32', '7,500,000円', '2,500,000円'], 'the cut line of the 通常枠 (last adopted, first rejected, used, left)');
    eq(await sp.$$eval('#preview-table-mono-r2-tsujo tbody tr[data-app]', (l) => l.map((x) => [x.dataset.app, x.querySelector('.rank-outcome').textContent])),
      [[String(A), '採択'], [String(B), '不採択']], 'A adopted, B rejected');
    assert(await sp.$('#preview-table-mono-r2-tsujo tr.cut-line'), 'the cut line is drawn between them');
    assert(await sp.$('#sel-admin-only') && !(await sp.$('#sel-commit')), 'staff may not commit: said, no button');
    eq(((await staff.must('GET', 'calls/' + call + '/selections')).selections || []).length, 0, 'the preview stored nothing');
    await axe(sp, '事務局: 採択の試算');
    await narrow(sp, '事務局: 採択の試算');
    await shot(sp, 'review-selection');
    eq(sp.errors, [], 'no script errors (staff)');

    // --- the administrator commits (after a confirmation) and releases the notices with B's chosen feedback
    await go(ap, '#shinsa-saitaku/' + call);
    await ap.waitForSelector('#sel-dry');
    await ap.click('#sel-dry');
    await ap.waitForSelector('#sel-commit');
    let asked = '';
    ap.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await ap.click('#sel-commit');
    await ap.waitForSelector('.notices-form');
    assert(asked.includes('採択を確定します'), 'a confirmation before the commit');
    eq(((await admin.must('GET', 'calls/' + call + '/selections')).selections || []).length, 1, 'one selection stored');
    const sid = await ap.$eval('.notices-form', (f) => f.id.replace('notices-', ''));
    eq(await cut(ap, 'sel-' + sid), ['38.5', '32', '7,500,000円', '2,500,000円'], 'the committed selection has the preview\'s cut line');
    // B's reviews' comments are offered (R1: 計画の具体性に欠ける。, R2: 課題の設定があいまい。); one is chosen, and a text
    const fb = ap.locator('.notices-form details[data-app="' + B + '"]');
    await fb.locator('summary').click();
    await fb.locator('label', { hasText: '課題の設定があいまい。' }).waitFor();
    await fb.locator('label', { hasText: '計画の具体性に欠ける。' }).locator('input').check();
    await fb.locator('textarea').fill('事業化の見通しをより具体的に示してください。');
    eq(await ap.$$eval('.notices-form details[data-app="' + A + '"]', (l) => l.length), 0, 'no feedback is offered for the adopted A');
    await axe(ap, '事務局: 採択の確定と通知');
    await narrow(ap, '事務局: 採択の確定と通知');
    await shot(ap, 'review-notices');
    ap.once('dialog', (d) => d.accept());
    await ap.click('.notices-form button[type=submit]');
    await ap.waitForSelector('.notices-done');
    eq(await text(ap, '.notices-done'), '通知を出しました（新たに 2 件）。', 'both notices released');
    eq(ap.errors, [], 'no script errors (admin)');

    // --- the applicants read their notices
    const pbp = await pageAs(pb, '#app/' + B);
    await pbp.waitForSelector('#app-notice');
    assert((await text(pbp, '#app-notice .notice-outcome')).startsWith('不採択'), 'B: 不採択');
    eq(await pbp.$$eval('#app-notice .notice-feedback li', (l) => l.map((x) => x.textContent)), ['事業化の見通しをより具体的に示してください。', '計画の具体性に欠ける。'],
      'B reads the text and the one comment chosen, not the other');
    await axe(pbp, '申請の概要 with a notice');
    await go(pbp, '#tsuchi');
    await pbp.waitForSelector('#tsuchi-list .notice-card[data-app="' + B + '"]');
    await axe(pbp, '通知');
    await shot(pbp, 'review-notice');
    const pap = await pageAs(pa, '#tsuchi');
    await pap.waitForSelector('#tsuchi-list .notice-card');
    const card = pap.locator('.notice-card[data-app="' + A + '"]');
    assert((await card.locator('.notice-outcome').textContent()).startsWith('採択'), 'A: 採択');
    eq(await card.locator('.notice-amount').textContent(), '7,500,000円', 'A: the amount (1,500万円 × 1/2)');
    assert((await card.locator('.notice-frame').textContent()).includes('通常枠'), 'A: the frame');
    eq([pbp.errors, pap.errors], [[], []], 'no script errors (applicants)');
    for (const p of [sp, rp, ap, pbp, pap]) await p.context().close();
  });

  test('review pages: assigned by hand and deleted; a reviewer declares a conflict and the application leaves the queue; a detected conflict dismissed with a reason, a declared one not dismissible; axe', async () => {
    const adminEmail = email('admin2');
    await t.staff(adminEmail, PASSWORD);
    const admin = await client({ email: adminEmail, password: PASSWORD }, 'signin');
    const r = await signUp('reviewer3', '審査員 三郎');
    const r4 = await signUp('reviewer4', '審査員 四郎');
    for (const x of [r, r4]) await admin.must('PATCH', 'admin/accounts/' + x.account.id, { roles: ['reviewer'] });
    const call = (await admin.must('POST', 'calls', { edition: 'mono-r2', title: '利益相反の試験', opens_at: '2020-01-01T00:00:00+09:00', closes_at: '2099-12-31T17:00:00+09:00' })).call.id;
    const pa = await signUp('applicant-c', '申請者 C');
    const C = await submitted(pa, call, '相反工業株式会社');
    // by hand on the page (the administrator sees the reviewers by name): reviewers 3 and 4 on C; 4's then deleted
    const ap = await pageAs(admin, '#shinsa-wariate/' + call);
    await ap.waitForSelector('#assign-manual #am-rev option', { state: 'attached' });
    for (const x of [r, r4]) {
      await ap.selectOption('#am-app', String(C));
      await ap.selectOption('#am-rev', String(x.account.id));
      await ap.click('#assign-manual button[type=submit]');
      await ap.waitForFunction((n) => document.querySelectorAll('#assign-table tbody tr').length === n, x === r ? 1 : 2);
    }
    await axe(ap, '事務局: 審査員の割当て (by hand)');
    ap.once('dialog', (d) => d.accept());
    await ap.getByRole('button', { name: '相反工業株式会社（申請 ' + C + '） の ' + r4.account.email + ' の割当てを削除' }).click();
    await ap.waitForFunction(() => document.querySelectorAll('#assign-table tbody tr').length === 1);
    eq((await admin.must('GET', 'calls/' + call + '/assignments')).assignments.map((x) => x.reviewer), [r.account.id], 'only reviewer 3 stays assigned');
    // reviewer 3 declares a conflict on the scoring page
    const rp = await pageAs(r, '#shinsa/' + C);
    await rp.waitForSelector('#rv-cf-form');
    await rp.click('#rv-cf-form button[type=submit]');
    await rp.locator('#rv-cf-note[aria-invalid="true"]').waitFor();
    await rp.fill('#rv-cf-note', '申請企業の役員が親族です。');
    await rp.selectOption('#rv-cf-type', 'relationship');
    rp.once('dialog', (d) => d.accept());
    await rp.click('#rv-cf-form button[type=submit]');
    await rp.waitForSelector('#queue-none, #queue-table');
    assert(!(await rp.$('#queue-table tr[data-app="' + C + '"]')), 'the application left the queue');
    await go(rp, '#shinsa/' + C);
    await rp.waitForSelector('#shinsa-error');
    // reviewer 4 declares a relationship with C's company (API): hojo detects it on C, which may be dismissed
    const company = (await pa.must('GET', 'applications/' + C)).application.company;
    await r4.must('POST', 'reviewer/conflicts', { company, type: 'relationship', note: '以前の取引先' });
    await go(ap, '#shinsa-rieki/' + call);
    await ap.waitForSelector('#conflict-table');
    const row = ap.locator('#conflict-table tbody tr', { has: ap.locator('.conflict-origin', { hasText: '申し出（解除できません）' }), hasText: r.account.email });
    eq(await row.count(), 1, 'reviewer 3\'s conflict is listed as declared');
    assert((await row.textContent()).includes('申請企業の役員が親族です。'), 'with its note');
    eq(await row.locator('button').count(), 0, 'no dismiss button on a declared conflict');
    const det = ap.locator('#conflict-table tbody tr', { has: ap.locator('.conflict-origin', { hasText: '検出' }), hasText: r4.account.email });
    eq(await det.count(), 1, 'reviewer 4\'s relationship detected on C');
    await axe(ap, '事務局: 利益相反');
    await shot(ap, 'review-conflicts');
    await det.getByRole('button', { name: r4.account.email + ' の利益相反を解除する' }).click();
    await det.locator('[aria-invalid="true"]').waitFor();
    assert((await det.textContent()).includes('解除の理由を書いてください。'), 'a dismissal needs a reason (checked in the page)');
    await det.locator('input').fill('取引は5年以上前に終了');
    await det.getByRole('button', { name: r4.account.email + ' の利益相反を解除する' }).click();
    await ap.waitForFunction(() => /利益相反を解除しました/.test(document.getElementById('status').textContent));
    const after = ap.locator('#conflict-table tbody tr', { has: ap.locator('.conflict-origin', { hasText: '検出' }), hasText: r4.account.email });
    assert((await after.textContent()).includes('解除済み（取引は5年以上前に終了）'), 'dismissed with its reason: ' + await after.textContent());
    eq([rp.errors, ap.errors], [[], []], 'no script errors');
    for (const p of [rp, ap]) await p.context().close();
  });
  // a queue longer than one page: 21 applications assigned to one reviewer one at a time (the
  // queue is newest assignment first), 20 a page: ceil(21 / 20) = 2 pages, page 1 "21件中 1–20件"
  // (the 21st assigned down to the 2nd), page 2 "21件中 21–21件" (the 1st assigned)
  test('review pages: a reviewer pages through a queue of 21 (20 a page, 前へ / 次へ, "21件中 21–21件"; the page kept when coming back from scoring; by keyboard, the focus kept on the pager); axe', async () => {
    const adminEmail = email('admin-pages');
    await t.staff(adminEmail, PASSWORD);
    const admin = await client({ email: adminEmail, password: PASSWORD }, 'signin');
    const r = await signUp('reviewer-pages', '審査員 頁');
    await admin.must('PATCH', 'admin/accounts/' + r.account.id, { roles: ['reviewer'] });
    const call = (await admin.must('POST', 'calls', { edition: 'mono-r2', title: 'ページ送りの試験', opens_at: '2020-01-01T00:00:00+09:00', closes_at: '2099-12-31T17:00:00+09:00' })).call.id;
    const pa = await signUp('applicant-pages', '申請者 頁');
    const apps = []; // in the order assigned
    for (let i = 1; i <= 21; i++) {
      const id = await submitted(pa, call, '頁送り工業' + i + '株式会社');
      await admin.must('POST', 'calls/' + call + '/assignments', { mode: 'manual', pairs: [{ application: id, reviewer: r.account.id }] });
      apps.push(id);
    }
    const newest = apps.slice().reverse();
    const rows = (page) => page.$$eval('#queue-table tbody tr', (l) => l.map((x) => Number(x.dataset.app)));
    const range = (page) => page.textContent('#queue-pager .page-range');
    const at = (page, text) => page.waitForFunction((x) => ((document.querySelector('#queue-pager .page-range') || {}).textContent || '').startsWith(x), text);

    const rp = await pageAs(r, '#shinsa');
    await rp.waitForSelector('#queue-pager');
    eq(await range(rp), '21件中 1–20件（1 / 2 ページ）', 'page 1 of 2');
    eq(await text(rp, '#queue-table caption'), '担当する申請（全 21 件）', 'the caption counts all 21');
    eq(await rows(rp), newest.slice(0, 20), 'page 1: the 21st assigned down to the 2nd');
    assert(await rp.isDisabled('#queue-pager [data-pager="prev"]'), '前へ is disabled on page 1');
    await rp.click('#queue-pager [data-pager="next"]');
    await at(rp, '21件中 21–21件');
    eq(await rows(rp), [apps[0]], 'page 2: the 1st assigned');
    assert(await rp.isDisabled('#queue-pager [data-pager="next"]'), '次へ is disabled on the last page');
    await axe(rp, '審査: わたしの担当 (page 2 of 2)');
    await narrow(rp, '審査: わたしの担当 (page 2 of 2)');
    // to the application and back: still page 2
    await rp.click('#queue-table tr[data-app="' + apps[0] + '"] th a');
    await rp.waitForSelector('#review-form');
    await rp.click('#shinsa-body a[href="#shinsa"]');
    await at(rp, '21件中 21–21件');
    // by keyboard: Enter on 前へ; on page 1 前へ is disabled, so the focus moves to 次へ
    await rp.focus('#queue-pager [data-pager="prev"]');
    await rp.keyboard.press('Enter');
    await at(rp, '21件中 1–20件');
    eq(await rows(rp), newest.slice(0, 20), 'back on page 1');
    await rp.waitForFunction(() => document.activeElement && document.activeElement.dataset.pager === 'next');
    await rp.keyboard.press('Enter');
    await at(rp, '21件中 21–21件');
    await rp.waitForFunction(() => document.activeElement && document.activeElement.dataset.pager === 'prev');
    eq(rp.errors, [], 'no script errors');
    await rp.context().close();
  });
  test('review pages: a reviewer scores by keyboard alone (score, comment, next criterion in tab order; submitted with Enter), the focus ring visible', async () => {
    const adminEmail = email('admin3');
    await t.staff(adminEmail, PASSWORD);
    const admin = await client({ email: adminEmail, password: PASSWORD }, 'signin');
    const r = await signUp('reviewer5', '審査員 五郎');
    await admin.must('PATCH', 'admin/accounts/' + r.account.id, { roles: ['reviewer'] });
    const call = (await admin.must('POST', 'calls', { edition: 'mono-r2', title: 'キーボードの試験', opens_at: '2020-01-01T00:00:00+09:00', closes_at: '2099-12-31T17:00:00+09:00' })).call.id;
    const pa = await signUp('applicant-k', '申請者 K');
    const K = await submitted(pa, call, '鍵盤工業株式会社');
    await admin.must('POST', 'calls/' + call + '/assignments', { mode: 'manual', pairs: [{ application: K, reviewer: r.account.id }] });
    const rp = await pageAs(r, '#shinsa');
    await rp.waitForSelector('#queue-table');
    // from the queue's link by Tab and Enter
    await rp.focus('#queue-table tr[data-app="' + K + '"] a');
    await rp.keyboard.press('Enter');
    await rp.waitForSelector('#review-form fieldset.criterion');
    const crit = await rp.$$eval('#review-form fieldset.criterion', (l) => l.map((x) => x.dataset.criterion));
    await rp.focus('#rv-score-' + crit[0]);
    const S = [1, 2, 3, 4, 5, 0, 1, 2, 3, 4]; // 25
    for (let i = 0; i < crit.length; i++) {
      eq(await rp.evaluate(() => document.activeElement.id), 'rv-score-' + crit[i], 'the score of criterion ' + (i + 1) + ' has the focus');
      await rp.keyboard.type(String(S[i]));
      await rp.keyboard.press('Tab');
      eq(await rp.evaluate(() => document.activeElement.id), 'rv-comment-' + crit[i], 'then its comment');
      if (i === 0) {
        const ring = await rp.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        assert(ring !== 'none', 'the focus ring is drawn: ' + ring);
        await rp.keyboard.type('キーボードで採点。');
      }
      await rp.keyboard.press('Tab');
    }
    eq(await rp.evaluate(() => document.activeElement.id), 'rv-save', 'after the last comment: 下書きを保存');
    await rp.keyboard.press('Tab');
    eq(await rp.evaluate(() => document.activeElement.id), 'rv-submit', 'then 提出する');
    rp.once('dialog', (d) => d.accept());
    await rp.keyboard.press('Enter');
    await rp.waitForFunction(() => /^提出済み/.test(document.getElementById('rv-state').textContent));
    const rv = (await r.must('GET', 'reviewer/applications/' + K)).review;
    eq([rv.state, crit.map((c) => rv.scores[c]), rv.comments[crit[0]]], ['submitted', S, 'キーボードで採点。'], 'submitted with the scores typed');
    eq(rp.errors, [], 'no script errors');
    await rp.context().close();
  });
};
