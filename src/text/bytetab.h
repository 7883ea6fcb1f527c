/*
 * bytetab: compile-time tables of 256 byte values (internal).
 *
 * Design note: the per-byte loops of the text stages (the facts stage's
 * lower-case word copy, the time lexicon's hash and compare) read a
 * table instead of testing each byte.  TEXT_TAB256(F) expands to the 256
 * initialisers F(0x00) ... F(0xFF), so each table is written as one
 * expression of its byte, checked by the compiler, not as 256 numbers.
 * Internal prefix: TEXT_.
 */
#ifndef CHR_TEXT_BYTETAB_H
#define CHR_TEXT_BYTETAB_H

#define TEXT_TAB4_(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define TEXT_TAB16_(F, c)                                                    \
	TEXT_TAB4_(F, c), TEXT_TAB4_(F, (c) + 4), TEXT_TAB4_(F, (c) + 8),    \
		TEXT_TAB4_(F, (c) + 12)
#define TEXT_TAB256(F)                                                       \
	TEXT_TAB16_(F, 0x00), TEXT_TAB16_(F, 0x10), TEXT_TAB16_(F, 0x20),    \
		TEXT_TAB16_(F, 0x30), TEXT_TAB16_(F, 0x40),                  \
		TEXT_TAB16_(F, 0x50), TEXT_TAB16_(F, 0x60),                  \
		TEXT_TAB16_(F, 0x70), TEXT_TAB16_(F, 0x80),                  \
		TEXT_TAB16_(F, 0x90), TEXT_TAB16_(F, 0xA0),                  \
		TEXT_TAB16_(F, 0xB0), TEXT_TAB16_(F, 0xC0),                  \
		TEXT_TAB16_(F, 0xD0), TEXT_TAB16_(F, 0xE0),                  \
		TEXT_TAB16_(F, 0xF0)

/* ASCII lower case: A-Z folded, every other byte kept. */
#define TEXT_LOWER(c) ((c) + ((c) >= 'A' && (c) <= 'Z' ? 32 : 0))

#endif
