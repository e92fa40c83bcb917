/*
 * reptype.h - the report types, as schema/forms/ declares them.
 *
 * A report type is data: a form file schema/forms/NAME.ini, whose [form]
 * section declares the type and what belongs to it, and a workflow file
 * schema/workflows/NAME.ini. The [form] keys read here:
 *
 *   type         NAME (a-z, 0-9 and _), as stored in reports.type
 *   order        1, 2, 3, ...: the type's place wherever types are listed
 *                (the start page); also its number (enum report_type is
 *                order - 1)
 *   keyring      the keyring its reports are sealed to (one per type)
 *   role         the role that handles its reports (users.h role names)
 *   path         the last part of its pages' paths (/melden/PATH for the
 *                form, /beheer/registreren/PATH to register one for a
 *                reporter)
 *   first_admin  yes: `init` gives the first admin this keyring, so the
 *                first handlers are granted it without the recovery key;
 *                no: only the recovery key (or a member) grants it
 *   oral         (optional) the roles that record an oral report of the
 *                type: a conversation written down by one of them for
 *                the reporter, who gets the receipt and approves or
 *                corrects the record (core/oral.h); absent: none
 *
 * The code knows two types by name because it has features for them: the
 * signal meeting reads signals, the care talk belongs to incidents. Their
 * numbers are fixed (REPORT_INCIDENT is order 1, REPORT_SIGNAL order 2) and
 * the table refuses schema files that say otherwise. Every other place
 * asks this table.
 *
 * The table is read from the embedded files on first use and lives as
 * long as the program; broken files are a build error, so the first use
 * ends the program with file and line (tests/test_reptype.c reads them).
 */
#ifndef MELDPUNT_REPTYPE_H
#define MELDPUNT_REPTYPE_H

#include <stddef.h>

/* An index into the table: order - 1. */
enum report_type { REPORT_INCIDENT, REPORT_SIGNAL };

/* The most report types schema/forms/ may declare. */
#define REPORT_TYPES_MAX 8
/* The longest type name, keyring name and path. */
#define REPORT_TYPE_NAME_MAX 32

/* How many types there are; they are 0 .. count - 1. */
size_t report_types_count(void);

/* The type's name ("incident"). */
const char *report_type_name(enum report_type t);
/* 0 and *t, or -1 for an unknown name. */
int report_type_parse(const char *name, enum report_type *t);
/* The keyring that reads reports of type t. */
const char *report_type_keyring(enum report_type t);
/* The role (enum role bit, users.h) that handles reports of type t. */
unsigned report_type_role(enum report_type t);
/* Every type's handling role, or-ed. */
unsigned report_types_roles(void);
/* The last part of the type's page paths ("agressie"). */
const char *report_type_path(enum report_type t);
/* 0 and *t for the type whose path is path, or -1. */
int report_type_by_path(const char *path, enum report_type *t);
/* The roles that record oral reports of type t (oral.h); 0: none. */
unsigned report_type_oral(enum report_type t);
/* 1 when `init` gives the first admin the type's keyring. */
int report_type_first_admin(enum report_type t);
/* The type whose keyring is name: 0 and *t, or -1. */
int report_type_by_keyring(const char *name, enum report_type *t);

/*
 * Read a table from files (forms/NAME.ini and their texts, as
 * schema_files holds them; path NULL ends). 0 and the number of types in
 * *n, or -1 with "file:line: problem" in errors (NUL-terminated, at most
 * size bytes). For tests and the first use; the program's own table is
 * read from the embedded files.
 */
struct schema_file;
int report_types_check(const struct schema_file *files, size_t *n,
                       char *errors, size_t size);

#endif
