// report-integrity.mjs - an anonymous report of a possible integrity
// violation (issue 20): the form's questions by their labels, the receipt,
// and coming back: the status page shows the report, its state and the
// last day of the acknowledgement of receipt (7 days after the day of
// receipt), checked at both widths.
import { assertContactHidden, checkPageWidths, sendAndComeBack, textOf }
	from '../harness.mjs';

export const name = 'report-integrity';

export async function run({ page }) {
	await page.goto('/melden/integriteit');
	await page.getByLabel('Waar gaat uw melding over?')
		.selectOption({ label: 'Belangenverstrengeling' });
	await page.getByLabel('Wat is er gebeurd?')
		.fill('Een inkoper gunt opdrachten aan het bedrijf van zijn zwager.');
	await page.getByLabel('Wanneer speelde dit, of speelt het nog?').fill('Sinds het voorjaar');
	await page.getByLabel('Hoe weet u dit?').selectOption({ label: 'Uit stukken of gegevens' });
	await page.getByLabel('Nee', { exact: true }).check();
	await page.getByLabel('Ja, ik meld anoniem').check();
	await assertContactHidden(page, 'integrity report');

	await sendAndComeBack(page, 'integrity report');
	const main = await textOf(page, 'main');
	for (const want of ['Integriteitsmelding', 'Belangenverstrengeling',
		'U krijgt een ontvangstbevestiging uiterlijk op'])
		if (!main.includes(want))
			throw new Error(`the status page does not show "${want}"`);
	// The last day: 7 days after the day of receipt.
	const received = await page.locator('time').first().getAttribute('datetime');
	const due = await page.locator('.meldpunt-due time').getAttribute('datetime');
	const want = new Date(`${received}T12:00:00Z`);
	want.setUTCDate(want.getUTCDate() + 7);
	if (due !== want.toISOString().slice(0, 10))
		throw new Error(`the acknowledgement is due on ${due}, received ${received}`);
	await checkPageWidths(page, 'status-integrity');
}
