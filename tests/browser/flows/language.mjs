// language.mjs - the switch to English and back: the page stays where it
// is, the whole page (and <html lang>) changes language, and the choice is
// remembered on the next page.
import { textOf } from '../harness.mjs';

export const name = 'language';

export async function run({ page }) {
	await page.goto('/melden/signaal');
	if (await textOf(page, 'h1') !== 'Signaal van ondermijning melden')
		throw new Error('the form is not in Dutch by default');
	await page.getByRole('link', { name: 'English' }).click();
	await page.waitForURL(/\/melden\/signaal\?lang=en$/);
	const lang = await page.evaluate(() => document.documentElement.lang);
	if (lang !== 'en' || await textOf(page, 'h1') !== 'Report a signal of undermining crime')
		throw new Error(`after the switch: lang=${lang}, h1 "${await textOf(page, 'h1')}"`);
	if (!(await page.getByLabel('Yes, I report anonymously').count()))
		throw new Error('the options are not in English');

	// Remembered: the next page is in English without asking again.
	await page.goto('/status');
	if (await textOf(page, 'h1') !== 'Check the status of a report')
		throw new Error(`the choice of English was not kept: "${await textOf(page, 'h1')}"`);

	await page.getByRole('link', { name: 'Nederlands' }).click();
	await page.waitForURL(/\/status\?lang=nl$/);
	if (await page.evaluate(() => document.documentElement.lang) !== 'nl' ||
	    await textOf(page, 'h1') !== 'Meldingsstatus bekijken')
		throw new Error('the switch back to Dutch did not take');
	await page.goto('/');
	if (await textOf(page, 'h1') !== 'Meldpunt')
		throw new Error('the choice of Dutch was not kept');
}
