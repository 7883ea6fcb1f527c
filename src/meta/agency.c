/*
 * agency: a small table of wire agencies and their spellings (see agency.h).
 *
 * Design note: the table is data, not code; adding an agency is one line
 * (in its place by length).  Lookups find the input's length by binary
 * search over the lengths (kept in the table, counted by the compiler)
 * and compare only the names of that length, so the usual miss costs a
 * handful of integer compares, not one per entry.
 */
#include "agency.h"

#include <string.h>
#include <strings.h>

typedef struct agency_name {
	const char *name;  /* as written */
	const char *canon; /* canonical */
	size_t len;        /* strlen(name) */
} agency_name;

#define A(name, canon) { name, canon, sizeof name - 1 }

/* Sorted by length (a stable sort of the list as it was: names of one
 * length keep their order, and only names of the input's length can
 * match it), so a lookup finds its length by binary search and compares
 * only those names; meta_agency_table_ok checks the order. */
static const agency_name g_agencies[] = {
	A("RT", "RT"),
	A("AP", "AP"),
	A("AA", "Anadolu"),
	A("AFP", "AFP"),
	A("APP", "APP"),
	A("RIA", "RIA Novosti"),
	A("DPA", "dpa"),
	A("dpa", "dpa"),
	A("EFE", "EFE"),
	A("UPI", "UPI"),
	A("PTI", "PTI"),
	A("ANI", "ANI"),
	A("EPA", "EPA"),
	A("KBS", "KBS"),
	A("NHK", "NHK"),
	A("CNA", "CNA"),
	A("WAM", "WAM"),
	A("SPA", "SPA"),
	A("PAP", "PAP"),
	A("CTK", "CTK"),
	A("TASS", "TASS"),
	A("KCNA", "KCNA"),
	A("ANSA", "ANSA"),
	A("IANS", "IANS"),
	A("IRNA", "IRNA"),
	A("MENA", "MENA"),
	A("Kyodo", "Kyodo"),
	A("Getty", "Getty Images"),
	A("News1", "News1"),
	A("BelTA", "BelTA"),
	A("UNIAN", "UNIAN"),
	A("Yonhap", "Yonhap"),
	A("Reuter", "Reuters"),
	A("Xinhua", "Xinhua"),
	A("Newsis", "Newsis"),
	A("Antara", "Antara"),
	A("Reuters", "Reuters"),
	A("Sputnik", "Sputnik"),
	A("Anadolu", "Anadolu"),
	A("Bernama", "Bernama"),
	A("Interfax", "Interfax"),
	A("ITAR-TASS", "TASS"),
	A("Bloomberg", "Bloomberg"),
	A("Ukrinform", "Ukrinform"),
	A("Itar-Tass", "TASS"),
	A("Kyodo News", "Kyodo"),
	A("Yonhap News", "Yonhap"),
	A("RIA Novosti", "RIA Novosti"),
	A("Russia Today", "RT"),
	A("Sputnik News", "Sputnik"),
	A("Getty Images", "Getty Images"),
	A("Anadolu Agency", "Anadolu"),
	A("Thomson Reuters", "Reuters"),
	A("Associated Press", "AP"),
	A("Yonhap News Agency", "Yonhap"),
	A("Xinhua News Agency", "Xinhua"),
	A("Agence France-Presse", "AFP"),
	A("Agence France Presse", "AFP"),
	A("The Associated Press", "AP"),
	A("Press Trust of India", "PTI"),
	A("Deutsche Presse-Agentur", "dpa"),
	A("Korean Central News Agency", "KCNA"),
	A("United Press International", "UPI"),
	A("Associated Press of Pakistan", "APP"),
};

static void trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
		      (*s)[*n - 1] == '.'))
		(*n)--;
}

const char *meta_agency_lookup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	trim(&s, &n);
	if (n == 0 || n > 40)
		return NULL;
	const size_t na = sizeof g_agencies / sizeof g_agencies[0];
	size_t lo = 0, hi = na; /* the first name of n bytes or more */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g_agencies[mid].len < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < na && g_agencies[i].len == n; i++) {
		const char *nm = g_agencies[i].name;
		if (strncasecmp(nm, s, n) != 0)
			continue;
		/* Short acronyms must be written in capitals ("AP", not "ap"). */
		if (n <= 4) {
			size_t k;
			for (k = 0; k < n && !(s[k] >= 'a' && s[k] <= 'z' &&
					      nm[k] >= 'A' && nm[k] <= 'Z');
			     k++)
				;
			if (k < n)
				continue;
		}
		return g_agencies[i].canon;
	}
	return NULL;
}

int meta_agency_table_ok(void)
{
	const size_t na = sizeof g_agencies / sizeof g_agencies[0];
	for (size_t i = 0; i < na; i++)
		if (g_agencies[i].len != strlen(g_agencies[i].name) ||
		    (i && g_agencies[i].len < g_agencies[i - 1].len))
			return 0;
	return 1;
}

static int is_sep(char c, int with_comma)
{
	return c == '-' || c == '/' || (with_comma && (c == ',' || c == ';'));
}

static int scan(const char *s, size_t n, int with_comma,
		void (*fn)(void *ctx, const char *canon), void *ctx,
		int *pieces)
{
	int found = 0;
	size_t i = 0;
	*pieces = 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && !is_sep(s[j], with_comma))
			j++;
		/* "ITAR-TASS" is one name: try the piece joined with the next. */
		const char *canon = NULL;
		if (j < n && s[j] == '-') {
			size_t k = j + 1;
			while (k < n && !is_sep(s[k], with_comma))
				k++;
			canon = meta_agency_lookup(s + i, k - i);
			if (canon)
				j = k;
		}
		if (!canon)
			canon = meta_agency_lookup(s + i, j - i);
		(*pieces)++;
		if (canon) {
			found++;
			if (fn)
				fn(ctx, canon);
		}
		i = j + 1;
	}
	return found;
}

int meta_agency_scan(const char *s, size_t n,
		     void (*fn)(void *ctx, const char *canon), void *ctx)
{
	int pieces;
	return scan(s, n, 1, fn, ctx, &pieces);
}

int meta_agency_all(const char *s, size_t n)
{
	int pieces;
	if (n == 0 || n > 60)
		return 0;
	int found = scan(s, n, 0, NULL, NULL, &pieces);
	return found > 0 && found == pieces;
}
