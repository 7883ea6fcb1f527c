/*
 * utf8: see utf8.h.  Validation follows RFC 3629's table of well-formed
 * byte sequences; NFC is delegated to utf8proc (Debian's libutf8proc).
 */
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t u8_invalid_at(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* news text is mostly ASCII: eight bytes at a time until one
		 * has its top bit set */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return i;
		if (n - i < len)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		i += len;
	}
	return n;
}

int u8_is_ascii(const unsigned char *s, size_t n)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= s[i];
	return acc < 0x80;
}

size_t u8_binary_at(const unsigned char *s, size_t n)
{
	/* A NUL never occurs in text.  Other C0 controls (except tab, LF, VT,
	 * FF, CR and ESC) are tolerated one at a time but not in bulk: more
	 * than 1 in 64 of the first 4 KiB means binary. */
	size_t ctl = 0, first_ctl = n, scan = n < 4096 ? n : 4096;
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		if (c == 0)
			return i;
		if (i < scan && c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != '\v' && c != 0x1b) {
			if (first_ctl == n)
				first_ctl = i;
			ctl++;
		}
	}
	if (ctl * 64 > scan && ctl > 2)
		return first_ctl;
	return n;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes (kept as C1). */
static const uint16_t cp1252_hi[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

size_t u8_encode(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t u8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (!n) {
		*cp = 0;
		return 0;
	}
	unsigned c = s[0];
	if (c < 0x80 || n < 2) {
		*cp = c;
		return 1;
	}
	if (c < 0xE0) {
		*cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	if (c < 0xF0 || n < 4) {
		if (n < 3) {
			*cp = c;
			return 1;
		}
		*cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		return 3;
	}
	*cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
	      ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
	return 4;
}

chr_status u8_from_cp1252(buf *out, const unsigned char *s, size_t n)
{
	chr_status st = buf_grow(out, n);
	if (st)
		return st;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = s[i];
		if (cp >= 0x80 && cp < 0xA0 && cp1252_hi[cp - 0x80])
			cp = cp1252_hi[cp - 0x80];
		char tmp[4];
		size_t k = u8_encode(cp, tmp);
		if ((st = buf_put(out, tmp, k)))
			return st;
	}
	return CHR_OK;
}

chr_status u8_nfc(buf *out, const unsigned char *s, size_t n)
{
	if (u8_is_ascii(s, n))
		return buf_put(out, s, n);
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t r = utf8proc_map(s, (utf8proc_ssize_t)n, &res,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0) {
		free(res);
		return r == UTF8PROC_ERROR_NOMEM ? CHR_ENOMEM : CHR_EENCODING;
	}
	chr_status st = buf_put(out, res, (size_t)r);
	free(res);
	return st;
}
