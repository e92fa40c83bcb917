// report-signal.mjs - an anonymous signal of undermining crime: the name
// and contact questions go away when "anonymous" is chosen (CSS only) and
// come back for "named"; the receipt is read off the page; coming back
// shows the answers and the status; an answer with a file is posted and
// appears among the messages.
import { assertContactHidden, checkPageWidths, sendAndComeBack, smallPng, submit,
	textOf } from '../harness.mjs';

export const name = 'report-signal';

export async function run({ page }) {
	await page.goto('/melden/signaal');
	await page.getByLabel('Waar gaat uw signaal over?')
		.selectOption({ label: 'Drugs of hennepteelt' });
	await page.getByLabel('Om welk adres of gebied gaat het?').fill('Dorpsstraat 12, Purmerend');
	await page.getByLabel('Wat heeft u gezien of gehoord?')
		.fill('Elke nacht een busje met afgeplakte ramen, ramen van de zolder altijd dicht.');
	await page.getByLabel('Sinds wanneer speelt dit?').fill('Sinds de zomer');

	// Before a choice, and after "named": the name question is there.
	const nameField = page.getByLabel('Uw naam');
	if (!(await nameField.isVisible()))
		throw new Error('the name question is hidden before a choice was made');
	await page.getByLabel('Nee, ik geef mijn naam en contactgegevens').check();
	if (!(await nameField.isVisible()))
		throw new Error('the name question is hidden though "named" is chosen');
	await page.getByLabel('Ja, ik meld anoniem').check();
	await assertContactHidden(page, 'signal');

	// Sent, and come back in a new page, as on another day.
	await sendAndComeBack(page, 'signal');
	let main = await textOf(page, 'main');
	for (const want of ['Signaal van ondermijning', 'Drugs of hennepteelt',
		'Dorpsstraat 12, Purmerend', 'Sinds de zomer', 'Ja, ik meld anoniem'])
		if (!main.includes(want))
			throw new Error(`the status page does not show "${want}"`);

	// Answer, with a file.
	await page.getByLabel('Uw bericht', { exact: true }).fill('Vannacht stond het busje er weer, kenteken begint met V.');
	await page.getByLabel('Bestanden bij uw bericht').setInputFiles({
		name: 'busje.png', mimeType: 'image/png', buffer: smallPng(),
	});
	if (await submit(page, 'Versturen') !== 200)
		throw new Error(`the answer was refused: ${await textOf(page, 'main')}`);
	const notice = await textOf(page, '.utrecht-alert');
	if (notice !== 'Uw bericht is verstuurd.')
		throw new Error(`after answering the page says "${notice}"`);
	const message = await textOf(page, '.meldpunt-message--reporter');
	for (const want of ['Van u', 'kenteken begint met V.', 'Bijlagen: 1'])
		if (!message.includes(want))
			throw new Error(`the message reads "${message}", without "${want}"`);
	main = await textOf(page, 'main');
	if (main.includes('Er zijn nog geen berichten.'))
		throw new Error('the page still says there are no messages');
	// The answer box is empty again: sending twice is a choice, not an accident.
	if (await page.getByLabel('Uw bericht', { exact: true }).inputValue() !== '')
		throw new Error('the answer box still holds the sent message');
	await checkPageWidths(page, 'status-messages');
}
