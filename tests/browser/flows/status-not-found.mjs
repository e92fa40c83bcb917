// status-not-found.mjs - a receipt that opens nothing: the status form
// comes back with one plain message, the field marked invalid and the
// focus order unchanged.
import { checkPageWidths, submit, textOf } from '../harness.mjs';

export const name = 'status-not-found';

export async function run({ page }) {
	await page.goto('/status');
	await page.getByLabel('Ontvangstcode').fill('7KQ2-M9XD-4TRB-WP3H');
	const status = await submit(page, 'Bekijken');
	if (status !== 404)
		throw new Error(`a wrong receipt was answered with ${status}`);
	const alert = await textOf(page, '.utrecht-alert--error');
	if (!alert.startsWith('Bij deze ontvangstcode hebben wij geen melding gevonden.'))
		throw new Error(`the page says "${alert}"`);
	if (await page.getByLabel('Ontvangstcode').getAttribute('aria-invalid') !== 'true')
		throw new Error('the receipt field is not marked invalid');
	await checkPageWidths(page, 'status-not-found');
}
