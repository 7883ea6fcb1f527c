/*
 * dateline: the dateline matcher (see dateline.h).
 *
 * Design note: the place is a short run of capitalised words joined by
 * spaces, '/' or '-'; the parenthesised group is split on " - " and each
 * part is tried as a date, then as an agency (or "AFP-Yonhap" pair), else
 * kept as the outlet.  Everything is bounded (place <= 60 bytes, group <=
 * 200), so the matcher costs O(1) per call whatever the input.
 */
#include "dateline.h"

#include <string.h>

#include "agency.h"

#define PLACE_MAX 60
#define GROUP_MAX 200

static int is_up(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lo(char c) { return c >= 'a' && c <= 'z'; }
static int is_sp(char c) { return c == ' ' || c == '\t'; }
/* Lead bytes of two-byte UTF-8 letters (Latin, Greek, Cyrillic); not the
 * three-byte punctuation block (dashes, quotes). */
static int u8_letter_lead(unsigned char c) { return c >= 0xC3 && c <= 0xDF; }

/* Acronyms that open sentences and are not places. */
static const char *const g_not_places[] = {
	"NATO", "OPEC", "ASEAN", "UNESCO", "UNICEF", "NASA", "FIFA", "IAEA",
	"WHO", "CEO", "CIA", "FBI", "IMF", "USA", "THE", "BREAKING", "UPDATE",
	"NOTE", "PHOTO", "VIDEO", "WATCH", "LIVE", "EXCLUSIVE", "ANALYSIS",
	"OPINION", "EDITORIAL", "URGENT", "FLASH", "BULLETIN", "KCNA", "TASS",
	"AFP", "APP", "DPRK", "ROK", "EU", "UN", "US", "UK", "OK", "LEAD",
	"NOTE", "TOTAL", "NET", "SHR", "REVS", "QTR", "NOTES",
};

static int not_place(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof g_not_places / sizeof g_not_places[0];
	     i++)
		if (strlen(g_not_places[i]) == n &&
		    memcmp(g_not_places[i], s, n) == 0)
			return 1;
	return 0;
}

/* The place: returns its length; *caps is 1 when it has no lower-case
 * letters. */
static size_t match_place(const char *s, size_t n, int *caps, int *letters)
{
	size_t i = 0, last = 0;
	int words = 0, lower = 0, nlet = 0;
	*caps = 0;
	*letters = 0;
	while (i < n && i < PLACE_MAX) {
		/* a word: starts with a capital (or a UTF-8 letter byte) */
		unsigned char c = (unsigned char)s[i];
		if (!(is_up((char)c) || u8_letter_lead(c)))
			break;
		size_t j = i;
		while (j < n && j < PLACE_MAX) {
			unsigned char d = (unsigned char)s[j];
			if (is_up((char)d) || u8_letter_lead(d) ||
			    (d >= 0x80 && d <= 0xBF)) {
				nlet++;
			} else if (is_lo((char)d)) {
				lower++;
				nlet++;
			} else if (!(d == '.' || d == '\'')) {
				break;
			}
			j++;
		}
		words++;
		last = j;
		i = j;
		if (words >= 6)
			break;
		/* joiners: one space, '/', '-' followed by another word */
		if (i < n && (s[i] == '/' || s[i] == '-' || s[i] == ' ') &&
		    i + 1 < n &&
		    (is_up(s[i + 1]) || u8_letter_lead((unsigned char)s[i + 1])))
			i++;
		else
			break;
	}
	if (!words)
		return 0;
	*caps = lower == 0;
	*letters = nlet;
	return last;
}

/* A run of dashes ("-", "--", en/em dash) or a colon; returns its length. */
static size_t match_term(const char *s, size_t n)
{
	size_t i = 0;
	int k = 0;
	while (i < n && k < 3) {
		if (s[i] == '-') {
			i++;
		} else if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
			   (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0x93 ||
			    (unsigned char)s[i + 2] == 0x94)) {
			i += 3;
		} else {
			break;
		}
		k++;
	}
	if (i)
		return i;
	if (n && s[0] == ':')
		return 1;
	return 0;
}

static void add_agency(meta_dateline *dl, const char *canon)
{
	for (int i = 0; i < dl->nagencies; i++)
		if (dl->agencies[i] == canon)
			return;
	if (dl->nagencies < META_DL_MAX_AGENCIES)
		dl->agencies[dl->nagencies++] = canon;
}

static void add_agency_cb(void *ctx, const char *canon)
{
	add_agency(ctx, canon);
}

/* One part of the group: a date, an agency or agency pair, or the outlet.
 * Returns 1 when it was recognised as a date or agency. */
static int group_part(meta_dateline *dl, const char *base, const char *s,
		      size_t n)
{
	while (n && is_sp(*s)) {
		s++;
		n--;
	}
	while (n && (is_sp(s[n - 1]) || s[n - 1] == ','))
		n--;
	if (!n)
		return 0;
	meta_date d;
	size_t used = meta_date_at(s, n, &d);
	if (used && used + 1 >= n) {
		if (!dl->date.m)
			dl->date = d;
		return 1;
	}
	if (meta_agency_all(s, n)) {
		meta_agency_scan(s, n, add_agency_cb, dl);
		return 1;
	}
	if (!dl->outlet_len && n <= 80) {
		dl->outlet_off = (size_t)(s - base);
		dl->outlet_len = n;
	}
	return 0;
}

/* The parenthesised group at s[0] == '('; returns its length with the
 * closing paren, or 0.  *known counts recognised parts. */
static size_t match_group(meta_dateline *dl, const char *base, const char *s,
			  size_t n, int *known)
{
	size_t close = 0;
	for (size_t i = 1; i < n && i < GROUP_MAX; i++) {
		if (s[i] == '(' || s[i] == '\n')
			return 0;
		if (s[i] == ')') {
			close = i;
			break;
		}
	}
	if (!close || close == 1)
		return 0;
	*known = 0;
	/* split on " - " (spaced dashes); "AFP-Yonhap" stays one part */
	size_t start = 1;
	for (size_t i = 1; i <= close; i++) {
		int split = i == close;
		size_t skip = 0;
		if (!split && is_sp(s[i]) && i + 2 < close) {
			size_t t = match_term(s + i + 1, close - i - 1);
			if (t && s[i + 1] != ':' && is_sp(s[i + 1 + t])) {
				split = 1;
				skip = t + 1;
			}
		}
		if (split) {
			*known += group_part(dl, base, s + start, i - start);
			i += skip;
			start = i + 1;
		}
	}
	return close + 1;
}

size_t meta_dateline_match(const char *s, size_t n, meta_dateline *dl)
{
	memset(dl, 0, sizeof *dl);
	if (!s || n < 4)
		return 0;
	int caps, letters;
	size_t pl = match_place(s, n, &caps, &letters);
	if (!pl || letters < 2)
		return 0;
	dl->place_off = 0;
	dl->place_len = pl;
	size_t i = pl;
	int comma = 0;
	if (i < n && s[i] == ',') {
		comma = 1;
		i++;
	}
	size_t after_comma = i;
	while (i < n && is_sp(s[i]))
		i++;
	/* date */
	meta_date d;
	size_t du = meta_date_at(s + i, n - i, &d);
	int has_date = 0;
	if (du && (comma || caps)) {
		dl->date = d;
		has_date = 1;
		i += du;
		while (i < n && is_sp(s[i]))
			i++;
	}
	/* credit group */
	int has_group = 0, known = 0;
	if (i < n && s[i] == '(') {
		size_t gl = match_group(dl, s, s + i, n - i, &known);
		if (gl && known) {
			has_group = 1;
			i += gl;
			while (i < n && is_sp(s[i]))
				i++;
		} else {
			dl->nagencies = 0;
			dl->outlet_len = 0;
		}
	}
	if (!has_date && dl->date.m && !has_group)
		dl->date.m = 0;
	size_t tl = i < n ? match_term(s + i, n - i) : 0;
	/* the dash must be set off by a space ("ABC-DEF" is a name) */
	if (tl && s[i] != ':' && i == pl)
		tl = 0;
	if (tl) {
		int colon = s[i] == ':';
		i += tl;
		while (i < n && is_sp(s[i]))
			i++;
		if (has_date || has_group) {
			dl->strong = 1;
			return i;
		}
		/* "WASHINGTON - The ...": capitals, a dash, a sentence */
		if (!colon && caps && letters >= 3 && !not_place(s, pl) &&
		    (i >= n || is_up(s[i]) || s[i] == '"' ||
		     (unsigned char)s[i] == 0xE2))
			return i;
		memset(dl, 0, sizeof *dl);
		return 0;
	}
	if (has_group && (has_date || comma || caps)) {
		dl->strong = 1;
		return i;
	}
	if (has_date && caps && comma) {
		dl->strong = 1;
		return i;
	}
	/* bare: "MOSCOW, Russian President ..." */
	if (!has_date && !has_group && caps && comma && letters >= 3 &&
	    !not_place(s, pl) && after_comma < n && is_sp(s[after_comma])) {
		size_t j = after_comma;
		while (j < n && is_sp(s[j]))
			j++;
		if (j < n && (is_up(s[j]) || s[j] == '"' ||
			      (unsigned char)s[j] == 0xE2)) {
			dl->bare = 1;
			dl->nagencies = 0;
			dl->outlet_len = 0;
			return j;
		}
	}
	memset(dl, 0, sizeof *dl);
	return 0;
}
