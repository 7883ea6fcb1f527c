/*
 * boilerplate: line recognisers (see boilerplate.h).
 *
 * Design note: prompts are matched on a normalised copy (ASCII lower case,
 * curly apostrophes folded, trailing punctuation dropped) of at most
 * NORM_MAX bytes, against small tables of exact lines and prefixes; lines
 * longer than the longest prompt are never normalised at all, which keeps
 * the cost per ordinary paragraph to one length compare.
 */
#include "boilerplate.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "meta/agency.h"
#include "meta/dateparse.h"

const char CLEAN_R_BOILERPLATE[] = "boilerplate";
const char CLEAN_R_RELATED[] = "related-headline";
const char CLEAN_R_REPEAT[] = "repeat";
const char CLEAN_R_MARKER[] = "wire-marker";
const char CLEAN_R_HANDLE[] = "handle";
const char CLEAN_R_CREDIT[] = "credit";
const char CLEAN_R_CAPTION[] = "caption";
const char CLEAN_R_TAG[] = "agency-tag";
const char CLEAN_R_SOURCE[] = "source-line";
const char CLEAN_R_DATELINE[] = "dateline";
const char CLEAN_R_HEADER[] = "header";

#define NORM_MAX 160
#define CAPTION_MAX 500

static int is_up(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lo(char c) { return c >= 'a' && c <= 'z'; }
static int is_dig(char c) { return c >= '0' && c <= '9'; }
static int is_sp(char c) { return c == ' ' || c == '\t'; }

/* ---- prompts ---- */

static const char *const g_exact[] = {
	"read more", "read more stories", "letter", "newsletter",
	"newsletters", "advertisement", "advertising", "sponsored",
	"share", "share this", "share this article", "share this story",
	"share on facebook", "share on twitter", "tweet", "print", "email",
	"comments", "comment", "leave a comment", "related",
	"related stories", "related articles", "related news",
	"related content", "related coverage", "more stories", "more news",
	"most read", "most popular", "most viewed", "trending",
	"trending now", "recommended", "recommended stories",
	"you may also like", "you might also like", "editor's picks",
	"top stories", "top news", "back to top", "skip to content",
	"continue reading", "see also", "also read", "read also", "watch",
	"listen", "sign up", "subscribe", "subscribe now", "login",
	"log in", "menu", "home", "follow us", "latest news",
	"breaking news", "click to expand", "view comments",
	"show comments", "load comments", "video", "photos", "gallery",
	"next article", "previous article", "more from this section",
	"don't miss", "popular", "topics", "tags",
};

static const char *const g_prefix[] = {
	"sign up for", "sign up to", "sign up now", "subscribe to",
	"subscribe for", "subscribe now", "click here", "follow us on",
	"share on ", "share this", "download our app", "download the app",
	"get the latest", "join our", "read more:", "read more at",
	"read more about", "related:", "also read:", "see also:",
	"read also:", "more:", "watch:", "listen:", "get our newsletter",
	"enter your email", "like us on", "copyright", "(c) ",
	"all rights reserved", "this article is available",
	"to receive our", "never miss a", "receive our newsletter",
};

/* Prefixes that make a line a credit rather than a prompt. */
static const char *const g_credit_prefix[] = {
	"photo:", "photo credit", "photos:", "image:", "image credit",
	"credit:", "picture:", "(photo", "file photo:", "reporting by",
	"(reporting by", "editing by", "(editing by", "writing by",
	"(writing by", "compiled by", "additional reporting",
	"(additional reporting",
};

/* out holds NORM_MAX + 1 bytes.  On a little-endian machine, eight
 * bytes at a time: those before the first byte below 0x21 or above 0x7F
 * (a space, a tab, a control byte, non-ASCII such as the ’ below) are
 * stored at once, upper-case letters given their 0x20 bit, with one store
 * of all eight, taken only while k + 9 <= NORM_MAX (the pending space and
 * the eight bytes fit under the cap, so the cap is never reached inside a
 * block); that byte and the rest go through the byte loop. */
static size_t normalise(const char *s, size_t n, char *out)
{
	size_t k = 0;
	int sp = 0;
	for (size_t i = 0; i < n && k < NORM_MAX; i++) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (i + 8 <= n && k + 9 <= NORM_MAX) {
			const uint64_t H = 0x8080808080808080ULL;
			const uint64_t B = 0x0101010101010101ULL;
			uint64_t x;
			memcpy(&x, s + i, 8);
			/* the top bit of each byte below 0x21 or above 0x7F;
			 * exact up to the first one, which is all that is read */
			uint64_t odd = (((x - 0x21 * B) & ~x) | x) & H;
			size_t m = odd ? (size_t)__builtin_ctzll(odd) / 8 : 8;
			if (!m)
				break;
			uint64_t y = x & ~H;
			uint64_t up = (y + (0x80 - 'A') * B) & ~(y + (0x7F - 'Z') * B) & H;
			uint64_t v = x | (up >> 2);
			if (sp)
				out[k++] = ' ';
			sp = 0;
			memcpy(out + k, &v, 8);
			k += m;
			i += m;
			if (m < 8)
				break;
		}
		if (i >= n || k >= NORM_MAX)
			break;
#endif
		unsigned char c = (unsigned char)s[i];
		if (is_sp((char)c)) {
			sp = k > 0;
			continue;
		}
		if (sp && k < NORM_MAX)
			out[k++] = ' ';
		sp = 0;
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x99) {
			out[k++] = '\'';
			i += 2;
			continue;
		}
		out[k++] = is_up((char)c) ? (char)(c - 'A' + 'a') : (char)c;
	}
	while (k && (out[k - 1] == '.' || out[k - 1] == ':' ||
		     out[k - 1] == '!' || out[k - 1] == ' ' ||
		     out[k - 1] == '>' || out[k - 1] == '|'))
		k--;
	out[k] = '\0';
	return k;
}

/* The first byte is compared before any call: most tests fail there. */
static int has_prefix(const char *s, size_t n, const char *p)
{
	if (!p[0])
		return 1;
	if (!n || s[0] != p[0])
		return 0;
	size_t l = strlen(p);
	return n >= l && memcmp(s, p, l) == 0;
}

static int contains(const char *s, size_t n, const char *p)
{
	return memmem(s, n, p, strlen(p)) != NULL;
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-blind substring test (ASCII, as strncasecmp in the C locale);
 * the first byte is compared inline, so most positions cost no call. */
static int contains_ci(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);
	if (!l)
		return 1;
	int c0 = ascii_lower((unsigned char)p[0]);
	for (size_t i = 0; i + l <= n; i++)
		if (ascii_lower((unsigned char)s[i]) == c0 &&
		    strncasecmp(s + i, p, l) == 0)
			return 1;
	return 0;
}

/* "top 10 stories", "top 5 news" */
static int top_n(const char *s, size_t n)
{
	if (!has_prefix(s, n, "top "))
		return 0;
	size_t i = 4;
	while (i < n && is_dig(s[i]))
		i++;
	if (i == 4)
		return 0;
	return (n - i == 8 && memcmp(s + i, " stories", 8) == 0) ||
	       (n - i == 5 && memcmp(s + i, " news", 5) == 0) ||
	       (n - i == 9 && memcmp(s + i, " articles", 9) == 0);
}

static void agency_cb(void *ctx, const char *canon)
{
	art_agency(ctx, canon, strlen(canon));
}

/* ---- markers, handles, headers ---- */

/* Words wire services put in parentheses before a headline. */
static const char *const g_marker_words[] = {
	"LEAD", "LD", "URGENT", "UPDATE", "UPDATED", "UPDATES", "CORRECTED",
	"CORRECTS", "CORRECTION", "REPEAT", "RPT", "REFILE", "REFILED",
	"RECASTS", "ADDS", "WRAPUP", "WRAP", "FOCUS", "ANALYSIS",
	"INTERVIEW", "PROFILE", "FEATURE", "BREAKING", "FLASH", "BULLETIN",
	"ALERT", "END", "MORE", "NEWS", "EXCLUSIVE", "PHOTO", "PHOTOS",
	"VIDEO", "GRAPHIC", "FACTBOX", "EXPLAINER", "PREVIEW", "SUMMARY",
	"OFFICIAL", "ADVISORY", "CORRECT", "AMENDED", "FIXED", "YONHAP",
	"SPORTS", "OPINION", "EDITORIAL", "COMMENTARY", "ROUNDUP", "TAKE",
	"NEWSMAKER", "SIDEBAR",
};

static int marker_word_ok(const char *s, size_t n)
{
	/* "LEAD", "URGENT", "LD", "2nd", "3rd", "UPDATE", "1", "News Focus" */
	if (!n)
		return 0;
	for (size_t i = 0; i < sizeof g_marker_words / sizeof *g_marker_words;
	     i++)
		if (strlen(g_marker_words[i]) == n &&
		    strncasecmp(g_marker_words[i], s, n) == 0)
			return 2;
	int up = 0, lo = 0, dig = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_up(s[i]))
			up++;
		else if (is_lo(s[i]))
			lo++;
		else if (is_dig(s[i]))
			dig++;
		else if (s[i] != '-')
			return 0;
	}
	if (dig && !up && (lo == 0 || (lo == 2 && n <= 4)))
		return 1; /* "2nd", "10th", "1" */
	return 0;
}

size_t clean_marker_at(const char *s, size_t n)
{
	if (n < 3 || s[0] != '(')
		return 0;
	size_t close = 0;
	for (size_t i = 1; i < n && i < 400; i++) {
		if (s[i] == ')') {
			close = i;
			break;
		}
		if (s[i] == '(')
			return 0;
	}
	if (!close)
		return 0;
	const char *in = s + 1;
	size_t inl = close - 1;
	static const char *const notes[] = {
		"ATTN:", "ATTN ", "EDITORS:", "EDITOR'S NOTE", "EDS:",
		"EDITOR:", "NOTE TO EDITORS", "CORRECTION:", "REFILE",
		"CORRECTED",
	};
	int ok = 0;
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		if (has_prefix(in, inl, notes[i]))
			ok = 1;
	if (!ok && inl <= 30) {
		/* every word a marker word: "LEAD", "2nd LD", "URGENT" */
		size_t i = 0;
		ok = 1;
		int named = 0;
		while (i < inl) {
			while (i < inl && in[i] == ' ')
				i++;
			size_t j = i;
			while (j < inl && in[j] != ' ')
				j++;
			if (j > i) {
				int w = marker_word_ok(in + i, j - i);
				if (!w)
					ok = 0;
				named += w == 2;
			}
			i = j;
		}
		if (!named)
			ok = 0;
		/* an agency in parentheses is a tag, not a marker */
		if (ok && meta_agency_lookup(in, inl))
			ok = 0;
	}
	if (!ok)
		return 0;
	size_t e = close + 1;
	while (e < n && is_sp(s[e]))
		e++;
	return e;
}

static int is_handle(const char *s, size_t n)
{
	size_t a = 0, b = n;
	if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		a = 1;
		b = n - 1;
	}
	if (b - a < 2 || s[a] != '@' || b - a > 40)
		return 0;
	for (size_t i = a + 1; i < b; i++)
		if (!(is_up(s[i]) || is_lo(s[i]) || is_dig(s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

size_t clean_header_at(const char *s, size_t n, int whole)
{
	static const char *const keys[] = {
		"date", "dated", "published", "posted", "published on",
		"posted on", "publication date", "date published",
	};
	size_t i = 0;
	while (i < n && is_sp(s[i]))
		i++;
	size_t best = 0;
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		size_t l = strlen(keys[k]);
		if (n - i > l && strncasecmp(s + i, keys[k], l) == 0 &&
		    (s[i + l] == ' ' || s[i + l] == ':') && l > best)
			best = l;
	}
	if (best)
		i += best;
	else if (!whole)
		return 0;
	if (i < n && s[i] == ':')
		i++;
	while (i < n && is_sp(s[i]))
		i++;
	meta_date d;
	size_t u = meta_date_at(s + i, n - i, &d);
	if (!u || !d.y)
		return 0;
	i += u;
	if (whole) {
		/* allow a time after the date: digits, ':', '.', "a.m.", zone */
		size_t j = i;
		while (j < n && (is_sp(s[j]) || is_dig(s[j]) || s[j] == ':' ||
				 s[j] == '.' || s[j] == ',' || is_up(s[j]) ||
				 s[j] == 'a' || s[j] == 'p' || s[j] == 'm' ||
				 s[j] == '+' || s[j] == '-'))
			j++;
		if (j != n || n - i > 24)
			return 0;
		return n;
	}
	while (i < n && is_sp(s[i]))
		i++;
	return i;
}

/* ---- headline-like ---- */

/* Word counts of a short line. */
typedef struct wstats {
	int words, letter_words, num_words, long_lower;
} wstats;

static wstats word_stats(const char *s, size_t n)
{
	int words = 0, letter_words = 0, num_words = 0, long_lower = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		size_t j = i;
		int dig = 0, let = 0;
		while (j < n && s[j] != ' ') {
			if (is_dig(s[j]))
				dig = 1;
			else if (is_up(s[j]) || is_lo(s[j]) ||
				 (unsigned char)s[j] >= 0xC3)
				let++;
			j++;
		}
		words++;
		if (dig)
			num_words++;
		else if (let >= 2)
			letter_words++;
		if (!dig && is_lo(s[i]) && let >= 4)
			long_lower++;
		i = j;
	}
	wstats w = {words, letter_words, num_words, long_lower};
	return w;
}

static int has_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_lo(s[i]))
			return 1;
	return 0;
}

int clean_prose(const char *s, size_t n)
{
	wstats w = word_stats(s, n);
	return w.letter_words >= 3 && (w.long_lower || w.words >= 6) &&
	       w.num_words * 3 < w.words;
}

int clean_headlike(const char *s, size_t n)
{
	if (n < 3 || n > 200)
		return 0;
	/* a line of prose words: at least four words of letters, hardly any
	 * numbers (table rows and column heads are not headlines) */
	wstats w = word_stats(s, n);
	if (w.words > 18 || w.letter_words < 4 || w.num_words > 1 ||
	    (w.long_lower == 0 && (w.words < 6 || !has_lower(s, n))))
		return 0;
	size_t e = n;
	/* strip closing quotes */
	while (e > 0 && (s[e - 1] == '"' || s[e - 1] == '\''))
		e--;
	if (e >= 3 && (unsigned char)s[e - 3] == 0xE2 &&
	    (unsigned char)s[e - 2] == 0x80 &&
	    ((unsigned char)s[e - 1] == 0x9D || (unsigned char)s[e - 1] == 0x99))
		e -= 3;
	if (e == 0)
		return 0;
	char c = s[e - 1];
	return !(c == '.' || c == '!' || c == '?' || c == ',' || c == ';' ||
		 c == ':' || c == '-');
}

/* ---- captions and credits ---- */

/* The top bit of each byte of the 8-byte word x that equals c (a zero
 * byte of x ^ c...c: the usual test; nonzero exactly when x holds c, and
 * exact up to the first such byte, above which borrows may add bits). */
static uint64_t byte_bits(uint64_t x, unsigned char c)
{
	uint64_t v = x ^ (0x0101010101010101ULL * c);
	return (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL;
}

/* Where a photo credit starts in s ("© ...", "Photo: ..."), or n.  Only
 * the bytes that can start one (0xC2, 'P', 'I') are looked at closely;
 * eight bytes with none of them are passed over at once, and on a
 * little-endian machine the bytes before the first of them too. */
static size_t credit_start(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (i + 9 <= n) { /* bytes i..i+7, each with one after it */
			uint64_t x;
			memcpy(&x, s + i, 8);
			uint64_t m = byte_bits(x, 0xC2) | byte_bits(x, 'P') |
				     byte_bits(x, 'I');
			if (!m) {
				i += 7;
				continue;
			}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (size_t)__builtin_ctzll(m) / 8; /* i + 1 < n still */
#endif
		}
		unsigned char c = (unsigned char)s[i];
		if (c != 0xC2 && c != 'P' && c != 'I')
			continue;
		if (c == 0xC2 && (unsigned char)s[i + 1] == 0xA9)
			return i;
		if ((i == 0 || s[i - 1] == ' ' || s[i - 1] == '(') &&
		    (has_prefix(s + i, n - i, "Photo:") ||
		     has_prefix(s + i, n - i, "Photo credit:") ||
		     has_prefix(s + i, n - i, "Photo by ") ||
		     has_prefix(s + i, n - i, "Image:")))
			return i > 0 && s[i - 1] == '(' ? i - 1 : i;
	}
	return n;
}

/* Does the paragraph end with a caption credit ("... Sputnik. AFP-Yonhap",
 * "... (AFP Photo)")?  Returns the credit's offset or n. */
static size_t caption_credit(const char *s, size_t n)
{
	size_t e = n;
	while (e && (is_sp(s[e - 1]) || s[e - 1] == ')'))
		e--;
	size_t b = e;
	while (b && !is_sp(s[b - 1]) && s[b - 1] != '(')
		b--;
	if (b == e || b < 2)
		return n;
	int pair = 0;
	for (size_t i = b; i < e; i++)
		if (s[i] == '-' || s[i] == '/')
			pair = 1;
	/* the agency test first: it looks at one word, the photo words at
	 * the whole paragraph (and only when no pair decides) */
	if (!meta_agency_all(s + b, e - b) ||
	    !(pair || contains_ci(s, n, "photo") || contains_ci(s, n, "pictured")))
		return n;
	/* the credit follows a sentence end or an opening paren */
	size_t k = b;
	while (k && is_sp(s[k - 1]))
		k--;
	if (k && (s[k - 1] == '.' || s[k - 1] == '('))
		return k && s[k - 1] == '(' ? k - 1 : b;
	return n;
}

/* "© 2024 ..." or "© Copyright ...": a copyright line, not a credit. */
static int copyright_at(const char *s, size_t n)
{
	size_t i = 2; /* past the sign */
	if (!(n > 2 && (unsigned char)s[0] == 0xC2))
		return 0;
	while (i < n && is_sp(s[i]))
		i++;
	return i < n && (is_dig(s[i]) ||
			 (n - i >= 9 && strncasecmp(s + i, "copyright", 9) == 0) ||
			 contains_ci(s, n, "all rights reserved"));
}

const char *clean_classify(chr_article *a, const char *s, size_t n,
			   int early, int *breaking)
{
	*breaking = 0;
	if (n == 0)
		return CLEAN_R_BOILERPLATE;
	if (s[0] == '(' && clean_marker_at(s, n) == n)
		return CLEAN_R_MARKER;
	if (early && is_handle(s, n))
		return CLEAN_R_HANDLE;
	if (n <= CAPTION_MAX) {
		/* an agency alone: "(Yonhap)", "Reuter" */
		size_t a0 = 0, b0 = n;
		if (n > 2 && s[0] == '(' && s[n - 1] == ')') {
			a0 = 1;
			b0 = n - 1;
		}
		const char *canon = meta_agency_lookup(s + a0, b0 - a0);
		if (canon) {
			art_agency(a, canon, strlen(canon));
			return CLEAN_R_TAG;
		}
		size_t cs = credit_start(s, n);
		if (cs < n && copyright_at(s + cs, n - cs))
			return CLEAN_R_BOILERPLATE;
		if (cs == 0) {
			meta_agency_scan(s, n, agency_cb, a);
			return CLEAN_R_CREDIT;
		}
		if (cs < n) {
			meta_agency_scan(s + cs, n - cs, agency_cb, a);
			return CLEAN_R_CAPTION;
		}
		size_t cc = caption_credit(s, n);
		if (cc < n) {
			meta_agency_scan(s + cc, n - cc, agency_cb, a);
			return CLEAN_R_CAPTION;
		}
	}
	if (n > NORM_MAX)
		return NULL;
	char t[NORM_MAX + 1];
	size_t k = normalise(s, n, t);
	if (k == 0)
		return CLEAN_R_BOILERPLATE;
	if (has_prefix(t, k, "source:") || has_prefix(t, k, "sources:")) {
		const char *v = memchr(s, ':', n);
		if (v)
			meta_agency_scan(v + 1, n - (size_t)(v + 1 - s),
					 agency_cb, a);
		return CLEAN_R_SOURCE;
	}
	for (size_t i = 0; i < sizeof g_credit_prefix / sizeof *g_credit_prefix;
	     i++)
		if (has_prefix(t, k, g_credit_prefix[i]))
			return CLEAN_R_CREDIT;
	for (size_t i = 0; i < sizeof g_exact / sizeof g_exact[0]; i++)
		if (g_exact[i][0] == t[0] && strlen(g_exact[i]) == k &&
		    memcmp(g_exact[i], t, k) == 0) {
			*breaking = has_prefix(t, k, "read more") ||
				    has_prefix(t, k, "related") ||
				    has_prefix(t, k, "also read") ||
				    has_prefix(t, k, "read also") ||
				    has_prefix(t, k, "see also");
			return CLEAN_R_BOILERPLATE;
		}
	if (top_n(t, k))
		return CLEAN_R_BOILERPLATE;
	if (k < 120)
		for (size_t i = 0; i < sizeof g_prefix / sizeof g_prefix[0]; i++)
			if (has_prefix(t, k, g_prefix[i]))
				return CLEAN_R_BOILERPLATE;
	if (contains(t, k, "all rights reserved"))
		return CLEAN_R_BOILERPLATE;
	if (clean_header_at(s, n, 1) == n)
		return CLEAN_R_HEADER;
	return NULL;
}

size_t clean_tail_tag(chr_article *a, const char *s, size_t n,
		      const char **reason)
{
	size_t e = n;
	while (e && is_sp(s[e - 1]))
		e--;
	if (e < 4 || s[e - 1] != ')')
		return 0;
	size_t b = e - 1;
	while (b && s[b - 1] != '(' && e - b < 48)
		b--;
	if (!b || s[b - 1] != '(')
		return 0;
	size_t open = b - 1;
	if (open == 0 || !is_sp(s[open - 1]))
		return 0;
	const char *canon = meta_agency_lookup(s + b, e - 1 - b);
	if (canon) {
		art_agency(a, canon, strlen(canon));
		*reason = CLEAN_R_TAG;
	} else if (e - 1 - b == 3 && memcmp(s + b, "END", 3) == 0) {
		*reason = CLEAN_R_MARKER;
	} else {
		return 0;
	}
	size_t cut = open;
	while (cut && is_sp(s[cut - 1]))
		cut--;
	return n - cut;
}

/* ---- headline ---- */

static const char *const g_titles[] = {
	"President", "Prime", "Minister", "Chancellor", "King", "Queen",
	"Prince", "Princess", "Pope", "Secretary", "Chairman", "Chairwoman",
	"Leader", "Governor", "Senator", "Mayor", "Ambassador", "Premier",
	"Emperor", "Vice", "Deputy", "Foreign", "Defense", "Defence",
	"General", "Gen.", "Commander", "Director", "Spokesman",
	"Spokeswoman", "Chief", "Supreme", "Crown", "Sheikh", "Sultan",
	"Emir", "Speaker", "Sen.", "Rep.", "Dr.", "Mr.", "Mrs.", "Ms.",
};

static int is_title(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof g_titles / sizeof g_titles[0]; i++)
		if (strlen(g_titles[i]) == n && memcmp(g_titles[i], s, n) == 0)
			return 1;
	return 0;
}

typedef struct date_hit {
	size_t off;
	int found;
} date_hit;

static void last_date_cb(void *ctx, const meta_date *d, size_t off)
{
	(void)d;
	date_hit *h = ctx;
	h->off = off;
	h->found = 1;
}

/* Where the caption starts in t[0..n) (text before a photo credit), or n
 * when no caption can be told apart from the headline. */
static size_t caption_start(const char *t, size_t n)
{
	date_hit h = {0, 0};
	meta_dates_scan(t, n, last_date_cb, &h);
	size_t end = n;
	int dated = 0;
	if (h.found && n - h.off <= 24) { /* the date closes the caption */
		end = h.off;
		dated = 1;
	}
	/* words before end, walking back over capitalised words and joiners */
	size_t ws[64];
	size_t nw = 0;
	size_t i = 0;
	while (i < end && nw < 64) {
		while (i < end && is_sp(t[i]))
			i++;
		if (i >= end)
			break;
		ws[nw++] = i;
		while (i < end && !is_sp(t[i]))
			i++;
	}
	if (nw < 4)
		return n;
	size_t run = nw;
	while (run > 0) {
		size_t a = ws[run - 1];
		size_t b = a;
		while (b < end && !is_sp(t[b]))
			b++;
		size_t l = b - a;
		while (l && (t[a + l - 1] == ',' || t[a + l - 1] == ';'))
			l--;
		int cap = l && (is_up(t[a]) || (unsigned char)t[a] >= 0xC3);
		int join = (l == 3 && memcmp(t + a, "and", 3) == 0) ||
			   (l == 1 && t[a] == '&') ||
			   (l == 2 && memcmp(t + a, "of", 2) == 0);
		if (!cap && !join)
			break;
		run--;
	}
	/* the caption opens with a title ("President ...", "Prime Minister
	 * ..."): first in the trailing capitalised run, else anywhere after
	 * the first three words */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t w = pass ? 3 : run; w < nw; w++) {
			size_t a = ws[w], b = a;
			while (b < end && !is_sp(t[b]))
				b++;
			if (is_title(t + a, b - a))
				return w >= 3 ? a : n;
		}
	}
	if (dated && run >= 3 && run < nw)
		return ws[run];
	return n;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (is_sp(**s) || **s == '\n' || **s == '\r')) {
		(*s)++;
		(*n)--;
	}
	while (*n && (is_sp((*s)[*n - 1]) || (*s)[*n - 1] == '\n' ||
		      (*s)[*n - 1] == '\r'))
		(*n)--;
}

const char *clean_headline(chr_article *a, const char *s, size_t n)
{
	trim(&s, &n);
	size_t h = clean_header_at(s, n, 0);
	if (h) {
		const char *r = s;
		size_t rl = h;
		trim(&r, &rl);
		art_remove(a, r, rl, CLEAN_R_HEADER);
		s += h;
		n -= h;
	} else if (clean_header_at(s, n, 1) == n) {
		art_remove(a, s, n, CLEAN_R_HEADER);
		return NULL;
	}
	for (int k = 0; k < 4; k++) {
		size_t m = clean_marker_at(s, n);
		if (!m)
			break;
		const char *r = s;
		size_t rl = m;
		trim(&r, &rl);
		art_remove(a, r, rl, CLEAN_R_MARKER);
		s += m;
		n -= m;
	}
	trim(&s, &n);
	/* a trailing marker: "... (URGENT)" */
	if (n && s[n - 1] == ')') {
		size_t b = n - 1;
		while (b && s[b] != '(' && n - b < 40)
			b--;
		if (s[b] == '(' && b > 0 && clean_marker_at(s + b, n - b) == n - b) {
			art_remove(a, s + b, n - b, CLEAN_R_MARKER);
			n = b;
			trim(&s, &n);
		}
	}
	/* a photo credit, and a caption run together with the headline */
	size_t cs = credit_start(s, n);
	if (cs < n) {
		size_t tl = cs;
		while (tl && (is_sp(s[tl - 1]) || s[tl - 1] == ','))
			tl--;
		size_t cap = caption_start(s, tl);
		if (cap < tl) {
			art_remove(a, s + cap, tl - cap, CLEAN_R_CAPTION);
			tl = cap;
			while (tl && (is_sp(s[tl - 1]) || s[tl - 1] == ','))
				tl--;
		}
		meta_agency_scan(s + cs, n - cs, agency_cb, a);
		art_remove(a, s + cs, n - cs, CLEAN_R_CREDIT);
		n = tl;
	}
	if (n == 0)
		return NULL;
	if (is_handle(s, n)) {
		art_remove(a, s, n, CLEAN_R_HANDLE);
		return NULL;
	}
	return art_strndup(a, s, n);
}
