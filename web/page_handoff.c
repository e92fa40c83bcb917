/*
 * page_handoff.c - the hand-off to a partner (issue 19), on the case page
 * and in the API, made by core/handoff.c.
 *
 * The form (a POST, without script) chooses the partner of the
 * configuration's list, the package's language, the answers and files
 * (all ticked but the reporter's identity), whether the weging outcomes
 * and decisions go along (ticked), the ground for sending the identity
 * (none by default) and a cover text. Its POST makes the package in
 * memory, records and audits it, and answers a page that shows the
 * passphrase once, with a download button: the package waits in memory
 * (held.h) for that one download by the same handler, for [limits]
 * handoff_download_seconds at most, and is wiped when taken or expired.
 * Nothing is stored on disk, nothing about the package is in a URL, and
 * the download is a POST with the CSRF token, so no prefetch or history
 * takes it. Each download is audited "handoff-download". A reload of the
 * answer would make a new package with a new passphrase, never show the
 * old one again. The API does the same in two calls: the first answers
 * the passphrase and a download token, the second the ZIP.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "apijson.h"
#include "casenumber.h"
#include "clock.h"
#include "config.h"
#include "content.h"
#include "form.h"
#include "held.h"
#include "html.h"
#include "i18n.h"
#include "install.h"
#include "layout.h"
#include "page_case_internal.h"
#include "page_document.h"
#include "page_handoff.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "widget.h"

/* The partners: the configuration's, or the defaults without one. */
static struct config default_config;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void
default_init(void)
{
	config_init(&default_config);
}

static const struct config *
partners_config(const struct request *req)
{
	if (web_config(req))
		return web_config(req);
	pthread_once(&default_once, default_init);
	return &default_config;
}

static const char *const bases[] = { "", "consent", "legal_duty" };
static const char *const basis_keys[] = {
	"handoff.basis_none", "handoff.basis.consent", "handoff.basis.legal_duty",
};

void
page_handoff_form(struct request *req, const struct case_view *v)
{
	const struct config *conf = partners_config(req);
	const struct form *f = forms_get(v->c.type);
	struct stored_answers s;
	struct buf key = BUF_INIT, id = BUF_INIT;
	size_t i, k;

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "handoff.title"));
	html_raw(&req->out, "</h2>\n");
	layout_paragraph(req, web_text(req, "handoff.intro"));
	html_raw(&req->out, "<form method=\"post\" action=\"" PATH_CASE_HANDOFF
	         "\" class=\"meldpunt-action\" id=\"handoff-form\">\n");
	staff_csrf_field(req);
	widget_hidden(req, "id", v->c.number);
	widget_select_open(req, "partner", "f-handoff-partner",
	                   web_text(req, "handoff.partner"));
	/* The partners' names are the organisation's, in no one language. */
	for (i = 0; i < conf->partners.n; i++) {
		html_raw(&req->out, "<option translate=\"no\" value=\"");
		html_attr(&req->out, conf->partners.items[i].id);
		html_raw(&req->out, "\">");
		html_text(&req->out, conf->partners.items[i].name);
		html_raw(&req->out, "</option>\n");
	}
	html_raw(&req->out, "</select></div>\n");
	page_document_lang_select(req, "f-handoff-taal");
	/* The answers the case has, in the form's order; identity unticked. */
	html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset\">"
	         "<legend class=\"utrecht-form-fieldset__legend\">");
	html_text(&req->out, web_text(req, "handoff.answers"));
	html_raw(&req->out, "</legend>\n");
	if (f && stored_answers_read(v->content->bytes, v->content->len,
	                             &s) == 0) {
		for (i = 0; i < f->nfields; i++) {
			const struct form_field *fld = &f->fields[i];
			struct buf label = BUF_INIT;

			for (k = 0; k < s.a.n; k++)
				if (strcmp(s.a.items[k].name, fld->name) == 0)
					break;
			if (k == s.a.n)
				continue;
			buf_reset(&key);
			buf_addf(&key, "%s.%s", report_type_name(v->c.type),
			         fld->name);
			buf_adds(&label, web_text(req, key.data));
			if (fld->identity) {
				buf_adds(&label, " (");
				buf_adds(&label, web_text(req,
				         "handoff.identity_answer"));
				buf_adds(&label, ")");
			}
			buf_reset(&id);
			buf_addf(&id, "f-handoff-a-%s", fld->name);
			widget_checkbox(req, "antwoord", id.data, fld->name,
			                label.data, !fld->identity);
			buf_release(&label);
		}
	}
	stored_answers_release(&s);
	html_raw(&req->out, "</fieldset>\n");
	if (v->nfiles) {
		html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset\">"
		         "<legend class=\"utrecht-form-fieldset__legend\">");
		html_text(&req->out, web_text(req, "handoff.files"));
		html_raw(&req->out, "</legend>\n");
		for (i = 0; i < v->nfiles; i++) {
			char value[24];

			snprintf(value, sizeof(value), "%lld",
			         (long long)v->files[i].id);
			buf_reset(&id);
			buf_addf(&id, "f-handoff-f-%s", value);
			widget_checkbox(req, "bestand", id.data, value,
			                v->files[i].name ? v->files[i].name : "",
			                1);
		}
		html_raw(&req->out, "</fieldset>\n");
	}
	widget_checkbox(req, "stappen", "f-handoff-steps", "1",
	                web_text(req, "handoff.steps"), 1);
	widget_select_open(req, "grond", "f-handoff-grond",
	                   web_text(req, "handoff.basis"));
	for (i = 0; i < 3; i++)
		widget_option(req, bases[i], web_text(req, basis_keys[i]), "");
	html_raw(&req->out, "</select></div>\n");
	widget_textarea_typed(req, "begeleiding", "f-handoff-cover",
	                      web_text(req, "handoff.cover"), NULL);
	widget_button(req, web_text(req, "handoff.submit"), 0);
	html_raw(&req->out, "</form>\n");
	buf_release(&key);
	buf_release(&id);
}

void
page_handoff_entry(struct request *req, const struct handoff_record *h)
{
	const struct config_partner *p =
		config_partner(partners_config(req), h->partner);
	struct buf text = BUF_INIT;

	html_text(&req->out, h->made_by);
	html_raw(&req->out, ": ");
	html_text(&req->out, web_text(req, "handoff.entry"));
	html_raw(&req->out, " <span translate=\"no\">");
	html_text(&req->out, p ? p->name : h->partner);
	html_raw(&req->out, "</span></p>\n<dl class=\"meldpunt-fields\">\n<dt>");
	html_text(&req->out, web_text(req, "handoff.answers"));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, strcmp(h->answers, "*") == 0
	                     ? web_text(req, "handoff.all") : h->answers);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "handoff.files"));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, *h->files ? h->files
	                              : web_text(req, "handoff.none"));
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "handoff.basis"));
	html_raw(&req->out, "</dt><dd>");
	buf_reset(&text);
	buf_addf(&text, "handoff.basis%s%s", *h->identity ? "." : "_",
	         *h->identity ? h->identity : "none");
	html_text(&req->out, web_text(req, text.data));
	html_raw(&req->out, "</dd>\n<dt>SHA-256</dt><dd><code>");
	html_text(&req->out, h->sha256);
	html_raw(&req->out, "</code></dd>\n</dl>\n");
	buf_release(&text);
}

/* ---- Making a package ------------------------------------------------ */


/* What a request chose, parsed; the arrays are the request's. */
struct choice {
	struct handoff_request r;
	const char **answers;
	int64_t *files;
	struct document_lang targ;
	char *names;		/* the API's answers, split in place */
	int bad;		/* a file id that is no number */
};

static void
choice_release(struct choice *c)
{
	free(c->answers);
	free(c->files);
	free(c->names);
}

static void
choice_init(struct request *req, struct choice *c, int64_t id,
            const struct config_partner *p, const char *taal,
            const char *cover, enum handoff_basis basis, int steps)
{
	enum lang lang = req->lang;

	memset(c, 0, sizeof(*c));
	if (taal && *taal && i18n_parse(taal, &lang) < 0)
		c->bad = 1;
	c->targ.lang = lang;
	c->r.report_id = id;
	c->r.partner = p ? p->id : NULL;
	c->r.partner_name = p ? p->name : NULL;
	c->r.steps = steps;
	c->r.cover = cover ? cover : "";
	c->r.cover_max = req->limits->handoff_cover_max;
	c->r.basis = basis;
	c->r.lang = lang == LANG_EN ? TEMPLATE_EN : TEMPLATE_NL;
	c->r.organisation = web_config(req) ? web_config(req)->organisation
	                                    : web_text(req, "common.site_title");
	c->r.text = page_document_text;
	c->r.text_arg = &c->targ;
	c->r.due_soon = web_due_soon(req);
	c->r.now = clock_now();
}

/*
 * Make it and hold it. 0 with token (the package waiting) and *made;
 * else the outcome's verdict in o, or o->verdict DONE with *full set
 * when the store had no room (nothing recorded then: the store is
 * asked first).
 */
static int
make_and_hold(struct request *req, struct choice *c,
              struct handoff_made *made, char token[TOKEN_TEXT_LEN + 1],
              struct outcome *o, int *full)
{
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct held_item it;

	*full = 0;
	memset(&it, 0, sizeof(it));
	it.zip = (struct buf)BUF_INIT;
	/* Room first: a package made must be downloadable. */
	if (held_count(req->env->held, clock_now()) >=
	    req->limits->handoff_held) {
		*full = 1;
		return -1;
	}
	if (handoff_make(req->inst, web_workflows(req), a, &c->r, &it.zip, made,
	                 o) != VERDICT_DONE) {
		buf_wipe_release(&it.zip);
		return -1;
	}
	it.user_id = sa.actor.user_id;
	it.report_id = c->r.report_id;
	memcpy(it.sha256, made->sha256, sizeof(it.sha256));
	snprintf(it.name, sizeof(it.name), "%s", made->name);
	if (held_put(req->env->held, &it, clock_now(), token) != 0) {
		buf_wipe_release(&it.zip);
		crypto_wipe(made, sizeof(*made));
		*full = 1;
		return -1;
	}
	return 0;
}

/* The page that shows the passphrase once and offers the download. */
static int
render_made(struct request *req, const struct handoff_made *made,
            const char *token)
{
	struct buf title = BUF_INIT, text = BUF_INIT, href = BUF_INIT;
	char minutes[16];

	buf_addf(&title, "%s", web_text(req, "handoff.made_title"));
	layout_begin(req, title.data);
	buf_addf(&href, PATH_CASE "?id=%s", made->number);
	layout_back(req, href.data, web_text(req, "handoff.back"));
	layout_heading(req, title.data);
	layout_paragraph(req, web_text(req, "handoff.made_intro"));
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
	html_text(&req->out, web_text(req, "handoff.passphrase"));
	html_raw(&req->out, "</p>\n<p class=\"meldpunt-receipt\" "
	         "id=\"handoff-passphrase\"><code>");
	html_text(&req->out, made->passphrase);
	html_raw(&req->out, "</code></p>\n<p class=\"utrecht-paragraph\">"
	         "SHA-256: <code id=\"handoff-sha256\">");
	html_text(&req->out, made->sha256);
	html_raw(&req->out, "</code></p>\n");
	snprintf(minutes, sizeof(minutes), "%u",
	         (req->limits->handoff_download_seconds + 59) / 60);
	i18n_fill(&text, web_text(req, "handoff.download_intro"), "minutes",
	          minutes, (const char *)NULL);
	layout_paragraph(req, text.data);
	html_raw(&req->out, "<form method=\"post\" action=\""
	         PATH_CASE_HANDOFF_DOWNLOAD "\" class=\"meldpunt-action\" "
	         "id=\"handoff-download\">\n");
	staff_csrf_field(req);
	widget_hidden(req, "pakket", token);
	widget_button(req, web_text(req, "handoff.download"), 1);
	html_raw(&req->out, "</form>\n");
	layout_end(req);
	buf_release(&title);
	buf_release(&text);
	buf_release(&href);
	return 0;
}

int
page_case_handoff(struct request *req)
{
	const char *idtext = post_get(req->post, "id");
	char number[CASE_NUMBER_LEN + 1];
	const char *grond = post_get(req->post, "grond");
	const char *steps = post_get(req->post, "stappen");
	const struct config_partner *p;
	enum handoff_basis basis = HANDOFF_BASIS_NONE;
	struct handoff_made made;
	struct choice c;
	struct outcome o;
	char token[TOKEN_TEXT_LEN + 1];
	const char *cover;
	size_t i, n, len;
	int64_t id;
	int full, ret;

	/* Not a case number (a row id): say what one is. */
	if (case_number_parse(idtext, number) < 0)
		return web_fail_key(req, 404, "case.bad_number");
	if (case_number_find(req->inst->db, idtext, &id) != 0)
		id = 0;		/* core answers 404 */
	p = config_partner(partners_config(req), post_get(req->post, "partner"));
	cover = widget_post_text(req, "begeleiding", &len);
	if (post_get(req->post, "begeleiding") && !cover)
		return web_fail_key(req, 400, "handoff.cover_bad");
	if (grond && handoff_basis_parse(grond, &basis) < 0)
		return web_fail_key(req, 400, "handoff.basis_bad");
	choice_init(req, &c, id, p, post_get(req->post, "taal"), cover, basis,
	            steps && strcmp(steps, "1") == 0);
	n = post_count(req->post, "antwoord");
	c.answers = calloc(n + 1, sizeof(*c.answers));
	for (i = 0; c.answers && i < n; i++)
		c.answers[i] = post_field_nth(req->post, "antwoord", i)->value.data;
	c.r.answers = c.answers;
	c.r.nanswers = n;
	n = post_count(req->post, "bestand");
	c.files = calloc(n + 1, sizeof(*c.files));
	for (i = 0; c.files && i < n; i++)
		if (widget_parse_id(post_field_nth(req->post, "bestand",
		                                   i)->value.data, &c.files[i]) < 0)
			c.bad = 1;
	c.r.files = c.files;
	c.r.nfiles = n;
	if (!c.answers || !c.files)
		die("out of memory");
	if (c.bad) {
		choice_release(&c);
		return web_fail_key(req, 400, "handoff.files_bad");
	}
	if (make_and_hold(req, &c, &made, token, &o, &full) < 0) {
		choice_release(&c);
		if (full) {
			req->retry_after = 60;
			return web_fail_key(req, 503, "handoff.full");
		}
		return pc_after_action(req, id, &o);
	}
	choice_release(&c);
	ret = render_made(req, &made, token);
	crypto_wipe(&made, sizeof(made));
	crypto_wipe(token, sizeof(token));
	return ret;
}

/* Hand out the package of token, once, audited. */
static int
download(struct request *req, const char *token)
{
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct held_item it;
	struct buf header = BUF_INIT;

	if (held_take(req->env->held, token, sa.actor.user_id, clock_now(), &it) != 0)
		return web_fail_key(req, 410, "handoff.gone");
	if (handoff_downloaded(req->inst, a, it.report_id, it.sha256) < 0) {
		buf_wipe_release(&it.zip);
		return -1;
	}
	buf_reset(&req->out);
	buf_add(&req->out, it.zip.data, it.zip.len);
	buf_wipe_release(&it.zip);
	buf_addf(&header, "attachment; filename=\"%s\"", it.name);
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "application/zip";
	return 0;
}

int
page_case_handoff_download(struct request *req)
{
	return download(req, post_get(req->post, "pakket"));
}

/* ---- The API ----------------------------------------------------------- */

static const struct apijson_field handoff_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "partner", APIJSON_STRING, 1, HANDOFF_PARTNER_ID_MAX },
	{ "language", APIJSON_STRING, 0, 2 },
	/* Space-separated names of the form's questions; absent: all
	 * but the identity's (unless a ground is given). */
	{ "answers", APIJSON_STRING, 0, 0 },
	/* Space-separated file ids; absent: all. */
	{ "files", APIJSON_STRING, 0, 0 },
	{ "steps", APIJSON_BOOLEAN, 0, 0 },
	{ "identity_ground", APIJSON_STRING, 0, 16 },
	{ "cover", APIJSON_STRING, 0, 0 },
};

/* Split text at spaces into c->names (a copy): the words, n of them. */
static const char **
words(struct choice *c, const char *text, size_t *n)
{
	const char **v;
	char *p;
	size_t cap = 0;

	*n = 0;
	c->names = strdup(text);
	if (!c->names)
		die("out of memory");
	v = calloc(1, sizeof(*v));
	if (!v)
		die("out of memory");
	for (p = c->names; *p;) {
		size_t len;

		while (*p == ' ')
			*p++ = '\0';
		len = strcspn(p, " ");
		if (!len)
			break;
		if (*n + 1 >= cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 8);
		v[(*n)++] = p;
		p += len;
	}
	return v;
}

static int
api_refused(struct request *req, const struct outcome *o)
{
	struct apijson_errors errs;

	if (o->verdict == VERDICT_NOT_FOUND)
		return api_fail(req, 404, web_text(req, "case.not_found"));
	if (casework_no_keyring(o))
		return api_fail(req, 403, web_text(req, CASEWORK_NO_KEYRING));
	if (o->verdict == VERDICT_INVALID && o->field) {
		memset(&errs, 0, sizeof(errs));
		apijson_error_add(&errs, o->field, o->key + strlen("handoff."),
		                  0);
		return api_invalid(req, &errs);
	}
	return -1;
}

int
api_case_handoff(struct request *req)
{
	const struct config_partner *p;
	enum handoff_basis basis = HANDOFF_BASIS_NONE;
	struct handoff_made made;
	struct apijson_errors errs;
	struct choice c;
	struct outcome o;
	char token[TOKEN_TEXT_LEN + 1];
	const char *text, *ground;
	json_t *body = NULL, *steps;
	struct buf *out;
	int64_t id;
	size_t i, n;
	int full, ret;

	if (api_read_body(req, handoff_spec,
	                  sizeof(handoff_spec) / sizeof(handoff_spec[0]),
	                  &body) != 0)
		return 0;
	memset(&errs, 0, sizeof(errs));
	p = config_partner(partners_config(req), json_string_value(
	                   json_object_get(body, "partner")));
	ground = json_string_value(json_object_get(body, "identity_ground"));
	if (!p)
		apijson_error_add(&errs, "partner", "unknown_partner", 0);
	if (ground && handoff_basis_parse(ground, &basis) < 0)
		apijson_error_add(&errs, "identity_ground", "bad_ground", 0);
	steps = json_object_get(body, "steps");
	if (case_number_find(req->inst->db, json_string_value(json_object_get(
	                     body, "id")), &id) != 0)
		id = 0;		/* core answers 404 */
	choice_init(req, &c, id, p,
	            json_string_value(json_object_get(body, "language")),
	            json_string_value(json_object_get(body, "cover")), basis,
	            !steps || json_is_true(steps));
	if (c.bad)
		apijson_error_add(&errs, "language", "bad_language", 0);
	text = json_string_value(json_object_get(body, "answers"));
	if (text) {
		c.answers = words(&c, text, &n);
		c.r.answers = c.answers;
		c.r.nanswers = n;
	}
	text = json_string_value(json_object_get(body, "files"));
	if (text) {
		struct choice tmp;
		const char **w;

		memset(&tmp, 0, sizeof(tmp));
		w = words(&tmp, text, &n);
		c.files = calloc(n + 1, sizeof(*c.files));
		if (!c.files)
			die("out of memory");
		for (i = 0; i < n; i++)
			if (widget_parse_id(w[i], &c.files[i]) < 0)
				c.bad = 1;
		free(w);
		free(tmp.names);
		if (c.bad)
			apijson_error_add(&errs, "files", "bad_id", 0);
		c.r.files = c.files;
		c.r.nfiles = n;
	}
	/* c points into body (partner, language, cover): freed after. */
	if (errs.total) {
		ret = api_invalid(req, &errs);
		goto out;
	}
	if (make_and_hold(req, &c, &made, token, &o, &full) < 0) {
		if (full) {
			req->retry_after = 60;
			ret = api_fail(req, 503, web_text(req, "handoff.full"));
		} else {
			ret = api_refused(req, &o);
		}
		goto out;
	}
	out = api_json_begin(req, 201);
	buf_adds(out, "{\"id\":");
	json_quote(out, made.number);
	api_member(out, "passphrase", made.passphrase);
	api_member(out, "sha256", made.sha256);
	api_member(out, "download", token);
	buf_addf(out, ",\"expires_in\":%u}",
	         req->limits->handoff_download_seconds);
	crypto_wipe(&made, sizeof(made));
	crypto_wipe(token, sizeof(token));
	ret = 0;
out:
	choice_release(&c);
	json_decref(body);
	return ret;
}

static const struct apijson_field download_spec[] = {
	{ "download", APIJSON_STRING, 1, TOKEN_TEXT_LEN },
};

int
api_case_handoff_download(struct request *req)
{
	json_t *body = NULL;
	int ret;

	if (api_read_body(req, download_spec, 1, &body) != 0)
		return 0;
	ret = download(req, json_string_value(json_object_get(body,
	                                                       "download")));
	json_decref(body);
	return ret;
}
