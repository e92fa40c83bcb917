// run.mjs - the browser test: the real server, headless Chromium, axe-core.
//
// Visits every page in pages.mjs (at phone and desktop width) and runs
// every flow in flows/*.mjs, each in a fresh browser context. A page or
// flow fails on any axe violation (WCAG 2.0/2.1 A and AA), any script, any
// resource that fails to load, a CSP violation or a console error, or CSS
// that did not apply. Screenshots go to $MELDPUNT_TEST_TMP/browser/.
// Prints "ok - NAME" or "FAIL - NAME" per check and a last line
// "N passed, N failed"; exits 1 on any failure.
//
//   node tests/browser/run.mjs [NAME...]   (run through ctest: test_browser)
import { readdirSync } from 'node:fs';
import { checkPage, launchBrowser, newPage, startServer, tmpRoot } from './harness.mjs';
import pages from './pages.mjs';

// The whole run is bounded, whatever hangs: under test_browser.sh's 280 s
// (the ASan build on this shared 2-core machine, under a full ctest -j2,
// needs over two minutes).
const DEADLINE_MS = 270_000;
const only = process.argv.slice(2);
let server = null;
let browser = null;
let passed = 0;
let failed = 0;

const watchdog = setTimeout(async () => {
	console.log(`FAIL - the browser test did not finish within ${DEADLINE_MS / 1000} s`);
	if (server)
		process.kill(server.pid, 'SIGKILL');
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

async function check(name, fn) {
	if (only.length && !only.some((o) => name.startsWith(o)))
		return;
	const t0 = Date.now();
	try {
		await fn();
		passed++;
		console.log(`ok - ${name} (${Date.now() - t0} ms)`);
	} catch (e) {
		failed++;
		console.log(`FAIL - ${name}: ${e.message}`);
	}
}

// One page, loaded once: checked at its width (a phone's by default), then
// at desktop width (NAME-desktop) unless desktop is false.
async function visit(entry) {
	const width = entry.width ?? 390;
	const { context, page } = await newPage(browser, server.base, {
		viewport: { width, height: width > 800 ? 900 : 844 },
	});
	try {
		const resp = await page.goto(entry.path);
		const want = entry.status ?? 200;
		if (!resp || resp.status() !== want)
			throw new Error(`status ${resp && resp.status()}, want ${want}`);
		await checkPage(page, entry.name, entry);
		if (entry.desktop !== false) {
			await page.setViewportSize({ width: 1280, height: 900 });
			await checkPage(page, `${entry.name}-desktop`, entry);
		}
	} finally {
		await context.close();
	}
}

async function main() {
	server = await startServer();
	browser = await launchBrowser();
	console.log(`# ${server.base}, Chromium ${browser.version()}`);
	// Every page at 390 px (NAME.png) and 1280 px (NAME-desktop.png).
	console.log(`# screenshots: ${tmpRoot()}`);

	// Both widths in one load (a fresh context per page and width cost
	// the time the suite under load does not have).
	for (const entry of pages)
		await check(`page ${entry.name}`, () => visit(entry));

	const dir = new URL('./flows/', import.meta.url);
	const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
	for (const f of files) {
		const flow = await import(new URL(f, dir));
		await check(`flow ${flow.name}`, async () => {
			const { context, page } = await newPage(browser, server.base, flow.options);
			try {
				await flow.run({ page, context, base: server.base,
					request: context.request, server });
			} finally {
				await context.close();
			}
		});
	}
}

try {
	await main();
} catch (e) {
	failed++;
	console.log(`FAIL - setup: ${e.message}`);
} finally {
	if (browser)
		await browser.close().catch(() => {});
	if (server) {
		const code = await server.stop();
		if (code !== 0) {
			failed++;
			console.log(`FAIL - the server exited ${code} at SIGTERM`);
		}
	}
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
