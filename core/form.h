/*
 * form.h - report forms defined as data, and checking answers against them.
 *
 * The questions of each report type live in schema/forms/TYPE.ini (the
 * format is described at the top of incident.ini). forms_load reads and
 * checks them at start; a broken file stops the start with file and line.
 * Adding an optional question is an edit of that file and of the message
 * catalogues, not of C code.
 *
 * A submission arrives as struct answers: name/value pairs as the browser
 * sent them (several values for check boxes). form_check validates them
 * field by field; form_encode turns valid answers into two JSON documents:
 * the content (encrypted for the handlers) and the statistical answers
 * (sealed for the statistiek keyring); form_encode_parts into three, the
 * answers of the fields marked `identity = yes` (who the reporter is and
 * how to reach them) in a document of their own.
 *
 * Ownership: forms are loaded once and live until forms_free. struct
 * answers holds pointers it does not own. form_encode gives the caller two
 * malloc'd strings (wipe and free them: they are report content).
 */
#ifndef MELDPUNT_FORM_H
#define MELDPUNT_FORM_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "limits.h"
#include "report.h"

enum field_kind {
	FIELD_TEXT, FIELD_TEXTAREA, FIELD_EMAIL, FIELD_PHONE, FIELD_DATE,
	FIELD_TIME, FIELD_CHOICE, FIELD_SELECT, FIELD_MULTI, FIELD_FILES,
};

enum field_store { STORE_CONTENT, STORE_STATS };

struct form_field {
	char *name;
	enum field_kind kind;
	enum field_store store;
	int required;
	int past;		/* dates: not in the future */
	int identity;		/* identifies the reporter (name, contact) */
	size_t max;		/* characters; 0: the field_max limit */
	char **options;
	size_t noptions;
	char *when_field;	/* asked only when when_field == when_value */
	char *when_value;
	int line;		/* where it is defined, for messages */
	unsigned keys_seen;	/* while parsing: keys already given */
};

struct form {
	enum report_type type;
	int anonymous;		/* may the reporter stay anonymous? */
	struct form_field *fields;
	size_t nfields;
	/* The fields in strcmp order of their names (form_encode writes so). */
	const struct form_field **by_name;
};

/*
 * Parse one form file (text, named file for messages). 0 and *out, or -1
 * with "file:line: problem" logged.
 */
int form_parse(const char *file, const char *text, struct form **out);
void form_free(struct form *f);

/* Load the embedded schema/forms/ files. 0 or -1. */
int forms_load(void);
/* The loaded form of a report type (NULL before forms_load). */
const struct form *forms_get(enum report_type t);
void forms_free(void);

const struct form_field *form_field(const struct form *f, const char *name);
const char *field_kind_name(enum field_kind k);

/* The answers as sent. */
struct answer {
	const char *name;
	const char *value;
	size_t len;		/* may include NUL bytes, which are refused */
	int cut;		/* the request reader cut it at its limit */
};

struct answers {
	struct answer *items;
	size_t n, cap;
};

void answers_init(struct answers *a);
void answers_add(struct answers *a, const char *name, const char *value,
                 size_t len);
/* An answer the request reader cut at its limit: form_check finds the
 * field too long. */
void answers_add_cut(struct answers *a, const char *name, const char *value,
                     size_t len);
void answers_release(struct answers *a);
/* The first value for name, or NULL. */
const char *answers_get(const struct answers *a, const char *name);

enum field_error {
	FIELD_OK = 0,
	FIELD_MISSING,		/* required, not answered */
	FIELD_TOO_LONG,
	FIELD_BAD_TEXT,		/* invalid UTF-8 or control characters */
	FIELD_BAD_OPTION,	/* not one of the options */
	FIELD_BAD_DATE,
	FIELD_FUTURE_DATE,
	FIELD_BAD_TIME,
	FIELD_BAD_EMAIL,
	FIELD_BAD_PHONE,
};

/* Short code of an error, used for message keys ("error.missing"). */
const char *field_error_code(enum field_error e);
/* Its message key, "form.error.missing" (static text, for struct outcome). */
const char *field_error_key(enum field_error e);

/*
 * Check every field's answers. errors must have f->nfields entries; each
 * gets FIELD_OK or the first problem of that field. field_max is the limit
 * for fields without their own max; now is the clock for "past" dates.
 * Returns the number of fields in error.
 */
size_t form_check(const struct form *f, const struct answers *a,
                  size_t field_max, time_t now, enum field_error *errors);

/* 1 when the field is asked given the other answers (its `when` holds). */
int form_field_asked(const struct form_field *fld, const struct answers *a);

/*
 * Encode checked answers: *content gets {"form":"signal","received_at":
 * "2026-11-29","answers":{...}} (the day only, zone.h) with every
 * answer, *stats {"form":...,"answers":{...}} with only the
 * statistical ones (NULL when the form has none). Fields not asked are
 * left out. 0 or -1.
 */
int form_encode(const struct form *f, const struct answers *a,
                char **content, char **stats);

/*
 * As form_encode, for filing: the answers of identity fields (identity =
 * yes) go into *identity instead of *content, as {"answers":{...},
 * "form":...} (always made, its answers empty for an anonymous report),
 * and *content says whether there were any: "reporter":"named" or
 * "anonymous". The identity is sealed in an envelope of its own, for the
 * handling keyring and the reporter only (report.h). 0 or -1.
 */
int form_encode_parts(const struct form *f, const struct answers *a,
                      char **content, char **stats, char **identity);

/* 1 when the form has identity fields. */
int form_has_identity(const struct form *f);

/*
 * The longest statistical answers form_encode can write for f with every
 * statistical field answered at its longest (each check box once), with
 * field_max for fields without their own max: the statistical answers of
 * every report of the type are padded to this one length (core/limits.h).
 */
size_t form_stats_max(const struct form *f, size_t field_max);

/* 1 when s (len bytes) is valid UTF-8 without NUL or control characters
 * other than tab and newlines. */
int utf8_valid_text(const char *s, size_t len);

#endif
