/*
 * paragraphs: line scanning, unwrapping and broken-word repair (see
 * paragraphs.h).
 *
 * Design note: lines are recorded once as offsets (no copies); the block
 * shape (longest line) is computed in the same pass, so the whole split is
 * two linear passes over the lines plus one over the bytes.
 */
#include "paragraphs.h"

#include <string.h>

#define LINE_MODE_CHARS 100 /* longer than any hard wrap */
#define SHORT_LINE_CHARS 60

typedef struct line {
	size_t start, end;  /* content (indent and trailing space trimmed) */
	size_t chars;       /* characters in the content */
	uint32_t indent;    /* columns of leading white space */
	uint32_t block;     /* index of its block of non-blank lines */
} line;

typedef ART_VEC(line) lines;

/* Bytes that are not UTF-8 continuation bytes (10xxxxxx), eight at a
 * time: a byte's top bit survives x & ~(x << 1) exactly when it is a
 * continuation byte (bit 7 set, bit 6 clear). */
size_t clean_chars(const char *s, size_t n)
{
	size_t c = n, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t m = (x & ~(x << 1) & 0x8080808080808080ULL) >> 7;
		/* one bit per byte: a multiply sums them into the top byte
		 * (no popcount call on a baseline x86-64 build) */
		c -= (size_t)((m * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		c -= ((unsigned char)s[i] & 0xC0) == 0x80;
	return c;
}

static int is_sp(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Does the line end a sentence (or a stand-alone unit such as "(ATTN..)")? */
static int ends_sentence(const char *s, size_t a, size_t b)
{
	if (b <= a)
		return 0;
	unsigned char c = (unsigned char)s[b - 1];
	if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' ||
	    c == '"' || c == ')' || c == ']' || c == '\'')
		return 1;
	/* closing curly quotes ’ ” */
	if (b - a >= 3 && (unsigned char)s[b - 3] == 0xE2 &&
	    (unsigned char)s[b - 2] == 0x80 &&
	    (c == 0x99 || c == 0x9D))
		return 1;
	return 0;
}

/* Does the line end in an abbreviation or initial ("U.S.", "L.K.", "R.",
 * "Co.", "Mr.") rather than a sentence? */
static int abbrev_end(const char *s, size_t a, size_t b)
{
	static const char *const ab[] = {
		"Mr", "Mrs", "Ms", "Dr", "Co", "Inc", "Corp", "Ltd", "St", "Jr",
		"Sr", "Gen", "Sen", "Rep", "Gov", "No", "vs", "Jan", "Feb",
		"Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
		"Dec", "Prof", "Col", "Lt", "Capt", "Sgt", "Rev", "Mt", "Ft",
		"approx", "est", "Nos", "Bros", "Dept", "Univ",
	};
	if (b <= a || s[b - 1] != '.')
		return 0;
	size_t w = b - 1;
	while (w > a && s[w - 1] != ' ')
		w--;
	size_t len = b - 1 - w;
	if (len == 0)
		return 0;
	if (len == 1 && s[w] >= 'A' && s[w] <= 'Z')
		return 1; /* an initial */
	if (memchr(s + w, '.', len))
		return 1; /* "U.S." */
	for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++)
		if (strlen(ab[i]) == len && memcmp(ab[i], s + w, len) == 0)
			return 1;
	return 0;
}

/* Does the line start like a paragraph (capital, digit, quote, bracket)? */
static int starts_para(const char *s, size_t a, size_t b)
{
	if (a >= b)
		return 0;
	unsigned char c = (unsigned char)s[a];
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' ||
	    c == '\'' || c == '(' || c == '[' || c == '@' || c == '#')
		return 1;
	if (c == 0xE2 || c == 0xC2) /* “ ‘ • © and the like */
		return 1;
	if (c >= 0xC3) /* a letter outside ASCII: cannot tell, say yes */
		return 1;
	return 0;
}

static int bullet(const char *s, size_t a, size_t b)
{
	/* "- Item", "* Item", "• Item": a list item starts in capitals */
	size_t k = 0;
	if (b - a >= 3 && (s[a] == '-' || s[a] == '*') && s[a + 1] == ' ')
		k = 2;
	else if (b - a >= 4 && (unsigned char)s[a] == 0xE2 &&
		 (unsigned char)s[a + 1] == 0x80 &&
		 (unsigned char)s[a + 2] == 0xA2 && s[a + 3] == ' ')
		k = 4;
	return k && starts_para(s, a + k, b);
}

static size_t first_word_chars(const char *s, size_t a, size_t b)
{
	size_t i = a;
	while (i < b && !is_sp(s[i]))
		i++;
	return clean_chars(s + a, i - a);
}

/* Append line content to out with white-space runs collapsed.  The
 * result is never longer than the line, so when there is room for the
 * whole line the bytes are copied in place, in one pass; only a buffer
 * near its ceiling goes word by word (and stops where the old did).
 * In place, eight bytes are read at a time: those before the first
 * byte below 0x21 (white space, or a control byte copied as it is) are
 * copied with one store of all eight, which stays inside the room: the
 * output never runs ahead of the input (o - start + sp <= i - a, and
 * i + 8 <= b).  That byte and the last few go through the byte loop. */
static chr_status put_line(buf *out, const char *s, size_t a, size_t b)
{
	if (buf_grow(out, b - a) == CHR_OK) {
		char *o = out->p + out->len;
		int sp = 0;
		size_t i = a;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (i + 8 <= b) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			/* the top bit of each byte below 0x21; exact up to the
			 * first such byte, which is all that is read */
			uint64_t m = (x - 0x2121212121212121ULL) & ~x &
				     0x8080808080808080ULL;
			size_t k = m ? (size_t)__builtin_ctzll(m) / 8 : 8;
			if (k) {
				if (sp)
					*o++ = ' ';
				sp = 0;
				memcpy(o, &x, 8);
				o += k;
				i += k;
				if (k == 8)
					continue;
			}
			char c = s[i++];
			if (is_sp(c)) {
				sp = 1;
				continue;
			}
			if (sp)
				*o++ = ' ';
			sp = 0;
			*o++ = c;
		}
#endif
		for (; i < b; i++) {
			char c = s[i];
			if (is_sp(c)) {
				sp = 1;
				continue;
			}
			if (sp)
				*o++ = ' ';
			sp = 0;
			*o++ = c;
		}
		out->len = (size_t)(o - out->p);
		out->p[out->len] = '\0';
		return CHR_OK;
	}
	size_t i = a;
	while (i < b) {
		size_t j = i;
		while (j < b && !is_sp(s[j]))
			j++;
		chr_status st = buf_put(out, s + i, j - i);
		if (st)
			return st;
		if (j >= b)
			break;
		while (j < b && is_sp(s[j]))
			j++;
		if (j < b && (st = buf_putc(out, ' ')))
			return st;
		i = j;
	}
	return CHR_OK;
}

static chr_status scan_lines(const char *s, size_t n, arena *mem, lines *ls)
{
	size_t i = 0;
	uint32_t block = 0;
	int in_block = 0;
	while (i < n) {
		/* the line ends at the first \n or \r */
		const char *nl = memchr(s + i, '\n', n - i);
		size_t j = nl ? (size_t)(nl - s) : n;
		const char *cr = memchr(s + i, '\r', j - i);
		if (cr)
			j = (size_t)(cr - s);
		line l;
		uint32_t ind = 0;
		size_t a = i;
		while (a < j && is_sp(s[a])) {
			ind += s[a] == '\t' ? 4 : 1;
			a++;
		}
		size_t b = j;
		while (b > a && is_sp(s[b - 1]))
			b--;
		/* next line: \r\n, \n or \r */
		size_t nx = j + 1;
		if (j + 1 < n && s[j] == '\r' && s[j + 1] == '\n')
			nx = j + 2;
		if (b > a) {
			if (!in_block)
				block++;
			in_block = 1;
			l.start = a;
			l.end = b;
			l.chars = clean_chars(s + a, b - a);
			l.indent = ind;
			l.block = block;
			if (art_vec_push(mem, *ls, l))
				return CHR_ENOMEM;
		} else {
			in_block = 0;
		}
		i = nx;
	}
	return CHR_OK;
}

chr_status clean_split(const char *s, size_t n, clean_words *cw, arena *mem,
		       buf *out, clean_paras *ps)
{
	lines ls = {0};
	chr_status st = scan_lines(s, n, mem, &ls);
	if (st)
		return st;
	if (ls.n == 0)
		return CHR_OK;
	/* block shapes: longest line per block; wrap width over wrap blocks */
	size_t *bmax = arena_calloc(mem, ls.v[ls.n - 1].block + 1,
				    sizeof *bmax);
	if (!bmax)
		return CHR_ENOMEM;
	/* least indent per block: a line indented past it starts a paragraph */
	uint32_t *bmin = arena_alloc(mem, (ls.v[ls.n - 1].block + 1) *
					      sizeof *bmin);
	if (!bmin)
		return CHR_ENOMEM;
	for (size_t i = 0; i < ls.n; i++) {
		if (ls.v[i].chars > bmax[ls.v[i].block])
			bmax[ls.v[i].block] = ls.v[i].chars;
		if (i == 0 || ls.v[i].block != ls.v[i - 1].block ||
		    ls.v[i].indent < bmin[ls.v[i].block])
			bmin[ls.v[i].block] = ls.v[i].indent;
	}
	size_t width = 0;
	for (size_t i = 0; i + 1 < ls.n; i++)
		if (ls.v[i].block == ls.v[i + 1].block &&
		    bmax[ls.v[i].block] <= LINE_MODE_CHARS &&
		    ls.v[i].chars > width)
			width = ls.v[i].chars;

	clean_para p;
	memset(&p, 0, sizeof p);
	p.off = out->len;
	for (size_t i = 0; i < ls.n; i++) {
		const line *l = &ls.v[i];
		if ((st = put_line(out, s, l->start, l->end)))
			return st;
		const line *m = i + 1 < ls.n ? &ls.v[i + 1] : NULL;
		int brk = 1;
		if (m && m->block == l->block && m->indent <= l->indent &&
		    m->indent <= bmin[l->block] &&
		    !bullet(s, m->start, m->end)) {
			int sent = ends_sentence(s, l->start, l->end) &&
				   !abbrev_end(s, l->start, l->end);
			int up = starts_para(s, m->start, m->end);
			if (bmax[l->block] > LINE_MODE_CHARS) {
				brk = sent || (up && l->chars < SHORT_LINE_CHARS);
			} else {
				size_t fw = first_word_chars(s, m->start, m->end);
				/* with slack: wrappers are not exactly greedy */
				int fits = l->chars + 1 + fw + width / 8 <= width;
				/* short stand-alone lines ("Read more") too,
				 * but not a short first line before full ones */
				brk = up && fits &&
				      (sent || (l->chars * 5 < width * 2 &&
						m->chars * 5 < width * 3));
			}
		}
		if (brk) {
			p.len = out->len - p.off;
			if (p.len && art_vec_push(mem, *ps, p))
				return CHR_ENOMEM;
			p.off = out->len;
			continue;
		}
		/* join: a broken word, a hyphenated word or a plain space */
		size_t la = l->end;
		while (la > l->start && (word_byte((unsigned char)s[la - 1]) ||
					 (la == l->end && s[la - 1] == '-')))
			la--;
		size_t rb = m->start;
		while (rb < m->end && word_byte((unsigned char)s[rb]))
			rb++;
		int how = 0;
		if (la < l->end && rb > m->start &&
		    (la == l->start || !word_byte((unsigned char)s[la - 1])))
			how = clean_join_broken(cw, s + la, l->end - la,
						s + m->start, rb - m->start);
		if (how == 2)
			out->len--; /* drop the hyphen */
		else if (how == 0)
			st = buf_putc(out, ' ');
		if (st)
			return st;
		if (out->p)
			out->p[out->len] = '\0';
	}
	return CHR_OK;
}
