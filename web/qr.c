/*
 * qr.c - QR codes with libqrencode, as SVG (see qr.h).
 *
 * One path for all dark modules keeps the SVG small; a quiet zone of four
 * modules surrounds the code, as scanners expect.
 */
#include <qrencode.h>

#include "html.h"
#include "keys.h"
#include "qr.h"

#define QUIET 4

int
qr_svg(struct buf *b, const char *text, const char *label)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int x, y, size;

	if (!qr)
		return -1;
	size = qr->width + 2 * QUIET;
	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"meldpunt-qr\" "
	         "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", size, size);
	html_attr(b, label);
	buf_addf(b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	         "<path fill=\"#000\" d=\"", size, size);
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				buf_addf(b, "M%d %dh1v1h-1z", x + QUIET, y + QUIET);
	buf_adds(b, "\"/></svg>\n");
	/* The modules encode the secret: wipe them before freeing. */
	crypto_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
	QRcode_free(qr);
	return 0;
}
