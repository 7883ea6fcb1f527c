/*
 * lexicon: the fixed word list of the time tagger, as a hashed table.
 *
 * Design note: every word token is looked up exactly once, so lookup must
 * be cheap: a lower-casing FNV-1a hash over at most 15 bytes into a
 * power-of-two table of entry indices, built once (pthread_once) from the
 * static list below; the tokenizer makes sure of that once per call
 * (time_lex_init), not once per word (time_lex_find).  The list is fixed and small, so a probe sequence is
 * bounded whatever the input; words longer than 15 bytes are never in it.
 * A word may carry two classes ("second" is an ordinal and a unit, "may"
 * a month and a modal); the grammar decides from context.  Most words of
 * a text are not in the list, so a bit per (length, first two letters)
 * class, set for every listed word, turns most of them away before the
 * hash (a clear bit means no listed word can be equal).
 */
#include "time/time.h"

#include <pthread.h>
#include <string.h>

#include "text/bytetab.h"

typedef struct lex_def {
	const char *w;
	uint8_t cls, val, cls2, val2, flags;
} lex_def;

#define P LF_PLURAL
static const lex_def defs[] = {
	/* months */
	{"january", LC_MONTH, 1, 0, 0, 0}, {"february", LC_MONTH, 2, 0, 0, 0},
	{"march", LC_MONTH, 3, 0, 0, 0}, {"april", LC_MONTH, 4, 0, 0, 0},
	{"may", LC_MONTH, 5, 0, 0, 0}, {"june", LC_MONTH, 6, 0, 0, 0},
	{"july", LC_MONTH, 7, 0, 0, 0}, {"august", LC_MONTH, 8, 0, 0, 0},
	{"september", LC_MONTH, 9, 0, 0, 0}, {"october", LC_MONTH, 10, 0, 0, 0},
	{"november", LC_MONTH, 11, 0, 0, 0}, {"december", LC_MONTH, 12, 0, 0, 0},
	{"jan", LC_MONABBR, 1, 0, 0, 0}, {"feb", LC_MONABBR, 2, 0, 0, 0},
	{"mar", LC_MONABBR, 3, 0, 0, 0}, {"apr", LC_MONABBR, 4, 0, 0, 0},
	{"jun", LC_MONABBR, 6, 0, 0, 0}, {"jul", LC_MONABBR, 7, 0, 0, 0},
	{"aug", LC_MONABBR, 8, 0, 0, 0}, {"sep", LC_MONABBR, 9, 0, 0, 0},
	{"sept", LC_MONABBR, 9, 0, 0, 0}, {"oct", LC_MONABBR, 10, 0, 0, 0},
	{"nov", LC_MONABBR, 11, 0, 0, 0}, {"dec", LC_MONABBR, 12, 0, 0, 0},
	/* weekdays */
	{"monday", LC_WDAY, 1, 0, 0, 0}, {"tuesday", LC_WDAY, 2, 0, 0, 0},
	{"wednesday", LC_WDAY, 3, 0, 0, 0}, {"thursday", LC_WDAY, 4, 0, 0, 0},
	{"friday", LC_WDAY, 5, 0, 0, 0}, {"saturday", LC_WDAY, 6, 0, 0, 0},
	{"sunday", LC_WDAY, 7, 0, 0, 0},
	{"mondays", LC_WDAY, 1, 0, 0, P}, {"tuesdays", LC_WDAY, 2, 0, 0, P},
	{"wednesdays", LC_WDAY, 3, 0, 0, P}, {"thursdays", LC_WDAY, 4, 0, 0, P},
	{"fridays", LC_WDAY, 5, 0, 0, P}, {"saturdays", LC_WDAY, 6, 0, 0, P},
	{"sundays", LC_WDAY, 7, 0, 0, P},
	{"mon", LC_WDABBR, 1, 0, 0, 0}, {"tue", LC_WDABBR, 2, 0, 0, 0},
	{"tues", LC_WDABBR, 2, 0, 0, 0}, {"wed", LC_WDABBR, 3, 0, 0, 0},
	{"thu", LC_WDABBR, 4, 0, 0, 0}, {"thur", LC_WDABBR, 4, 0, 0, 0},
	{"thurs", LC_WDABBR, 4, 0, 0, 0}, {"fri", LC_WDABBR, 5, 0, 0, 0},
	{"sat", LC_WDABBR, 6, 0, 0, 0}, {"sun", LC_WDABBR, 7, 0, 0, 0},
	/* cardinals */
	{"zero", LC_NUM, 0, 0, 0, 0}, {"one", LC_NUM, 1, LC_WORD, W_ONE, 0},
	{"two", LC_NUM, 2, 0, 0, 0}, {"three", LC_NUM, 3, 0, 0, 0},
	{"four", LC_NUM, 4, 0, 0, 0}, {"five", LC_NUM, 5, 0, 0, 0},
	{"six", LC_NUM, 6, 0, 0, 0}, {"seven", LC_NUM, 7, 0, 0, 0},
	{"eight", LC_NUM, 8, 0, 0, 0}, {"nine", LC_NUM, 9, 0, 0, 0},
	{"ten", LC_NUM, 10, 0, 0, 0}, {"eleven", LC_NUM, 11, 0, 0, 0},
	{"twelve", LC_NUM, 12, 0, 0, 0}, {"thirteen", LC_NUM, 13, 0, 0, 0},
	{"fourteen", LC_NUM, 14, 0, 0, 0}, {"fifteen", LC_NUM, 15, 0, 0, 0},
	{"sixteen", LC_NUM, 16, 0, 0, 0}, {"seventeen", LC_NUM, 17, 0, 0, 0},
	{"eighteen", LC_NUM, 18, 0, 0, 0}, {"nineteen", LC_NUM, 19, 0, 0, 0},
	{"twenty", LC_NUM, 20, 0, 0, 0}, {"thirty", LC_NUM, 30, 0, 0, 0},
	{"forty", LC_NUM, 40, 0, 0, 0}, {"fifty", LC_NUM, 50, 0, 0, 0},
	{"sixty", LC_NUM, 60, 0, 0, 0}, {"seventy", LC_NUM, 70, 0, 0, 0},
	{"eighty", LC_NUM, 80, 0, 0, 0}, {"ninety", LC_NUM, 90, 0, 0, 0},
	/* ordinals */
	{"first", LC_ORD, 1, LC_WORD, W_FIRST, 0}, {"second", LC_ORD, 2, LC_UNIT, TU_SEC, 0},
	{"third", LC_ORD, 3, 0, 0, 0}, {"fourth", LC_ORD, 4, 0, 0, 0},
	{"fifth", LC_ORD, 5, 0, 0, 0}, {"sixth", LC_ORD, 6, 0, 0, 0},
	{"seventh", LC_ORD, 7, 0, 0, 0}, {"eighth", LC_ORD, 8, 0, 0, 0},
	{"ninth", LC_ORD, 9, 0, 0, 0}, {"tenth", LC_ORD, 10, 0, 0, 0},
	{"eleventh", LC_ORD, 11, 0, 0, 0}, {"twelfth", LC_ORD, 12, 0, 0, 0},
	{"thirteenth", LC_ORD, 13, 0, 0, 0}, {"fourteenth", LC_ORD, 14, 0, 0, 0},
	{"fifteenth", LC_ORD, 15, 0, 0, 0}, {"sixteenth", LC_ORD, 16, 0, 0, 0},
	{"seventeenth", LC_ORD, 17, 0, 0, 0}, {"eighteenth", LC_ORD, 18, 0, 0, 0},
	{"nineteenth", LC_ORD, 19, 0, 0, 0}, {"twentieth", LC_ORD, 20, 0, 0, 0},
	{"thirtieth", LC_ORD, 30, 0, 0, 0}, {"twenty-first", LC_ORD, 21, 0, 0, 0},
	{"st", LC_WORD, W_NONE, 0, 0, 0},
	/* units */
	{"seconds", LC_UNIT, TU_SEC, 0, 0, P}, {"minute", LC_UNIT, TU_MIN, 0, 0, 0},
	{"minutes", LC_UNIT, TU_MIN, 0, 0, P}, {"min", LC_UNIT, TU_MIN, 0, 0, 0},
	{"mins", LC_UNIT, TU_MIN, 0, 0, P}, {"hour", LC_UNIT, TU_HOUR, 0, 0, 0},
	{"hours", LC_UNIT, TU_HOUR, 0, 0, P}, {"hr", LC_UNIT, TU_HOUR, 0, 0, 0},
	{"hrs", LC_UNIT, TU_HOUR, 0, 0, P}, {"day", LC_UNIT, TU_DAY, 0, 0, 0},
	{"days", LC_UNIT, TU_DAY, 0, 0, P}, {"week", LC_UNIT, TU_WEEK, 0, 0, 0},
	{"weeks", LC_UNIT, TU_WEEK, 0, 0, P},
	{"fortnight", LC_UNIT, TU_FORTNIGHT, 0, 0, 0},
	{"month", LC_UNIT, TU_MONTH, 0, 0, 0}, {"months", LC_UNIT, TU_MONTH, 0, 0, P},
	{"quarter", LC_UNIT, TU_QUARTER, 0, 0, 0},
	{"quarters", LC_UNIT, TU_QUARTER, 0, 0, P},
	{"year", LC_UNIT, TU_YEAR, 0, 0, 0}, {"years", LC_UNIT, TU_YEAR, 0, 0, P},
	{"yr", LC_UNIT, TU_YEAR, 0, 0, 0}, {"yrs", LC_UNIT, TU_YEAR, 0, 0, P},
	{"decade", LC_UNIT, TU_DECADE, 0, 0, 0},
	{"decades", LC_UNIT, TU_DECADE, 0, 0, P},
	{"century", LC_UNIT, TU_CENTURY, 0, 0, 0},
	{"centuries", LC_UNIT, TU_CENTURY, 0, 0, P},
	{"weekend", LC_UNIT, TU_WEEKEND, 0, 0, 0},
	{"weekends", LC_UNIT, TU_WEEKEND, 0, 0, P},
	{"nights", LC_UNIT, TU_NIGHT, 0, 0, P},
	{"half", LC_UNIT, TU_HALF, 0, 0, 0},
	/* -ly sets */
	{"hourly", LC_LY, TU_HOUR, 0, 0, 0}, {"daily", LC_LY, TU_DAY, 0, 0, 0},
	{"nightly", LC_LY, TU_NIGHT, 0, 0, 0}, {"weekly", LC_LY, TU_WEEK, 0, 0, 0},
	{"monthly", LC_LY, TU_MONTH, 0, 0, 0},
	{"yearly", LC_LY, TU_YEAR, 0, 0, 0}, {"annually", LC_LY, TU_YEAR, 0, 0, 0},
	/* parts of the day */
	{"morning", LC_PART, PD_MO, 0, 0, 0}, {"mornings", LC_PART, PD_MO, 0, 0, P},
	{"afternoon", LC_PART, PD_AF, 0, 0, 0},
	{"afternoons", LC_PART, PD_AF, 0, 0, P},
	{"evening", LC_PART, PD_EV, 0, 0, 0}, {"evenings", LC_PART, PD_EV, 0, 0, P},
	{"night", LC_PART, PD_NI, LC_UNIT, TU_NIGHT, 0},
	{"noon", LC_PART, PD_NOON, 0, 0, 0}, {"midday", LC_PART, PD_NOON, 0, 0, 0},
	{"midnight", LC_PART, PD_MIDNIGHT, 0, 0, 0},
	{"dawn", LC_PART, PD_DAWN, 0, 0, 0}, {"daybreak", LC_PART, PD_DAWN, 0, 0, 0},
	{"overnight", LC_PART, PD_OVERNIGHT, 0, 0, 0},
	{"dusk", LC_PART, PD_DUSK, 0, 0, 0},
	/* seasons */
	{"spring", LC_SEASON, SE_SP, 0, 0, 0}, {"summer", LC_SEASON, SE_SU, 0, 0, 0},
	{"autumn", LC_SEASON, SE_FA, 0, 0, 0}, {"fall", LC_SEASON, SE_FA, 0, 0, 0},
	{"winter", LC_SEASON, SE_WI, 0, 0, 0},
	{"summers", LC_SEASON, SE_SU, 0, 0, P}, {"winters", LC_SEASON, SE_WI, 0, 0, P},
	/* holidays */
	{"christmas", LC_HOLIDAY, HD_CHRISTMAS, 0, 0, 0},
	{"thanksgiving", LC_HOLIDAY, HD_THANKSGIVING, 0, 0, 0},
	{"halloween", LC_HOLIDAY, HD_HALLOWEEN, 0, 0, 0},
	{"valentine", LC_HOLIDAY, HD_VALENTINE, 0, 0, 0},
	{"independence", LC_HOLIDAY, HD_INDEPENDENCE, 0, 0, 0},
	{"labor", LC_HOLIDAY, HD_LABOR, 0, 0, 0},
	{"memorial", LC_HOLIDAY, HD_MEMORIAL, 0, 0, 0},
	{"election", LC_HOLIDAY, HD_ELECTION, 0, 0, 0},
	{"eve", LC_WORD, W_EVE, 0, 0, 0}, {"new", LC_WORD, W_NEW, 0, 0, 0},
	/* function words */
	{"the", LC_WORD, W_THE, 0, 0, 0}, {"a", LC_WORD, W_A, 0, 0, 0},
	{"an", LC_WORD, W_AN, 0, 0, 0}, {"this", LC_WORD, W_THIS, 0, 0, 0},
	{"that", LC_WORD, W_THAT, 0, 0, 0}, {"last", LC_WORD, W_LAST, 0, 0, 0},
	{"next", LC_WORD, W_NEXT, 0, 0, 0}, {"past", LC_WORD, W_PAST, 0, 0, 0},
	{"coming", LC_WORD, W_COMING, 0, 0, 0},
	{"previous", LC_WORD, W_PREVIOUS, 0, 0, 0},
	{"following", LC_WORD, W_FOLLOWING, 0, 0, 0},
	{"recent", LC_WORD, W_RECENT, 0, 0, 0},
	{"upcoming", LC_WORD, W_UPCOMING, 0, 0, 0},
	{"current", LC_WORD, W_CURRENT, 0, 0, 0},
	{"present", LC_WORD, W_PRESENT, 0, 0, 0}, {"same", LC_WORD, W_SAME, 0, 0, 0},
	{"latest", LC_WORD, W_LATEST, 0, 0, 0}, {"prior", LC_WORD, W_PRIOR, 0, 0, 0},
	{"today", LC_WORD, W_TODAY, 0, 0, 0},
	{"yesterday", LC_WORD, W_YESTERDAY, 0, 0, 0},
	{"tomorrow", LC_WORD, W_TOMORROW, 0, 0, 0},
	{"tonight", LC_WORD, W_TONIGHT, 0, 0, 0}, {"now", LC_WORD, W_NOW, 0, 0, 0},
	{"currently", LC_WORD, W_CURRENTLY, 0, 0, 0},
	{"recently", LC_WORD, W_RECENTLY, 0, 0, 0},
	{"lately", LC_WORD, W_LATELY, 0, 0, 0},
	{"nowadays", LC_WORD, W_NOWADAYS, 0, 0, 0},
	{"previously", LC_WORD, W_PREVIOUSLY, 0, 0, 0},
	{"formerly", LC_WORD, W_FORMERLY, 0, 0, 0}, {"soon", LC_WORD, W_SOON, 0, 0, 0},
	{"early", LC_WORD, W_EARLY, 0, 0, 0}, {"earlier", LC_WORD, W_EARLIER, 0, 0, 0},
	{"late", LC_WORD, W_LATE, 0, 0, 0}, {"later", LC_WORD, W_LATER, 0, 0, 0},
	{"mid", LC_WORD, W_MID, 0, 0, 0}, {"middle", LC_WORD, W_MIDDLE, 0, 0, 0},
	{"end", LC_WORD, W_END, 0, 0, 0}, {"beginning", LC_WORD, W_BEGINNING, 0, 0, 0},
	{"start", LC_WORD, W_START, 0, 0, 0}, {"close", LC_WORD, W_CLOSE, 0, 0, 0},
	{"turn", LC_WORD, W_TURN, 0, 0, 0}, {"about", LC_WORD, W_ABOUT, 0, 0, 0},
	{"around", LC_WORD, W_AROUND, 0, 0, 0},
	{"approximately", LC_WORD, W_APPROXIMATELY, 0, 0, 0},
	{"roughly", LC_WORD, W_ROUGHLY, 0, 0, 0}, {"nearly", LC_WORD, W_NEARLY, 0, 0, 0},
	{"almost", LC_WORD, W_ALMOST, 0, 0, 0}, {"some", LC_WORD, W_SOME, 0, 0, 0},
	{"more", LC_WORD, W_MORE, 0, 0, 0}, {"less", LC_WORD, W_LESS, 0, 0, 0},
	{"fewer", LC_WORD, W_FEWER, 0, 0, 0}, {"over", LC_WORD, W_OVER, 0, 0, 0},
	{"least", LC_WORD, W_LEAST, 0, 0, 0}, {"most", LC_WORD, W_MOST, 0, 0, 0},
	{"up", LC_WORD, W_UP, 0, 0, 0}, {"under", LC_WORD, W_UNDER, 0, 0, 0},
	{"just", LC_WORD, W_JUST, 0, 0, 0}, {"than", LC_WORD, W_THAN, 0, 0, 0},
	{"at", LC_WORD, W_AT, 0, 0, 0}, {"to", LC_WORD, W_TO, 0, 0, 0},
	{"ago", LC_WORD, W_AGO, 0, 0, 0}, {"hence", LC_WORD, W_HENCE, 0, 0, 0},
	{"before", LC_WORD, W_BEFORE, 0, 0, 0}, {"after", LC_WORD, W_AFTER, 0, 0, 0},
	{"every", LC_WORD, W_EVERY, 0, 0, 0}, {"each", LC_WORD, W_EACH, 0, 0, 0},
	{"per", LC_WORD, W_PER, 0, 0, 0}, {"of", LC_WORD, W_OF, 0, 0, 0},
	{"and", LC_WORD, W_AND, 0, 0, 0}, {"or", LC_WORD, W_OR, 0, 0, 0},
	{"in", LC_WORD, W_IN, 0, 0, 0}, {"on", LC_WORD, W_ON, 0, 0, 0},
	{"by", LC_WORD, W_BY, 0, 0, 0}, {"from", LC_WORD, W_FROM, 0, 0, 0},
	{"until", LC_WORD, W_UNTIL, 0, 0, 0}, {"till", LC_WORD, W_UNTIL, 0, 0, 0},
	{"since", LC_WORD, W_SINCE, 0, 0, 0}, {"during", LC_WORD, W_DURING, 0, 0, 0},
	{"for", LC_WORD, W_FOR, 0, 0, 0}, {"within", LC_WORD, W_WITHIN, 0, 0, 0},
	{"through", LC_WORD, W_THROUGH, 0, 0, 0},
	{"between", LC_WORD, W_BETWEEN, 0, 0, 0},
	{"fiscal", LC_WORD, W_FISCAL, 0, 0, 0}, {"fy", LC_WORD, W_FY, 0, 0, 0},
	{"a.m", LC_WORD, W_AM, 0, 0, 0}, {"p.m", LC_WORD, W_PM, 0, 0, 0},
	{"am", LC_WORD, W_AM, 0, 0, 0}, {"pm", LC_WORD, W_PM, 0, 0, 0},
	{"o'clock", LC_WORD, W_OCLOCK, 0, 0, 0},
	{"several", LC_WORD, W_SEVERAL, 0, 0, 0}, {"few", LC_WORD, W_FEW, 0, 0, 0},
	{"couple", LC_WORD, W_COUPLE, 0, 0, 0}, {"many", LC_WORD, W_MANY, 0, 0, 0},
	{"dozen", LC_WORD, W_DOZEN, 0, 0, 0}, {"dozens", LC_WORD, W_DOZENS, 0, 0, 0},
	{"hundred", LC_WORD, W_HUNDRED, 0, 0, 0},
	{"hundreds", LC_WORD, W_HUNDREDS, 0, 0, 0},
	{"thousand", LC_WORD, W_THOUSAND, 0, 0, 0},
	{"future", LC_WORD, W_FUTURE, 0, 0, 0}, {"near", LC_WORD, W_NEAR, 0, 0, 0},
	{"other", LC_WORD, W_OTHER, 0, 0, 0}, {"once", LC_WORD, W_ONCE, 0, 0, 0},
	{"twice", LC_WORD, W_TWICE, 0, 0, 0}, {"times", LC_WORD, W_TIMES, 0, 0, 0},
	{"year-ago", LC_WORD, W_YEAR_AGO, 0, 0, 0}, {"s", LC_WORD, W_S, 0, 0, 0},
	{"q", LC_WORD, W_Q, 0, 0, 0}, {"h", LC_WORD, W_H, 0, 0, 0},
	{"term", LC_WORD, W_TERM, 0, 0, 0}, {"short", LC_WORD, W_SHORT, 0, 0, 0},
	{"long", LC_WORD, W_LONG, 0, 0, 0}, {"medium", LC_WORD, W_MEDIUM, 0, 0, 0},
	{"these", LC_WORD, W_THESE, 0, 0, 0}, {"those", LC_WORD, W_THOSE, 0, 0, 0},
	{"already", LC_WORD, W_ALREADY, 0, 0, 0}, {"moment", LC_WORD, W_MOMENT, 0, 0, 0},
	{"time", LC_WORD, W_TIME, 0, 0, 0}, {"ad", LC_WORD, W_AD, 0, 0, 0},
	{"bc", LC_WORD, W_BC, 0, 0, 0}, {"whole", LC_WORD, W_WHOLE, 0, 0, 0},
	{"entire", LC_WORD, W_ENTIRE, 0, 0, 0}, {"full", LC_WORD, W_FULL, 0, 0, 0},
	{"old", LC_WORD, W_OLD, 0, 0, 0}, {"ahead", LC_WORD, W_AHEAD, 0, 0, 0},
	{"no", LC_WORD, W_NO, 0, 0, 0}, {"number", LC_WORD, W_NUMBER, 0, 0, 0},
	{"as", LC_WORD, W_AS, 0, 0, 0}, {"how", LC_WORD, W_HOW, 0, 0, 0},
	{"ended", LC_WORD, W_ENDED, 0, 0, 0}, {"ending", LC_WORD, W_ENDING, 0, 0, 0},
	/* time zones */
	{"est", LC_TZ, 0, 0, 0, 0}, {"edt", LC_TZ, 0, 0, 0, 0},
	{"cst", LC_TZ, 0, 0, 0, 0}, {"cdt", LC_TZ, 0, 0, 0, 0},
	{"mst", LC_TZ, 0, 0, 0, 0}, {"mdt", LC_TZ, 0, 0, 0, 0},
	{"pst", LC_TZ, 0, 0, 0, 0}, {"pdt", LC_TZ, 0, 0, 0, 0},
	{"gmt", LC_TZ, 0, 0, 0, 0}, {"utc", LC_TZ, 0, 0, 0, 0},
	{"bst", LC_TZ, 0, 0, 0, 0}, {"cet", LC_TZ, 0, 0, 0, 0},
	{"kst", LC_TZ, 0, 0, 0, 0}, {"jst", LC_TZ, 0, 0, 0, 0},
	{"et", LC_TZ, 0, 0, 0, 0}, {"pt", LC_TZ, 0, 0, 0, 0},
	/* tense markers used to resolve weekdays and bare months */
	{"will", LC_FUT, 0, 0, 0, 0}, {"'ll", LC_FUT, 0, 0, 0, 0},
	{"ll", LC_FUT, 0, 0, 0, 0}, {"shall", LC_FUT, 0, 0, 0, 0},
	{"would", LC_FUT, 0, 0, 0, 0}, {"won't", LC_FUT, 0, 0, 0, 0},
	{"didn't", LC_PAST, 0, 0, 0, 0}, {"wasn't", LC_PAST, 0, 0, 0, 0},
	{"weren't", LC_PAST, 0, 0, 0, 0}, {"hadn't", LC_PAST, 0, 0, 0, 0},
	{"going", LC_FUT, 0, 0, 0, 0}, {"expected", LC_FUT, 0, 0, 0, 0},
	{"scheduled", LC_FUT, 0, 0, 0, 0}, {"plans", LC_FUT, 0, 0, 0, 0},
	{"plan", LC_FUT, 0, 0, 0, 0}, {"planning", LC_FUT, 0, 0, 0, 0},
	{"due", LC_FUT, 0, 0, 0, 0}, {"set", LC_FUT, 0, 0, 0, 0},
	{"planned", LC_FUT, 0, 0, 0, 0}, {"intended", LC_FUT, 0, 0, 0, 0},
	{"slated", LC_FUT, 0, 0, 0, 0}, {"payable", LC_FUT, 0, 0, 0, 0},
	{"effective", LC_FUT, 0, 0, 0, 0},
	{"begins", LC_FUT, 0, 0, 0, 0}, {"starts", LC_FUT, 0, 0, 0, 0},
	{"is", LC_PRES, 0, 0, 0, 0}, {"are", LC_PRES, 0, 0, 0, 0},
	{"said", LC_PAST, 0, 0, 0, 0}, {"was", LC_PAST, 0, 0, 0, 0},
	{"were", LC_PAST, 0, 0, 0, 0}, {"had", LC_PAST, 0, 0, 0, 0},
	{"did", LC_PAST, 0, 0, 0, 0}, {"met", LC_PAST, 0, 0, 0, 0},
	{"told", LC_PAST, 0, 0, 0, 0}, {"took", LC_PAST, 0, 0, 0, 0},
	{"made", LC_PAST, 0, 0, 0, 0}, {"went", LC_PAST, 0, 0, 0, 0},
	{"came", LC_PAST, 0, 0, 0, 0}, {"saw", LC_PAST, 0, 0, 0, 0},
	{"gave", LC_PAST, 0, 0, 0, 0}, {"left", LC_PAST, 0, 0, 0, 0},
	{"held", LC_PAST, 0, 0, 0, 0}, {"sent", LC_PAST, 0, 0, 0, 0},
	{"began", LC_PAST, 0, 0, 0, 0}, {"rose", LC_PAST, 0, 0, 0, 0},
	{"fell", LC_PAST, 0, 0, 0, 0}, {"won", LC_PAST, 0, 0, 0, 0},
	{"lost", LC_PAST, 0, 0, 0, 0}, {"spoke", LC_PAST, 0, 0, 0, 0},
	{"wrote", LC_PAST, 0, 0, 0, 0}, {"found", LC_PAST, 0, 0, 0, 0},
	{"got", LC_PAST, 0, 0, 0, 0}, {"paid", LC_PAST, 0, 0, 0, 0},
	{"sold", LC_PAST, 0, 0, 0, 0}, {"bought", LC_PAST, 0, 0, 0, 0},
	{"brought", LC_PAST, 0, 0, 0, 0}, {"thought", LC_PAST, 0, 0, 0, 0},
	{"became", LC_PAST, 0, 0, 0, 0}, {"ran", LC_PAST, 0, 0, 0, 0},
	{"struck", LC_PAST, 0, 0, 0, 0}, {"killed", LC_PAST, 0, 0, 0, 0},
	{"flew", LC_PAST, 0, 0, 0, 0}, {"led", LC_PAST, 0, 0, 0, 0},
	{"broke", LC_PAST, 0, 0, 0, 0}, {"chose", LC_PAST, 0, 0, 0, 0},
	{"drew", LC_PAST, 0, 0, 0, 0}, {"fought", LC_PAST, 0, 0, 0, 0},
	{"kept", LC_PAST, 0, 0, 0, 0}, {"knew", LC_PAST, 0, 0, 0, 0},
	{"meant", LC_PAST, 0, 0, 0, 0}, {"stood", LC_PAST, 0, 0, 0, 0},
	{"took", LC_PAST, 0, 0, 0, 0}, {"wore", LC_PAST, 0, 0, 0, 0},
	{"shot", LC_PAST, 0, 0, 0, 0}, {"hit", LC_PAST, 0, 0, 0, 0},
	{"quit", LC_PAST, 0, 0, 0, 0}, {"felt", LC_PAST, 0, 0, 0, 0},
	{"heard", LC_PAST, 0, 0, 0, 0}, {"arose", LC_PAST, 0, 0, 0, 0},
	{"grew", LC_PAST, 0, 0, 0, 0}, {"sought", LC_PAST, 0, 0, 0, 0},
	{"been", LC_PAST, 0, 0, 0, 0}, {"has", LC_PAST, 0, 0, 0, 0},
	{"have", LC_PAST, 0, 0, 0, 0}, {"says", LC_PAST, 0, 0, 0, 0},
	/* count nouns after which a four-digit number is not a year */
	{"people", LC_UNITNOUN, 0, 0, 0, 0}, {"troops", LC_UNITNOUN, 0, 0, 0, 0},
	{"soldiers", LC_UNITNOUN, 0, 0, 0, 0}, {"workers", LC_UNITNOUN, 0, 0, 0, 0},
	{"jobs", LC_UNITNOUN, 0, 0, 0, 0}, {"cases", LC_UNITNOUN, 0, 0, 0, 0},
	{"deaths", LC_UNITNOUN, 0, 0, 0, 0}, {"dollars", LC_UNITNOUN, 0, 0, 0, 0},
	{"euros", LC_UNITNOUN, 0, 0, 0, 0}, {"yen", LC_UNITNOUN, 0, 0, 0, 0},
	{"yuan", LC_UNITNOUN, 0, 0, 0, 0}, {"pounds", LC_UNITNOUN, 0, 0, 0, 0},
	{"barrels", LC_UNITNOUN, 0, 0, 0, 0}, {"tons", LC_UNITNOUN, 0, 0, 0, 0},
	{"tonnes", LC_UNITNOUN, 0, 0, 0, 0}, {"miles", LC_UNITNOUN, 0, 0, 0, 0},
	{"km", LC_UNITNOUN, 0, 0, 0, 0}, {"kilometers", LC_UNITNOUN, 0, 0, 0, 0},
	{"kilometres", LC_UNITNOUN, 0, 0, 0, 0}, {"meters", LC_UNITNOUN, 0, 0, 0, 0},
	{"metres", LC_UNITNOUN, 0, 0, 0, 0}, {"feet", LC_UNITNOUN, 0, 0, 0, 0},
	{"acres", LC_UNITNOUN, 0, 0, 0, 0}, {"shares", LC_UNITNOUN, 0, 0, 0, 0},
	{"votes", LC_UNITNOUN, 0, 0, 0, 0}, {"units", LC_UNITNOUN, 0, 0, 0, 0},
	{"employees", LC_UNITNOUN, 0, 0, 0, 0}, {"members", LC_UNITNOUN, 0, 0, 0, 0},
	{"residents", LC_UNITNOUN, 0, 0, 0, 0}, {"percent", LC_UNITNOUN, 0, 0, 0, 0},
	{"points", LC_UNITNOUN, 0, 0, 0, 0}, {"cars", LC_UNITNOUN, 0, 0, 0, 0},
	{"homes", LC_UNITNOUN, 0, 0, 0, 0}, {"students", LC_UNITNOUN, 0, 0, 0, 0},
	{"children", LC_UNITNOUN, 0, 0, 0, 0}, {"women", LC_UNITNOUN, 0, 0, 0, 0},
	{"men", LC_UNITNOUN, 0, 0, 0, 0}, {"police", LC_UNITNOUN, 0, 0, 0, 0},
	{"officers", LC_UNITNOUN, 0, 0, 0, 0}, {"patients", LC_UNITNOUN, 0, 0, 0, 0},
	{"flights", LC_UNITNOUN, 0, 0, 0, 0}, {"copies", LC_UNITNOUN, 0, 0, 0, 0},
	{"gallons", LC_UNITNOUN, 0, 0, 0, 0}, {"metric", LC_UNITNOUN, 0, 0, 0, 0},
	{"square", LC_UNITNOUN, 0, 0, 0, 0}, {"mph", LC_UNITNOUN, 0, 0, 0, 0},
	{"million", LC_UNITNOUN, 0, 0, 0, 0}, {"billion", LC_UNITNOUN, 0, 0, 0, 0},
	{"trillion", LC_UNITNOUN, 0, 0, 0, 0}, {"seats", LC_UNITNOUN, 0, 0, 0, 0},
};
#undef P

#define NDEFS (sizeof defs / sizeof defs[0])
#define TSIZE 2048u /* power of two, over 4x the entries */
#define MAXW 15

static uint16_t table[TSIZE]; /* 1 + index into defs; 0 = empty */
static uint64_t pre[MAXW + 1][16]; /* length x first two letters, 1024 bits */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* ASCII lower case by table: one load a byte where the compare and
 * conditional add took four (the hash and the compare read every byte
 * of a word that passes the prefilter). */
static const unsigned char lc_tab[256] = { TEXT_TAB256(TEXT_LOWER) };

static inline unsigned char lc(unsigned char c)
{
	return lc_tab[c];
}

static uint32_t whash(const char *w, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= lc((unsigned char)w[i]);
		h *= 16777619u;
	}
	return h ^ (h >> 15);
}

/* The prefilter bit of a word of n (1..MAXW) bytes. */
static unsigned pre_bit(const char *w, size_t n)
{
	unsigned a = lc((unsigned char)w[0]);
	unsigned b = n > 1 ? lc((unsigned char)w[1]) : 0;
	return (a * 31u + b) & 1023u;
}

static int weq(const char *w, size_t n, const char *def)
{
	for (size_t i = 0; i < n; i++)
		if (lc((unsigned char)w[i]) != (unsigned char)def[i])
			return 0;
	return def[n] == 0;
}

static void build(void)
{
	for (size_t i = 0; i < NDEFS; i++) {
		size_t n = strlen(defs[i].w);
		if (n >= 1 && n <= MAXW) {
			unsigned b = pre_bit(defs[i].w, n);
			pre[n][b / 64] |= (uint64_t)1 << (b % 64);
		}
		uint32_t h = whash(defs[i].w, n) & (TSIZE - 1);
		while (table[h]) {
			/* keep the first definition of a duplicated word */
			if (weq(defs[i].w, n, defs[table[h] - 1].w))
				break;
			h = (h + 1) & (TSIZE - 1);
		}
		if (!table[h])
			table[h] = (uint16_t)(i + 1);
	}
}

void time_lex_init(void)
{
	pthread_once(&once, build);
}

time_lex time_lex_get(const char *w, size_t n)
{
	pthread_once(&once, build);
	return time_lex_find(w, n);
}

time_lex time_lex_find(const char *w, size_t n)
{
	time_lex r = {0, 0, 0, 0, 0};
	if (n == 0 || n > MAXW)
		return r;
	unsigned b = pre_bit(w, n);
	if (!(pre[n][b / 64] >> (b % 64) & 1))
		return r;
	uint32_t h = whash(w, n) & (TSIZE - 1);
	while (table[h]) {
		const lex_def *d = &defs[table[h] - 1];
		if (weq(w, n, d->w)) {
			r.cls = d->cls;
			r.val = d->val;
			r.cls2 = d->cls2;
			r.val2 = d->val2;
			r.flags = d->flags;
			return r;
		}
		h = (h + 1) & (TSIZE - 1);
	}
	return r;
}
