/*
 * time: the TIMEX3 stage (internal).  Recognises DATE, TIME, DURATION and
 * SET expressions and normalises them against a reference date.
 *
 * Design note: the stage is three small layers.  scan.c cuts bytes into
 * tokens (words, digit runs, single punctuation) and looks every word up
 * once in a fixed hashed lexicon (lexicon.c), so the grammar only ever
 * compares small integers.  grammar*.c is a hand-written matcher that
 * tries, at each token, a bounded set of patterns with bounded look-ahead,
 * keeps the longest, and fills a value through the calendar helpers in
 * normalise.c.  Every pattern reads at most TIME_WINDOW tokens, and the
 * text is processed in chunks of bounded size, so the whole stage is
 * linear in the input whatever its shape.  Internal prefix: time_.
 */
#ifndef CHR_TIME_H
#define CHR_TIME_H

#include <stddef.h>
#include <stdint.h>
#include "chronicle.h"

/* ---- lexicon ------------------------------------------------------- */

/* Word classes; a word may have two (e.g. "second": ordinal and unit). */
enum {
	LC_NONE = 0,
	LC_MONTH,    /* val 1..12 */
	LC_MONABBR,  /* val 1..12, needs '.' or a number after it */
	LC_WDAY,     /* val 1..7 (Monday = 1) */
	LC_WDABBR,   /* val 1..7, needs '.' */
	LC_NUM,      /* cardinal word, val */
	LC_ORD,      /* ordinal word, val */
	LC_UNIT,     /* val = TU_*; plural in the flags */
	LC_LY,       /* daily, weekly...: val = TU_* */
	LC_PART,     /* part of day: val = PD_* */
	LC_SEASON,   /* val = SE_* */
	LC_WORD,     /* a function word: val = W_* */
	LC_TZ,       /* time zone abbreviation */
	LC_PAST,     /* a past-tense verb form */
	LC_FUT,      /* a future marker */
	LC_PRES,     /* a present-tense auxiliary */
	LC_HOLIDAY,  /* val = HD_* */
	LC_UNITNOUN  /* a count noun that makes a number not a year */
};

enum { TU_NONE, TU_SEC, TU_MIN, TU_HOUR, TU_DAY, TU_WEEK, TU_FORTNIGHT,
       TU_MONTH, TU_QUARTER, TU_YEAR, TU_DECADE, TU_CENTURY, TU_WEEKEND,
       TU_NIGHT, TU_HALF };
enum { PD_NONE, PD_MO, PD_AF, PD_EV, PD_NI, PD_NOON, PD_MIDNIGHT, PD_DAWN,
       PD_OVERNIGHT, PD_DUSK };
enum { SE_NONE, SE_SP, SE_SU, SE_FA, SE_WI };
enum { HD_NONE, HD_CHRISTMAS, HD_NEWYEAR, HD_THANKSGIVING, HD_HALLOWEEN,
       HD_VALENTINE, HD_INDEPENDENCE, HD_LABOR, HD_MEMORIAL, HD_EVE,
       HD_DAY, HD_ELECTION };

/* Function words the grammar names. */
enum {
	W_NONE, W_THE, W_A, W_AN, W_THIS, W_THAT, W_LAST, W_NEXT, W_PAST,
	W_COMING, W_PREVIOUS, W_FOLLOWING, W_RECENT, W_UPCOMING, W_CURRENT,
	W_PRESENT, W_SAME, W_LATEST, W_PRIOR, W_TODAY, W_YESTERDAY,
	W_TOMORROW, W_TONIGHT, W_NOW, W_CURRENTLY, W_RECENTLY, W_LATELY,
	W_NOWADAYS, W_PREVIOUSLY, W_FORMERLY, W_SOON, W_EARLY, W_EARLIER,
	W_LATE, W_LATER, W_MID, W_MIDDLE, W_END, W_BEGINNING, W_START,
	W_CLOSE, W_TURN, W_ABOUT, W_AROUND, W_APPROXIMATELY, W_ROUGHLY,
	W_NEARLY, W_ALMOST, W_SOME, W_MORE, W_LESS, W_FEWER, W_OVER, W_LEAST,
	W_MOST, W_UP, W_UNDER, W_JUST, W_THAN, W_AT, W_TO, W_AGO, W_HENCE,
	W_BEFORE, W_AFTER, W_EVERY, W_EACH, W_PER, W_OF, W_AND, W_OR, W_IN,
	W_ON, W_BY, W_FROM, W_UNTIL, W_SINCE, W_DURING, W_FOR, W_WITHIN,
	W_THROUGH, W_BETWEEN, W_FISCAL, W_FY, W_AM, W_PM, W_OCLOCK, W_SEVERAL,
	W_FEW, W_COUPLE, W_MANY, W_DOZEN, W_DOZENS, W_HUNDRED, W_HUNDREDS,
	W_THOUSAND, W_FUTURE, W_NEAR, W_OTHER, W_ONCE, W_TWICE, W_TIMES,
	W_YEAR_AGO, W_ONE, W_S, W_Q, W_H, W_DAY, W_EVE, W_NEW, W_YEARS_,
	W_TERM, W_SHORT, W_LONG, W_MEDIUM, W_THESE, W_THOSE, W_ALREADY,
	W_DAYS_, W_ERA, W_MOMENT, W_TIME, W_AD, W_BC, W_BOTH, W_WHOLE,
	W_ENTIRE, W_FULL, W_FIRST, W_OLD, W_AHEAD, W_MONTHS_, W_WEEKS_,
	W_NO, W_NUMBER, W_ENDED, W_ENDING, W_AS, W_HOW, W_COUNT
};

/* Lexicon flags. */
enum { LF_PLURAL = 1 };

typedef struct time_lex {
	uint8_t cls, val, cls2, val2, flags;
} time_lex;

/* Look a word up (case-insensitive ASCII); all zero when unknown. */
time_lex time_lex_get(const char *w, size_t n);
/* time_lex_find is time_lex_get without the once-only build of the
 * table, for the tokenizer's one lookup per word: call time_lex_init
 * (or time_lex_get) first. */
void time_lex_init(void);
time_lex time_lex_find(const char *w, size_t n);

/* ---- tokens -------------------------------------------------------- */

enum { TK_WORD = 1, TK_NUM = 2, TK_PUNCT = 3 };
/* Token flags. */
enum {
	TF_CAP = 1,      /* word starts with an upper-case letter */
	TF_SPACE = 2,    /* whitespace right before the token */
	TF_NL = 4,       /* a newline in that whitespace */
	TF_PARA = 8,     /* a blank line before the token */
	TF_GROUPED = 16, /* a number with thousands separators or decimals */
	TF_UPPER = 32    /* word all upper-case */
};

typedef struct time_tok {
	uint32_t s, e;  /* byte offsets into the text */
	int32_t num;    /* digits value (-1 if too long), or numeral value */
	uint8_t kind, flags, ndig;
	char ch;        /* the character of a TK_PUNCT */
	time_lex lx;
} time_tok;

/* Tokenise text[from, to) into toks (capacity cap); returns the count.
 * Stops early (cleanly, at a token boundary) when cap is reached and
 * reports the offset reached in *stop. */
size_t time_tokenize(const char *text, size_t from, size_t to,
		     time_tok *toks, size_t cap, size_t *stop);

/* ---- calendar ------------------------------------------------------ */

typedef struct time_date {
	int y, m, d; /* y = 0 when unknown */
} time_date;

long time_days(int y, int m, int d);          /* days since 1970-01-01 */
time_date time_from_days(long days);
int time_wday(int y, int m, int d);            /* Monday = 1 .. Sunday = 7 */
int time_mdays(int y, int m);
/* ISO 8601 week: *wy gets the week-based year. */
int time_isoweek(int y, int m, int d, int *wy);
/* Parse YYYY-MM-DD (more may follow); 0 on success. */
int time_parse_date(const char *s, size_t n, time_date *out);
time_date time_add_days(time_date t, long n);
time_date time_add_months(time_date t, int n);

/* ---- the tagger ---------------------------------------------------- */

#define TIME_WINDOW 16 /* the most tokens one pattern reads ahead */

/* An expression found in text: offsets, type and value. */
typedef chr_timex time_expr;

typedef struct time_out {
	time_expr *v;
	size_t n, cap;
	size_t max; /* ceiling on n */
} time_out;

/* Tag text[0, len) against dct (y = 0: none), appending to out.
 * CHR_ENOMEM or CHR_ETOOBIG on failure. */
chr_status time_tag(const char *text, size_t len, time_date dct,
		    time_out *out);
/* Tests: 1 makes every token go through match() and ask every core
 * pattern (no shortcuts, tag.c), 0 restores the shortcuts.  Not for
 * concurrent use. */
void time_tag_all_patterns(int on);

/* Pipeline hook: tag a->text against a->published into a->timexes;
 * an article still undated gets a date from its text first when the
 * evidence is strong (time_text_date). */
chr_status time_run(chr_article *a);

/* Set a->published (from "text") for an undated article whose year-less
 * dateline date the text's absolute dates settle (see textdate.c). */
chr_status time_text_date(chr_article *a);

#endif
