/*
 * paths.h - the path of every page and API endpoint, in one place.
 *
 * The route table (web/routes.c) maps these to handlers; pages link to
 * each other, and the staff menu offers them, by these names. Only
 * constants live here, so any web/ file may include it without pulling in
 * a page's handlers.
 */
#ifndef MELDPUNT_PATHS_H
#define MELDPUNT_PATHS_H

/* The reporter's pages (web/page_report.c). */
/* A report type's form: PATH_REPORT_PREFIX and the type's path
 * (schema/forms/, core/reptype.h). */
#define PATH_REPORT_PREFIX "/melden/"
#define PATH_INCIDENT "/melden/agressie"
#define PATH_SIGNAL "/melden/signaal"
#define PATH_STATUS "/status"
#define PATH_REPLY "/status/antwoord"
/* The reporter approves or corrects the record of an oral report. */
#define PATH_RECORD_APPROVE "/status/verslag-akkoord"
#define PATH_RECORD_CORRECT "/status/verslag-verbeteren"

/* Staff: logging in and out, set-up, the start page (web/page_auth.c). */
#define PATH_STAFF_HOME "/beheer"
#define PATH_LOGIN "/beheer/inloggen"
#define PATH_LOGOUT "/beheer/uitloggen"
#define PATH_SETUP "/beheer/instellen"
#define PATH_PASSWORD "/beheer/wachtwoord"
/* The account page's e-mail address form (posted from PATH_PASSWORD). */
#define PATH_ACCOUNT_EMAIL "/beheer/wachtwoord/email"

/* Handlers: the inbox and the case page (web/page_case.c). */
#define PATH_INBOX "/beheer/meldingen"
#define PATH_CASE "/beheer/melding"
#define PATH_CASE_TRANSITION "/beheer/melding/overgang"
#define PATH_CASE_MESSAGE "/beheer/melding/bericht"
#define PATH_CASE_NOTE "/beheer/melding/notitie"
#define PATH_CASE_ASSIGN "/beheer/melding/toewijzen"
#define PATH_CASE_LINK "/beheer/melding/koppelen"
#define PATH_CASE_FILE "/beheer/melding/bestand"
#define PATH_CASE_HOLD "/beheer/melding/blokkade"
#define PATH_CASE_CORRECT "/beheer/melding/correctie"
#define PATH_CASE_UNDO "/beheer/melding/ongedaan"
#define PATH_CASE_PRINT "/beheer/melding/afdrukken"
#define PATH_CASE_DOSSIER "/beheer/melding/dossier"
#define PATH_CASE_DOCUMENT "/beheer/melding/document"
#define PATH_CASE_HANDOFF "/beheer/melding/overdracht"
#define PATH_CASE_HANDOFF_DOWNLOAD "/beheer/melding/overdracht/pakket"
#define PATH_AMOUNTS "/beheer/bedragen"

/* Registering a report for a reporter (web/page_register.c). */
#define PATH_REGISTER "/beheer/registreren"
/* Registering one of a type: PATH_REGISTER_PREFIX and its path. */
#define PATH_REGISTER_PREFIX "/beheer/registreren/"
#define PATH_REGISTER_SIGNAL "/beheer/registreren/signaal"
#define PATH_REGISTER_INCIDENT "/beheer/registreren/agressie"

/* Recording an oral report (web/page_oral.c). */
#define PATH_ORAL "/beheer/mondeling"
/* Recording one of a type: PATH_ORAL_PREFIX and its path. */
#define PATH_ORAL_PREFIX "/beheer/mondeling/"

/* The signal meeting (web/page_meeting.c). */
#define PATH_MEETINGS "/beheer/overleg"
#define PATH_MEETING_NEW "/beheer/overleg/nieuw"
#define PATH_MEETING "/beheer/overleg/vergadering"
#define PATH_MEETING_MINUTES "/beheer/overleg/verslag"
#define PATH_MEETING_SIGNAL "/beheer/overleg/signaal"
#define PATH_MEETING_ADD "/beheer/overleg/agenda-toevoegen"
#define PATH_MEETING_REMOVE "/beheer/overleg/agenda-verwijderen"
#define PATH_MEETING_RECORD "/beheer/overleg/vastleggen"
#define PATH_MEETING_CLOSE "/beheer/overleg/sluiten"
#define PATH_MEETING_REDATE "/beheer/overleg/datum"
#define PATH_MEETING_ATTENDEES "/beheer/overleg/aanwezig"
#define PATH_MEETING_ACTION_ADD "/beheer/overleg/actiepunt"
#define PATH_MEETING_ACTION_REMOVE "/beheer/overleg/actiepunt-verwijderen"

/* Statistics (web/page_stats.c). */
#define PATH_STATS "/beheer/statistiek"
#define PATH_STATS_CSV "/beheer/statistiek.csv"
#define PATH_STATS_JSON "/beheer/statistiek.json"

/* The norm self-assessment (web/page_norm.c). */
#define PATH_NORM "/beheer/norm"
#define PATH_NORM_ITEM "/beheer/norm/onderdeel"
#define PATH_NORM_REPORT "/beheer/norm/jaarverslag"
#define PATH_NORM_CSV "/beheer/norm/jaarverslag.csv"
#define PATH_NORM_JSON "/beheer/norm/jaarverslag.json"

/* The audit log (web/page_audit.c). */
#define PATH_AUDIT "/beheer/auditlog"

/* Staff accounts and keyrings (web/page_admin.c). */
#define PATH_ADMIN_USERS "/beheer/gebruikers"
#define PATH_ADMIN_NEW "/beheer/gebruikers/nieuw"
#define PATH_ADMIN_USER "/beheer/gebruikers/gebruiker"
#define PATH_ADMIN_EMAIL "/beheer/gebruikers/email"
#define PATH_ADMIN_DISABLE "/beheer/gebruikers/blokkeren"
#define PATH_ADMIN_RESET "/beheer/gebruikers/wachtwoord-herstellen"
#define PATH_ADMIN_GRANT "/beheer/gebruikers/toegang-geven"
#define PATH_ADMIN_REVOKE "/beheer/gebruikers/toegang-intrekken"
#define PATH_ADMIN_ROLES "/beheer/gebruikers/rollen"

/* API tokens (web/page_tokens.c). */
#define PATH_TOKENS "/beheer/tokens"
#define PATH_TOKENS_REVOKE "/beheer/tokens/intrekken"

/* The JSON API (web/api.h): every path below API_PREFIX. */
#define API_PREFIX "/api/"

/* API, the reporter's side: no account, no token. */
/* Each report type's form and its submission: PREFIX + the type's name. */
#define PATH_API_FORM_PREFIX "/api/v1/forms/"
#define PATH_API_REPORT_PREFIX "/api/v1/reports/"
#define PATH_API_STATUS "/api/v1/status"
#define PATH_API_STATUS_MESSAGE "/api/v1/status/messages"
#define PATH_API_STATUS_RECORD_APPROVE "/api/v1/status/record/approve"
#define PATH_API_STATUS_RECORD_CORRECT "/api/v1/status/record/correct"

/* API, staff, with a token. */
#define PATH_API_ME "/api/v1/me"
#define PATH_API_INBOX "/api/v1/inbox"
#define PATH_API_CASE "/api/v1/case"
#define PATH_API_CASE_TRANSITION "/api/v1/case/transition"
#define PATH_API_CASE_DOSSIER "/api/v1/case/dossier"
#define PATH_API_CASE_MESSAGE "/api/v1/case/message"
#define PATH_API_CASE_NOTE "/api/v1/case/note"
#define PATH_API_CASE_FILE "/api/v1/case/file"
#define PATH_API_CASE_ASSIGN "/api/v1/case/assign"
#define PATH_API_CASE_LINK "/api/v1/case/link"
#define PATH_API_CASE_HOLD "/api/v1/case/hold"
#define PATH_API_CASE_CORRECT "/api/v1/case/correct"
#define PATH_API_CASE_UNDO "/api/v1/case/undo"
#define PATH_API_CASE_DOCUMENT "/api/v1/case/document"
#define PATH_API_CASE_HANDOFF "/api/v1/case/handoff"
#define PATH_API_CASE_HANDOFF_DOWNLOAD "/api/v1/case/handoff/download"
#define PATH_API_MEETINGS "/api/v1/meetings"
#define PATH_API_MEETING "/api/v1/meeting"
#define PATH_API_MEETING_AGENDA "/api/v1/meeting/agenda"
#define PATH_API_MEETING_RECORD "/api/v1/meeting/record"
#define PATH_API_MEETING_CLOSE "/api/v1/meeting/close"
#define PATH_API_STATS "/api/v1/statistics"
#define PATH_API_STATS_EXPORT "/api/v1/statistics/export"
#define PATH_API_NORM "/api/v1/norm"
#define PATH_API_NORM_EXPORT "/api/v1/norm/export"
#define PATH_API_NORM_ITEM "/api/v1/norm/item"

#endif
