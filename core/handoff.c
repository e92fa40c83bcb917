/*
 * handoff.c - assembling a hand-off package (see handoff.h): the cover
 * PDF, the JSON document, the files under bestanden/ numbered in order
 * (two files of one name stay apart, and no name of the reporter's can
 * name a path: only letters, digits, '-', '_' and inner dots are kept),
 * then the signed manifest, all encrypted under a new passphrase.
 */
#include <stdio.h>
#include <string.h>

#include "filetype.h"
#include "handoff.h"
#include "log.h"
#include "package.h"
#include "pdf.h"

static const char *const keys[] = {
	"title", "organisation", "case", "date", "partner", "cover",
	"answers", "identity_withheld", "identity_included", "files",
	"files_none", "check", "footer", "page", NULL,
};
static const char *const placeholders[] = {
	"case", "organisation", "date", "partner", NULL,
};
static const struct template_spec specs[] = {
	{ "overdracht", keys, placeholders },
	{ NULL, NULL, NULL },
};

int
handoff_load(void)
{
	return templates_load(specs);
}

/* bestanden/NN-name with only safe characters of name. */
static void
file_name(struct buf *out, size_t i, const char *name)
{
	buf_addf(out, HANDOFF_FILES_DIR "%02zu-", i + 1);
	filetype_safe_name(name, out);
}

/* The cover document of d into pdf. 0 or -1. */
static int
cover(const struct template *t, const struct handoff_doc *d,
      const char *const *shas, struct buf *pdf)
{
	const char *names[] = { "case", "organisation", "date", "partner" };
	const char *values[] = { d->case_no, d->organisation, d->date,
	                         d->partner };
	struct buf title = BUF_INIT, footer = BUF_INIT, text = BUF_INIT;
	struct pdf *p = NULL;
	size_t i;
	int ret = -1;

	template_fill(&title, template_text(t, d->lang, "title"), names,
	              values, 4);
	template_fill(&footer, template_text(t, d->lang, "footer"), names,
	              values, 4);
	if (pdf_new(title.data, footer.data, template_text(t, d->lang, "page"),
	            &p) < 0)
		goto out;
	pdf_title(p, title.data);
	pdf_field(p, template_text(t, d->lang, "organisation"),
	          d->organisation);
	pdf_field(p, template_text(t, d->lang, "partner"), d->partner);
	pdf_field(p, template_text(t, d->lang, "case"), d->case_no);
	pdf_field(p, template_text(t, d->lang, "date"), d->date);
	if (d->cover && *d->cover) {
		pdf_heading(p, template_text(t, d->lang, "cover"));
		pdf_paragraph(p, d->cover);
	}
	pdf_heading(p, template_text(t, d->lang, "answers"));
	if (d->named && !d->identity_reason) {
		template_fill(&text, template_text(t, d->lang,
		              "identity_withheld"), names, values, 4);
		pdf_paragraph(p, text.data);
	} else if (d->identity_reason) {
		pdf_field(p, template_text(t, d->lang, "identity_included"),
		          d->identity_reason);
	}
	for (i = 0; i < d->nanswers; i++)
		pdf_field(p, d->answers[i].label, d->answers[i].value);
	pdf_heading(p, template_text(t, d->lang, "files"));
	if (!d->nfiles)
		pdf_paragraph(p, template_text(t, d->lang, "files_none"));
	for (i = 0; i < d->nfiles; i++)
		pdf_file(p, d->files[i].name, shas[i]);
	pdf_paragraph(p, template_text(t, d->lang, "check"));
	ret = pdf_finish(p, pdf);
out:
	pdf_free(p);
	buf_release(&title);
	buf_release(&footer);
	buf_wipe_release(&text);
	return ret;
}

int
handoff_package(const struct secret *installation_secret,
                const struct handoff_doc *d,
                char passphrase[TOKEN_PASSWORD_LEN + 1], struct buf *zip,
                uint8_t sha256[CRYPTO_SHA256_LEN])
{
	const struct template *t = templates_get("overdracht");
	struct buf pdf = BUF_INIT, name = BUF_INIT, out = BUF_INIT;
	struct package *pkg = NULL;
	char (*hex)[65] = NULL;
	const char **shas = NULL;
	size_t i;
	int ret = -1;

	crypto_wipe(passphrase, TOKEN_PASSWORD_LEN + 1);
	if (!t || d->lang >= TEMPLATE_LANGS)
		return error("handoff: overdracht.ini is not loaded");
	if (d->nfiles) {
		hex = calloc(d->nfiles, sizeof(*hex));
		shas = calloc(d->nfiles, sizeof(*shas));
		if (!hex || !shas)
			die("out of memory");
	}
	for (i = 0; i < d->nfiles; i++) {
		package_sha256_hex(d->files[i].data, d->files[i].len, hex[i]);
		shas[i] = hex[i];
	}
	if (cover(t, d, shas, &pdf) < 0 || package_new(&pkg) < 0 ||
	    package_add(pkg, HANDOFF_PDF, pdf.data, pdf.len, NULL) < 0 ||
	    package_add(pkg, HANDOFF_JSON, d->json, d->json_len, NULL) < 0)
		goto out;
	for (i = 0; i < d->nfiles; i++) {
		buf_reset(&name);
		file_name(&name, i, d->files[i].name);
		if (package_add(pkg, name.data, d->files[i].data,
		                d->files[i].len, NULL) < 0)
			goto out;
	}
	token_password(passphrase);
	if (package_finish(pkg, installation_secret, passphrase, &out) < 0) {
		crypto_wipe(passphrase, TOKEN_PASSWORD_LEN + 1);
		goto out;
	}
	crypto_sha256(sha256, out.data, out.len);
	buf_add(zip, out.data, out.len);
	ret = 0;
out:
	package_free(pkg);
	free(hex);
	free(shas);
	buf_wipe_release(&pdf);
	buf_wipe_release(&out);
	buf_release(&name);
	return ret;
}
