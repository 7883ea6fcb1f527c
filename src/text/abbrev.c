/*
 * abbrev: the word lists the tokenizer and sentence splitter consult.
 *
 * Design note: news English needs only a few dozen abbreviations to split
 * sentences well, and each is one of three kinds: titles that always lead
 * into a name ("Gen. Kim"), abbreviations that may end a sentence ("Corp.",
 * "Nov."), and ones that are abbreviations only before a number ("No. 2").
 * Keeping them as data in sorted arrays (byte order, checked by a unit
 * test) makes a lookup a short binary search and a new entry a one-line
 * change.  Dotted forms ("U.S.", "a.m.") and initials ("W.") follow a
 * pattern and are recognised by the tokenizer instead.
 */
#include "text.h"

#include <string.h>

typedef struct abbr_entry {
	const char *w;
	unsigned char kind;
} abbr_entry;

#define E TEXT_ABBR_END
#define T TEXT_ABBR_TITLE
#define N TEXT_ABBR_NUMBER

/* Sorted by strcmp.  Upper case sorts before lower case. */
static const abbr_entry abbrs[] = {
	{"Adm", T},  {"Ala", E},  {"Amb", T},  {"Apr", E},
	{"Ariz", E}, {"Ark", E},  {"Art", N},  {"Assn", E},
	{"Atty", T}, {"Aug", E},  {"Ave", E},  {"Bhd", E},
	{"Blvd", E}, {"Brig", T}, {"Bros", E}, {"Calif", E},
	{"Capt", T}, {"Cmdr", T}, {"Co", E},   {"Col", T},
	{"Colo", E}, {"Conn", E}, {"Corp", E}, {"Cpl", T},
	{"Dec", E},  {"Del", E},  {"Dept", E}, {"Det", T},
	{"Dr", T},   {"Drs", T},  {"Esq", E},  {"Feb", E},
	{"Fig", N},  {"Fla", E},  {"Fr", T},   {"Fri", E},
	{"Ft", T},   {"Ga", E},   {"Gen", T},  {"Gens", T},
	{"Gov", T},  {"Govs", T}, {"Govt", E}, {"Hon", T},
	{"Ill", E},  {"Inc", E},  {"Ind", E},  {"Insp", T},
	{"Jan", E},  {"Jr", E},   {"Jul", E},  {"Jun", E},
	{"Kan", E},  {"Ky", E},   {"Lt", T},   {"Ltd", E},
	{"Maj", T},  {"Mar", E},  {"Mass", E}, {"Md", E},
	{"Messrs", T}, {"Mich", E}, {"Minn", E}, {"Mlle", T},
	{"Mme", T},  {"Mo", E},   {"Mon", E},  {"Mont", E},
	{"Mr", T},   {"Mrs", T},  {"Ms", T},   {"Msgr", T},
	{"Mt", T},   {"Mts", T},  {"Neb", E},  {"Nev", E},
	{"No", N},   {"Nos", N},  {"Nov", E},  {"Oct", E},
	{"Okla", E}, {"Ore", E},  {"Pa", E},   {"Plc", E},
	{"Pres", T}, {"Prof", T}, {"Pte", E},  {"Pty", E},
	{"Pvt", T},  {"Rep", T},  {"Reps", T}, {"Ret", E},
	{"Rev", T},  {"Rt", T},   {"Sat", E},  {"Sen", T},
	{"Sens", T}, {"Sep", E},  {"Sept", E}, {"Sgt", T},
	{"Sr", E},   {"St", T},   {"Sun", E},  {"Supt", T},
	{"Tenn", E}, {"Tex", E},  {"Thu", E},  {"Thur", E},
	{"Thurs", E}, {"Tue", E},  {"Tues", E}, {"Univ", E},
	{"Va", E},   {"Vol", N},  {"Vt", E},   {"Wash", E},
	{"Wed", E},  {"Wis", E},  {"Wyo", E},  {"approx", T},
	{"cf", T},   {"est", E},  {"etc", E},  {"excl", T},
	{"incl", T}, {"no", N},   {"nos", N},  {"pp", N},
	{"v", T},    {"vol", N},  {"vs", T},
};

#undef E
#undef T
#undef N

/* Capitalised words that often open a sentence in news copy.  After an
 * abbreviation that may end a sentence, one of these means it did. */
static const char *const starters[] = {
	"A",        "According", "After",    "Although", "Among",
	"An",       "And",       "Another",  "Any",      "As",
	"Asked",    "At",        "Because",  "Before",   "Both",
	"But",      "By",        "Despite",  "During",   "Each",
	"Earlier",  "Even",      "Every",    "For",      "From",
	"Further",  "He",        "Her",      "Here",     "His",
	"How",      "However",   "I",        "If",       "In",
	"Instead",  "It",        "Its",      "Last",     "Later",
	"Many",     "Meanwhile", "More",     "Moreover", "Most",
	"My",       "Neither",   "Nevertheless", "Next", "Nor",
	"Now",      "On",        "Once",     "One",      "Only",
	"Or",       "Our",       "Over",     "Separately", "She",
	"Since",    "So",        "Some",     "Still",    "Such",
	"That",     "The",       "Their",    "Then",     "There",
	"These",    "They",      "This",     "Those",    "Though",
	"Thus",     "To",        "Two",      "Under",    "Until",
	"We",       "What",      "When",     "Where",    "Whether",
	"Which",    "While",     "Who",      "Why",      "With",
	"Without",  "Yet",       "You",
};

/* Compare w[0, n) with the NUL-terminated e in strcmp order. */
static int cmp_word(const char *w, size_t n, const char *e)
{
	size_t el = strlen(e);
	int c = memcmp(w, e, n < el ? n : el);
	if (c)
		return c;
	return n < el ? -1 : n > el;
}

text_abbr text_abbrev(const char *w, size_t n)
{
	if (n == 0 || n > 6)
		return TEXT_ABBR_NONE;
	size_t lo = 0, hi = sizeof abbrs / sizeof abbrs[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_word(w, n, abbrs[mid].w);
		if (c == 0)
			return (text_abbr)abbrs[mid].kind;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return TEXT_ABBR_NONE;
}

int text_is_starter(const char *w, size_t n)
{
	if (n == 0 || n > 12)
		return 0;
	size_t lo = 0, hi = sizeof starters / sizeof starters[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_word(w, n, starters[mid]);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int text_tables_ok(void)
{
	for (size_t i = 1; i < sizeof abbrs / sizeof abbrs[0]; i++)
		if (strcmp(abbrs[i - 1].w, abbrs[i].w) >= 0)
			return 0;
	for (size_t i = 1; i < sizeof starters / sizeof starters[0]; i++)
		if (strcmp(starters[i - 1], starters[i]) >= 0)
			return 0;
	return 1;
}
