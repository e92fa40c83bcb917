// harness.mjs - what the browser tests share: the real server, headless
// Chromium from Debian driven by playwright-core, and the checks every page
// must pass (see README.md beside this file).
//
// The server is started the way tests/testutil.c starts it: a fresh
// installation made with `meldpunt --data DIR init` (MELDPUNT_PWHASH=fast),
// then `meldpunt --data DIR serve --port 0`, whose first line of output
// names the port. Every wait here has a timeout.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axe = require('axe-core');

export const TIMEOUT_MS = 10_000;

// Where screenshots and scratch installations go: the build's test tmp.
export function tmpRoot() {
	const base = process.env.MELDPUNT_TEST_TMP || '/tmp';
	const dir = join(base, 'browser');
	mkdirSync(dir, { recursive: true });
	return dir;
}

function run(bin, args, env, timeoutMs) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${bin} ${args.join(' ')}: no exit within ${timeoutMs} ms`));
		}, timeoutMs);
		child.stdout.on('data', (d) => { out += d; });
		child.stderr.on('data', (d) => { err += d; });
		child.on('error', (e) => { clearTimeout(timer); reject(e); });
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (code === 0)
				resolve(out);
			else
				reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${err}`));
		});
	});
}

// A fresh installation and the server on it. Returns { base, pid, stop() }.
export async function startServer() {
	const bin = process.env.MELDPUNT_BIN;
	if (!bin)
		throw new Error('MELDPUNT_BIN is not set (run through ctest)');
	const dir = mkdtempSync(join(tmpRoot(), 'data-'));
	const env = { ...process.env, MELDPUNT_PWHASH: 'fast' };
	const initOut = await run(bin, ['--data', dir, 'init'], env, 60_000);
	// The first admin's one-time password, for the staff flows.
	const otp = (/One-time password[^:]*:\s+(\S+)/.exec(initOut) || [])[1];
	// The recovery key: the integrity keyring is sealed to it alone, so
	// the admin types it in to grant that keyring.
	const recovery = (/RECOVERY KEY[^]*?\n\n[ \t]+(\S[^\n]*)\n/.exec(initOut) || [])[1];

	// The server's log goes where test_suite_log.sh searches every log
	// of the suite for the clients' address and user agent (SECURITY.md).
	const log = openSync(join(tmpRoot(), `server-${process.pid}-${Date.now()}.log`), 'a', 0o600);
	const child = spawn(bin, ['--data', dir, 'serve', '--port', '0'], {
		env, stdio: ['ignore', 'pipe', log],
	});
	closeSync(log);
	const base = await new Promise((resolve, reject) => {
		let line = '';
		const timer = setTimeout(() => {
			reject(new Error('the server did not announce its port within 20 s'));
		}, 20_000);
		child.on('error', (e) => { clearTimeout(timer); reject(e); });
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the server exited ${code} before serving`));
		});
		child.stdout.on('data', (d) => {
			line += d;
			const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
	}).catch((e) => {
		child.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
		throw e;
	});
	child.removeAllListeners('exit');
	child.stdout.resume();

	const stop = () => new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) {
			rmSync(dir, { recursive: true, force: true });
			resolve(child.exitCode);
			return;
		}
		const kill = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 10_000);
		child.on('exit', (code) => {
			clearTimeout(kill);
			rmSync(dir, { recursive: true, force: true });
			resolve(code);
		});
		process.kill(child.pid, 'SIGTERM');
	});
	return { base, pid: child.pid, dir, stop, otp, recovery };
}

// Headless Chromium from Debian: never a browser download.
export async function launchBrowser() {
	return chromium.launch({
		executablePath: process.env.MELDPUNT_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		timeout: 30_000,
		// playwright gives every launch a fresh, temporary user-data-dir.
		args: [
			'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync',
		],
	});
}

// A fresh context (no cookies) and page, with every timeout bounded and a
// record of what the page asked for: scripts, failed requests, CSP and
// console errors. Phone-sized unless told otherwise: the pages are mobile
// first.
export async function newPage(browser, base, opts = {}) {
	const context = await browser.newContext({
		baseURL: base,
		viewport: opts.viewport || { width: 390, height: 844 },
		javaScriptEnabled: opts.javaScriptEnabled ?? true,
		locale: opts.locale || 'nl-NL',
	});
	context.setDefaultTimeout(TIMEOUT_MS);
	context.setDefaultNavigationTimeout(15_000);
	const page = await context.newPage();
	const log = { scripts: [], failed: [], console: [] };
	page.on('request', (r) => {
		if (r.resourceType() === 'script')
			log.scripts.push(r.url());
	});
	// A request the browser itself cancelled because the page moved on
	// (ERR_ABORTED, typically the favicon of a page left at once) is no
	// fault of the server; every other failure is.
	page.on('requestfailed', (r) => {
		const why = r.failure()?.errorText;
		if (why !== 'net::ERR_ABORTED')
			log.failed.push(`${r.url()} (${why})`);
	});
	page.on('response', (r) => {
		// The page itself may be a 404 on purpose; its resources may not.
		// Browsers ask for /favicon.ico by themselves; pages link
		// /assets/favicon.svg.
		if (r.status() >= 400 && r.request().resourceType() !== 'document' &&
		    new URL(r.url()).pathname !== '/favicon.ico')
			log.failed.push(`${r.url()} (${r.status()})`);
	});
	page.on('console', (m) => {
		// Load failures are judged above, by status and resource type.
		if ((m.type() === 'error' || m.type() === 'warning') &&
		    !m.text().startsWith('Failed to load resource'))
			log.console.push(m.text());
	});
	page.on('pageerror', (e) => log.console.push(String(e)));
	page.meldpuntLog = log;
	return { context, page };
}

// The checks every page passes. Throws an Error listing what failed.
//   - no script: none requested, none in the document;
//   - nothing failed to load, no CSP violation or console error;
//   - the CSS applied: the theme's tokens are defined, our stylesheet's
//     layout is in force (unless entry.styled === false);
//   - no axe-core violation of WCAG 2.0/2.1 A and AA;
//   - a screenshot NAME.png in the test tmp folder (also on failure).
export async function checkPage(page, name, entry = {}) {
	const problems = [];
	const log = page.meldpuntLog;
	const shot = join(tmpRoot(), `${name}.png`);

	// Before axe goes in: it is evaluated through the DevTools protocol,
	// not as a <script>, so the page's CSP stays as the server sent it.
	const dom = await page.evaluate(() => ({
		scripts: document.scripts.length,
		handlers: [...document.querySelectorAll('*')].filter((el) =>
			[...el.attributes].some((a) => a.name.startsWith('on'))).length,
		// axe leaves an empty style="" behind where it measured colours;
		// that declares nothing, so a second check of the same page
		// (checkPageWidths) does not count it.
		inlineStyles: document.querySelectorAll('[style]:not([style=""]), style').length,
		sheets: [...document.styleSheets].map((s) => s.href),
		token: getComputedStyle(document.documentElement)
			.getPropertyValue('--basis-color-default-bg-document').trim(),
		ours: getComputedStyle(document.documentElement)
			.getPropertyValue('--meldpunt-gutter').trim(),
		font: getComputedStyle(document.body).fontFamily,
		lang: document.documentElement.lang,
		title: document.title,
		// A page wider than the window makes a phone user scroll sideways
		// to read every line; wide tables scroll in a box of their own.
		width: document.documentElement.scrollWidth,
		viewport: window.innerWidth,
		widest: [...document.body.querySelectorAll('*')]
			.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
				&& !el.closest('.meldpunt-table-scroll'))
			.slice(-1).map((el) => el.tagName.toLowerCase()
				+ (el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : '')),
	}));
	if (dom.width > dom.viewport)
		problems.push(`the page is ${dom.width} px wide in a ${dom.viewport} px window (${dom.widest.join(', ')})`);
	if (log.scripts.length || dom.scripts)
		problems.push(`loads script: ${log.scripts.join(', ') || `${dom.scripts} <script> element(s)`}`);
	if (dom.handlers)
		problems.push(`${dom.handlers} element(s) with on* event handler attributes`);
	if (dom.inlineStyles)
		problems.push(`${dom.inlineStyles} inline style(s): the CSP forbids them, use a class`);
	if (log.failed.length)
		problems.push(`failed to load: ${log.failed.join(', ')}`);
	if (log.console.length)
		problems.push(`console: ${log.console.join(' | ')}`);
	if (!dom.lang)
		problems.push('<html> has no lang');
	if (entry.styled !== false) {
		if (!dom.token)
			problems.push('theme tokens not applied (--basis-color-default-bg-document is empty)');
		if (!dom.ours)
			problems.push('meldpunt.css not applied (--meldpunt-gutter is empty)');
		if (!/sans|serif|mono/i.test(dom.font) || /^"?Times/i.test(dom.font))
			problems.push(`document font not set by the theme: ${dom.font}`);
	}

	// Once per document: a second check of the same page (another width)
	// reuses it, which saves half a second of parsing.
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(axe.source);
	const result = await page.evaluate(() => window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
		resultTypes: ['violations'],
	}));
	for (const v of result.violations) {
		const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
		problems.push(`axe ${v.id} (${v.impact}): ${v.help} at ${where}`);
	}

	await page.screenshot({ path: shot, fullPage: true, timeout: TIMEOUT_MS });
	if (problems.length)
		throw new Error(`${problems.join('\n    ')}\n    screenshot: ${shot}`);
	return dom;
}

// The text of the element matching selector, whitespace squeezed: for
// flows that read something off the page (a receipt, a status).
export async function textOf(page, selector) {
	const t = await page.locator(selector).first().textContent({ timeout: TIMEOUT_MS });
	return (t || '').replace(/\s+/g, ' ').trim();
}

// checkPage at phone width (NAME) and at desktop width (NAME-desktop), for
// flows: a page reached by steps is checked at both sizes like the pages
// of pages.mjs. The viewport is left as it was.
// entry.layout(page, width), when given, checks the layout at each width
// (after the axe check); it throws to fail.
export async function checkPageWidths(page, name, entry = {}) {
	const before = page.viewportSize();
	await page.setViewportSize({ width: 390, height: 844 });
	await checkPage(page, name, entry);
	await entry.layout?.(page, 390);
	await page.setViewportSize({ width: 1280, height: 900 });
	try {
		await checkPage(page, `${name}-desktop`, entry);
		await entry.layout?.(page, 1280);
	} finally {
		await page.setViewportSize(before);
	}
}

// The boxes of the elements selector matches: [{ x, y, right, bottom,
// lines }], lines being the element's height in lines of its own text.
export async function boxes(page, selector) {
	return page.locator(selector).evaluateAll((els) => els.map((e) => {
		const r = e.getBoundingClientRect();
		const lh = parseFloat(getComputedStyle(e).lineHeight) || 1;
		return { x: r.left, y: r.top, right: r.right, bottom: r.bottom,
			lines: Math.round(r.height / lh) };
	}));
}

// The ids of the elements an error summary's links point to, and whether
// each exists: [{ href, text, exists }].
export async function summaryLinks(page, selector = '.utrecht-alert--error a[href^="#"]') {
	return page.locator(selector).evaluateAll((links) => links.map((a) => ({
		href: a.getAttribute('href'),
		text: a.textContent.trim(),
		exists: !!document.getElementById(a.getAttribute('href').slice(1)),
	})));
}

// Press the submit button called name and wait for the page the POST
// brings back. Returns that response's HTTP status.
export async function submit(page, name) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' &&
			r.request().resourceType() === 'document'),
		page.getByRole('button', { name }).click(),
	]);
	await page.waitForLoadState('load');
	return resp.status();
}

// Send a report form whose questions are filled, read the receipt off
// the page, and come back with it on /status as on another day: the
// status page must read state. Returns the receipt. what names the report
// in errors.
export async function sendAndComeBack(page, what, state = 'Ontvangen') {
	if (await submit(page, 'Melding versturen') !== 200)
		throw new Error(`the ${what} was refused: ${await textOf(page, 'main')}`);
	const receipt = await textOf(page, '#receipt');
	if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(receipt))
		throw new Error(`no receipt on the page: "${receipt}"`);
	await page.goto('/status');
	await page.getByLabel('Ontvangstcode').fill(receipt);
	await submit(page, 'Bekijken');
	if (await textOf(page, '#state') !== state)
		throw new Error(`status reads "${await textOf(page, '#state')}"`);
	return receipt;
}

// The questions for a name and contact are hidden (CSS only) once the
// reporter chooses to report anonymously.
export async function assertContactHidden(page, what) {
	for (const label of ['Uw naam', 'Uw e-mailadres', 'Uw telefoonnummer'])
		if (await page.getByLabel(label).isVisible())
			throw new Error(`"${label}" is still shown for an anonymous ${what}`);
}

// A small PNG for upload fields, made here rather than kept as a binary.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++)
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

// A real PNG: 16 by 16 pixels, a red square on grey.
export function smallPng() {
	const size = 16;
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8;	// bit depth
	ihdr[9] = 2;	// truecolour
	const rows = [];
	for (let y = 0; y < size; y++) {
		rows.push(0);	// filter: none
		for (let x = 0; x < size; x++) {
			const inside = x > 3 && x < 12 && y > 3 && y < 12;
			rows.push(inside ? 200 : 128, inside ? 30 : 128, inside ? 30 : 128);
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.from(rows))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
