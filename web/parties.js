// hojo pages of the parties (issue 10 §4), loaded before web/office.js and
// using its helpers (hojo.office): on the application's page the owner
// invites a 支援機関 or IT vendor and sees the facts they confirmed; the
// party's inbox (confirm with a statement and an end date, revoke); the
// vendor's IT tools (organisation, create, edit, submit); the secretariat's
// review of submitted tools (approve, refuse with a reason). Talks only to
// the routes of docs/api.md "Parties and the IT tool registry".
'use strict';
(function () {
  const hojo = window.hojo;
  if (!hojo) return;
  const { el, status } = hojo;
  const $ = (id) => document.getElementById(id);
  const o = () => hojo.office;
  const KINDS = { support_agency: '認定経営革新等支援機関', bank: '金融機関', chamber: '商工会・商工会議所', it_vendor: 'IT導入支援事業者' };
  const ISTATE = { pending: '回答待ち', confirmed: '確認済み', expired: '期限切れ', revoked: '取消し' };
  const TSTATE = { draft: '下書き', submitted: '審査待ち', approved: '登録済み', refused: '不承認' };
  const TKIND = { software: 'ソフトウェア', hardware: 'ハードウェア', option: 'オプション', service: '役務' };
  const PROCS = ['P-01', 'P-02', 'P-03', 'P-04', 'P-05', 'P-06', 'P-07'];
  const ok = (r) => r.status >= 200 && r.status < 300;
  const orgName = (g) => (g && g.name ? g.name : '');
  const until = (v) => (v ? v + (v.length === 16 ? ':00' : '') + '+09:00' : undefined);
  const value = (v) => (v === null || v === undefined ? '未確認' : v === true ? 'はい' : v === false ? 'いいえ' : String(v));

  // the owner's section on the application's page: invitations and the facts they confirm
  hojo.parties = async function (box, id, owner, open) {
    const { call, fail, field, when, firstMessage } = o();
    const r = await call('GET', 'applications/' + id + '/parties');
    if (r.status !== 200) return;
    const p = r.json.parties || {};
    const sec = el('section', { id: 'parties', 'aria-labelledby': 'parties-h' }, el('h2', { id: 'parties-h', text: '支援者・ITベンダー' }));
    const redraw = () => { sec.remove(); hojo.parties(box, id, owner, open); };
    const invs = p.invitations || [];
    sec.append(el('h3', { text: '依頼の一覧' }));
    if (!invs.length) sec.append(el('p', { id: 'party-none', text: 'まだ依頼はありません。' }));
    else {
      sec.append(el('table', { id: 'party-table' }, el('caption', { text: '支援者・ITベンダーへの依頼' }),
        el('thead', {}, el('tr', {}, ['種類', '宛先', '状態', '期限', ''].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, invs.map((x) => el('tr', { 'data-invitation': x.id },
          el('td', { text: x.kind_name || KINDS[x.kind] || x.kind }),
          el('td', { text: [x.email, orgName(x.organisation)].filter(Boolean).join(' / ') }),
          el('td', { class: 'inv-state', text: ISTATE[x.state] || x.state }),
          el('td', { text: x.until ? when(x.until) : '—' }),
          el('td', {}, owner && x.state !== 'revoked' ? el('button', { type: 'button', text: '取り消す', 'aria-label': (x.email || orgName(x.organisation)) + ' への依頼を取り消す', onclick: async () => {
            const d = await call('DELETE', 'applications/' + id + '/parties/' + x.id);
            if (ok(d)) { status('依頼を取り消しました。'); redraw(); } else status('取り消せません: ' + firstMessage(d));
          } }) : null))))));
    }
    const facts = p.facts || [];
    if (facts.length) {
      sec.append(el('table', { id: 'party-facts' }, el('caption', { text: '支援者・ITベンダーが確認する事項' }),
        el('thead', {}, el('tr', {}, ['事項', '値', '確認した者', '日時'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, facts.map((f) => el('tr', { 'data-fact': f.fact },
          el('td', { text: f.label || f.fact }),
          el('td', { class: 'fact-value', text: f.confirmed ? value(f.value) : f.pending ? '回答待ち' : '未確認' }),
          el('td', { class: 'fact-by', text: f.by ? [f.by.kind_name, orgName(f.by.organisation)].filter(Boolean).join(' ') : '—' }),
          el('td', { text: f.by && f.by.at ? when(f.by.at) : '—' }))))));
    }
    if (owner && open) {
      const f = el('form', { id: 'party-form', novalidate: true }, el('h3', { text: '支援者・ITベンダーに確認を依頼する（相手はその種類のアカウントで受け取ります）' }),
        field('pt-kind', '種類', { tag: 'select', 'data-input': 'kind' }),
        field('pt-email', '相手のメールアドレス', { type: 'email', 'data-input': 'email' }, 'メールアドレスか、下の登録済みの機関のどちらかを指定します。'),
        field('pt-org', '登録済みの機関（任意）', { tag: 'select', 'data-input': 'organisation' }),
        el('div', { class: 'actions' }, el('button', { type: 'submit', text: '依頼する' })));
      const kind = f.querySelector('#pt-kind');
      Object.keys(KINDS).forEach((k) => kind.append(el('option', { value: k, text: KINDS[k] })));
      const orgs = f.querySelector('#pt-org');
      const loadOrgs = async () => {
        orgs.textContent = '';
        orgs.append(el('option', { value: '', text: '指定しない（メールアドレスで依頼）' }));
        const g = await call('GET', 'parties/organisations?kind=' + encodeURIComponent(kind.value));
        if (g.status === 200) (g.json.organisations || []).forEach((x) => orgs.append(el('option', { value: String(x.id), text: x.name })));
      };
      kind.addEventListener('change', loadOrgs);
      loadOrgs();
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const body = { kind: kind.value };
        if (orgs.value) body.organisation = Number(orgs.value); else body.email = f.querySelector('#pt-email').value.trim();
        const x = await call('POST', 'applications/' + id + '/parties', body);
        if (x.status === 201) { status((body.email || '機関') + ' に依頼しました。'); redraw(); } else fail(f, x);
      });
      sec.append(f);
    }
    const old = $('parties');
    if (old) old.remove();
    if (box.isConnected && box.querySelector('#app-state-text')) box.append(sec);
  };

  // the party's inbox: confirm (statement, end date) or revoke
  hojo.views.kikan = async () => {
    const box = $('kikan-body');
    const { call, fail, field, need, when, firstMessage } = o() || {};
    if (!o() || !need(box, 'apps')) return;
    box.textContent = '読み込み中…';
    const r = await call('GET', 'parties/invitations');
    box.textContent = '';
    if (r.status !== 200) { box.append(el('p', { text: '受信箱を開けません: ' + firstMessage(r) })); return; }
    const g = await call('GET', 'parties/organisation');
    const org = g.status === 200 ? g.json.organisation : null;
    box.append(el('p', { id: 'kikan-org', text: org ? '所属: ' + org.name + '（' + (org.kind_name || KINDS[org.kind]) + '）' : '所属する機関がまだありません。' }));
    if (!org) box.append(orgForm(box, Object.keys(KINDS).filter((k) => k !== 'it_vendor' || (o().me().account.roles || []).includes('vendor')), () => hojo.views.kikan()));
    const xs = r.json.invitations || [];
    if (!xs.length) { box.append(el('p', { id: 'kikan-none', text: '受け取った依頼はありません。' })); return; }
    const ul = el('ul', { id: 'kikan-list', class: 'cards' });
    xs.forEach((x) => {
      const a = x.application || {};
      const li = el('li', { 'data-invitation': x.id }, el('h2', { text: (a.company_name || '申請 ' + a.id) + ' — ' + (a.call_title || '') }),
        el('p', { text: (x.kind_name || KINDS[x.kind]) + 'として / 状態: ' + (ISTATE[x.state] || x.state) + (x.until ? ' / 期限 ' + when(x.until) : '') }));
      if (x.state === 'pending') {
        const f = el('form', { class: 'confirm-form', novalidate: true },
          field('kc-st-' + x.id, '確認の内容（所見）', { tag: 'textarea', 'data-input': 'statement', rows: 3 }),
          field('kc-until-' + x.id, '確認の期限（任意、日本時間）', { type: 'datetime-local', 'data-input': 'until' }),
          el('div', { class: 'actions' }, el('button', { type: 'submit', text: '確認する' })));
        f.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          const body = { statement: f.querySelector('textarea').value.trim() };
          const u = until(f.querySelector('input').value);
          if (u) body.until = u;
          const c = await call('POST', 'parties/invitations/' + x.id + '/confirm', body);
          if (c.status === 200) { status('確認しました。'); hojo.views.kikan(); } else fail(f, c);
        });
        li.append(f);
      }
      if (x.state === 'pending' || x.state === 'confirmed') {
        li.append(el('div', { class: 'actions' }, el('button', { type: 'button', text: x.state === 'pending' ? '辞退する' : '確認を取り消す', onclick: async () => {
          const c = await call('POST', 'parties/invitations/' + x.id + '/revoke');
          if (c.status === 200) { status('取り消しました。'); hojo.views.kikan(); } else status('取り消せません: ' + firstMessage(c));
        } })));
      }
      ul.append(li);
    });
    box.append(ul);
  };
  // the organisation the account acts for, created here when it has none
  function orgForm(box, kinds, done) {
    const { call, fail, field } = o();
    const f = el('form', { id: 'org-form', novalidate: true }, el('h2', { text: '機関を登録する' }),
      field('og-kind', '種類', { tag: 'select', 'data-input': 'kind' }),
      field('og-name', '機関の名称', { 'data-input': 'name' }),
      field('og-reg', '登録番号（任意）', { 'data-input': 'registration' }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: '登録する' })));
    kinds.forEach((k) => f.querySelector('#og-kind').append(el('option', { value: k, text: KINDS[k] })));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { kind: f.querySelector('#og-kind').value, name: f.querySelector('#og-name').value.trim() };
      const reg = f.querySelector('#og-reg').value.trim();
      if (reg) body.registration = reg;
      const r = await call('POST', 'parties/organisations', body);
      if (r.status === 201) { status('機関を登録しました。'); done(); } else fail(f, r);
    });
    return f;
  }

  // the vendor's IT tools
  hojo.views.itool = async () => {
    const box = $('itool-body');
    if (!o() || !o().need(box, 'apps')) return;
    const { call, firstMessage } = o();
    box.textContent = '読み込み中…';
    const g = await call('GET', 'parties/organisation');
    box.textContent = '';
    if (g.status !== 200) { box.append(el('p', { text: 'ITツールの画面は IT導入支援事業者のアカウントで使います。' })); return; }
    const org = g.json.organisation;
    if (!org) { box.append(el('p', { text: 'まず IT導入支援事業者として機関を登録してください。' }), orgForm(box, ['it_vendor'], () => hojo.views.itool())); return; }
    box.append(el('p', { text: '所属: ' + org.name }));
    const r = await call('GET', 'vendor/tools');
    const xs = r.status === 200 ? r.json.tools || [] : [];
    box.append(toolTable('itool-table', '自社のITツール', xs, (x) => [
      x.state === 'draft' || x.state === 'refused' ? el('button', { type: 'button', text: '編集', 'aria-label': x.name + ' を編集', onclick: () => { box.querySelector('#tool-form').replaceWith(toolForm(box, x)); $('tl-name').focus(); } }) : null,
      x.state === 'draft' ? el('button', { type: 'button', text: '審査に出す', 'aria-label': x.name + ' を審査に出す', onclick: async () => {
        const s = await call('POST', 'tools/' + x.id + '/submit');
        if (s.status === 200) { status(x.name + ' を審査に出しました。'); hojo.views.itool(); } else status('審査に出せません: ' + firstMessage(s));
      } }) : null]));
    box.append(toolForm(box, null));
  };
  function toolTable(id, caption, xs, actions) {
    return el('table', { id }, el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, ['名称', '種類', 'プロセス', '連携型', '状態', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, xs.map((x) => el('tr', { 'data-tool': x.id },
        el('td', { text: x.name }), el('td', { text: TKIND[x.kind] || x.kind }), el('td', { text: (x.processes || []).join('、') || '—' }),
        el('td', { text: x.linked ? 'はい' : 'いいえ' }),
        el('td', { class: 'tool-state', text: (TSTATE[x.state] || x.state) + (x.reason ? '（理由: ' + x.reason + '）' : '') }),
        el('td', {}, actions(x))))));
  }
  function toolForm(box, t) {
    const { call, fail, field } = o();
    const f = el('form', { id: 'tool-form', novalidate: true }, el('h2', { text: t ? t.name + ' を編集する' : 'ITツールを登録する' }),
      field('tl-name', '名称', { 'data-input': 'name', value: t ? t.name : '' }),
      field('tl-kind', '種類', { tag: 'select', 'data-input': 'kind' }),
      el('fieldset', { 'data-input': 'processes' }, el('legend', { text: 'プロセス（ソフトウェアは1つ以上）' }),
        PROCS.map((p) => el('div', { class: 'check' }, el('label', { for: 'tl-' + p }, el('input', { type: 'checkbox', id: 'tl-' + p, value: p, checked: !!(t && (t.processes || []).includes(p)) }), p)))),
      el('div', { class: 'check' }, el('label', { for: 'tl-linked' }, el('input', { type: 'checkbox', id: 'tl-linked', checked: !!(t && t.linked) }), '連携型（複数のプロセスをつなぐ）')),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: t ? '保存する' : '登録する' })));
    const kind = f.querySelector('#tl-kind');
    Object.keys(TKIND).forEach((k) => kind.append(el('option', { value: k, text: TKIND[k] })));
    if (t) kind.value = t.kind;
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { name: $('tl-name').value.trim(), kind: kind.value, processes: PROCS.filter((p) => $('tl-' + p).checked), linked: $('tl-linked').checked };
      const r = await call(t ? 'PUT' : 'POST', 'tools' + (t ? '/' + t.id : ''), body);
      if (ok(r)) { status(body.name + ' を保存しました。'); hojo.views.itool(); } else fail(f, r);
    });
    return f;
  }

  // the secretariat: tools awaiting review
  hojo.views.toolreview = async () => {
    const box = $('toolreview-body');
    if (!o() || !o().need(box, 'apps')) return;
    const { call, fail, field, firstMessage } = o();
    box.textContent = '読み込み中…';
    const r = await call('GET', 'review/tools?state=submitted');
    box.textContent = '';
    if (r.status !== 200) { box.append(el('p', { text: 'この画面は事務局のアカウントで使います。' })); return; }
    const xs = r.json.tools || [];
    if (!xs.length) { box.append(el('p', { id: 'review-none', text: '審査待ちのITツールはありません。' })); return; }
    box.append(toolTable('review-table', '審査待ちのITツール', xs, (x) => {
      const f = el('form', { class: 'refuse-form', novalidate: true },
        field('rf-' + x.id, x.name + ' を不承認にする理由', { 'data-input': 'reason' }),
        el('button', { type: 'submit', text: '不承認' }));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const reason = f.querySelector('input').value.trim();
        if (!reason) { hojo.showErrors(f, { message: '理由を入力してください。', errors: [{ type: 'missing_field', field: 'reason', message: '理由を入力してください。' }] }); return; }
        const d = await call('POST', 'tools/' + x.id + '/refuse', { reason });
        if (d.status === 200) { status(x.name + ' を不承認にしました。'); hojo.views.toolreview(); } else fail(f, d);
      });
      return [el('button', { type: 'button', text: '承認', 'aria-label': x.name + ' を承認', onclick: async () => {
        const d = await call('POST', 'tools/' + x.id + '/approve');
        if (d.status === 200) { status(x.name + ' を承認しました。'); hojo.views.toolreview(); } else status('承認できません: ' + firstMessage(d));
      } }), f];
    }));
  };
}());
