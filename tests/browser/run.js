// Browser tests of the page (web/): playwright-core driving Debian's
// chromium (never a downloaded browser) and axe-core. Three personas from
// questionnaire to result to report, the same answer as the CLI, a reload
// in the middle, the keyboard alone, axe on every view, screenshots at
// 1280 and 375 px under build/screenshots/. Last line "N passed, N failed".
//   node tests/browser/run.js        (from the repository root)
// The server: the real one, build/hojo serve (or $HOJO serve), started on
// a free loopback port with --web web/.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '..', '..');
const hojo = process.env.HOJO ? path.resolve(process.env.HOJO) : path.join(root, 'build', 'hojo');
const shots = path.join(root, 'build', 'screenshots');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
fs.mkdirSync(shots, { recursive: true });

let passed = 0;
let failed = 0;
const tests = [];
function test(name, fn) { tests.push({ name, fn }); }
function assert(cond, msg) { if (!cond) throw new Error(msg); }
function eq(a, b, msg) {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x !== y) throw new Error(msg + '\n  got:      ' + x + '\n  expected: ' + y);
}

function cli(args) {
  return JSON.parse(execFileSync(hojo, args, { encoding: 'utf8', maxBuffer: 64 << 20 }));
}
function cliOnInput(input, args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hojo-browser-'));
  const f = path.join(dir, 'case.json');
  fs.writeFileSync(f, JSON.stringify(input));
  try { return cli([args[0], ...args.slice(1).map((a) => (a === 'FILE' ? f : a))]); } finally { fs.rmSync(dir, { recursive: true }); }
}

// --- server: hojo serve
function freePort() {
  return new Promise((resolve) => {
    const srv = require('net').createServer();
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
  });
}
// the store and the mail spool of the tests' server (a directory of its own, removed at the end)
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hojo-browser-'));
const db = 'sqlite:' + path.join(work, 'web.db');
const mailDir = path.join(work, 'mail');
fs.mkdirSync(mailDir);
// start the server on PORT; stop() resolves when it has exited
async function startServer(port) {
  const url = 'http://127.0.0.1:' + port + '/';
  const p = spawn(hojo, ['serve', '--listen', '127.0.0.1:' + port, '--web', path.join(root, 'web'), '--db', db], {
    stdio: ['ignore', 'ignore', fs.openSync(path.join(root, 'build', 'browser-server.log'), 'a')],
    env: Object.assign({}, process.env, { HOJO_MAIL_DIR: mailDir, HOJO_PUBLIC_URL: url.replace(/\/$/, '') }) });
  const exited = new Promise((r) => p.on('exit', r));
  for (let i = 0; i < 200; i++) {
    try { const r = await fetch(url + 'healthz'); if (r.ok) return { url, kind: 'hojo serve', stop: () => { p.kill('SIGTERM'); return exited; } }; } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  p.kill('SIGTERM');
  throw new Error('hojo serve did not answer /healthz on ' + url);
}

// --- page helpers
async function fillStep1(page, a) {
  await page.getByLabel('申請者の名前（表示用）', { exact: true }).fill(a.name);
  await page.getByLabel('申請日 YYYY-MM-DD（入力の最上位）', { exact: true }).fill(a.date);
  await page.getByLabel('法人形態', { exact: true }).selectOption(a.legal_form);
  await page.getByLabel('業種（主たる業種）', { exact: true }).selectOption(a.industry);
  await page.getByLabel('資本金（出資の総額）', { exact: true }).fill(a.capital);
  await page.getByLabel('常時使用する従業員数', { exact: true }).fill(String(a.employees));
  await page.getByLabel('都道府県（補助事業の実施場所）', { exact: true }).selectOption({ label: a.prefecture });
}
async function next(page) {
  const before = await page.locator('#q-fields h2').textContent();
  await page.click('#q-next');
  await page.waitForFunction((b) => { const h = document.querySelector('#q-fields h2'); return h && h.textContent !== b; }, before);
}
// the frames and verdicts the results view shows
async function shownResults(page) {
  await page.waitForSelector('#results details[data-frame]');
  return page.$$eval('#results details[data-frame]', (ds) => ds.map((d) => ({
    frame: d.dataset.frame, verdict: d.querySelector('.verdict').textContent,
    amount: d.querySelector('.amount').textContent })));
}
const VERDICT = { eligible: '対象', ineligible: '対象外', undetermined: '要確認' };
function expected(check) {
  return check.results.map((r) => ({ frame: r.frame, verdict: VERDICT[r.verdict],
    amount: r.verdict === 'eligible' ? '補助額 ' + r.subsidy_yen.toLocaleString('ja-JP') + '円'
      : r.computed_subsidy_yen != null ? '（条件が整えば ' + r.computed_subsidy_yen.toLocaleString('ja-JP') + '円）' : '' }));
}
async function stored(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('hojo.case.v1')));
}
async function axe(page, view) {
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(bad.length === 0, 'axe (' + view + '): ' + bad.map((v) => v.id + ' ' + v.help + ' ' + v.nodes.map((n) => n.target.join(' ')).join(', ')).join('; '));
}
async function shot(page, name) {
  for (const w of [1280, 375]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.screenshot({ path: path.join(shots, name + '-' + w + '.png'), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

const restaurant = { name: 'テスト食堂有限会社', date: '2024-03-15', legal_form: 'company', industry: 'service',
  capital: '300万円', employees: 4, prefecture: '東京都' };

// a staff account (email, password) for the office journeys
// (hojo admin create-admin on the server's store, then the admin gives itself the staff role)
async function makeStaff(url, email, password) {
  execFileSync(hojo, ['admin', 'create-admin', email, '--name', '事務局 試験', '--db', db], { env: Object.assign({}, process.env, { HOJO_ADMIN_PASSWORD: password }), stdio: 'ignore' });
  const r = await fetch(url + 'api/v1/auth/signin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const j = await r.json();
  if (r.status !== 200) throw new Error('admin sign-in: ' + JSON.stringify(j));
  const p = await fetch(url + 'api/v1/admin/accounts/' + j.account.id, { method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': j.csrf, Cookie: r.headers.get('set-cookie').split(';')[0] },
    body: JSON.stringify({ roles: ['admin', 'staff'] }) });
  if (p.status !== 200) throw new Error('staff role: ' + p.status + ' ' + await p.text());
  return { cookie: r.headers.get('set-cookie').split(';')[0], csrf: j.csrf };
}

async function main() {
  const port = await freePort();
  let server = await startServer(port);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'] });
  console.log('server: ' + server.kind);
  const newPage = async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.errors = errors;
    await page.goto(server.url);
    await page.waitForSelector('#q-fields select');
    return page;
  };

  test('persona 1 (restaurant): questionnaire, reload in the middle, closed tab and server restart keep every answer, result = CLI, report', async () => {
    let page = await newPage();
    await fillStep1(page, restaurant);
    await page.reload();
    await page.waitForSelector('#q-fields select');
    eq(await page.getByLabel('資本金（出資の総額）', { exact: true }).inputValue(), '300万円', 'capital after reload');
    eq(await page.getByLabel('業種（主たる業種）', { exact: true }).inputValue(), 'service', 'industry after reload');
    eq(await page.getByLabel('申請者の名前（表示用）', { exact: true }).inputValue(), restaurant.name, 'name after reload');
    // the industry list says where the sources leave a name open (飲食店: 小売業 or サービス業, seed 001:692, 918-919)
    await page.locator('[data-fact="industry"] summary').click();
    assert((await page.textContent('[data-fact="industry"] details')).includes('飲食店'), 'the 飲食店 ambiguity is shown');
    await shot(page, 'shindan');
    await next(page); // 事業について
    await page.getByLabel('補助対象経費（税抜）', { exact: true }).fill('200万円');
    await next(page);
    // the first dynamic question is the fact missing in most undetermined frames
    const s = await stored(page);
    const ck = cliOnInput(s.input, ['check', 'FILE', '--json']);
    const count = new Map();
    ck.results.filter((r) => r.verdict === 'undetermined').forEach((r) => r.missing_facts.forEach((m) => count.set(m.fact, (count.get(m.fact) || 0) + 1)));
    const top = Math.max(...count.values());
    assert(count.get(s.asked[0].fact) === top, 'asked ' + s.asked[0].fact + ' (' + count.get(s.asked[0].fact) + ' frames), the most is ' + top);
    // answer 「分からない」 to it, then はい/the first choice to the next
    await page.locator('#q-fields').getByLabel('分からない', { exact: true }).first().check();
    await next(page);
    const s2 = await stored(page);
    assert(s2.unknown.includes(s.asked[0].fact), '分からない is kept as an answer');
    assert(s2.asked[1] && s2.asked[1].fact !== s.asked[0].fact, 'the next question is another fact');
    await page.reload();
    await page.waitForSelector('#q-fields h2');
    eq((await stored(page)).asked.length, 2, 'questions asked after reload');
    // a closed tab and a restarted server lose nothing
    const before = await stored(page);
    const ctx = page.context();
    await page.close();
    await server.stop();
    server = await startServer(port);
    const again = await ctx.newPage();
    again.errors = [];
    again.on('pageerror', (e) => again.errors.push(String(e)));
    await again.goto(server.url);
    await again.waitForSelector('#q-fields h2');
    eq(await stored(again), before, 'the case after closing the tab and restarting the server');
    page = again;
    await page.click('#q-result');
    const shown = await shownResults(page);
    eq(shown, expected(cliOnInput((await stored(page)).input, ['check', 'FILE', '--json'])), 'results = hojo check');
    assert((await page.locator('#results').textContent()).includes('受付終了'), 'closed frames listed with 受付終了');
    // a frame's computation and conditions with sources
    await page.locator('#results details[data-frame] summary').first().click();
    await page.waitForSelector('#results details[open] .explain h3');
    await page.locator('#results details[open] .explain button.link').first().click();
    // the cited lines when the server has the seed texts, else the document's name
    await page.waitForFunction(() => document.querySelector('#source-body p'));
    const cite = (await page.textContent('#source-title')).replace(/^出典 /, '');
    const title = await page.textContent('#source-body p');
    assert(title.length > 0 && ck.documents[cite.replace(/:.*$/, '')] && title === ck.documents[cite.replace(/:.*$/, '')].title,
      'the source viewer names the document of ' + cite + ': ' + title);
    await page.keyboard.press('Escape');
    await shot(page, 'kekka');
    await go(page, '#report');
    await page.waitForSelector('#report-version');
    const rep = await page.locator('#report-body').textContent();
    assert(rep.includes(restaurant.name), 'report names the company');
    assert(rep.includes(ck.rulebook.hash), 'report names the rulebook hash');
    assert(rep.includes('生産性革命推進事業のご案内'), 'report lists sources by document name');
    // the report's coverage notice = hojo check --json coverage on 2024-03-15, named as hojo check names them
    // (持続化補助金 R5補正 closed on 2024-03-14, rules/jizokuka/r5.yaml; 事業承継補助金 R5補正 opens 2024-04-01, rules/shokei/r5.yaml)
    eq(await page.$$eval('#report-coverage li', (l) => l.map((x) => x.dataset.coverage)), ck.coverage.map((c) => c.program), 'report: the programs not covered, as hojo check --json coverage');
    eq(await page.textContent('#report-coverage li[data-coverage="jizokuka"]'), '持続化補助金（R5補正 は 2024-03-14 まで）', 'report: the program and edition by short name, as hojo check');
    eq(await page.textContent('#report-coverage li[data-coverage="shokei"]'), '事業承継補助金（R5補正 は 2024-04-01 から）', 'report: the next edition by short name, as hojo check');
    await shot(page, 'report');
    await page.emulateMedia({ media: 'print' });
    assert(!(await page.locator('header.site').isVisible()), 'print stylesheet hides the navigation');
    await page.emulateMedia({ media: 'screen' });
    eq(page.errors, [], 'no script errors');
  });

  test('persona 2 (parts maker with a plan): derived rows as typed, fix per requirement, Excel, expenses refused with reasons', async () => {
    const page = await newPage();
    // hand-typed from examples/plan.yaml: base year and year 1
    const rows = { year_end: ['2023-09-30', '2024-09-30', '2025-09-30', '2026-09-30'], sales: ['3億円', '3億1000万円', '3億2500万円', '3億4000万円'],
      cost_of_sales: ['1億8000万円', '1億8500万円', '1億9000万円', '1億9500万円'], labor_cost: ['6000万円', '6200万円', '6400万円', '6600万円'],
      depreciation: ['1000万円', '1300万円', '1300万円', '1200万円'], other_expenses: ['2000万円', '2000万円', '2100万円', '2200万円'],
      non_operating: ['-200万円', '-200万円', '-150万円', '-100万円'], capex: ['500万円', '1500万円', '300万円', '300万円'],
      total_wages: ['5000万円', '5100万円', '5200万円', '5300万円'], employees: ['25', '25', '26', '27'], min_wage: ['1060', '1110', '1130', '1180'] };
    await fillStep1(page, { name: '株式会社サンプル精機', date: '2024-03-15', legal_form: 'company', industry: 'manufacturing',
      capital: '1,000万円', employees: 25, prefecture: '埼玉県' });
    await next(page);
    await page.getByLabel('補助対象経費（税抜）', { exact: true }).fill('1,500万円');
    await next(page);
    await go(page, '#keikaku');
    await page.waitForSelector('#plan-table input');
    for (const [k, vs] of Object.entries(rows)) {
      for (let i = 0; i < vs.length; i++) await page.fill('#plan-' + k + '-' + i, vs[i]);
    }
    // 営業利益 = 3億 − (1.8億 + 6000万 + 1000万 + 2000万) = 3000万; 付加価値額 = 3000万 + 6000万 + 1000万 = 1億 (seed 004:202)
    await page.waitForFunction(() => document.querySelector('[data-derived="value_added:0"]').textContent === '100,000,000');
    eq(await page.textContent('[data-derived="operating_profit:0"]'), '30,000,000', 'base year 営業利益');
    eq(await page.textContent('[data-derived="ordinary_profit:0"]'), '28,000,000', 'base year 経常利益 = 3000万 − 200万');
    // 付加価値額 1年後 = (3.1億 − 1.85億 − 6200万 − 1300万 − 2000万) + 6200万 + 1300万 = 1億500万, +5.0%
    eq(await page.textContent('[data-derived="va_growth:1"]'), '5.0%', '1年後 伸び率');
    // typing changes the derived row: 3年後 人件費 6600万 → 5000万 lowers 付加価値額 by 0 (labor cost cancels) but 営業利益 rises 1600万
    await page.fill('#plan-labor_cost-3', '5000万円');
    await page.waitForFunction(() => document.querySelector('[data-derived="operating_profit:3"]').textContent === '61,000,000');
    // a requirement that fails shows its smallest fix: 3年後 付加価値額 below +3%/year
    await page.fill('#plan-sales-3', '3億円');
    await page.waitForSelector('[data-plan-frame][open] div.no'); // opened by itself, visible
    const fixes = await page.locator('#plan-results').textContent();
    assert(fixes.includes('通るための最小の変更'), 'the smallest change that passes is shown');
    const input = (await stored(page)).input;
    const planCli = cliOnInput(input, ['plan', 'FILE', '--json']);
    const fail = planCli.results.flatMap((r) => r.requirements).find((q) => q.fix);
    assert(fail && fixes.includes(fail.fix), 'the fix is the CLI\'s: ' + (fail && fail.fix));
    // a bad cell: the library's message under it, aria-invalid, and the focus stays where the user types
    await page.fill('#plan-sales-2', '三億');
    await page.waitForSelector('#plan-sales-2[aria-invalid="true"]');
    const pid = (await page.getAttribute('#plan-sales-2', 'aria-describedby')).split(' ').pop();
    assert((await page.textContent('#' + pid)).includes('金額として読めません'), 'plan cell error message');
    assert(await page.evaluate(() => document.activeElement.id === 'plan-sales-2'), 'focus stays in the cell being typed');
    await page.fill('#plan-sales-2', '3億2500万円');
    await page.waitForFunction(() => !document.querySelector('#plan-sales-2[aria-invalid]'));
    eq(await page.textContent('#status'), '', 'the error status goes when the cell is fixed');
    await shot(page, 'keikaku');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#plan-xlsx')]);
    const xf = path.join(root, 'build', 'screenshots', 'plan.xlsx');
    await dl.saveAs(xf);
    eq(fs.readFileSync(xf).subarray(0, 2).toString(), 'PK', 'the Excel download is a zip (xlsx)');
    // expenses
    await page.fill('#plan-sales-3', '3億4000万円');
    await go(page, '#keihi');
    await page.waitForSelector('#exp-frame option[value="mono-r5-shoryokuka"]', { state: 'attached' });
    await page.selectOption('#exp-frame', 'mono-r5-shoryokuka');
    const lines = [['自動組立ロボット', 'machinery', '1,200万円', '1'], ['事務用ノートPC', 'pc', '15万円', '2'], ['工場の空調設備', 'air_conditioning', '80万円', '1']];
    for (let i = 0; i < lines.length; i++) {
      if (i) await page.click('#exp-add');
      ['name', 'category', 'unit_price', 'quantity'].forEach(() => {});
      await page.fill('#exp-name-' + i, lines[i][0]);
      // the category is chosen from the frame's list (GET /api/v1/rules/{frame}: expenses)
      await page.waitForSelector('select#exp-category-' + i + ' option[value="' + lines[i][1] + '"]', { state: 'attached' });
      await page.selectOption('#exp-category-' + i, lines[i][1]);
      await page.fill('#exp-unit_price-' + i, lines[i][2]);
      await page.fill('#exp-quantity-' + i, lines[i][3]);
    }
    // the options carry the Japanese names of the frame's categories (seed 004:269-287), the
    // refused PC (seed 004:303-304) in its own group, and the select is labelled
    const opts = await page.$$eval('#exp-category-0 optgroup', (gs) => gs.map((g) => [g.label, [...g.children].map((o) => o.value + '=' + o.textContent)]));
    eq(opts[0][0], 'この枠の補助対象経費', 'first group: the frame\'s categories');
    assert(opts[0][1].includes('machinery=機械装置・システム構築費（単価50万円以上）／機械装置・システム構築費（単価50万円未満）'), 'machinery with its Japanese name: ' + opts[0][1]);
    assert(opts[0][1].includes('ip=知的財産権等関連経費'), 'ip with its Japanese name');
    eq(opts[1], ['この枠では対象外の経費', ['pc=パソコン・タブレット・スマートフォン等の汎用品']], 'the refused kinds');
    eq(await page.textContent('label[for="exp-category-0"]'), '区分（1行目）', 'the category select is labelled');
    assert((await page.textContent('#exp-frame-note')).includes('一覧にない区分は対象外'), 'the note says the list is complete');
    await page.click('#exp-check');
    await page.waitForSelector('[data-refused]');
    eq(await page.$$eval('[data-refused]', (l) => l.map((x) => x.dataset.refused)), ['事務用ノートPC'], 'refused lines');
    // 空調設備 is left open in this frame (rules/monodukuri/r5.yaml undetermined; seed 001:622-626)
    assert(/要確認の行[\s\S]*工場の空調設備（800,000円）/.test(await page.textContent('#exp-results')), 'the air conditioner is 要確認');
    assert((await page.textContent('#exp-results')).includes('汎用性'), 'the reason of the refused PC');
    await shot(page, 'keihi');
    eq(page.errors, [], 'no script errors');
  });

  test('persona 3 (再構築 applicant, opened from a file): closed program listed with dates; saved file gives the page\'s answer in hojo check', async () => {
    const page = await newPage();
    const input = { date: '2021-04-15', applicant: { name: '再構築テスト株式会社', legal_form: 'company', industry: 'manufacturing', capital: '1億円', employees: 50,
      monthly_sales: { '2019-10': '1,000万円', '2019-11': '1,000万円', '2019-12': '1,000万円', '2020-10': '880万円', '2020-11': '900万円', '2020-12': '920万円' } },
    project: { expenses: '3,000万円', support_agency: true, saikochiku: { restructuring: true } } };
    const f = path.join(root, 'build', 'screenshots', 'restructuring.json');
    fs.writeFileSync(f, JSON.stringify(input));
    await page.setInputFiles('#open-file', f);
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('開きました'));
    await page.click('#q-result');
    const shown = await shownResults(page);
    eq(shown, expected(cli(['check', f, '--json'])), 'results of the opened file = hojo check');
    assert(shown.some((r) => r.frame.startsWith('saikochiku')), 'a 事業再構築 frame is open on 2021-04-15');
    // save the case and run the CLI on the saved file
    await go(page, '#shindan');
    await page.locator('details.file summary').click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#save-file')]);
    const saved = path.join(root, 'build', 'screenshots', 'saved-case.json');
    await dl.saveAs(saved);
    await go(page, '#kekka');
    eq(await shownResults(page), expected(cli(['check', saved, '--json'])), 'hojo check on the saved file gives the page\'s answer');
    await go(page, '#report');
    await page.waitForSelector('#report-ranked');
    assert((await page.textContent('#report-body')).includes('再構築テスト株式会社'), 'report');
    eq(page.errors, [], 'no script errors');
  });

  test('a newcomer: a date with nothing open is said, with the way to change it; coverage as hojo check; an unanswered question is not skipped', async () => {
    const page = await newPage();
    // a date after every edition of the rulebook (the page defaults to today, which may be such a day)
    await fillStep1(page, Object.assign({}, restaurant, { date: '2030-01-01' }));
    await next(page);
    await page.getByLabel('補助対象経費（税抜）', { exact: true }).fill('200万円');
    await next(page);
    eq(await page.textContent('#q-fields h2'), '質問はここまでです', 'no question: nothing is open');
    assert((await page.textContent('#q-none-open')).includes('申請日 2030-01-01 に受付中の枠は規則集にありません'), 'the end says nothing is open that day');
    await go(page, '#kekka');
    await page.waitForSelector('#coverage li');
    const input = (await stored(page)).input;
    const want = cliOnInput(input, ['check', 'FILE', '--json']).coverage.map((c) => c.program);
    eq(await page.$$eval('#coverage li', (l) => l.map((x) => x.dataset.coverage)), want, 'the programs not covered, as hojo check --json coverage');
    // 持続化補助金 R5補正 closed on 2024-03-14 (rules/jizokuka/r5.yaml)
    eq(await page.textContent('#coverage li[data-coverage="jizokuka"]'), '持続化補助金（R5補正 は 2024-03-14 まで）', 'the program and edition by short name with its last day, as hojo check');
    // closed frames by program and edition name, not by id (rules/jizokuka/r5.yaml)
    eq(await page.textContent('#results li[data-frame="jizokuka-r5-tsujo"]'), '受付終了 持続化補助金 通常枠（令和5年度補正（第15回締切）、受付 2023-12-27〜2024-03-14）: 要確認', 'a closed frame named in Japanese');
    await go(page, '#shindan');
    await page.click('#q-change-date');
    await page.waitForFunction(() => document.activeElement && document.activeElement.dataset.input === 'date');
    await page.getByLabel('申請日 YYYY-MM-DD（入力の最上位）', { exact: true }).fill('2024-03-15');
    await next(page);
    await next(page);
    const q = await page.textContent('#q-fields h2');
    assert(q.startsWith('質問 '), 'on 2024-03-15 frames are open and a question is asked: ' + q);
    await page.click('#q-next');
    await page.waitForSelector('#q-fields [aria-invalid="true"]');
    eq(await page.textContent('#q-fields h2'), q, 'an unanswered question stays');
    eq(await page.textContent('#status'), 'この質問に答えてください。印の付いた項目を直してください。', 'the status says why');
    await page.locator('#q-fields input[value="unknown"], #q-fields [data-unknown]').first().check();
    await next(page);
    assert((await page.textContent('#q-fields h2')) !== q, 'answered 分からない, the next question comes');
    // 経費 for a frame whose category list is partial (ものづくり R5 グローバル枠, rules/monodukuri/r5.yaml
    // partial: true): the category is typed, with the listed ones as suggestions, and the page says why
    await go(page, '#keihi');
    await page.waitForSelector('#exp-frame option[value="mono-r5-global"]', { state: 'attached' });
    await page.selectOption('#exp-frame', 'mono-r5-global');
    await page.waitForFunction(() => document.getElementById('exp-frame-note').textContent.includes('一部しか挙げていません'));
    eq(await page.$eval('#exp-category-0', (e) => e.tagName + ':' + e.type + ':' + e.getAttribute('list')), 'INPUT:text:exp-cat-list', 'partial list: the category is typed');
    assert((await page.$$eval('#exp-cat-list option', (l) => l.map((o) => o.value))).includes('machinery'), 'the listed categories are suggested');
    assert((await page.textContent('#keihi > p')).includes('一覧が資料にない枠では ID か名前で入力'), 'the view\'s intro says when the category is typed');
    eq(page.errors, [], 'no script errors');
  });

  test('errors are tied to their field (aria-invalid, aria-describedby)', async () => {
    const page = await newPage();
    await fillStep1(page, Object.assign({}, restaurant, { capital: '三百万' }));
    await page.click('#q-next');
    const cap = page.getByLabel('資本金（出資の総額）', { exact: true });
    await page.waitForSelector('[aria-invalid="true"]');
    eq(await cap.getAttribute('aria-invalid'), 'true', 'aria-invalid on capital');
    const ids = (await cap.getAttribute('aria-describedby')).split(' ');
    const msg = await page.locator('#' + ids[ids.length - 1]).textContent();
    assert(msg.includes('金額として読めません'), 'the message is the library\'s: ' + msg);
    assert(await cap.evaluate((e) => e === document.activeElement), 'focus moves to the bad field');
    await axe(page, '診断 with an error');
  });

  test('the flow by keyboard alone: questionnaire, result, report', async () => {
    const page = await newPage();
    const tabTo = async (sel) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return;
      }
      throw new Error('Tab never reached ' + sel);
    };
    await tabTo('[data-input="applicant.name"]');
    await page.keyboard.type('キーボード商店');
    await tabTo('[data-input="date"]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2024-03-15');
    eq(await page.inputValue('[data-input="date"]'), '2024-03-15', 'date typed by keyboard');
    await tabTo('[data-input="applicant.legal_form"]');
    await page.keyboard.press('ArrowDown'); // 会社
    await tabTo('[data-input="applicant.industry"]');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown'); // サービス業（下記以外）
    await tabTo('[data-input="applicant.capital"]');
    await page.keyboard.type('500万円');
    await tabTo('[data-input="applicant.employees"]');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter'); // submits the step
    await page.waitForSelector('[data-input="project.expenses"]');
    assert(await page.evaluate(() => document.activeElement.matches('[data-input="project.expenses"]')), 'focus moves to the next question');
    await page.keyboard.type('100万円');
    await page.keyboard.press('Enter');
    try {
      await page.waitForFunction(() => (JSON.parse(localStorage.getItem('hojo.case.v1')).asked || []).length === 1, null, { timeout: 5000 });
    } catch (e) { throw new Error('no question asked after the project step: ' + JSON.stringify(await stored(page)) + ' ' + await page.textContent('#status')); }
    // a focus ring is visible
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== 'none', 'visible focus (outline ' + outline + ')');
    await tabTo('#q-result');
    await page.keyboard.press('Enter');
    const s = await stored(page);
    eq(s.input.applicant.industry, 'service', 'industry chosen by keyboard');
    eq(await shownResults(page), expected(cliOnInput(s.input, ['check', 'FILE', '--json'])), 'result by keyboard = hojo check');
    await tabTo('a[href="#report"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#report-version');
  });

  test('axe: no serious or critical violation on any view; screenshots of every view at 1280 and 375 px', async () => {
    const page = await newPage();
    await fillStep1(page, restaurant);
    await next(page);
    await axe(page, '診断');
    for (const v of ['kekka', 'keikaku', 'keihi', 'dx', 'shien', 'report']) {
      await go(page, '#' + v);
      await page.waitForTimeout(50);
      await page.waitForLoadState('networkidle');
      if (v === 'kekka') { await page.locator('#results details[data-frame] summary').first().click(); await page.waitForSelector('#results details[open] .explain h3'); }
      await axe(page, v);
      await shot(page, v + '-axe');
    }
    await page.setViewportSize({ width: 375, height: 800 });
    await go(page, '#shindan');
    await axe(page, '診断 at 375 px');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(overflow <= 375, 'no horizontal scroll at 375 px (width ' + overflow + ')');
  });

  test('DX自己診断 and 支援機関 are data (web/data) with their reading and search', async () => {
    const page = await newPage();
    await go(page, '#dx');
    await page.waitForSelector('#dx-reading h2');
    // nothing checked: every area has fewer than half → ① 全般的に少ない (seed 001:225-228)
    assert((await page.textContent('#dx-reading')).includes('全体で少ない'), 'no checks → first step');
    // (2) and (3) fully, (1) none → ② (seed 001:230-233)
    for (const id of ['operations-sales_crm', 'operations-production_mgmt', 'operations-manufacturing_mgmt', 'floor-design', 'floor-setup', 'floor-visibility', 'floor-inspection'])
      await page.check('#dx-' + id);
    assert((await page.textContent('#dx-reading')).includes('(1) が (2)・(3) より少ない'), '(1) fewer than (2), (3)');
    // (1) too, (4) none → ③ (seed 001:235-239)
    for (const id of ['management-strengths', 'management-needs', 'management-issues']) await page.check('#dx-' + id);
    assert((await page.textContent('#dx-reading')).includes('(4) がない'), '(4) missing → connect the floors');
    await page.reload();
    await go(page, '#dx');
    await page.waitForSelector('#dx-reading h2');
    assert(await page.isChecked('#dx-management-needs'), 'checklist kept after reload');
    await go(page, '#shien');
    await page.waitForSelector('#shien-list li');
    eq(await page.locator('#shien-list > li').count(), 4, 'four institutions (seed 001:259-262)');
    await page.selectOption('#shien-kind', 'strategy');
    eq(await page.locator('#shien-list > li').count(), 2, 'two give strategy help (seed 001:260, 262)');
  });

  test('the first load transfers at most 150 KB', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const done = [];
    page.on('requestfinished', (q) => done.push(q.sizes()));
    await page.goto(server.url);
    await page.waitForSelector('#q-fields select');
    await page.waitForLoadState('networkidle');
    let bytes = 0;
    for (const sz of await Promise.all(done)) bytes += sz.responseBodySize + sz.responseHeadersSize;
    assert(bytes > 0 && bytes <= 150 * 1024, 'first load ' + bytes + ' bytes');
    console.log('first load: ' + bytes + ' bytes');
    const tok = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--color-primitive-blue-900').trim());
    eq(tok, '#0017c1', 'the design tokens are loaded');
  });

  // the office pages (issue 10 §5): tests/browser/office.js
  require('./office')({ test, assert, eq, axe, shot, browser, url: () => server.url, staff: (e, pw) => makeStaff(server.url, e, pw), mailDir });
  // the pages after adoption (issue 12 §5): tests/browser/awards.js
  require('./awards')({ test, assert, eq, axe, shot, browser, url: () => server.url, staff: (e, pw) => makeStaff(server.url, e, pw), mailDir, hojo, db });
  // the review pages (issue 11 §4): tests/browser/review.js
  require('./review')({ test, assert, eq, axe, shot, browser, url: () => server.url, staff: (e, pw) => makeStaff(server.url, e, pw) });

  const only = process.env.HOJO_BROWSER_ONLY; // a part of the tests' names, to run some of them
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    try {
      await t.fn();
      passed++;
      console.log('ok   ' + t.name);
    } catch (e) {
      failed++;
      console.log('FAIL ' + t.name + '\n  ' + String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n  '));
    }
  }
  await browser.close();
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
  console.log('screenshots: build/screenshots/');
  console.log(passed + ' passed, ' + failed + ' failed');
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.log(String(e && e.stack || e)); console.log(passed + ' passed, ' + (failed + 1) + ' failed'); process.exit(1); });
