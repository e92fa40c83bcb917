// components.mjs - every component class the pages use, on one page, under
// the server's real stylesheets and security headers: the theme, the
// Utrecht components and meldpunt.css together must pass axe (contrast,
// labels) and keep a visible focus. Also an example of a flow: a fixture
// page, keyboard steps, form filling and reading text back.
import { readFileSync } from 'node:fs';
import { checkPage, textOf } from '../harness.mjs';

export const name = 'components';

export async function run({ page, base, request }) {
	// The fixture is not a page of the program, so it is answered by the
	// browser itself, at the server's origin and with the headers the
	// server sends (its CSP included), so the stylesheets load from the
	// real /assets/ route exactly as a real page's would.
	const real = await request.get(`${base}/`);
	const headers = { ...real.headers() };
	delete headers['content-length'];
	const html = readFileSync(new URL('../fixtures/components.html', import.meta.url));
	await page.route(`${base}/__fixture/components`, (route) =>
		route.fulfill({ status: 200, headers, body: html }));

	await page.goto('/__fixture/components');
	await checkPage(page, 'components');

	// Keyboard: the first Tab lands on the skip link, which shows itself.
	await page.keyboard.press('Tab');
	const skip = page.locator('.utrecht-skip-link');
	if (!(await skip.evaluate((el) => el === document.activeElement)))
		throw new Error('the first Tab does not reach the skip link');
	const box = await skip.boundingBox();
	if (!box || box.width < 20 || box.height < 20)
		throw new Error('the focused skip link is not visible');
	const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
	if (outline === 'none')
		throw new Error('the focused skip link has no outline');

	// A flow reads and writes like a user: by label, by role.
	await page.getByLabel('Waar gebeurde het?').fill('Bij de balie');
	await page.getByLabel('Telefoon').check();
	const receipt = await textOf(page, '.meldpunt-receipt');
	if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(receipt))
		throw new Error(`the receipt reads "${receipt}"`);

	// The receipt fits a phone's width on one line.
	const fits = await page.locator('.meldpunt-receipt').evaluate((el) =>
		el.getBoundingClientRect().right <= document.documentElement.clientWidth);
	if (!fits)
		throw new Error('the receipt is wider than the phone screen');
}
