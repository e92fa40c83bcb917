/*
 * inifile.h - INI text parsed with inih, with line numbers.
 *
 * Forms, message catalogues and workflows are INI files that people edit;
 * a mistake must be reported with its line. Debian's inih does not pass
 * line numbers to the handler, so this reads the text through inih's
 * stream interface, counting lines as inih asks for them.
 */
#ifndef MELDPUNT_INIFILE_H
#define MELDPUNT_INIFILE_H

/*
 * Called for each name = value under section, with the line it is on.
 * Return 1 to go on, 0 to stop (inifile_parse then returns that line).
 */
typedef int (*inifile_handler)(void *user, const char *section,
                               const char *name, const char *value, int line);

/*
 * Parse text. 0 on success; otherwise the line of the first syntax error
 * or of the entry the handler refused.
 */
int inifile_parse(const char *text, inifile_handler handler, void *user);

#endif
