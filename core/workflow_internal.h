/*
 * workflow_internal.h - what the workflow parser (workflow_parse.c) and
 * the engine (workflow.c) share; nothing else includes it (the API is
 * workflow.h).
 *
 * A loaded workflow: its public items, each with the line of every key
 * it was read from (for the messages of the checks), and the pool that
 * owns every string and array.
 */
#ifndef MELDPUNT_WORKFLOW_INTERNAL_H
#define MELDPUNT_WORKFLOW_INTERNAL_H

#include <stddef.h>

#include "workflow.h"
#include "workflow_fields.h"

/* Keys a section may have: the size of each item's lines[]. */
#define KEYS_MAX 12

struct state_item {
	struct workflow_state pub;
	int lines[KEYS_MAX];
};

struct transition_item {
	struct workflow_transition pub;
	int lines[KEYS_MAX];
	int stay;
};

struct deadline_item {
	struct workflow_deadline pub;
	int lines[KEYS_MAX];
};

/* A field's declaration, [field NAME] (workflow_fields.c). */
struct field_item {
	struct workflow_field_def pub;
	int lines[KEYS_MAX];
	size_t nlabels[WORKFLOW_LANGS];	/* choices.nl, choices.en */
};

/* A rule, [rule NAME] (workflow_fields.c). */
struct rule_item {
	struct workflow_rule pub;
	int lines[KEYS_MAX];
};

struct workflow {
	enum report_type type;
	const char *initial_name;
	const struct workflow_state *initial;
	int section_line;		/* of [workflow]; 0 when missing */
	int lines[KEYS_MAX];
	struct state_item *states;
	size_t nstates, capstates;
	struct transition_item *transitions;
	size_t ntransitions, captransitions;
	struct deadline_item *deadlines;
	size_t ndeadlines, capdeadlines;
	struct field_item *fielddefs;
	size_t nfielddefs, capfielddefs;
	struct rule_item *rules;
	size_t nrules, caprules;
	/* Every string and array above, freed together. */
	void **pool;
	size_t npool, cappool;
};

/* One of the characters isspace() knows in the C locale. */
int workflow_is_space(char c);
/* 1 when s is one of the n strings of list, else 0. */
int workflow_in_list(const char *const *list, size_t n, const char *s);
/* The item of a state or transition by name, or NULL. */
const struct state_item *workflow_find_state_item(const struct workflow *wf,
                                                  const char *name);
const struct transition_item *
workflow_find_transition_item(const struct workflow *wf, const char *name);

/*
 * What workflow_fields.c needs of the parser (workflow_parse.c): the
 * parser is opaque to it.
 */
struct parser;
void workflow_parse_error(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int workflow_parse_line(const struct parser *p);
struct workflow *workflow_parse_wf(const struct parser *p);
void *workflow_pool_alloc(struct workflow *wf, size_t size);
const char *workflow_pool_strdup(struct workflow *wf, const char *s);
/* Words separated by blanks or commas; a word twice is an error. */
const char *const *workflow_split_list(struct parser *p, const char *value,
                                       size_t *n_out);
/* a-z, 0-9 and _, 1 to WORKFLOW_NAME_MAX characters. */
int workflow_valid_name(const char *s);
/* Grow array *p of *cap items of size so that it holds need items. */
void workflow_grow(void **p, size_t *cap, size_t need, size_t size);

/*
 * The [field NAME] and [rule NAME] sections (workflow_fields.c): begin
 * one (its lines[], or NULL after an error), its keys (NULL-terminated;
 * a key's index is its slot in lines[]), one key's value, the checks
 * once the file is read (fields named by transitions and rules exist
 * with the right types), and freeing.
 */
int *workflow_fields_begin(struct parser *p, int rule, const char *name);
const char *const *workflow_fields_keys(int rule);
void workflow_fields_key(struct parser *p, int rule, int key,
                         const char *value);
void workflow_fields_check(struct parser *p);
void workflow_fields_free(struct workflow *wf);

#endif
