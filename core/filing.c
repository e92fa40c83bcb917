/*
 * filing.c - filing a report (see filing.h): the form check, then the
 * first store.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto.h"
#include "filetype.h"
#include "filing.h"
#include "log.h"
#include "workflow.h"

static void
text_wipe_free(char *s)
{
	if (!s)
		return;
	crypto_wipe(s, strlen(s));
	free(s);
}

/* Encode checked answers and store them with the files (report_submit). */
static int
store(struct installation *inst, const struct form *f,
      const struct filing *in, char receipt[RECEIPT_TEXT_LEN + 1],
      int64_t *id)
{
	char *content = NULL, *stats = NULL, *identity = NULL;
	struct submission sub;
	int ret = -1;

	/* Who the reporter is, sealed apart from the content (report.h). */
	if (form_encode_parts(f, in->answers, &content, &stats, &identity) < 0)
		goto out;
	memset(&sub, 0, sizeof(sub));
	sub.type = f->type;
	sub.state = workflow_initial(in->workflow)->name;
	sub.source = in->source;
	sub.content = content;
	sub.content_len = strlen(content);
	sub.stats = stats;
	sub.stats_len = stats ? strlen(stats) : 0;
	sub.identity = identity;
	sub.identity_len = strlen(identity);
	sub.stats_pad = form_stats_max(f, in->field_max);
	sub.files = in->files;
	sub.nfiles = in->nfiles;
	sub.registrar = in->registrar;
	sub.record = in->record;
	sub.record_len = in->record_len;
	ret = report_submit(inst, &sub, receipt, id);
out:
	text_wipe_free(content);
	text_wipe_free(stats);
	text_wipe_free(identity);
	return ret;
}

/* What is wrong with an oral report's record, as a message key, or NULL. */
static const char *
record_problem(const struct filing *in)
{
	if (!in->record)
		return NULL;
	if (in->record_cut)
		return "form.error.too_long";
	if (!utf8_valid_text(in->record, in->record_len))
		return "form.error.bad_text";
	if (strspn(in->record, " \t\r\n") >= in->record_len)
		return "oral.record_empty";
	return NULL;
}

struct outcome
report_file(struct installation *inst, const struct filing *in,
            enum field_error *errors, char receipt[RECEIPT_TEXT_LEN + 1])
{
	const struct form *f = forms_get(in->type);
	struct outcome o = { VERDICT_FAILED, NULL, NULL, 0, NULL };
	const char *record_key = record_problem(in);
	size_t i;

	memset(receipt, 0, RECEIPT_TEXT_LEN + 1);
	if (!f || !in->workflow || !workflow_initial(in->workflow)) {
		error("no form or workflow for %s reports",
		      report_type_name(in->type));
		return o;
	}
	/* Files by their content, never their name or declared type. */
	for (i = 0; i < in->nfiles && !o.arg; i++)
		if (!filetype_allowed(filetype_detect(in->files[i].data,
		                                      in->files[i].len),
		                      in->upload_types))
			o.arg = in->files[i].name;
	/* Every field checked, also after web's own errors: all show. */
	if (form_check(f, in->answers, in->field_max, clock_now(), errors) ||
	    in->transport_errors || o.arg || record_key) {
		outcome_set(&o, VERDICT_INVALID, o.arg ? "form.error.file_type"
		            : NULL, NULL);
		for (i = 0; i < f->nfields; i++)
			if (errors[i] != FIELD_OK) {
				outcome_set(&o, VERDICT_INVALID,
				            field_error_key(errors[i]),
				            f->fields[i].name);
				break;
			}
		/* The record's own error, beside those of the fields. */
		if (record_key)
			outcome_set(&o, VERDICT_INVALID, record_key, "record");
		return o;
	}
	if (store(inst, f, in, receipt, &o.id) < 0)
		return o;
	outcome_set(&o, VERDICT_DONE, NULL, NULL);
	return o;
}
