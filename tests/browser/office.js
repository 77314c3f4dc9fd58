// Browser journeys of the office pages (web/office.js, issue 10 §5), added
// to tests/browser/run.js: sign up → company → application → typing saved on
// the server → a reload keeps typed work → attachment with its SHA-256 →
// dry run → submit → receipt (download, verify); a session that expires
// while typing loses nothing; a save against a newer version is a conflict
// the user resolves; staff see the call's submissions, compare versions and
// send back, and the applicant sees the comment and resubmits; axe on every
// new page. A server without the /api/v1/auth and /api/v1/applications
// routes (its 404 answers played by the browser) must be said in Japanese.
'use strict';
const crypto = require('crypto');

// t: {test, assert, eq, axe, shot, browser, url(), staff(email, password)}
module.exports = function officeTests(t) {
  const { test, assert, eq, axe, shot } = t;
  let n = 0;
  const email = (who) => who + '-' + process.pid + '-' + (++n) + '@example.jp';
  const PASSWORD = 'correct horse battery 9';

  async function page0(hash) {
    const ctx = await t.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.goto(t.url() + (hash || ''));
    return page;
  }
  // one open call for the applicants' journeys (made once through the API by a staff account)
  const callMade = {};
  let setup = null;
  function ensureCall(edition, closes) {
    edition = edition || 'mono-r5';
    closes = closes || '2099-12-31T17:00:00+09:00';
    return callMade[edition + closes] || (callMade[edition + closes] = (async () => {
      const s = await (setup || (setup = t.staff(email('setup'), PASSWORD)));
      const r = await fetch(t.url() + 'api/v1/calls', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf, Cookie: s.cookie },
        body: JSON.stringify({ edition, title: '試験の公募回 ' + edition + ' ' + closes.slice(0, 10), opens_at: '2024-01-01T00:00:00+09:00', closes_at: closes }) });
      if (r.status !== 201) throw new Error('call: ' + r.status + ' ' + await r.text());
      return (await r.json()).call.id;
    })());
  }
  async function signUp(page, who) {
    const e = email(who);
    await page.evaluate(() => { location.hash = '#account'; });
    await page.waitForSelector('#signup-form');
    await page.getByLabel('名前', { exact: true }).fill('試験 ' + who);
    await page.locator('#su-email').fill(e);
    await page.locator('#su-password').fill(PASSWORD);
    await page.click('#signup-form button[type=submit]');
    await page.waitForSelector('#create-form, #shinsei [data-missing]');
    return e;
  }
  async function signIn(page, e, pw) {
    await page.waitForSelector('#signin-form');
    await page.locator('#si-email').fill(e);
    await page.locator('#si-password').fill(pw || PASSWORD);
    await page.click('#signin-form button[type=submit]');
    await page.waitForFunction(() => !location.hash.startsWith('#account'));
  }
  // a company (created when none) and an application of the first call's first frame; its id
  async function create(page) {
    await ensureCall();
    if (!(await page.$('#ap-company'))) {
      await page.getByLabel('会社名', { exact: true }).fill('テスト食堂有限会社');
      await page.click('#co-add');
      await page.waitForSelector('#ap-company option', { state: 'attached' });
    }
    const call = String(await ensureCall());
    assert(await page.$('#ap-call option[value="' + call + '"]'), 'the call is offered');
    await page.selectOption('#ap-call', call);
    await page.check('#ap-frame-0');
    await page.uncheck('#ap-use-case');
    await page.click('#ap-create');
    await page.waitForSelector('#app-state-text');
    return (await page.evaluate(() => location.hash)).replace('#app/', '');
  }
  const saved = (page) => page.waitForFunction(() => document.getElementById('save-state').dataset.state === 'saved', null, { timeout: 15000 });
  const server = (page, id) => page.evaluate(async (i) => (await (await fetch('api/v1/applications/' + i)).json()).application, id);
  async function typeName(page, v) {
    await page.evaluate(() => { location.hash = '#shindan'; });
    const f = page.locator('[data-input="applicant.name"]');
    await f.waitFor();
    await f.fill(v);
  }

  test('office pages: the journey from sign-up to receipt (typing saved, reload keeps typed work, attachment hash, dry run, submit, receipt, verify), axe on each page', async () => {
    const page = await page0('#shinsei');
    await page.waitForSelector('#shinsei-body a[href="#account"]');
    await axe(page, '申請 (signed out)');
    await page.evaluate(() => { location.hash = '#account'; });
    await page.waitForSelector('#signup-form');
    await axe(page, 'ログイン');
    await shot(page, 'account');
    await signUp(page, 'applicant');
    await axe(page, '申請 (create)');
    const id = await create(page);
    await axe(page, '申請の概要');
    await typeName(page, 'テスト食堂有限会社');
    await saved(page);
    eq((await server(page, id)).data.applicant.name, 'テスト食堂有限会社', 'the typed name is saved on the server');
    // beside the form: what the engine still misses; 入力する takes the focus to a field shown
    await page.waitForSelector('#app-warnings li[data-type="missing"]');
    assert((await page.textContent('#app-warnings')).includes('「資本金（出資の総額）」（applicant.capital）が未入力です'), 'the missing capital is listed');
    await page.getByRole('button', { name: '入力する: 「資本金（出資の総額）」（applicant.capital）が未入力です' }).click();
    eq(await page.evaluate(() => document.activeElement.dataset.input), 'applicant.capital', 'the focus is on the capital');
    await axe(page, '診断 of an application');
    await shot(page, 'app-editor');
    // typed and reloaded at once, before the autosave: kept in the browser, then saved
    await page.locator('[data-input="applicant.capital"]').fill('300万円');
    await page.reload();
    const cap = page.locator('[data-input="applicant.capital"]');
    await cap.waitFor();
    eq(await cap.inputValue(), '300万円', 'the capital typed just before the reload is still there');
    await saved(page);
    eq((await server(page, id)).data.applicant.capital, '300万円', 'and saved on the server after the reload');
    // an attachment: the server's SHA-256 is the one computed here and in the browser
    const file = Buffer.from('事業計画書 テスト食堂\n' + 'x'.repeat(5000), 'utf8');
    const sum = crypto.createHash('sha256').update(file).digest('hex');
    await page.evaluate(() => { location.hash = '#tenpu'; });
    await page.waitForSelector('#upload-form');
    await page.setInputFiles('#up-file', { name: '計画書.txt', mimeType: 'text/plain', buffer: file });
    await page.selectOption('#up-kind', 'plan');
    await page.click('#upload-form button[type=submit]');
    await page.waitForSelector('#upload-verify');
    eq(await page.textContent('#upload-sha'), sum, 'the SHA-256 the server returned');
    assert((await page.textContent('#upload-verify')).includes('一致しました'), 'checked against the browser\'s SHA-256');
    await page.waitForSelector('#attach-table tbody tr');
    // 5,000 × 'x' after the first line: 事業計画書 テスト食堂 = 10 characters × 3 bytes + a space + a newline = 32 bytes → 5,032
    eq(await page.$$eval('#attach-table tbody tr td', (l) => l.slice(0, 3).map((x) => x.textContent)), ['計画書.txt', '事業計画書', '5,032 バイト'], 'listed with its kind and size');
    // the download is the same bytes
    const back = await page.evaluate(async () => { const h = document.querySelector('#attach-table tbody a').getAttribute('href'); const b = await (await fetch(h)).arrayBuffer(); return [...new Uint8Array(b)]; });
    eq(crypto.createHash('sha256').update(Buffer.from(back)).digest('hex'), sum, 'the download has the same SHA-256');
    // a second file, deleted while a draft (after a confirmation)
    await page.setInputFiles('#up-file', { name: 'まちがい.txt', mimeType: 'text/plain', buffer: Buffer.from('wrong') });
    await page.click('#upload-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#attach-table tbody tr').length === 2);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'まちがい.txt を削除' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#attach-table tbody tr').length === 1);
    eq(await page.textContent('#attach-table tbody td'), '計画書.txt', 'the other file stays');
    await axe(page, '添付書類');
    await shot(page, 'tenpu');
    // dry run, then submit
    await page.evaluate(() => { location.hash = '#teishutsu'; });
    await page.click('#dry-run-btn');
    await page.waitForSelector('#submit-form, #blocking');
    assert(!(await page.$('#blocking')), 'nothing blocks: ' + await page.textContent('#dry-run'));
    const acks = await page.$$('#submit-form textarea');
    if (acks.length) {
      await page.click('#submit-btn'); // a reason is required for each 要確認
      await page.waitForSelector('#submit-form [aria-invalid="true"]');
      for (const a of acks) await a.fill('事務局に確認済み（テスト）');
    }
    await axe(page, '提出');
    await shot(page, 'teishutsu');
    await page.click('#submit-btn');
    await page.waitForSelector('#receipt-number');
    const number = await page.textContent('#receipt-number');
    eq(await page.evaluate(() => location.hash), '#uketsuke/' + encodeURIComponent(number), 'the receipt page');
    eq(await page.$$eval('#receipt-attachments code', (l) => l.map((x) => x.textContent)), [sum], 'the receipt lists the attachment\'s SHA-256');
    assert(/^[0-9a-f]{64}$/.test(await page.textContent('#receipt-sha')), 'the snapshot\'s SHA-256');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#receipt-download')]);
    const json = JSON.parse(require('fs').readFileSync(await dl.path(), 'utf8'));
    eq((json.receipt || json).number, number, 'the downloaded receipt');
    await page.click('#receipt-verify');
    await page.waitForFunction(() => document.getElementById('verify-out').textContent.startsWith('検証しました') || document.getElementById('verify-out').className === 'error');
    assert((await page.textContent('#verify-out')).includes('一致します'), 'verify: ' + await page.textContent('#verify-out'));
    await axe(page, '受付票');
    await shot(page, 'uketsuke');
    eq((await server(page, id)).state, 'submitted', 'the application is submitted');
    // わたしの申請: its state and its receipt
    await page.evaluate(() => { location.hash = '#shinsei'; });
    await page.waitForSelector('#apps-table tr[data-app="' + id + '"]');
    eq(await page.$$eval('#apps-table tr[data-app="' + id + '"] td', (l) => [l[4].textContent, l[7].textContent]), ['提出済み', number], 'the list shows the state and the receipt');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: a server without the office API (an older one): the pages say so in Japanese, the diagnosis still works', async () => {
    const ctx = await t.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    // the answer of hojo serve for a route it does not have (server/server.c)
    const absent = (route) => route.fulfill({ status: 404, contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ status: 404, message: '見つかりません', errors: [{ field: null, type: 'not_found', message: new URL(route.request().url()).pathname + ' という API はありません（docs/api.md）' }] }) });
    await ctx.route('**/api/v1/auth/**', absent);
    await ctx.route('**/api/v1/applications**', absent);
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.goto(t.url() + '#shinsei');
    await page.waitForSelector('#shinsei [data-missing]');
    eq(await page.textContent('#shinsei [data-missing]'), 'このサーバーにはまだアカウントの機能がありません（API /api/v1/auth/ がありません）。診断・事業計画・経費はログインせずに使えます（入力はこの端末のブラウザに保存されます）。', '申請 says what is missing');
    await axe(page, '申請 without the API');
    await page.evaluate(() => { location.hash = '#account'; });
    await page.waitForSelector('#account [data-missing]');
    await page.evaluate(() => { location.hash = '#shindan'; });
    await page.locator('[data-input="applicant.name"]').fill('古いサーバー商店');
    eq(await page.evaluate(() => JSON.parse(localStorage.getItem('hojo.case.v1')).input.applicant.name), '古いサーバー商店', 'the diagnosis keeps working in the browser');
    eq(page.errors, [], 'no script errors');
    await ctx.close();
  });

  test('office pages: by keyboard alone: sign in, make an application, type, see it saved', async () => {
    const call = String(await ensureCall());
    const setupPage = await page0('#account');
    const e = await signUp(setupPage, 'keyboard'); // the account exists; this browser signs in by keyboard
    await setupPage.getByLabel('会社名', { exact: true }).fill('キーボード商店');
    await setupPage.click('#co-add');
    await setupPage.waitForSelector('#ap-company option', { state: 'attached' });
    const page = await page0('#account');
    const tabTo = async (sel) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((x) => document.activeElement && document.activeElement.matches(x), sel)) return;
      }
      throw new Error('Tab never reached ' + sel);
    };
    await page.waitForSelector('#signin-form');
    await tabTo('#si-email');
    await page.keyboard.type(e);
    await tabTo('#si-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#create-form #ap-company');
    await tabTo('#ap-call');
    const idx = await page.$$eval('#ap-call option', (o, c) => o.findIndex((x) => x.value === c), call);
    for (let i = 0; i < idx; i++) await page.keyboard.press('ArrowDown');
    eq(await page.inputValue('#ap-call'), call, 'the call chosen with the arrow keys');
    await tabTo('#ap-frame-0');
    await page.keyboard.press('Space');
    await tabTo('#ap-create');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#app-state-text');
    await tabTo('#app-body a[href="#shindan"]');
    await page.keyboard.press('Enter');
    await tabTo('[data-input="applicant.name"]');
    await page.keyboard.type('キーボード商店');
    await saved(page);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== 'none', 'visible focus (outline ' + outline + ')');
    eq(await page.textContent('#save-state'), '保存済み（版 ' + (await server(page, (await page.evaluate(() => localStorage.getItem('hojo.open.v1'))))).version + '）', 'the bar says saved, with the server\'s version');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: sign out, password reset from the mail\'s link, sign in with the new password', async () => {
    const page = await page0('#account');
    const e = await signUp(page, 'reset');
    await page.evaluate(() => { location.hash = '#account'; });
    await page.waitForSelector('#account-who');
    assert((await page.textContent('#account-who')).includes(e), 'signed in as ' + e);
    await page.evaluate(() => { localStorage.setItem('hojo.app.v1.998', JSON.stringify({ base: 1, pending: false, state: { input: {} } })); localStorage.setItem('hojo.app.v1.999', JSON.stringify({ base: 1, pending: true, state: { input: { applicant: { name: '未保存' } } } })); });
    await page.click('#signout');
    await page.waitForSelector('#signin-form');
    eq(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hojo.app.v1.')).sort()), ['hojo.app.v1.999'], 'signed out: saved copies removed, unsaved edits kept');
    eq(await page.textContent('#nav-account'), 'ログイン', 'signed out');
    await page.click('#account-body details summary');
    await page.locator('#rs-email').fill(e);
    await page.click('#reset-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('reset-sent').textContent !== '');
    // the mail in the spool (no mail server): its link opens the page at #reset=TOKEN
    const fs = require('fs');
    const path = require('path');
    const mails = fs.readdirSync(t.mailDir).map((f) => fs.readFileSync(path.join(t.mailDir, f), 'utf8')).filter((m) => m.includes(e));
    eq(mails.length, 1, 'one reset mail to ' + e);
    const link = /(http\S*#reset=\S+)/.exec(mails[0])[1];
    await page.goto(link);
    await page.waitForSelector('#reset-confirm-form');
    await axe(page, 'パスワード再設定');
    await page.locator('#rc-password').fill('a new and long passphrase 7');
    await page.click('#reset-confirm-form button[type=submit]');
    await page.waitForSelector('#reset-done');
    await page.evaluate(() => { location.hash = '#account'; });
    await signIn(page, e, 'a new and long passphrase 7');
    await page.evaluate(() => { location.hash = '#account'; });
    await page.waitForSelector('#account-who');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: a session that expires while typing loses nothing; after signing in again the edits are saved', async () => {
    const page = await page0('#account');
    const e = await signUp(page, 'expiry');
    const id = await create(page);
    await typeName(page, '期限切れ商店');
    await saved(page);
    // the connection drops: 保存できません, the edit kept; back online, it is saved
    const drop = (route) => (route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue());
    await page.route('**/api/v1/applications/*', drop);
    await page.locator('[data-input="applicant.employees"]').fill('7');
    await page.waitForFunction(() => document.getElementById('save-state').dataset.state === 'failed', null, { timeout: 15000 });
    assert((await page.textContent('#save-state')).includes('サーバーに接続できません'), 'the save state says why: ' + await page.textContent('#save-state'));
    await page.unroute('**/api/v1/applications/*', drop);
    await saved(page); // retried every 5 s
    eq((await server(page, id)).data.applicant.employees, 7, 'saved when the connection came back');
    await page.context().clearCookies(); // the session is gone (expired)
    await page.locator('[data-input="applicant.capital"]').fill('500万円');
    await page.waitForFunction(() => document.getElementById('save-state').dataset.state === 'failed', null, { timeout: 15000 });
    assert((await page.textContent('#save-state')).includes('ログイン'), 'the save state says to sign in: ' + await page.textContent('#save-state'));
    const rec = await page.evaluate((i) => JSON.parse(localStorage.getItem('hojo.app.v1.' + i)), id);
    eq([rec.pending, rec.state.input.applicant.capital], [true, '500万円'], 'the edit is kept in the browser');
    await page.reload();
    await page.locator('[data-input="applicant.capital"]').waitFor();
    eq(await page.locator('[data-input="applicant.capital"]').inputValue(), '500万円', 'kept over a reload while signed out');
    await page.click('#save-state a');
    await signIn(page, e);
    await saved(page);
    eq((await server(page, id)).data.applicant.capital, '500万円', 'saved after signing in again');
    eq((await server(page, id)).data.applicant.name, '期限切れ商店', 'and the earlier edit is still there');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: a save against a newer version is a conflict: compare, then keep mine (never a silent overwrite)', async () => {
    const a = await page0('#account');
    const e = await signUp(a, 'conflict');
    const id = await create(a);
    await typeName(a, '一つ目の名前');
    await saved(a);
    // the same account in another browser, opened at the same version
    const b = await page0('#account');
    await signIn(b, e);
    await b.evaluate((i) => { location.hash = '#app/' + i; }, id);
    await b.waitForSelector('#app-state-text');
    await typeName(a, '二つ目の名前');
    await saved(a);
    await typeName(b, '別の画面の名前');
    await b.waitForSelector('#conflict:not([hidden])', { timeout: 15000 });
    eq(await b.getAttribute('#save-state', 'data-state'), 'failed', 'not saved');
    eq((await server(b, id)).data.applicant.name, '二つ目の名前', 'nothing was overwritten');
    // the panel takes the focus; the keyboard reaches its choices
    eq(await b.evaluate(() => document.activeElement.id), 'conflict', 'focus on the conflict panel');
    await b.keyboard.press('Tab');
    eq(await b.evaluate(() => document.activeElement.id), 'conflict-compare', 'Tab reaches 違いを見る');
    await b.keyboard.press('Enter');
    await b.waitForSelector('#conflict-diff tr.changed[data-path="applicant.name"]');
    eq(await b.$$eval('#conflict-diff tr.changed[data-path="applicant.name"] td', (l) => l.map((x) => x.textContent)), ['別の画面の名前', '二つ目の名前', '変更あり'], 'mine and theirs side by side');
    await axe(b, 'conflict');
    await b.click('#conflict-mine');
    await saved(b);
    eq((await server(b, id)).data.applicant.name, '別の画面の名前', 'kept mine, knowingly');
    // the first browser is now behind: its next save is a conflict too, and it takes theirs
    await typeName(a, '古い画面の名前');
    await a.waitForSelector('#conflict:not([hidden])', { timeout: 15000 });
    await a.click('#conflict-theirs');
    await saved(a);
    eq(await a.locator('[data-input="applicant.name"]').inputValue(), '別の画面の名前', 'took theirs: the form shows the saved version');
    eq((await server(a, id)).data.applicant.name, '別の画面の名前', 'and the server still has it');
    eq(await a.evaluate((i) => JSON.parse(localStorage.getItem('hojo.app.v1.' + i)).pending, id), false, 'nothing left to save');
    eq([a.errors, b.errors], [[], []], 'no script errors');
  });

  test('office pages: the owner invites a contributor, who edits but may not submit; revoked, the contributor\'s saves stop', async () => {
    const cb = await page0('#account');
    const ce = await signUp(cb, 'contributor');
    const ow = await page0('#account');
    await signUp(ow, 'owner');
    const id = await create(ow);
    await ow.waitForSelector('#collab-form');
    await ow.locator('#cb-email').fill(ce);
    await ow.click('#collab-form button[type=submit]');
    await ow.waitForFunction((e) => [...document.querySelectorAll('#collab-list li')].some((l) => l.textContent.includes(e) && l.textContent.includes('編集のみ')), ce);
    // frames by name (from the call), the version as saved
    eq(await ow.textContent('#app-body dl dd:nth-of-type(3)'), 'グローバル枠', 'the frame by its name (rules/monodukuri/r5.yaml)');
    await axe(ow, '協力者');
    await shot(ow, 'app');
    // the contributor sees it in 申請, edits it, and is told who may submit
    await cb.reload(); // at #shinsei since signing up
    await cb.waitForSelector('#apps-table tr[data-app="' + id + '"]');
    await cb.click('#apps-table tr[data-app="' + id + '"] a');
    await cb.waitForSelector('#app-state-text');
    assert(!(await cb.$('#collab-form')), 'only the owner invites');
    await typeName(cb, '協力者が入力した名前');
    await saved(cb);
    eq((await server(ow, id)).data.applicant.name, '協力者が入力した名前', 'the contributor\'s edit is saved');
    await cb.evaluate(() => { location.hash = '#teishutsu'; });
    await cb.waitForSelector('#teishutsu-body .notice');
    assert((await cb.textContent('#teishutsu-body .notice')).includes('提出できるのは申請者'), 'the contributor is told who may submit');
    // revoked: the next save is refused (the application is no longer visible to them), the edit stays in their browser
    ow.once('dialog', (d) => d.accept());
    await ow.evaluate((i) => { location.hash = '#shindan'; location.hash = '#app/' + i; }, id);
    await ow.getByRole('button', { name: ce + ' の招待を解除' }).click();
    await ow.waitForFunction((e) => ![...document.querySelectorAll('#collab-list li')].some((l) => l.textContent.includes(e)), ce);
    await typeName(cb, '解除のあとの名前');
    await cb.waitForFunction(() => document.getElementById('save-state').dataset.state === 'failed', null, { timeout: 15000 });
    eq((await server(ow, id)).data.applicant.name, '協力者が入力した名前', 'nothing saved after the revocation');
    eq(await cb.evaluate((i) => JSON.parse(localStorage.getItem('hojo.app.v1.' + i)).state.input.applicant.name, id), '解除のあとの名前', 'but nothing typed is lost');
    eq([ow.errors, cb.errors], [[], []], 'no script errors');
  });

  test('office pages: a document the rulebook requires is asked for on 添付書類 and blocks the submit until attached under its kind', async () => {
    const call = await ensureCall('mono-r2'); // ものづくり R2: 経営革新計画の承認書 when one is held (rules/monodukuri/r2.yaml, seed 004:50)
    const page = await page0('#account');
    await signUp(page, 'documents');
    const id = await page.evaluate(async (c) => {
      const csrf = (await (await fetch('api/v1/auth/session')).json()).csrf;
      const post = async (p, b) => (await fetch('api/v1/' + p, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(b) })).json();
      const co = await post('companies', { name: '書類工業' });
      const a = await post('applications', { company: co.company.id, call: c, frames: ['mono-r2-tsujo'], data: { applicant: { name: '書類工業', certifications: { keiei_kakushin: {} } } } });
      return a.application.id;
    }, call);
    await page.evaluate((i) => { location.hash = '#app/' + i; }, id);
    await page.waitForSelector('#app-state-text');
    await page.evaluate(() => { location.hash = '#teishutsu'; });
    await page.click('#dry-run-btn');
    await page.waitForSelector('#blocking');
    assert((await page.textContent('#blocking')).includes('経営革新計画の承認書'), 'the missing document blocks: ' + await page.textContent('#blocking'));
    await page.click('#blocking a[href="#tenpu"]');
    await page.waitForSelector('#docs-needed li[data-kind="kakushin_approval"]');
    await axe(page, '添付書類 with a required document');
    await page.setInputFiles('#up-file', { name: '承認書.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 承認書') });
    await page.selectOption('#up-kind', 'kakushin_approval');
    await page.click('#upload-form button[type=submit]');
    await page.waitForSelector('#attach-table tbody tr');
    await page.waitForFunction(() => !document.getElementById('docs-needed'));
    eq(await page.$$eval('#attach-table tbody tr td:nth-child(2)', (l) => l.map((x) => x.textContent)), ['経営革新計画の承認書'], 'attached under the document\'s kind (kakushin_approval), shown by its name');
    eq(await page.evaluate(async (i) => (await (await fetch('api/v1/applications/' + i + '/attachments')).json()).attachments.map((x) => x.kind), id), ['kakushin_approval'], 'stored under the kind');
    assert(!(await page.textContent('#app-warnings')).includes('経営革新計画の承認書'), 'the warning beside the form is gone');
    await page.evaluate(() => { location.hash = '#teishutsu'; });
    await page.click('#dry-run-btn');
    await page.waitForSelector('#submit-form, #blocking');
    assert(!(await page.textContent('#dry-run')).includes('経営革新計画の承認書'), 'the document no longer blocks');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: a closed call is marked in the list and its dry run says when it closed', async () => {
    const call = String(await ensureCall('mono-r5', '2024-12-27T17:00:00+09:00'));
    const page = await page0('#account');
    await signUp(page, 'closed');
    await page.getByLabel('会社名', { exact: true }).fill('締切後商店');
    await page.click('#co-add');
    await page.waitForSelector('#ap-company option', { state: 'attached' });
    const label = await page.textContent('#ap-call option[value="' + call + '"]');
    assert(label.endsWith('（受付期間外）') && label.includes('2024/12/27 17:00:00'), 'the closed call in the list: ' + label);
    await page.selectOption('#ap-call', call);
    await page.check('#ap-frame-0');
    await page.click('#ap-create');
    await page.waitForSelector('#app-state-text'); // a draft may still be made and saved
    await page.evaluate(() => { location.hash = '#teishutsu'; });
    await page.click('#dry-run-btn');
    await page.waitForFunction(() => document.getElementById('dry-run').textContent.startsWith('提出できません'));
    eq(await page.textContent('#dry-run'), '提出できません: この公募回の受付は 2024-12-27T17:00:00+09:00 に締め切りました', 'the 423 said as the server says it');
    // withdrawn (after a confirmation): the editors keep typing locally but say nothing is saved
    const id = await page.evaluate(() => localStorage.getItem('hojo.open.v1'));
    await page.evaluate((i) => { location.hash = '#app/' + i; }, id);
    page.once('dialog', (d) => d.accept());
    await page.click('#withdraw');
    await page.waitForFunction(() => document.getElementById('app-state-text') && document.getElementById('app-state-text').textContent === '取下げ');
    eq((await server(page, id)).state, 'withdrawn', 'withdrawn on the server');
    await typeName(page, '取下げのあと');
    eq(await page.getAttribute('#save-state', 'data-state'), 'readonly', 'not saved');
    assert((await page.textContent('#save-state')).includes('取下げのため編集できません'), 'the bar says why: ' + await page.textContent('#save-state'));
    await page.waitForTimeout(1000); // longer than the autosave's wait: still nothing sent
    eq((await server(page, id)).data.applicant, undefined, 'nothing saved');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: a submit whose answer is lost is retried with the same Idempotency-Key and gives the same receipt', async () => {
    const page = await page0('#account');
    await signUp(page, 'retry');
    const id = await create(page);
    await typeName(page, '再送商店');
    await saved(page);
    await page.evaluate(() => { location.hash = '#teishutsu'; });
    await page.click('#dry-run-btn');
    await page.waitForSelector('#submit-form');
    for (const x of await page.$$('#submit-form textarea')) await x.fill('確認済み');
    // the first submit reaches the server, but its answer never comes back (a timeout)
    const keys = [];
    let first = null;
    await page.route('**/api/v1/applications/*/submit', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) { first = await (await route.fetch()).json(); await route.abort('timedout'); } else await route.continue();
    });
    const replayed = [];
    page.on('response', (r) => { if (r.url().endsWith('/submit')) replayed.push(r.headers()['idempotent-replayed'] || ''); });
    await page.click('#submit-btn');
    await page.waitForFunction(() => document.getElementById('submit-out').textContent.includes('二重には提出されません'));
    assert(first && first.receipt && first.receipt.number, 'the server did issue a receipt the page never saw');
    await page.click('#submit-btn');
    await page.waitForSelector('#receipt-number');
    eq(keys.length, 2, 'two attempts sent');
    assert(/^[0-9a-f]{32}$/.test(keys[0]) && keys[0] === keys[1], 'the retry reuses the key: ' + keys);
    eq(await page.textContent('#receipt-number'), first.receipt.number, 'the same receipt, not a second submission');
    eq(replayed, ['true'], 'the server answered the retry from the first submission');
    eq(await page.evaluate((i) => localStorage.getItem('hojo.submit.v1.' + i), id), null, 'the key is dropped once answered');
    eq(page.errors, [], 'no script errors');
  });

  test('office pages: staff see a call\'s submissions with filters, compare versions, send back; the applicant sees the comment and resubmits', async () => {
    const ap = await page0('#account');
    await signUp(ap, 'sendback');
    const id = await create(ap);
    await typeName(ap, '差戻し');
    await saved(ap);
    await typeName(ap, '差戻し工業');
    await saved(ap);
    await ap.evaluate(() => { location.hash = '#teishutsu'; });
    await ap.click('#dry-run-btn');
    await ap.waitForSelector('#submit-form');
    for (const x of await ap.$$('#submit-form textarea')) await x.fill('確認済み');
    await ap.click('#submit-btn');
    await ap.waitForSelector('#receipt-number');
    // staff
    const st = await page0('#account');
    const se = email('staff');
    await t.staff(se, PASSWORD);
    await signIn(st, se);
    assert(await st.isVisible('#nav-jimu'), 'the 事務局 link is shown to staff');
    await st.evaluate(() => { location.hash = '#jimu'; });
    await st.waitForSelector('#jimu-form');
    // a call made here, from an edition of the rulebook (times in JST)
    await st.click('#call-new summary');
    await st.selectOption('#cl-edition', 'jizokuka-r5');
    await st.fill('#cl-title', '持続化 第16回（試験）');
    await st.fill('#cl-opens', '2025-04-01T09:00');
    await st.fill('#cl-closes', '2025-06-30T17:00');
    await st.click('#call-form button[type=submit]');
    await st.waitForFunction(() => [...document.querySelectorAll('#jm-call option')].some((o) => o.textContent === '持続化 第16回（試験）'));
    const made = await st.evaluate(async () => (await (await fetch('api/v1/calls')).json()).calls.find((c) => c.title === '持続化 第16回（試験）'));
    eq([made.edition, made.opens_at, made.closes_at, made.open], ['jizokuka-r5', '2025-04-01T09:00:00+09:00', '2025-06-30T17:00:00+09:00', false], 'the call as typed (closed by now)');
    await st.waitForSelector('#jimu-form');
    await st.selectOption('#jm-call', String((await server(ap, id)).call));
    await axe(st, '事務局');
    await st.selectOption('#jm-state', 'submitted');
    await st.click('#jimu-form button[type=submit]');
    await st.waitForSelector('#jimu-table tr[data-app="' + id + '"]');
    await st.selectOption('#jm-state', 'returned');
    await st.click('#jimu-form button[type=submit]');
    await st.waitForSelector('#jimu-count');
    assert(!(await st.$('#jimu-table tr[data-app="' + id + '"]')), 'the state filter leaves it out');
    // by frame (the application's is the call's first, mono-r5-global) and by part of the company's name
    const shown = async (state, frame, company) => {
      await st.selectOption('#jm-state', state);
      await st.selectOption('#jm-frame', frame);
      await st.fill('#jm-company', company);
      await st.click('#jimu-form button[type=submit]');
      await st.waitForSelector('#jimu-count');
      return !!(await st.$('#jimu-table tr[data-app="' + id + '"]'));
    };
    eq(await shown('', 'mono-r5-global', ''), true, 'its frame');
    eq(await shown('', 'mono-r5-kofuka', ''), false, 'another frame');
    eq(await shown('submitted', 'mono-r5-global', 'テスト食堂'), true, 'part of its company\'s name');
    eq(await shown('submitted', '', '別の会社'), false, 'another company');
    await shot(st, 'jimu');
    await st.evaluate((i) => { location.hash = '#hikaku/' + i; }, id);
    await st.waitForSelector('#sendback-form');
    await st.click('#sendback-form button[type=submit]'); // the comment is required
    await st.waitForSelector('#sb-comment[aria-invalid="true"]');
    await axe(st, '版の比較と差戻し');
    await st.fill('#sb-comment', '事業計画の数値を直してください。');
    await st.click('#sendback-form button[type=submit]');
    await st.waitForFunction(() => document.getElementById('status').textContent.includes('差し戻しました'));
    // the applicant sees the comment, edits and resubmits
    await ap.evaluate((i) => { location.hash = '#app/' + i; }, id);
    await ap.reload();
    await ap.waitForSelector('#sendback-comment');
    eq(await ap.textContent('#sendback-comment'), '事業計画の数値を直してください。', 'the applicant sees the comment');
    eq(await ap.textContent('#app-state-text'), '差戻し', 'state 差戻し');
    await axe(ap, '差戻しの申請');
    await typeName(ap, '差戻し工業株式会社');
    await saved(ap);
    await ap.evaluate(() => { location.hash = '#teishutsu'; });
    await ap.click('#dry-run-btn');
    await ap.waitForSelector('#submit-form');
    for (const x of await ap.$$('#submit-form textarea')) await x.fill('確認済み');
    await ap.click('#submit-btn');
    await ap.waitForSelector('#receipt-number');
    eq((await server(ap, id)).state, 'submitted', 'resubmitted');
    // the application's page lists both receipts
    await ap.evaluate((i) => { location.hash = '#app/' + i; }, id);
    await ap.reload();
    await ap.waitForSelector('#app-body a[href^="#uketsuke/"]');
    eq((await ap.$$eval('#app-body a[href^="#uketsuke/"]', (l) => l.map((x) => x.textContent))).length, 2, 'two receipts, one per submission');
    // staff: the two submitted versions side by side, the name a highlighted difference
    await st.evaluate((i) => { location.hash = '#jimu'; location.hash = '#hikaku/' + i; }, id);
    await st.waitForSelector('#hikaku-out table');
    const subs = await st.$$eval('#hk-a option', (l) => l.filter((x) => x.textContent.includes('提出済み')).map((x) => x.value));
    assert(subs.length === 2, 'two submitted versions: ' + subs);
    await st.selectOption('#hk-a', subs[0]);
    await st.selectOption('#hk-b', subs[1]);
    await st.waitForFunction(() => document.querySelector('#hikaku-out [data-path="applicant.name"] td') && document.querySelector('#hikaku-out [data-path="applicant.name"] td').textContent === '差戻し工業');
    eq(await st.$$eval('#hikaku-out tr.changed[data-path="applicant.name"] td', (l) => l.map((x) => x.textContent)), ['差戻し工業', '差戻し工業株式会社', '変更あり'], 'versions side by side');
    // the rows not marked are the same on both sides
    const same = await st.$$eval('#hikaku-out tbody tr:not(.changed)', (l) => l.map((r) => [...r.querySelectorAll('td')].map((x) => x.textContent)));
    assert(same.length > 0 && same.every((c) => c[0] === c[1] && c[2] === ''), 'unchanged rows: ' + JSON.stringify(same));
    eq(await st.$$eval('#hikaku-out tr.changed', (l) => l.length), 1, 'one difference');
    // the audit log of the application, newest first: the second 提出, the 差戻し, the first 提出, …, the 作成
    await st.waitForSelector('#audit tbody tr', { state: 'attached' });
    const acts = await st.$$eval('#audit tbody tr td:nth-child(2)', (l) => l.map((x) => x.textContent));
    const main = acts.filter((x) => ['作成', '提出', '差戻し'].includes(x));
    eq(main, ['提出', '差戻し', '提出', '作成'], 'the audit log\'s state changes: ' + acts.join(','));
    await shot(st, 'hikaku');
    eq([ap.errors, st.errors], [[], []], 'no script errors');
  });

  // issue 10 §4 (web/parties.js): the owner invites a 支援機関 by e-mail, the supporter
  // registers its organisation and confirms in its inbox, the owner sees the fact confirmed
  test('parties pages: owner invites a supporter, the supporter confirms in its inbox, the owner sees the fact with the organisation; axe', async () => {
    const ow = await page0('#account');
    await signUp(ow, 'owner');
    const id = await create(ow);
    await ow.waitForSelector('#party-form');
    eq(await ow.textContent('#party-none'), 'まだ依頼はありません。', 'no invitation yet');
    await axe(ow, '支援者・ITベンダー');
    // the supporter: an account given the role supporter by an admin
    const se = email('supporter');
    const su = await fetch(t.url() + 'api/v1/auth/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: se, password: PASSWORD, name: '支援 太郎' }) });
    eq(su.status, 201, 'supporter signed up');
    const acc = (await su.json()).account.id;
    const ad = await t.staff(email('admin'), PASSWORD);
    const pr = await fetch(t.url() + 'api/v1/admin/accounts/' + acc, { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': ad.csrf, Cookie: ad.cookie }, body: JSON.stringify({ roles: ['applicant', 'supporter'] }) });
    eq(pr.status, 200, 'supporter role given');
    // the owner invites it by e-mail
    await ow.selectOption('#pt-kind', 'support_agency');
    await ow.fill('#pt-email', se);
    await ow.click('#party-form button[type=submit]');
    await ow.waitForSelector('#party-table tbody tr');
    eq(await ow.textContent('#party-table .inv-state'), '回答待ち', 'the invitation is pending');
    eq(await ow.textContent('#party-facts tr[data-fact="advisor"] .fact-value'), '回答待ち', 'the fact waits for the answer');
    // the supporter: organisation, then confirm in the inbox
    const sp = await page0('#account');
    await signIn(sp, se);
    assert(!(await sp.isHidden('#nav-kikan')), 'the inbox is in the navigation');
    await sp.evaluate(() => { location.hash = '#kikan'; });
    await sp.waitForSelector('#org-form');
    await sp.getByLabel('機関の名称').fill('さいたま経営支援株式会社');
    await sp.click('#org-form button[type=submit]');
    // the inbox is drawn again once the organisation is stored (its invitations were listed before too)
    await sp.waitForFunction(() => !document.getElementById('org-form') && /^所属: /.test((document.getElementById('kikan-org') || {}).textContent || ''));
    await sp.waitForSelector('#kikan-list .confirm-form');
    eq(await sp.textContent('#kikan-org'), '所属: さいたま経営支援株式会社（認定経営革新等支援機関）', 'acting for the organisation');
    await axe(sp, '支援機関の受信箱');
    await sp.getByLabel('確認の内容（所見）').fill('事業計画の策定を支援しました。');
    await sp.click('#kikan-list .confirm-form button[type=submit]');
    await sp.waitForFunction(() => document.getElementById('status').textContent.includes('確認しました'));
    await sp.waitForSelector('#kikan-list li:not(:has(form))');
    assert((await sp.textContent('#kikan-list li')).includes('状態: 確認済み'), 'confirmed in the inbox');
    // the owner's page: the fact confirmed, by whom
    await ow.reload();
    await ow.waitForSelector('#party-facts');
    eq(await ow.textContent('#party-table .inv-state'), '確認済み', 'the invitation is confirmed');
    eq(await ow.textContent('#party-facts tr[data-fact="advisor"] .fact-value'), 'はい', 'the fact is confirmed true');
    eq(await ow.textContent('#party-facts tr[data-fact="advisor"] .fact-by'), '認定経営革新等支援機関 さいたま経営支援株式会社', 'confirmed by the organisation');
    await axe(ow, '支援者・ITベンダー (confirmed)');
    eq([ow.errors, sp.errors], [[], []], 'no script errors');
  });

  // a vendor registers its organisation and a tool, submits it; staff refuse it (the reason is
  // required), the vendor sees the reason, edits and submits again; staff approve it
  test('parties pages: a vendor registers and submits an IT tool; staff refuse with a reason, then approve; axe', async () => {
    const ve = email('vendor');
    const su = await fetch(t.url() + 'api/v1/auth/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: ve, password: PASSWORD, name: 'ベンダー 花子' }) });
    eq(su.status, 201, 'vendor signed up');
    const se = email('staff');
    const ad = await t.staff(se, PASSWORD);
    const pr = await fetch(t.url() + 'api/v1/admin/accounts/' + (await su.json()).account.id, { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': ad.csrf, Cookie: ad.cookie }, body: JSON.stringify({ roles: ['applicant', 'vendor'] }) });
    eq(pr.status, 200, 'vendor role given');
    const vp = await page0('#account');
    await signIn(vp, ve);
    assert(!(await vp.isHidden('#nav-itool')), 'ITツール is in the navigation');
    await vp.evaluate(() => { location.hash = '#itool'; });
    await vp.waitForSelector('#org-form');
    await vp.getByLabel('機関の名称').fill('テストITベンダー株式会社');
    await vp.click('#org-form button[type=submit]');
    await vp.waitForSelector('#tool-form');
    await vp.getByLabel('名称', { exact: true }).fill('販売・会計クラウド');
    await vp.selectOption('#tl-kind', 'software');
    await vp.click('#tool-form button[type=submit]'); // software without a process: refused by the server
    await vp.waitForSelector('#tool-form [aria-invalid="true"]');
    await vp.check('#tl-P-01');
    await vp.check('#tl-P-02');
    await vp.check('#tl-linked');
    await vp.click('#tool-form button[type=submit]');
    await vp.waitForSelector('#itool-table tbody tr');
    eq(await vp.$$eval('#itool-table tbody tr td', (l) => l.slice(0, 5).map((x) => x.textContent)), ['販売・会計クラウド', 'ソフトウェア', 'P-01、P-02', 'はい', '下書き'], 'the tool as registered');
    await axe(vp, 'ITツール');
    await vp.getByRole('button', { name: '販売・会計クラウド を審査に出す' }).click();
    await vp.waitForFunction(() => (document.querySelector('#itool-table .tool-state') || {}).textContent === '審査待ち');
    // staff: refuse without a reason (stopped in the page), with one, then approve the next submission
    const st = await page0('#account');
    await signIn(st, se);
    await st.evaluate(() => { location.hash = '#toolreview'; });
    await st.waitForSelector('#review-table');
    await axe(st, 'ITツールの審査');
    await st.getByRole('button', { name: '不承認' }).click();
    await st.waitForSelector('#review-table input[aria-invalid="true"]');
    await st.getByLabel('販売・会計クラウド を不承認にする理由').fill('プロセスの説明が足りません。');
    await st.getByRole('button', { name: '不承認' }).click();
    await st.waitForSelector('#review-none');
    await vp.reload();
    await vp.waitForSelector('#itool-table tbody tr');
    eq(await vp.textContent('#itool-table .tool-state'), '不承認（理由: プロセスの説明が足りません。）', 'the vendor sees the reason');
    await vp.getByRole('button', { name: '販売・会計クラウド を編集' }).click();
    await vp.check('#tl-P-03');
    await vp.click('#tool-form button[type=submit]');
    await vp.waitForFunction(() => (document.querySelector('#itool-table .tool-state') || {}).textContent === '下書き');
    await vp.getByRole('button', { name: '販売・会計クラウド を審査に出す' }).click();
    await vp.waitForFunction(() => (document.querySelector('#itool-table .tool-state') || {}).textContent === '審査待ち');
    await st.evaluate(() => { location.hash = '#jimu'; location.hash = '#toolreview'; });
    await st.getByRole('button', { name: '販売・会計クラウド を承認' }).click();
    await st.waitForSelector('#review-none');
    await vp.reload();
    await vp.waitForSelector('#itool-table tbody tr');
    eq(await vp.$$eval('#itool-table tbody tr td', (l) => l.slice(2, 5).map((x) => x.textContent)), ['P-01、P-02、P-03', 'はい', '登録済み'], 'approved after the edit');
    eq([vp.errors, st.errors], [[], []], 'no script errors');
  });
};
