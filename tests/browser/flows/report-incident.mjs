// report-incident.mjs - an aggression incident from start to finish, as a
// reporter does it in a browser: the form filled in by label, a photo
// (a small PNG made here) attached, the receipt read off the page, and
// coming back with it (typed in lower case, without dashes, as the hint
// allows) to see the answers, the file and the status in plain words.
import { checkPageWidths, smallPng, submit, textOf } from '../harness.mjs';

export const name = 'report-incident';

export async function run({ page }) {
	await page.goto('/');
	await page.getByRole('link', { name: 'Agressie-incident melden' }).click();
	await page.waitForURL(/\/melden\/agressie$/);

	await page.getByLabel('Op welke datum gebeurde het?').fill('2026-11-02');
	await page.getByLabel('Hoe laat ongeveer?').fill('10:15');
	await page.getByLabel('Waar gebeurde het?').selectOption({ label: 'Aan de balie' });
	await page.getByLabel('Schelden of verbale agressie').check();
	await page.getByLabel('Bedreiging').check();
	await page.getByLabel('Wat is de functie van het slachtoffer?')
		.selectOption({ label: 'Medewerker' });
	await page.getByLabel('Bij welke afdeling werkt het slachtoffer?').fill('Burgerzaken');
	await page.getByLabel('Ik ben zelf het slachtoffer').check();
	await page.getByRole('group', { name: 'Is bekend wie de dader is?' })
		.getByLabel('Nee').check();
	// Not asked when the perpetrator is unknown: hidden by CSS alone.
	if (await page.getByLabel('Wat weet u van de dader?').isVisible())
		throw new Error('the perpetrator question shows though "Nee" is chosen');
	await page.getByLabel('Wat is er gebeurd?').fill(
		'Een klant schreeuwde aan de balie en dreigde terug te komen.');
	await page.getByLabel('Nee, maar ik wil dat graag').check();
	await page.getByRole('group', { name: /contact met u opneemt/ })
		.getByLabel('Ja').check();
	await page.getByLabel('Uw naam').fill('Sanne de Boer');
	await page.getByLabel('Uw e-mailadres').fill('s.deboer@gemeente.example');
	await page.getByLabel('Bestanden').setInputFiles({
		name: 'balie.png', mimeType: 'image/png', buffer: smallPng(),
	});
	const sent = await submit(page, 'Melding versturen');
	if (sent !== 200)
		throw new Error(`the report was answered with ${sent}: ${await textOf(page, 'main')}`);

	// The receipt page.
	if (await textOf(page, 'h1') !== 'Uw melding is ontvangen')
		throw new Error(`no receipt page: "${await textOf(page, 'h1')}"`);
	await checkPageWidths(page, 'receipt');
	const receipt = await textOf(page, '.meldpunt-receipt');
	if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(receipt))
		throw new Error(`no receipt on the page: "${receipt}"`);
	const fits = await page.locator('.meldpunt-receipt').evaluate((el) =>
		el.getBoundingClientRect().right <= document.documentElement.clientWidth);
	if (!fits)
		throw new Error('the receipt is wider than the phone screen');

	// Coming back, as someone would type the code.
	await page.getByRole('link', { name: 'Meldingsstatus bekijken' }).click();
	await page.waitForURL(/\/status$/);
	await page.getByLabel('Ontvangstcode').fill(receipt.replace(/-/g, '').toLowerCase());
	await submit(page, 'Bekijken');
	if (await textOf(page, 'h1') !== 'Uw melding')
		throw new Error(`the receipt did not open the report: "${await textOf(page, 'h1')}"`);
	await checkPageWidths(page, 'status-incident');

	// The status in plain words, not the workflow's state name.
	const state = await textOf(page, '#state');
	if (state !== 'Ontvangen')
		throw new Error(`status reads "${state}", want "Ontvangen"`);
	const main = await textOf(page, 'main');
	for (const want of ['Agressie-incident', 'Sanne de Boer', 'Aan de balie',
		'Schelden of verbale agressie, Bedreiging', 'Medewerker', 'Burgerzaken',
		'Een klant schreeuwde aan de balie', 'balie.png', 'Er zijn nog geen berichten.'])
		if (!main.includes(want))
			throw new Error(`the status page does not show "${want}"`);
	for (const never of ['registered', 'Geregistreerd'])
		if (main.includes(never))
			throw new Error(`the status page shows the internal state "${never}"`);
	// Nothing of the receipt in the address bar or the history.
	if (page.url().includes(receipt) || page.url().includes(receipt.replace(/-/g, '')))
		throw new Error(`the receipt is in the URL: ${page.url()}`);
}
