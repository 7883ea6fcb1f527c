/*
 * read: turn bytes into documents (chr_doc), one input at a time.
 *
 * Design note: the reader is a streaming parser in the cmark style
 * (chr_reader_new / _feed / _finish) so stdin, a 1 GB JSON Lines file and
 * a folder of text files all go through one code path in bounded memory:
 * a JSON line or a text article is held only up to the article ceiling,
 * and anything over it is skipped and rejected, never truncated.  The
 * encoding policy is decided here, once: valid UTF-8 is NFC-normalised,
 * other text is decoded as Windows-1252 with a note, binary and empty
 * inputs are refused with the byte offset.  Internal prefix: read_.
 */
#ifndef CHR_READ_H
#define CHR_READ_H

#include "chronicle.h"
#include "core/buf.h"

#define READ_DEFAULT_MAX ((size_t)2 << 20) /* 2 MiB per article */

/* Normalise one text body: binary check, UTF-8 validation (Windows-1252
 * fallback), NFC.  On success out holds the NFC UTF-8 and *note is NULL
 * or a static note; on failure *bad_at is the offending byte offset. */
chr_status read_decode(const unsigned char *s, size_t n, buf *out,
		       const char **note, size_t *bad_at);

/* The file stem: "dir/000_abc.txt" -> "000_abc".  Copies into out. */
void read_stem(const char *path, char *out, size_t cap);

#endif
