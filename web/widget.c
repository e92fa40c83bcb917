/*
 * widget.c - form pieces shared by the staff pages (see widget.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "html.h"
#include "i18n.h"
#include "keyrings.h"
#include "post.h"
#include "session.h"
#include "widget.h"

void
widget_hidden(struct request *req, const char *name, const char *value)
{
	html_raw(&req->out, "<input type=\"hidden\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" value=\"");
	html_attr(&req->out, value);
	html_raw(&req->out, "\">\n");
}

void
widget_hidden_int(struct request *req, const char *name, int64_t value)
{
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)value);
	widget_hidden(req, name, text);
}

void
staff_csrf_field(struct request *req)
{
	html_raw(&req->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(&req->out, req->session->csrf);
	html_raw(&req->out, "\">\n");
}

void
widget_form_post(struct request *req, const char *action)
{
	html_raw(&req->out, "<form method=\"post\" class=\"meldpunt-action\" "
	         "action=\"");
	html_attr(&req->out, action);
	html_raw(&req->out, "\">\n");
	staff_csrf_field(req);
}

void
widget_button(struct request *req, const char *text, int primary)
{
	html_raw(&req->out, primary ? "<button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">"
	         : "<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</button>\n");
}

void
widget_link(struct request *req, const char *href, const char *text)
{
	html_raw(&req->out, "<a class=\"utrecht-link\" href=\"");
	html_attr(&req->out, href);
	html_raw(&req->out, "\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</a>");
}

void
widget_label(struct request *req, const char *id, const char *text)
{
	html_raw(&req->out, "<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</label>\n");
}

void
widget_input_open(struct request *req, const char *type, const char *name,
                  const char *id, const char *value)
{
	html_raw(&req->out, "<input class=\"utrecht-textbox "
	         "utrecht-textbox--html-input\" type=\"");
	html_attr(&req->out, type);
	html_raw(&req->out, "\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\"");
	if (value) {
		html_raw(&req->out, " value=\"");
		html_attr(&req->out, value);
		html_raw(&req->out, "\"");
	}
}

void
widget_text(struct request *req, const char *type, const char *name,
            const char *id, const char *text, const char *value)
{
	widget_label(req, id, text);
	widget_input_open(req, type, name, id, value);
	html_raw(&req->out, ">\n</div>\n");
}

void
widget_table_head(struct request *req, const char *id,
                  const char *const *keys, size_t n)
{
	size_t i;

	html_raw(&req->out, "<table class=\"utrecht-table\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\">\n<thead class=\"utrecht-table__header\"><tr>");
	for (i = 0; i < n; i++) {
		html_raw(&req->out, "<th scope=\"col\">");
		html_text(&req->out, web_text(req, keys[i]));
		html_raw(&req->out, "</th>");
	}
	html_raw(&req->out, "</tr></thead>\n<tbody>\n");
}

void
widget_textarea(struct request *req, const char *name, const char *id,
                const char *text, const struct secret *value)
{
	struct buf shown = BUF_INIT;

	/* A decrypted value: through a buffer that is wiped afterwards. */
	if (value)
		buf_add(&shown, value->bytes, value->len);
	widget_textarea_typed(req, name, id, text, shown.data);
	buf_wipe_release(&shown);
}

void
widget_textarea_typed(struct request *req, const char *name, const char *id,
                      const char *text, const char *value)
{
	widget_label(req, id, text);
	html_raw(&req->out, "<textarea class=\"utrecht-textarea "
	         "utrecht-textarea--html-textarea\" rows=\"4\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\">");
	html_text(&req->out, value ? value : "");
	html_raw(&req->out, "</textarea>\n</div>\n");
}

int
widget_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 1)
		return -1;
	*id = v;
	return 0;
}

const char *
widget_post_text(struct request *req, const char *name, size_t *len)
{
	const struct post_field *f = post_field_nth(req->post, name, 0);

	if (!f || f->is_file || f->error != POST_OK ||
	    !utf8_valid_text(f->value.data, f->value.len))
		return NULL;
	*len = f->value.len;
	return f->value.data;
}

void
widget_scroll_open(struct request *req, const char *label)
{
	html_raw(&req->out, "<div class=\"meldpunt-table-scroll\" role=\"region\" "
	         "tabindex=\"0\" aria-label=\"");
	html_attr(&req->out, label);
	html_raw(&req->out, "\">\n");
}

void
widget_time_text(const struct request *req, const char *stored,
                 char out[CLOCK_SHOW_LEN + 1])
{
	clock_show(stored, req->lang == LANG_EN ? CLOCK_ENGLISH : CLOCK_DUTCH,
	           out);
}

void
widget_time(struct request *req, const char *stored)
{
	char shown[CLOCK_SHOW_LEN + 1];

	widget_time_text(req, stored, shown);
	html_raw(&req->out, "<time datetime=\"");
	html_attr(&req->out, stored ? stored : "");
	html_raw(&req->out, "\">");
	html_text(&req->out, shown);
	html_raw(&req->out, "</time>");
}

void
widget_select_open(struct request *req, const char *name, const char *id,
                   const char *label)
{
	html_raw(&req->out, "<div class=\"utrecht-form-field\">"
	         "<label class=\"utrecht-form-label\" for=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\">");
	html_text(&req->out, label);
	html_raw(&req->out, "</label>\n<select class=\"utrecht-select\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\">\n");
}

void
widget_option(struct request *req, const char *value, const char *text,
              const char *current)
{
	html_raw(&req->out, "<option value=\"");
	html_attr(&req->out, value);
	html_raw(&req->out, "\"");
	if (current && strcmp(current, value) == 0)
		html_raw(&req->out, " selected");
	html_raw(&req->out, ">");
	html_text(&req->out, text);
	html_raw(&req->out, "</option>\n");
}

void
widget_checkbox(struct request *req, const char *name, const char *id,
                const char *value, const char *label, int checked)
{
	struct buf *b = &req->out;

	html_raw(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\">"
	         "\n<div class=\"utrecht-form-field__input\"><input class=\""
	         "utrecht-checkbox utrecht-checkbox--html-input\" type=\"checkbox\" "
	         "name=\"");
	html_attr(b, name);
	html_raw(b, "\" id=\"");
	html_attr(b, id);
	html_raw(b, "\" value=\"");
	html_attr(b, value);
	html_raw(b, checked ? "\" checked></div>\n" : "\"></div>\n");
	html_raw(b, "<div class=\"utrecht-form-field__label "
	         "utrecht-form-field__label--checkbox\"><label class=\""
	         "utrecht-form-label utrecht-form-label--checkbox\" for=\"");
	html_attr(b, id);
	html_raw(b, "\">");
	html_text(b, label);
	html_raw(b, "</label></div>\n</div>\n");
}

void
widget_badge(struct request *req, const char *text, const char *kind)
{
	html_raw(&req->out, "<span class=\"meldpunt-badge meldpunt-badge--");
	html_raw(&req->out, kind);
	html_raw(&req->out, "\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</span>");
}

const char *
widget_keyring_name(const struct request *req, const char *name)
{
	char key[KEYRING_NAME_MAX + 16];

	if ((size_t)snprintf(key, sizeof(key), "keyring.%s", name) >= sizeof(key) ||
	    !i18n_has(key))
		return name;
	return web_text(req, key);
}

void
widget_keyring_list(const struct request *req, const char *list,
                    struct buf *out)
{
	char name[KEYRING_NAME_MAX + 1];
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		size_t lead = strspn(p, " ");

		if (lead > n)
			lead = n;
		if (n - lead < sizeof(name)) {
			memcpy(name, p + lead, n - lead);
			name[n - lead] = '\0';
			buf_adds(out, widget_keyring_name(req, name));
		} else {
			buf_add(out, p + lead, n - lead);
		}
		p += n;
		if (*p == ',') {
			buf_adds(out, ", ");
			p++;
		}
	}
}
