/*
 * qr.h - a QR code as inline SVG, drawn by the server.
 *
 * Used for the second-factor enrolment: the otpauth:// URI is shown as a
 * QR code without any script or external service; the same secret is shown
 * as text beside it for people who type it in.
 */
#ifndef MELDPUNT_QR_H
#define MELDPUNT_QR_H

#include "buf.h"

/*
 * Append an <svg> of text as a QR code (error correction M) with label as
 * its accessible name. 0, or -1 when the text does not fit a QR code.
 */
int qr_svg(struct buf *b, const char *text, const char *label);

#endif
