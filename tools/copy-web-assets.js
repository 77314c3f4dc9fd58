// Copy the Digital Agency design tokens (npm @digital-go-jp/design-tokens)
// into web/vendor/ so that the page serves them as a static file. Run by
// "npm ci" (postinstall in package.json); web/vendor/ is not committed.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
const src = path.join(root, 'node_modules', '@digital-go-jp', 'design-tokens', 'dist', 'tokens.css');
const dstDir = path.join(root, 'web', 'vendor');
fs.mkdirSync(dstDir, { recursive: true });
if (!fs.existsSync(src)) {
	console.error('hojo: design tokens not found: ' + src);
	process.exit(1);
}
fs.copyFileSync(src, path.join(dstDir, 'tokens.css'));
