// bench/review-web.js: how long the secretariat's review pages (web/review.js)
// take to draw a call of N applications (issue 11: selection for 100,000
// applications). Not part of make check; the figures go to
// docs/performance.md.
//
// The page is the real one, served by build/hojo serve (a throwaway store);
// the API's answers are made here in the shapes of docs/api.md "Review and
// selection" and given to the page by playwright's request interception, so
// what is timed is the browser's side: parsing the answer and drawing it.
// (The routes' own times are bench/review-page's.) One frame, 通常枠, with
// a budget that adopts the first 1,333 (10,000,000,000円 / 7,500,000円).
//
//   node bench/review-web.js [N] [RUNS] [PAGES]   (defaults 100000, 5, "ten,saitaku,katen")
// Prints one line per figure: "name: median ms (min ms, max ms), answer KB".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { chromium } = require('playwright-core');

const N = Number(process.argv[2] || 100000);
const RUNS = Number(process.argv[3] || 5);
const PAGES = (process.argv[4] || 'ten,saitaku,katen').split(',');
const root = path.join(__dirname, '..');
const FRAME = 'mono-r2-tsujo';
const CRIT = ['innovation', 'goal_clarity', 'solution', 'capability', 'schedule', 'market', 'resources', 'profitability', 'regional', 'digital'];
const AMOUNT = 7500000;
const BUDGET = 10000000000;
const ADOPT = Math.floor(BUDGET / AMOUNT); // 1,333

// scores: two reviews per application, totals 50 − (i mod 50) and 49 − (i mod 50) → mean (99 − 2(i mod 50)) / 2
const frac = (n, d) => { const g = (a, b) => (b ? g(b, a % b) : a); const k = g(Math.abs(n), d) || 1; const v = d / k === 1 ? String(n / k) : (n / k) + '/' + (d / k); return { value: v, text: (n / d).toFixed(2) }; };
const score = (i) => frac(99 - 2 * (i % 50), 2);
const order = Array.from({ length: N }, (_, i) => i + 1).sort((a, b) => (b % 50 === a % 50 ? a - b : (a % 50) - (b % 50)));
function scores() {
  return { call: 1, disagreement: 0, scores_sha256: 'a'.repeat(64), applications: Array.from({ length: N }, (_, k) => {
    const i = k + 1;
    return { application: i, company_name: '株式会社ベンチ' + i, frames: [FRAME], reviews: 2,
      criteria: CRIT.map((c) => ({ criterion: c, mean: frac(9 - 2 * ((i + c.length) % 5), 2), median: frac(9 - 2 * ((i + c.length) % 5), 2), spread: 1 })),
      total_mean: score(i), total_median: score(i), total_spread: 1, disagree: false, bonus: 0, score: score(i) };
  }) };
}
function decisions() {
  return order.map((i, r) => ({ application: i, company_name: '株式会社ベンチ' + i, outcome: r < ADOPT ? 'adopted' : 'rejected', outcome_ja: r < ADOPT ? '採択' : '不採択',
    frame: FRAME, applied_frame: FRAME, moved: false, rank: r + 1, amount: r < ADOPT ? AMOUNT : 0, request: AMOUNT, rerequest: null, score: score(i), bonus: 0, reviews: 2,
    reason: r < ADOPT ? '予算・採択枠の範囲内' : '予算の上限に達した' }));
}
const cut = () => ({ frame: FRAME, name: '一般型 通常枠', budget: BUDGET, slots: 0, ranked: N, adopted: Math.min(ADOPT, N), used: Math.min(ADOPT, N) * AMOUNT,
  left: BUDGET - Math.min(ADOPT, N) * AMOUNT, rereview_to: -1, last_adopted: score(order[Math.min(ADOPT, N) - 1]), first_rejected: N > ADOPT ? score(order[ADOPT]) : null,
  stopped_by: N > ADOPT ? 'budget' : 'none', rereview_frame: null });
function bonuses() {
  const rules = [['kakushin', '経営革新計画の承認', 'kakushin_approval'], ['keizoku', '事業継続力強化計画の認定', 'keizoku_certificate'], ['startup', '創業・第二創業', 'startup_proof'],
    ['insurance', '被用者保険の適用拡大', 'tokutei_notice'], ['wage_raise', '賃上げ加点', '']];
  return { call: 1, applications: Array.from({ length: N }, (_, k) => ({ application: k + 1, company_name: '株式会社ベンチ' + (k + 1), frames: [FRAME], unreadable: null, confirmed_points: 0,
    bonuses: rules.map(([id, name, ev], j) => ({ bonus: id, name, points: 1, engine: ['true', 'false', 'unknown'][(k + j) % 3], engine_ja: ['該当', '非該当', '要確認'][(k + j) % 3],
      values: id + '=…', evidence: ev, evidence_attached: [], decision: 'pending', reason: null, decided_by: null, decided_at: null })) })) };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hojo-bench-web-'));
  const port = 20000 + (process.pid % 20000);
  const url = 'http://127.0.0.1:' + port + '/';
  const srv = spawn(path.join(root, 'build', 'hojo'), ['serve', '--listen', '127.0.0.1:' + port, '--web', path.join(root, 'web'), '--db', 'sqlite:' + path.join(work, 'b.db')], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) { try { if ((await fetch(url + 'healthz')).ok) break; } catch (e) { /* not yet */ } await new Promise((r) => setTimeout(r, 50)); }
  const t0 = Date.now();
  const S = scores();
  const Bn = bonuses();
  const body = {
    scores: JSON.stringify(S),
    ranking: JSON.stringify({ call: 1, rulebook_sha256: 'b'.repeat(64), scores_sha256: 'a'.repeat(64), inputs_sha256: 'c'.repeat(64), frames: [Object.assign(cut(), { ranking: decisions() })], excluded: [] }),
    dry: JSON.stringify({ selection: null, call: 1, dry_run: true, tiebreak: 'bonus_desc,submitted_asc', rulebook_sha256: 'b'.repeat(64), scores_sha256: 'a'.repeat(64), inputs_sha256: 'c'.repeat(64), frames: [cut()], decisions: decisions() }),
    bonuses: JSON.stringify(Bn),
  };
  // the paged answers (?page=&per_page=), as the routes give them
  const paged = (doc, q, extra) => {
    const per = Number(q.get('per_page') || 0);
    const pg = Number(q.get('page') || 1);
    const xs = q.get('disagree') ? doc.applications.filter((x) => x.disagree) : doc.applications;
    return JSON.stringify(Object.assign({}, doc, extra, { total: xs.length, page: pg, per_page: per || xs.length, applications: per ? xs.slice((pg - 1) * per, pg * per) : xs }));
  };
  console.log('N = ' + N + ' (answers made in ' + (Date.now() - t0) + ' ms)');
  const answers = {
    'auth/session': { account: { id: 1, email: 'staff@bench.example', name: '事務局', roles: ['staff', 'admin'] }, csrf: 'x' },
    'applications?per_page=1': { applications: [], page: 1, per_page: 1, total: 0 },
    calls: { calls: [{ id: 1, title: '性能測定の公募', edition: 'mono-r2', frames: [{ frame: FRAME, name: '一般型 通常枠', budget: BUDGET, slots: null }] }] },
    'calls/1/review': { call: 1, settings: {}, set_by_call: [], criteria: CRIT.map((c) => ({ id: c, text: c })), bonus_rules: [], rereview: [] },
    'calls/1/selections': { call: 1, selections: [] },
  };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--headless', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route('**/api/v1/**', (route) => {
    const u = new URL(route.request().url());
    const k = u.pathname.replace(/^\/api\/v1\//, '') + u.search;
    let big = { 'calls/1/scores': body.scores, 'calls/1/ranking': body.ranking, 'calls/1/selections?dry_run=1': body.dry, 'calls/1/bonuses': body.bonuses }[k];
    if (!big && u.pathname.endsWith('/calls/1/scores')) big = paged(S, u.searchParams, { disagreeing: 0 });
    if (!big && u.pathname.endsWith('/calls/1/bonuses')) big = paged(Bn, u.searchParams, {});
    if (big) return route.fulfill({ status: 200, contentType: 'application/json', body: big });
    if (answers[k]) return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answers[k]) });
    return route.continue(); // the rest (facts, rules) from the real server
  });
  await page.goto(url + '#shindan');
  await page.waitForSelector('#q-fields select');
  const kb = (s) => Math.round(Buffer.byteLength(s) / 1024).toLocaleString('en');
  const med = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  async function time(name, size, go, done) {
    const xs = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate(() => { location.hash = '#shindan'; });
      await page.waitForSelector('#shindan:not([hidden])');
      const t = Date.now();
      await go();
      await page.waitForSelector(done, { timeout: 600000 });
      xs.push(Date.now() - t);
    }
    console.log(name + ': ' + med(xs) + ' ms (min ' + Math.min(...xs) + ', max ' + Math.max(...xs) + '), answer ' + size + ' KB');
  }
  const hash = (h) => page.evaluate((x) => { location.hash = x; }, h);
  console.log('whole answers: scores ' + kb(body.scores) + ' KB, 加点 ' + kb(body.bonuses) + ' KB (the pages ask for 100 and 50 applications at a time)');
  if (PAGES.includes('ten')) await time('点数と順位 (#shinsa-ten: scores page 1 + ranking)', kb(paged(S, new URLSearchParams('per_page=100'), {})) + ' + ' + kb(body.ranking), () => hash('#shinsa-ten/1'), '#ranking-table-' + FRAME);
  if (PAGES.includes('saitaku')) await time('採択の試算 (#shinsa-saitaku: the preview drawn)', kb(body.dry), async () => { await hash('#shinsa-saitaku/1'); await page.click('#sel-dry'); }, '#preview-table-' + FRAME);
  if (PAGES.includes('katen')) await time('加点の確認 (#shinsa-katen: the first 50 applications × 5 rules)', kb(paged(Bn, new URLSearchParams('per_page=50'), {})), () => hash('#shinsa-katen/1'), '#bonus-table');
  const rows = PAGES.includes('katen') ? await page.evaluate(() => document.querySelectorAll('#bonus-table tbody tr').length) : 0;
  await hash('#shinsa-saitaku/1');
  await page.click('#sel-dry');
  await page.waitForSelector('#preview-table-' + FRAME);
  const drawn = await page.evaluate((f) => document.querySelectorAll('#preview-table-' + f + ' tbody tr[data-app]').length, FRAME);
  const cutText = await page.textContent('#preview-cut-' + FRAME);
  console.log('rows drawn: 加点 ' + rows + ', preview ' + drawn + ' of ' + N + ' (cut line: ' + cutText.replace(/\s+/g, ' ').slice(0, 200) + ')');
  await browser.close();
  srv.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}
main().catch((e) => { console.error(e); process.exit(1); });
