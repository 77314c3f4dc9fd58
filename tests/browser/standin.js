// A stand-in for "hojo serve", for the browser tests while the real server
// is not in main: it serves web/ and answers the routes of docs/api.md by
// running the CLI (build/hojo ... --json) on the request body. Same JSON
// as the CLI by construction; not a production server.
//   node tests/browser/standin.js [PORT]   (0 or none: a free port)
// Prints "listening http://127.0.0.1:PORT/" when ready.
'use strict';
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');

const root = path.join(__dirname, '..', '..');
const hojo = process.env.HOJO || path.join(root, 'build', 'hojo');
const webDir = path.join(root, 'web');
const types = {
	'.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
	'.svg': 'image/svg+xml; charset=utf-8', '.png': 'image/png', '.ico': 'image/x-icon',
};
let rulesHash = '';

function run(args, cb) {
	execFile(hojo, args, { maxBuffer: 64 << 20, encoding: 'buffer' }, (err, out, errOut) => {
		cb(err ? (err.code || 3) : 0, out, errOut.toString('utf8'));
	});
}

function send(res, status, type, body, extra) {
	res.writeHead(status, Object.assign({ 'Content-Type': type, 'X-Rules-Version': rulesHash,
		'Cache-Control': 'no-store' }, extra || {}));
	res.end(body);
}

function error(res, status, message, errors) {
	send(res, status, 'application/json; charset=utf-8',
		JSON.stringify({ status, message, errors: errors || [] }));
}

// "hojo: 入力エラー: FILE:12:3: applicant.capital: message" -> 422 with the field
function cliError(res, code, stderr) {
	const line = stderr.split('\n').find((l) => l.trim() !== '') || '';
	if (code === 1) {
		const m = line.match(/^hojo: [^:]*: [^:]*:\d+:\d+: ([A-Za-z0-9_.\[\]]+): (.*)$/);
		if (m) {
			return error(res, 422, '入力に誤りがあります', [{ field: m[1], type: 'invalid_value', message: m[2] }]);
		}
		return error(res, 422, '入力に誤りがあります', [{ field: '', type: 'invalid_value', message: line.replace(/^hojo: /, '') }]);
	}
	return error(res, 503, 'サーバーで処理できませんでした', [{ field: '', type: 'internal', message: line }]);
}

function withBody(req, res, ext, cb) {
	const chunks = [];
	let size = 0;
	req.on('data', (c) => { size += c.length; if (size <= (4 << 20)) chunks.push(c); });
	req.on('end', () => {
		if (size > (4 << 20)) return error(res, 413, '送られたデータが大きすぎます');
		const body = Buffer.concat(chunks);
		if (ext === '.json') {
			try { JSON.parse(body.toString('utf8')); } catch (e) {
				return error(res, 400, 'JSON として読めません', [{ field: '', type: 'malformed_json', message: String(e.message) }]);
			}
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hojo-standin-'));
		const file = path.join(dir, 'input' + ext);
		fs.writeFileSync(file, body);
		res.on('finish', () => fs.rmSync(dir, { recursive: true, force: true }));
		cb(file);
	});
}

function json(res, args) {
	run(args, (code, out, stderr) => {
		if (code !== 0) return cliError(res, code, stderr);
		send(res, 200, 'application/json; charset=utf-8', out);
	});
}

function opts(q) {
	const a = [];
	if (q.get('date')) a.push('--date', q.get('date'));
	if (q.get('program')) a.push('--program', q.get('program'));
	return a;
}

function source(res, cite) {
	run(['source', cite], (code, out, stderr) => {
		if (code !== 0) return error(res, 404, '出典が見つかりません', [{ field: 'cite', type: 'not_found', message: stderr.trim() }]);
		const text = out.toString('utf8');
		const first = text.split('\n')[0];
		const doc = { title: first.replace(/^[^—]*— /, '') };
		const lines = [];
		for (const l of text.split('\n')) {
			const m = l.match(/^\s*>?\s*(\d+) \| (.*)$/);
			if (m) lines.push({ line: Number(m[1]), text: m[2] });
			const k = l.match(/^\s*(発行|日付|ファイル): (.*)$/);
			if (k) doc[{ '発行': 'issuer', '日付': 'date', 'ファイル': 'file' }[k[1]]] = k[2];
		}
		send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ document: doc, lines: lines.length ? lines : null }));
	});
}

function handle(req, res) {
	const u = new URL(req.url, 'http://x');
	const p = u.pathname;
	const q = u.searchParams;
	const get = req.method === 'GET';
	const post = req.method === 'POST';
	if (p === '/healthz') return send(res, 200, 'application/json; charset=utf-8', '{"status":"ok"}');
	if (p.startsWith('/api/')) {
		let m;
		if (p === '/api/v1/facts' && get) return json(res, ['facts', '--json']);
		if (p === '/api/v1/rules' && get) return json(res, ['rules', '--json']);
		if ((m = p.match(/^\/api\/v1\/rules\/([a-z0-9-]+)$/)) && get) return json(res, ['rules', m[1], '--json']);
		if (p === '/api/v1/source' && get) return source(res, q.get('cite') || '');
		if (p === '/api/v1/check' && post) return withBody(req, res, '.json', (f) => json(res, ['check', f, '--json', ...opts(q)]));
		if ((m = p.match(/^\/api\/v1\/explain\/([a-z0-9-]+)$/)) && post)
			return withBody(req, res, '.json', (f) => json(res, ['explain', m[1], f, '--json', ...opts(q)]));
		if (p === '/api/v1/plan' && post) return withBody(req, res, '.json', (f) => json(res, ['plan', f, '--json']));
		if (p === '/api/v1/plan.xlsx' && post) return withBody(req, res, '.json', (f) => {
			const out = f.replace(/input\.json$/, 'plan.xlsx');
			run(['plan', f, '--xlsx', out], (code, _o, stderr) => {
				if (code !== 0) return cliError(res, code, stderr);
				send(res, 200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fs.readFileSync(out),
					{ 'Content-Disposition': 'attachment; filename="plan.xlsx"' });
			});
		});
		if (p === '/api/v1/expenses' && post)
			return withBody(req, res, '.json', (f) => json(res, ['expenses', f, '--json', ...(q.get('frame') ? ['--frame', q.get('frame')] : [])]));
		if (p === '/api/v1/group' && post) return withBody(req, res, '.json', (f) => json(res, ['group', f, '--json']));
		if (p === '/api/v1/batch/summary' && post) return withBody(req, res, '.csv', (f) => json(res, ['batch', f, '--summary', '--json']));
		return error(res, 404, 'そのAPIはありません', [{ field: '', type: 'not_found', message: p }]);
	}
	if (!get) return send(res, 405, 'text/plain; charset=utf-8', '許可されていないメソッドです\n');
	const rel = p === '/' ? 'index.html' : decodeURIComponent(p).replace(/^\/+/, '');
	const file = path.join(webDir, rel);
	if (!file.startsWith(webDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
		return send(res, 404, 'text/plain; charset=utf-8', 'ページが見つかりません\n');
	send(res, 200, types[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file));
}

function start(port, cb) {
	run(['facts', '--json'], (code, out) => {
		if (code === 0) rulesHash = JSON.parse(out.toString('utf8')).rulebook_hash;
		const server = http.createServer(handle);
		server.listen(port, '127.0.0.1', () => cb(server, server.address().port));
	});
}
module.exports = { start };

if (require.main === module) {
	start(Number(process.argv[2] || 0), (_s, port) => console.log('listening http://127.0.0.1:' + port + '/'));
}
