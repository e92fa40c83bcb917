/*
 * limits.c - the default limits (see limits.h).
 */
#include "envelope.h"
#include "filetype.h"
#include "limits.h"

const struct envelope_pad pad_content = { ENVELOPE_PAD_BLOCK, PAD_CONTENT };
const struct envelope_pad pad_text = { ENVELOPE_PAD_BLOCK, PAD_TEXT };
const struct envelope_pad pad_file = { ENVELOPE_PAD_BUCKET, PAD_FILE };

const struct limits limits_default = {
	.body_max = LIMIT_BODY_MAX_DEFAULT,
	.connection_memory = LIMIT_CONNECTION_MEMORY_DEFAULT,
	.connections = LIMIT_CONNECTIONS_DEFAULT,
	.connection_timeout = LIMIT_CONNECTION_TIMEOUT_DEFAULT,
	.connections_per_client = LIMIT_CONNECTIONS_PER_CLIENT_DEFAULT,
	.header_timeout = LIMIT_HEADER_TIMEOUT_DEFAULT,
	.body_rate_min = LIMIT_BODY_RATE_MIN_DEFAULT,
	.body_rate_window = LIMIT_BODY_RATE_WINDOW_DEFAULT,
	.body_memory_per_client = LIMIT_BODY_MEMORY_PER_CLIENT_DEFAULT,
	.body_memory = LIMIT_BODY_MEMORY_DEFAULT,
	.threads = LIMIT_THREADS_DEFAULT,
	.field_max = LIMIT_FIELD_MAX_DEFAULT,
	.fields_max = LIMIT_FIELDS_MAX_DEFAULT,
	.upload_file_max = LIMIT_UPLOAD_FILE_MAX_DEFAULT,
	.upload_files_max = LIMIT_UPLOAD_FILES_MAX_DEFAULT,
	.upload_total_max = LIMIT_UPLOAD_TOTAL_MAX_DEFAULT,
	.upload_types = FILETYPE_ALL,
	.receipt_attempts = LIMIT_RECEIPT_ATTEMPTS_DEFAULT,
	.submissions = LIMIT_SUBMISSIONS_DEFAULT,
	.login_attempts = LIMIT_LOGIN_ATTEMPTS_DEFAULT,
	.login_delay = LIMIT_LOGIN_DELAY_DEFAULT,
	.login_delay_max = LIMIT_LOGIN_DELAY_MAX_DEFAULT,
	.login_hashes = LIMIT_LOGIN_HASHES_DEFAULT,
	.login_hash_wait = LIMIT_LOGIN_HASH_WAIT_DEFAULT,
	.password_min = LIMIT_PASSWORD_MIN_DEFAULT,
	.key_upgrade_days = LIMIT_KEY_UPGRADE_DAYS_DEFAULT,
	.session_idle = LIMIT_SESSION_IDLE_DEFAULT,
	.session_absolute = LIMIT_SESSION_ABSOLUTE_DEFAULT,
	.norm_text_max = LIMIT_NORM_TEXT_MAX,
	.norm_action_max = LIMIT_NORM_ACTION_MAX,
	.norm_owner_max = LIMIT_NORM_OWNER_MAX,
	.norm_actions_max = LIMIT_NORM_ACTIONS_MAX,
	.search_max = LIMIT_SEARCH_MAX_DEFAULT,
	.handoff_cover_max = LIMIT_HANDOFF_COVER_MAX_DEFAULT,
	.handoff_download_seconds = LIMIT_HANDOFF_DOWNLOAD_SECONDS_DEFAULT,
	.handoff_held = LIMIT_HANDOFF_HELD_DEFAULT,
};
