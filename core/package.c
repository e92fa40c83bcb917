/*
 * package.c - signed packages: a ZIP, its manifest of SHA-256 lines and
 * the manifest's Ed25519 signature (see package.h).
 *
 * The manifest is built while entries are added, so its order is the
 * order of the archive. Verifying reads every entry once (zipfile_read),
 * hashing each as it passes and keeping only names and hashes, then
 * checks the signature before it believes a line of the manifest.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "package.h"
#include "zipfile.h"

struct package {
	struct zipfile *zip;
	struct buf manifest;
};

static void
hex_of(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
}

static int
unhex(const char *in, uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < 2 * n; i++) {
		char c = in[i];
		int v = c >= '0' && c <= '9' ? c - '0' :
		        c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (v < 0)
			return -1;
		b[i / 2] = (uint8_t)(i % 2 ? (b[i / 2] | v) : v << 4);
	}
	return 0;
}

void
package_sha256_hex(const void *data, size_t len, char out[65])
{
	uint8_t h[CRYPTO_SHA256_LEN];

	crypto_sha256(h, data, len);
	hex_of(h, sizeof(h), out);
	out[64] = '\0';
}

static int
reserved(const char *name)
{
	return strcmp(name, PACKAGE_MANIFEST) == 0 ||
	       strcmp(name, PACKAGE_SIGNATURE) == 0;
}

int
package_new(struct package **out)
{
	struct package *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		die("out of memory");
	buf_init(&p->manifest);
	if (zipfile_new(&p->zip) < 0) {
		free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int
package_add(struct package *p, const char *name, const void *data,
            size_t len, uint8_t sha256[CRYPTO_SHA256_LEN])
{
	char hex[65];

	if (reserved(name))
		return error("package: '%s' is the manifest's name", name);
	if (zipfile_add(p->zip, name, data, len) < 0)
		return -1;
	package_sha256_hex(data, len, hex);
	buf_addf(&p->manifest, "%s  %s\n", hex, name);
	if (sha256)
		crypto_sha256(sha256, data, len);
	return 0;
}

int
package_finish(struct package *p, const struct secret *installation_secret,
               const char *password, struct buf *out)
{
	char seal[sizeof(PACKAGE_SEAL_LABEL) - 1 + PACKAGE_SEAL_HEX];
	uint8_t sig[SIGN_LEN];
	struct buf zip = BUF_INIT;
	size_t start;
	int ret = -1;

	if (sign_handoff_make(installation_secret, p->manifest.data,
	                      p->manifest.len, sig) < 0)
		return error("package: the manifest cannot be signed");
	/* The seal's digits are a placeholder until the archive is written. */
	memcpy(seal, PACKAGE_SEAL_LABEL, sizeof(PACKAGE_SEAL_LABEL) - 1);
	memset(seal + sizeof(PACKAGE_SEAL_LABEL) - 1, '0', PACKAGE_SEAL_HEX);
	if (zipfile_add(p->zip, PACKAGE_MANIFEST, p->manifest.data,
	                p->manifest.len) < 0 ||
	    zipfile_add(p->zip, PACKAGE_SIGNATURE, sig, sizeof(sig)) < 0 ||
	    zipfile_comment(p->zip, seal, sizeof(seal)) < 0 ||
	    zipfile_finish(p->zip, password, &zip) < 0)
		goto out;
	if (zip.len < sizeof(seal) ||
	    memcmp(zip.data + zip.len - sizeof(seal), seal, sizeof(seal)) != 0) {
		error("package: the archive does not end with its comment");
		goto out;
	}
	start = zip.len - PACKAGE_SEAL_HEX;
	if (sign_handoff_make(installation_secret, zip.data, start, sig) < 0) {
		error("package: the archive cannot be signed");
		goto out;
	}
	hex_of(sig, sizeof(sig), zip.data + start);
	buf_add(out, zip.data, zip.len);
	ret = 0;
out:
	buf_wipe_release(&zip);
	return ret;
}

void
package_free(struct package *p)
{
	if (!p)
		return;
	zipfile_free(p->zip);
	buf_wipe_release(&p->manifest);
	free(p);
}

/* What verifying keeps of the archive: names and hashes, the manifest. */
struct seen {
	char **names;
	char (*hex)[65];
	size_t n, cap;
	struct buf manifest;
	uint8_t sig[SIGN_LEN];
	int have_manifest, have_sig, bad_sig_len;
};

static int
see_entry(void *arg, const char *name, const void *data, size_t len)
{
	struct seen *s = arg;

	if (strcmp(name, PACKAGE_MANIFEST) == 0) {
		s->have_manifest++;
		buf_reset(&s->manifest);
		buf_add(&s->manifest, data, len);
		return 0;
	}
	if (strcmp(name, PACKAGE_SIGNATURE) == 0) {
		s->have_sig++;
		if (len == SIGN_LEN)
			memcpy(s->sig, data, SIGN_LEN);
		else
			s->bad_sig_len = 1;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap;

		s->names = buf_grow_array(s->names, &cap, sizeof(*s->names), 16);
		s->hex = buf_grow_array(s->hex, &s->cap, sizeof(*s->hex), 16);
	}
	s->names[s->n] = strdup(name);
	if (!s->names[s->n])
		die("out of memory");
	package_sha256_hex(data, len, s->hex[s->n]);
	s->n++;
	return 0;
}

static void
seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->hex);
	buf_wipe_release(&s->manifest);
}

/*
 * The manifest's lines against the entries seen: the same entries, in the
 * same order, with the same hashes. 0, or 1 with the problem.
 */
static int
compare(const struct seen *s, struct buf *problem)
{
	const char *line = s->manifest.data, *end = line + s->manifest.len;
	size_t i = 0;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

		if (!nl || n < 67 || line[64] != ' ' || line[65] != ' ') {
			buf_addf(problem, "line %zu of %s is not a "
			         "'SHA-256  name' line", i + 1, PACKAGE_MANIFEST);
			return 1;
		}
		if (i == s->n || strlen(s->names[i]) != n - 66 ||
		    memcmp(s->names[i], line + 66, n - 66) != 0) {
			buf_addf(problem, "%s lists '%.*s', the archive %s%s%s",
			         PACKAGE_MANIFEST, (int)(n - 66 > 200 ? 200 : n - 66),
			         line + 66, i == s->n ? "has no such entry" : "has '",
			         i == s->n ? "" : s->names[i], i == s->n ? "" : "'");
			return 1;
		}
		if (memcmp(s->hex[i], line, 64) != 0) {
			buf_addf(problem, "'%s' has changed: its SHA-256 is %s, "
			         "the manifest says %.64s", s->names[i], s->hex[i],
			         line);
			return 1;
		}
		i++;
		line = nl + 1;
	}
	if (i < s->n) {
		buf_addf(problem, "'%s' is in the archive but not in %s",
		         s->names[i], PACKAGE_MANIFEST);
		return 1;
	}
	return 0;
}

int
package_verify(const void *zip, size_t len, const char *password,
               const uint8_t pk[SIGN_PUBLICKEY_LEN], struct buf *problem,
               size_t *entries)
{
	const char *bytes = zip;
	size_t label = sizeof(PACKAGE_SEAL_LABEL) - 1;
	uint8_t sig[SIGN_LEN];
	struct seen s;
	int ret;

	memset(&s, 0, sizeof(s));
	buf_init(&s.manifest);
	if (entries)
		*entries = 0;
	if (len < label + PACKAGE_SEAL_HEX ||
	    memcmp(bytes + len - PACKAGE_SEAL_HEX - label, PACKAGE_SEAL_LABEL,
	           label) != 0 ||
	    unhex(bytes + len - PACKAGE_SEAL_HEX, sig, sizeof(sig)) < 0) {
		buf_adds(problem, "the archive does not end with its signature: "
		         "not a hand-off package, or its end was changed");
		ret = 1;
	} else if (!sign_handoff_check(pk, zip, len - PACKAGE_SEAL_HEX, sig)) {
		buf_adds(problem, "the archive's signature does not fit this "
		         "key: a byte was changed, or another installation "
		         "made it");
		ret = 1;
	} else if (zipfile_read(zip, len, password, see_entry, &s) != 0) {
		buf_adds(problem, "the archive cannot be opened: not a ZIP, "
		         "a wrong passphrase or a damaged entry");
		ret = -1;
	} else if (s.have_manifest != 1 || s.have_sig != 1 || s.bad_sig_len) {
		buf_addf(problem, "the archive has no single %s and %s of "
		         "%d bytes", PACKAGE_MANIFEST, PACKAGE_SIGNATURE, SIGN_LEN);
		ret = 1;
	} else if (!sign_handoff_check(pk, s.manifest.data, s.manifest.len,
	                               s.sig)) {
		buf_addf(problem, "the signature of %s does not fit this key",
		         PACKAGE_MANIFEST);
		ret = 1;
	} else {
		ret = compare(&s, problem);
		if (ret == 0 && entries)
			*entries = s.n;
	}
	seen_release(&s);
	return ret;
}

int
package_key_of(const struct secret *installation_secret,
               struct package_key *out)
{
	if (sign_handoff_public_key(installation_secret, out->pk) < 0)
		return -1;
	sign_public_pem(out->pk, out->pem);
	sign_fingerprint(out->pk, out->fingerprint);
	return 0;
}

int
package_key_parse(const char *text, size_t len, struct package_key *out)
{
	static const char head[] = "-----BEGIN PUBLIC KEY-----";
	static const char tail[] = "-----END PUBLIC KEY-----";
	/* The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410). */
	static const uint8_t prefix[12] = {
		0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
		0x21, 0x00,
	};
	const char *b = memmem(text, len, head, sizeof(head) - 1), *e;
	char b64[128];
	uint8_t der[64];
	size_t n = 0, derlen;

	if (!b)
		return -1;
	b += sizeof(head) - 1;
	e = memmem(b, len - (size_t)(b - text), tail, sizeof(tail) - 1);
	if (!e)
		return -1;
	for (; b < e; b++) {
		if (*b == '\n' || *b == '\r' || *b == ' ' || *b == '\t')
			continue;
		if (n == sizeof(b64) - 1)
			return -1;
		b64[n++] = *b;
	}
	b64[n] = '\0';
	if (crypto_base64_decode(b64, n, der, sizeof(der), &derlen) < 0 ||
	    derlen != sizeof(prefix) + SIGN_PUBLICKEY_LEN ||
	    memcmp(der, prefix, sizeof(prefix)) != 0)
		return -1;
	memcpy(out->pk, der + sizeof(prefix), SIGN_PUBLICKEY_LEN);
	sign_public_pem(out->pk, out->pem);
	sign_fingerprint(out->pk, out->fingerprint);
	return 0;
}
