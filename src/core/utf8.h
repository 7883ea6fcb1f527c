/*
 * utf8: validation, Windows-1252 fallback, NFC, and binary sniffing.
 *
 * Design note: news files arrive in every encoding.  chronicle keeps one
 * internal form, NFC UTF-8, and decides at the door: valid UTF-8 is
 * normalised; text that is not UTF-8 but looks like text is decoded as
 * Windows-1252 (the usual culprit) and the article says so; bytes that look
 * binary are refused with the offset that gave them away.  NFC is skipped
 * for pure ASCII, which is most of the input, so the common case is a
 * single scan.  Internal prefix: u8_.
 */
#ifndef CHR_UTF8_H
#define CHR_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* Offset of the first invalid UTF-8 sequence, or n when all is valid.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
size_t u8_invalid_at(const unsigned char *s, size_t n);
/* 1 when every byte is < 0x80. */
int u8_is_ascii(const unsigned char *s, size_t n);
/* Offset of the first byte that marks the data as binary (NUL, or a run of
 * control characters a text file would not contain), or n when none. */
size_t u8_binary_at(const unsigned char *s, size_t n);
/* Append s decoded as Windows-1252 to out as UTF-8. */
chr_status u8_from_cp1252(buf *out, const unsigned char *s, size_t n);
/* Append the NFC form of valid UTF-8 s to out. */
chr_status u8_nfc(buf *out, const unsigned char *s, size_t n);
/* Decode one code point at s (valid UTF-8 assumed); returns its length. */
size_t u8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes at most); returns the length. */
size_t u8_encode(uint32_t cp, char *out);

#endif
