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

/* Keys a section may have: the size of each item's lines[]. */
#define KEYS_MAX 10

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

#endif
