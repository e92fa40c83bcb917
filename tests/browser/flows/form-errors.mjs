// form-errors.mjs - a report sent with mistakes comes back as the reporter
// left it: an error summary at the top whose every link leads to its
// question (and moves the focus there), a message beside each question in
// error, the questions marked invalid for assistive technology, and every
// answer given still filled in. Both forms, at phone and desktop width.
import { checkPageWidths, submit, summaryLinks, textOf } from '../harness.mjs';

export const name = 'form-errors';

async function checkSummary(page, want) {
	const links = await summaryLinks(page);
	if (links.length !== want)
		throw new Error(`the error summary has ${links.length} links, want ${want}: ` +
			links.map((l) => l.text).join(', '));
	for (const l of links) {
		if (!l.exists)
			throw new Error(`the summary link "${l.text}" points to ${l.href}, which is not on the page`);
		// The question it leads to says what is wrong, and is marked invalid.
		const state = await page.locator(l.href).evaluate((el) => {
			const field = el.closest('.utrecht-form-field--invalid') ||
				el.closest('fieldset')?.closest('.utrecht-form-field--invalid');
			const described = (el.closest('fieldset') || el).getAttribute('aria-describedby') || '';
			return {
				field: !!field,
				invalid: el.getAttribute('aria-invalid'),
				error: described.split(' ').some((id) => id.endsWith('-error') &&
					document.getElementById(id)),
			};
		});
		if (!state.field || state.invalid !== 'true' || !state.error)
			throw new Error(`${l.href} is not shown as in error: ${JSON.stringify(state)}`);
	}
	return links;
}

export async function run({ page }) {
	// The incident form, partly filled in.
	await page.goto('/melden/agressie');
	await page.getByLabel('Waar gebeurde het?').selectOption({ label: 'Per e-mail' });
	await page.getByLabel('Online agressie of haatberichten').check();
	await page.getByLabel('Ik meld namens of over iemand anders').check();
	await page.getByRole('group', { name: 'Is bekend wie de dader is?' })
		.getByLabel('Ja').check();
	await page.getByLabel('Wat weet u van de dader?').fill('Account @boos123 op X');
	await page.getByLabel('Wat is er gebeurd?').fill('Dreigende berichten na het raadsbesluit.');
	await page.getByLabel('Uw naam').fill('Jan "Jantje" <Jansen>');
	await page.getByLabel('Uw e-mailadres').fill('geen-adres');
	const status = await submit(page, 'Melding versturen');
	if (status !== 400)
		throw new Error(`a form with errors was answered with ${status}`);
	if (await textOf(page, '.utrecht-alert--error h2') !== 'Controleer deze vragen')
		throw new Error('no error summary');
	await checkPageWidths(page, 'incident-form-errors');

	// Date, role, police, aftercare are missing; the e-mail address is wrong.
	const links = await checkSummary(page, 5);
	const texts = links.map((l) => l.text).join(' | ');
	for (const want of ['Op welke datum gebeurde het?', 'Uw e-mailadres'])
		if (!texts.includes(want))
			throw new Error(`the summary does not name "${want}": ${texts}`);
	const email = links.find((l) => l.text.startsWith('Uw e-mailadres'));
	if (!/e-mailadres in als naam@voorbeeld\.nl/.test(await textOf(page, '#f-reporter_email-error')))
		throw new Error('no message beside the e-mail address');

	// A summary link takes the keyboard to its question.
	await page.locator(`.utrecht-alert--error a[href="${email.href}"]`).click();
	const focused = await page.evaluate(() => document.activeElement?.id);
	if (`#${focused}` !== email.href)
		throw new Error(`the link to ${email.href} left the focus on "${focused}"`);

	// Every answer is still there, exactly as given.
	const kept = {
		place: await page.getByLabel('Waar gebeurde het?').inputValue(),
		online: await page.getByLabel('Online agressie of haatberichten').isChecked(),
		verbal: await page.getByLabel('Schelden of verbale agressie').isChecked(),
		behalf: await page.getByLabel('Ik meld namens of over iemand anders').isChecked(),
		perpetrator: await page.getByLabel('Wat weet u van de dader?').inputValue(),
		description: await page.getByLabel('Wat is er gebeurd?').inputValue(),
		name: await page.getByLabel('Uw naam').inputValue(),
		email: await page.getByLabel('Uw e-mailadres').inputValue(),
	};
	const want = {
		place: 'email', online: true, verbal: false, behalf: true,
		perpetrator: 'Account @boos123 op X',
		description: 'Dreigende berichten na het raadsbesluit.',
		name: 'Jan "Jantje" <Jansen>', email: 'geen-adres',
	};
	if (JSON.stringify(kept) !== JSON.stringify(want))
		throw new Error(`answers not kept: ${JSON.stringify(kept)}`);

	// The signal form sent empty: every required question is named, and
	// the name is asked for once "named" is chosen.
	await page.goto('/melden/signaal');
	await page.getByLabel('Nee, ik geef mijn naam en contactgegevens').check();
	if (await submit(page, 'Melding versturen') !== 400)
		throw new Error('an empty signal was not refused');
	await checkSummary(page, 4);
	if (!(await page.getByLabel('Nee, ik geef mijn naam en contactgegevens').isChecked()))
		throw new Error('the choice "named" was not kept');
	if (!(await page.locator('#f-reporter_name-error').isVisible()))
		throw new Error('the missing name is not shown');
	await checkPageWidths(page, 'signal-form-errors');
}
