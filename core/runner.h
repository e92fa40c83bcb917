/*
 * runner.h - a service thread beside the server's requests: it runs one
 * job now and then again and again, waiting between runs on the monotonic
 * clock (setting the date moves no wait), until it is stopped.
 *
 * The retention purge (retention.h) and the reporters' day counts
 * (daycount.h) run this way.
 *
 * Ownership: runner_start gives a runner to runner_stop, which wakes it,
 * waits for the job in hand to return, and frees it. arg is borrowed and
 * must outlive the runner.
 */
#ifndef MELDPUNT_RUNNER_H
#define MELDPUNT_RUNNER_H

#include <time.h>

struct runner;

/*
 * One run of the job; returns how many seconds to wait before the next
 * (at least 1 is waited).
 */
typedef time_t (*runner_fn)(struct runner *r, void *arg);

/* Start the thread; what names it in an error. 0 and *out, or -1. */
int runner_start(const char *what, runner_fn fn, void *arg,
                 struct runner **out);

/* 1 once runner_stop was called: a long job checks it between steps. */
int runner_stopping(struct runner *r);

/* Stop the thread and wait for it. NULL is fine. */
void runner_stop(struct runner *r);

#endif
