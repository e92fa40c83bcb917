// staff.mjs - the staff pages in a real browser, checked like the
// reporter's: the first admin logs in with the one-time password that
// `meldpunt init` printed, sets a password and enrols the second factor
// (the code computed here, as an authenticator app would: RFC 6238,
// HMAC-SHA1, 30-second steps), then visits the start page, the password
// page and the user administration. Every page passes axe (WCAG 2.1 A and
// AA) at phone and desktop width, loads no script and has the styles. The
// staff layout (issue 18 point 1): the navigation shows what the handler
// may open with the current page marked, the inbox's check boxes stand
// beside their labels and its longest state stays on one line at 1280 px,
// and the case page puts its panel beside the content on a desktop and
// above it on a phone, with a way back to the inbox. The handler is also
// a confidential adviser and records an oral report; its record is read,
// corrected and approved on the status page (issue 20 point 3), and,
// the handler being integrity coordinator too (the keyring integriteit
// granted with the recovery key, as only it can), the oral report's staff
// case page passes axe. The signal is handed off to a partner (issue 19):
// the package made from the case page's form, the page that shows its
// passphrase once, and the download button's POST answering the ZIP once.
import { createHmac } from 'node:crypto';
import { boxes, checkPageWidths, submit, summaryLinks } from '../harness.mjs';

export const name = 'staff';

function base32(text) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, value = 0;
	const out = [];
	for (const ch of text.replace(/\s+/g, '')) {
		const i = alphabet.indexOf(ch);
		if (i < 0)
			throw new Error(`not base32: ${ch}`);
		value = (value << 5) | i;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

function totp(secret, now = Date.now()) {
	const step = Math.floor(now / 1000 / 30);
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const mac = createHmac('sha1', secret).update(msg).digest();
	const off = mac[mac.length - 1] & 0x0f;
	const bin = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
	return String(bin).padStart(6, '0');
}

export async function run({ page, server, request }) {
	if (!server.otp)
		throw new Error('the init output had no one-time password');
	await page.goto('/beheer');
	if (!page.url().endsWith('/beheer/inloggen'))
		throw new Error(`not sent to the login page but to ${page.url()}`);
	await checkPageWidths(page, 'staff-login');

	await page.getByLabel('Gebruikersnaam').fill('admin');
	await page.getByLabel('Wachtwoord', { exact: true }).fill(server.otp);
	let status = await submit(page, 'Inloggen');
	if (!page.url().endsWith('/beheer/instellen'))
		throw new Error(`after the first login: ${status} ${page.url()}`);
	if (await page.locator('svg.meldpunt-qr').count() !== 1)
		throw new Error('the set-up page shows no QR code');
	await checkPageWidths(page, 'staff-setup');

	const secret = base32(await page.locator('#totp-secret').innerText());
	const password = 'een lange zin als wachtwoord';
	await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
	await page.getByLabel('Nieuw wachtwoord nog een keer').fill(password);
	await page.getByLabel('Code uit uw authenticator-app').fill(totp(secret));
	status = await submit(page, 'Account instellen');
	if (!page.url().endsWith('/beheer'))
		throw new Error(`after set-up: ${status} ${page.url()}`);
	await checkPageWidths(page, 'staff-home');

	await page.goto('/beheer/wachtwoord');
	await checkPageWidths(page, 'staff-password');
	await page.goto('/beheer/gebruikers');
	await checkPageWidths(page, 'admin-users');

	// API tokens: the page, a token made and shown once (web/page_tokens.c).
	await page.goto('/beheer/tokens');
	await checkPageWidths(page, 'tokens');
	await page.getByLabel('Naam van het token').fill('intranet');
	await page.getByLabel('Beheerder').check();
	status = await submit(page, 'Token maken');
	const token = (await page.locator('#new-token').innerText()).trim();
	if (status !== 200 || !/^mpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(token))
		throw new Error(`making an API token: ${status}`);
	await checkPageWidths(page, 'token-made');
	await page.goto('/beheer/gebruikers/nieuw');
	await checkPageWidths(page, 'admin-new-user');

	// A handler with every reading role, given the keyrings by the admin.
	await page.getByLabel('Gebruikersnaam').fill('behandelaar');
	await page.getByLabel('Naam', { exact: true }).fill('B. Handelaar');
	for (const role of ['Coördinator bestuurlijke aanpak (signalen)',
		'Coördinator Veilige Publieke Taak (agressie-incidenten)',
		'HR (statistiek)', 'Auditor (auditlog)', 'Vertrouwenspersoon',
		'Integriteitscoördinator (integriteitsmeldingen)'])
		await page.getByLabel(role).check();
	status = await submit(page, 'Gebruiker aanmaken');
	const otp = (await page.locator('#one-time-password').innerText()).trim();
	if (status !== 200 || !otp)
		throw new Error(`creating a user: ${status}`);
	await checkPageWidths(page, 'admin-created');
	await page.getByRole('link', { name: /Naar deze gebruiker/ }).click();
	await page.waitForLoadState('load');
	await checkPageWidths(page, 'admin-user');
	for (const ring of ['signalen', 'agressie', 'statistiek']) {
		const [resp] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.locator(`#keyring-${ring}`)
				.getByRole('button', { name: 'Toegang geven' }).click(),
		]);
		await page.waitForLoadState('load');
		if (resp.status() >= 400)
			throw new Error(`granting ${ring}: ${resp.status()}`);
	}
	// The integrity keyring is sealed to the recovery key alone (the
	// first admin does not hold it): the admin types the key in.
	if (!server.recovery)
		throw new Error('the init output had no recovery key');
	await page.locator('#f-recovery-integriteit').fill(server.recovery);
	const [granted] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST'),
		page.locator('#keyring-integriteit')
			.getByRole('button', { name: 'Toegang geven' }).click(),
	]);
	await page.waitForLoadState('load');
	if (granted.status() >= 400 || await page.locator('#keyring-integriteit')
		.getByRole('button', { name: 'Toegang intrekken' }).count() !== 1)
		throw new Error(`granting integriteit: ${granted.status()}`);

	// Log out: the start page is closed again.
	await submit(page, 'Uitloggen');
	await page.goto('/beheer');
	if (!page.url().endsWith('/beheer/inloggen'))
		throw new Error('still logged in after logging out');

	// A report to work on, sent as a reporter would.
	const sent = await request.post('/melden/signaal', { multipart: {
		phenomenon: 'drugs', location: 'Dorpsstraat 12',
		observation: 'Afgeplakte ramen.', identity: 'anonymous' } });
	if (sent.status() !== 200)
		throw new Error(`a signal was answered with ${sent.status()}`);
	// And an incident, so the statistics have both sides to show.
	const today = new Date().toISOString().slice(0, 10);
	const inc = await request.post('/melden/agressie', { multipart: {
		date: today, place: 'counter', kind: 'verbal', victim_role: 'employee',
		department: 'Burgerzaken', reported_by: 'victim',
		perpetrator_known: 'no', description: 'Uitgescholden aan de balie.',
		police: 'melding', aftercare: 'yes', reporter_name: 'A. Slachtoffer' } });
	if (inc.status() !== 200)
		throw new Error(`an incident was answered with ${inc.status()}`);

	// The handler's first login, then every page of the handler's work.
	await page.getByLabel('Gebruikersnaam').fill('behandelaar');
	await page.getByLabel('Wachtwoord', { exact: true }).fill(otp);
	await submit(page, 'Inloggen');
	const hsecret = base32(await page.locator('#totp-secret').innerText());
	await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
	await page.getByLabel('Nieuw wachtwoord nog een keer').fill(password);
	await page.getByLabel('Code uit uw authenticator-app').fill(totp(hsecret));
	status = await submit(page, 'Account instellen');
	if (!page.url().endsWith('/beheer'))
		throw new Error(`handler set-up: ${status} ${page.url()}`);
	// The signal sent above, taken to the signal meeting: its state is
	// the inbox's longest ("Op de agenda van het signalenoverleg").
	await page.goto('/beheer/meldingen?type=signal');
	const caseHref = await page.locator('.meldpunt-inbox tbody a').first()
		.getAttribute('href');
	// A case is reached by its random case number, never its row.
	if (!/^\/beheer\/melding\?id=\d{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/
		.test(caseHref))
		throw new Error(`the inbox links a case as ${caseHref}`);
	const id = new URL(caseHref, 'http://x').searchParams.get('id');
	// The session's token, from the logout form every staff page has.
	const csrf = await page.locator('input[name="csrf"]').first().inputValue();
	let state = 'received';
	for (const [transition, to, fields] of [
		['start_intake', 'weging_1', {}],
		['undermining', 'weging_2a', { undermining_motivation: 'Afgeplakt' }],
		['municipal_task', 'weging_2b', { municipal_task: 'Bibob',
			municipal_task_motivation: 'Vergunning' }],
		['our_territory', 'weging_3', { territory_motivation: 'Dorpsstraat' }],
		['seriousness', 'decision', { seriousness: '3',
			seriousness_motivation: 'Ernstig' }],
		['to_meeting', 'meeting', { reason: 'Bespreken' }],
	]) {
		const r = await request.post('/beheer/melding/overgang', { maxRedirects: 0,
			form: { csrf, id, transition, expect_state: state, ...fields } });
		if (r.status() !== 303)
			throw new Error(`step ${transition}: ${r.status()}`);
		state = to;
	}
	const nav = ['Signalen', 'Agressie-incidenten', 'Integriteitsmeldingen',
		'Signalenoverleg', 'Statistiek',
		'Zelfevaluatie', 'Auditlog', 'API-tokens', 'Mijn account'];
	const inboxLayout = async (p, width) => {
		const shown = await p.locator('nav.meldpunt-nav a').allInnerTexts();
		const current = await p.locator('nav.meldpunt-nav a[aria-current="page"]')
			.allInnerTexts();
		if (shown.join('|') !== nav.join('|') || current.join('|') !== 'Signalen')
			throw new Error(`navigation ${shown.join('|')}, current ${current}`);
		const [box] = await boxes(p, '#f-overdue');
		const [label] = await boxes(p, 'label[for="f-overdue"]');
		if (!(label.x >= box.right && label.y < box.bottom))
			throw new Error(`at ${width} px a check box is not beside its label`);
		const states = await p.locator('.meldpunt-inbox .meldpunt-badge--state')
			.allInnerTexts();
		if (!states.includes('Op de agenda van het signalenoverleg'))
			throw new Error(`no signal on the meeting's agenda: ${states}`);
		if (width === 1280 && (await boxes(p, '.meldpunt-inbox .meldpunt-badge--state'))
			.some((b) => b.lines > 1))
			throw new Error('at 1280 px a state wraps over more than one line');
	};
	const caseLayout = async (p, width) => {
		const [panel] = await boxes(p, '.meldpunt-case__panel');
		const [main] = await boxes(p, '.meldpunt-case__main');
		if (width === 1280 ? panel.x < main.right : main.y < panel.bottom)
			throw new Error(`at ${width} px the case panel is not ${width === 1280
				? 'beside' : 'above'} the content`);
		if (await p.locator('.meldpunt-back a').getAttribute('href') !==
		    '/beheer/meldingen?type=signal')
			throw new Error('the case page has no way back to its inbox');
	};
	for (const [path, shot, layout] of [
		['/beheer/meldingen?type=signal', 'case-inbox', inboxLayout],
		[caseHref, 'case-page', caseLayout],
		['/beheer/overleg', 'meetings'],
		['/beheer/statistiek', 'statistics'],
		['/beheer/auditlog', 'audit-log'],
	]) {
		const resp = await page.goto(path);
		if (resp.status() !== 200)
			throw new Error(`${path}: ${resp.status()}`);
		await checkPageWidths(page, shot, { layout });
	}
	// The hand-off to a partner (issue 19): the case page's form (checked
	// with the page above) makes a package; the page that shows its
	// passphrase once passes axe at both widths, and its download button's
	// POST answers the ZIP, once.
	await page.goto(caseHref);
	if (await page.locator('#handoff-form').count() !== 1)
		throw new Error('the case page has no hand-off form');
	await page.locator('#f-handoff-partner').selectOption('politie');
	await page.locator('#f-handoff-cover').fill('Graag uw oordeel.');
	status = await submit(page, 'Pakket maken');
	const passphrase = (await page.locator('#handoff-passphrase').innerText()).trim();
	if (status !== 200 || passphrase.length < 20)
		throw new Error(`making a hand-off package: ${status}`);
	await checkPageWidths(page, 'handoff-made');
	const download = page.locator('#handoff-download');
	const zipForm = {
		csrf: await download.locator('input[name="csrf"]').inputValue(),
		pakket: await download.locator('input[name="pakket"]').inputValue(),
	};
	let zip = await request.post('/beheer/melding/overdracht/pakket',
		{ form: zipForm, maxRedirects: 0 });
	const body = await zip.body();
	if (zip.status() !== 200 ||
	    zip.headers()['content-type'] !== 'application/zip' ||
	    !/^attachment; filename="[^"]+\.zip"$/.test(zip.headers()['content-disposition'] ?? '') ||
	    body.length < 100 || body.readUInt32LE(0) !== 0x04034b50)
		throw new Error(`the hand-off download: ${zip.status()} ` +
			`${zip.headers()['content-type']}, ${body.length} bytes`);
	zip = await request.post('/beheer/melding/overdracht/pakket',
		{ form: zipForm, maxRedirects: 0 });
	if (zip.status() !== 410)
		throw new Error(`a second download was answered ${zip.status()}`);

	// The statistics with their data: every side the handler holds (the
	// integrity coordinator's too), bar charts and the three monthly trend
	// lines, each with its table; checked (axe) above.
	await page.goto('/beheer/statistiek');
	for (const [sel, want] of [['svg.meldpunt-chart--line', 3],
		['#t-incidents table', 1], ['#t-signals table', 1],
		['#t-integrity table', 1], ['#t-integrity_month svg', 1],
		['#t-incident_month svg', 1], ['#t-signal_month table', 1]]) {
		const n = await page.locator(sel).count();
		if (n !== want)
			throw new Error(`statistics: ${sel} ${n} times, not ${want}`);
	}
	const total = await page.locator('#t-incidents tbody tr').first()
		.locator('td').first().innerText();
	// Other flows on this server send incidents too: at least this one.
	if (!(parseInt(total, 10) >= 1))
		throw new Error(`statistics: ${total} incidents, not 1 or more`);
	// A quarter too (the line over three months), also checked with axe.
	const q = `${today.slice(0, 4)}-Q${Math.floor((+today.slice(5, 7) - 1) / 3) + 1}`;
	await page.goto(`/beheer/statistiek?periode=kwartaal&waarde=${q}`);
	await checkPageWidths(page, 'statistics-quarter');

	// The norm self-assessment: an item refused with its problems named,
	// then saved; the year page and the annual report for the council.
	let resp = await page.goto('/beheer/norm/onderdeel?jaar=2026&onderdeel=3.7');
	if (resp.status() !== 200)
		throw new Error(`the norm item form: ${resp.status()}`);
	await page.getByLabel('Wat gaan we doen').first().fill('Registratie bespreken');
	status = await submit(page, 'Opslaan');
	if (status !== 400)
		throw new Error(`an incomplete norm item was answered ${status}`);
	for (const link of await summaryLinks(page))
		if (!link.exists)
			throw new Error(`the error summary links to nothing: ${link.href}`);
	await checkPageWidths(page, 'norm-item-errors');
	await page.getByLabel('Voldoet deels', { exact: true }).check();
	await page.getByLabel('Eigenaar (naam of functie)').first().fill('Coördinator VPT');
	await page.getByLabel('Klaar op (JJJJ-MM-DD)').first().fill('2026-06-30');
	status = await submit(page, 'Opslaan');
	if (status !== 303 || !page.url().includes('/beheer/norm?jaar=2026'))
		throw new Error(`saving a norm item: ${status} ${page.url()}`);
	await checkPageWidths(page, 'norm-year');
	resp = await page.goto('/beheer/norm/jaarverslag?jaar=2026');
	if (resp.status() !== 200)
		throw new Error(`the annual report: ${resp.status()}`);
	await checkPageWidths(page, 'norm-report');

	// An oral report (issue 20 point 3): the handler, also a confidential
	// adviser, records a conversation as an integrity report and keeps the
	// receipt; with it the record is read, corrected and approved on the
	// status page, as the reporter would.
	resp = await page.goto('/beheer/mondeling');
	if (resp.status() !== 200)
		throw new Error(`the oral report types: ${resp.status()}`);
	await checkPageWidths(page, 'oral-types');
	await page.goto('/beheer/mondeling/integriteit');
	await checkPageWidths(page, 'oral-form');
	await page.locator('#f-way-phone').check();
	await page.locator('#f-record').fill('Melder vertelt dat declaraties niet kloppen.');
	await page.locator('select[name="kind"]').selectOption('fraud');
	await page.locator('textarea[name="what"]').fill('Declaraties kloppen niet.');
	await page.locator('input[name="when"]').fill('Sinds maart');
	await page.locator('select[name="knowledge"]').selectOption('own_observation');
	await page.locator('input[name="reported_before"][value="no"]').check();
	await page.locator('input[name="identity"][value="anonymous"]').check();
	status = await submit(page, 'Melding versturen');
	if (status !== 200)
		throw new Error(`recording an oral report: ${status}`);
	await checkPageWidths(page, 'oral-recorded');
	const oral = (await page.locator('#receipt').innerText()).trim();
	await page.goto('/status');
	await page.locator('#f-receipt').fill(oral);
	status = await submit(page, 'Bekijken');
	if (status !== 200 || await page.locator('#record-state').count() !== 1)
		throw new Error(`the oral report's status page: ${status}`);
	await checkPageWidths(page, 'status-oral');
	await page.locator('#f-record').fill('Melder vertelt dat declaraties sinds maart niet kloppen.');
	status = await submit(page, 'Verbetering versturen');
	if (status !== 200 ||
	    await page.locator('#record-state').getAttribute('data-state') !== 'corrected')
		throw new Error(`correcting the record: ${status}`);
	await checkPageWidths(page, 'status-oral-corrected');
	status = await submit(page, 'Ik keur dit verslag goed');
	if (status !== 200 ||
	    await page.locator('#record-state').getAttribute('data-state') !== 'approved')
		throw new Error(`approving the record: ${status}`);

	// The oral report on the staff side (issue 20 point 3): the handler,
	// also integrity coordinator with the keyring integriteit, opens it
	// from the integrity inbox; the case page shows the approved record.
	resp = await page.goto('/beheer/meldingen?type=integrity');
	if (resp.status() !== 200)
		throw new Error(`the integrity inbox: ${resp.status()}`);
	// The report-integrity flow sent one from the web too: the oral one
	// is the case whose page shows the corrected record.
	const record = 'Melder vertelt dat declaraties sinds maart niet kloppen.';
	let found = false;
	for (const href of await page.locator('.meldpunt-inbox tbody a')
		.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
		resp = await page.goto(href);
		if (resp.status() !== 200)
			throw new Error(`${href}: ${resp.status()}`);
		if ((await page.locator('main').innerText()).includes(record)) {
			found = true;
			break;
		}
	}
	if (!found)
		throw new Error('no case page in the integrity inbox shows the oral record');
	await checkPageWidths(page, 'case-integrity-oral');
}
