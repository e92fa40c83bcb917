// pages.mjs - the pages the browser test visits and checks (run.mjs).
//
// Add a page by adding an entry:
//   name    the screenshot's file name (NAME.png in the test tmp folder)
//   path    the URL path on the test server
//   status  the HTTP status the page must answer (default 200)
//   styled  false for a page that does not link the stylesheets yet; every
//           real page should (default true)
//   width   viewport width in CSS pixels (default 390, a phone)
// Every page is also checked at desktop width (1280) unless desktop: false.
// A page that needs steps before it (a form sent with errors, a receipt)
// is a flow: see flows/.
export default [
	{ name: 'home', path: '/' },
	{ name: 'home-en', path: '/?lang=en' },
	{ name: 'not-found', path: '/no/such/page', status: 404 },
	{ name: 'incident-form', path: '/melden/agressie' },
	{ name: 'signal-form', path: '/melden/signaal' },
	{ name: 'integrity-form', path: '/melden/integriteit' },
	{ name: 'status-form', path: '/status' },
];
