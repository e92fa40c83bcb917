/*
 * apijson.h - strict reading of JSON request bodies for the API.
 *
 * Every JSON body the API takes is one object whose members are declared
 * by the endpoint as a table of struct apijson_field: name, type,
 * required, and a length limit. apijson_parse refuses what does not fit,
 * and says so per member: a member the table does not name
 * (unknown_field), a value of another type (wrong_type), a text over its
 * limit (too_long), a text that is not plain UTF-8 text (bad_text), a
 * required member missing (missing). A body that is not JSON, not one
 * object, or has a member twice is refused as a whole (malformed). The
 * member types bound the nesting that is accepted (an object of arrays
 * of objects of texts at most: anything deeper is a wrong_type), and
 * jansson's parser refuses a body nested deeper than its own limit
 * (JSON_PARSER_MAX_DEPTH, 2048), so no body makes it recurse without end
 * (the fuzz seed "deep"). Parsing and the checks are jansson's and ours;
 * nothing here is stored, so a refusal changes nothing.
 *
 * Ownership: *out is a jansson reference the caller json_decref's; it may
 * hold report content. The server sets jansson's allocator to one that
 * wipes what it frees (core/form.c, at forms_load), so no copy outlives
 * the request.
 */
#ifndef MELDPUNT_APIJSON_H
#define MELDPUNT_APIJSON_H

#include <stddef.h>

#include <jansson.h>

/* Per-member problems reported for one body; further ones are counted. */
#define APIJSON_ERRORS_MAX 32
/* Longest member name echoed back in an error. */
#define APIJSON_NAME_MAX 64

enum apijson_type {
	APIJSON_STRING,		/* plain UTF-8 text of at most max bytes */
	APIJSON_ID,		/* an integer 1..2^53 */
	/* A report's case number, "2026-K7QM-3P" (core/casenumber.h); a
	 * row id is none. */
	APIJSON_CASE,
	APIJSON_BOOLEAN,
	/* An object of texts ({"police_reference": "..."}); max per text. */
	APIJSON_TEXTS,
	/* Form answers: texts, or arrays of texts (check boxes). */
	APIJSON_ANSWERS,
	/*
	 * A list of records ([{"text": "...", "owner": "..."}]): objects of
	 * texts of at most max bytes each. Which members a record may have
	 * is the endpoint's to check (it has their names and own limits).
	 */
	APIJSON_RECORDS,
};

struct apijson_field {
	const char *name;
	enum apijson_type type;
	int required;
	size_t max;		/* texts: bytes; 0 means the field_max limit */
};

struct apijson_error {
	char field[APIJSON_NAME_MAX * 2 + 2];	/* "answers.location" */
	const char *code;	/* "unknown_field", "wrong_type", ... */
	size_t max;		/* too_long: the limit */
};

struct apijson_errors {
	struct apijson_error items[APIJSON_ERRORS_MAX];
	size_t n;		/* items filled */
	size_t total;		/* problems found (may exceed n) */
	int malformed;		/* the body as a whole was refused */
	char detail[160];	/* malformed: what the parser said */
};

/*
 * Parse len bytes of body against spec (nspec members). field_max is the
 * limit for texts whose max is 0 and members_max the most members any
 * object may have. 0 and *out; -1 with errs filled (nothing in *out).
 */
int apijson_parse(const char *body, size_t len,
                  const struct apijson_field *spec, size_t nspec,
                  size_t field_max, size_t members_max, json_t **out,
                  struct apijson_errors *errs);

/* Add one problem to errs (for checks an endpoint makes itself). */
void apijson_error_add(struct apijson_errors *errs, const char *field,
                       const char *code, size_t max);

#endif
