/*
 * agency: a small table of wire agencies and their spellings (see agency.h).
 *
 * Design note: the table is data, not code; adding an agency is one line.
 * Lookups compare lengths first (kept in the table, counted by the
 * compiler), so a scan of ~60 entries costs a few dozen integer compares
 * for the usual miss.
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

static const agency_name g_agencies[] = {
	A("Yonhap", "Yonhap"),
	A("Yonhap News", "Yonhap"),
	A("Yonhap News Agency", "Yonhap"),
	A("RT", "RT"),
	A("Russia Today", "RT"),
	A("TASS", "TASS"),
	A("ITAR-TASS", "TASS"),
	A("KCNA", "KCNA"),
	A("Korean Central News Agency", "KCNA"),
	A("AFP", "AFP"),
	A("Agence France-Presse", "AFP"),
	A("Agence France Presse", "AFP"),
	A("APP", "APP"),
	A("Associated Press of Pakistan", "APP"),
	A("Reuters", "Reuters"),
	A("Reuter", "Reuters"),
	A("Thomson Reuters", "Reuters"),
	A("AP", "AP"),
	A("Associated Press", "AP"),
	A("The Associated Press", "AP"),
	A("Sputnik", "Sputnik"),
	A("Sputnik News", "Sputnik"),
	A("Xinhua", "Xinhua"),
	A("Xinhua News Agency", "Xinhua"),
	A("RIA Novosti", "RIA Novosti"),
	A("RIA", "RIA Novosti"),
	A("Interfax", "Interfax"),
	A("Kyodo", "Kyodo"),
	A("Kyodo News", "Kyodo"),
	A("Bloomberg", "Bloomberg"),
	A("DPA", "dpa"),
	A("dpa", "dpa"),
	A("Deutsche Presse-Agentur", "dpa"),
	A("EFE", "EFE"),
	A("ANSA", "ANSA"),
	A("UPI", "UPI"),
	A("United Press International", "UPI"),
	A("PTI", "PTI"),
	A("Press Trust of India", "PTI"),
	A("ANI", "ANI"),
	A("IANS", "IANS"),
	A("Anadolu", "Anadolu"),
	A("Anadolu Agency", "Anadolu"),
	A("AA", "Anadolu"),
	A("EPA", "EPA"),
	A("Getty Images", "Getty Images"),
	A("Getty", "Getty Images"),
	A("News1", "News1"),
	A("Newsis", "Newsis"),
	A("KBS", "KBS"),
	A("NHK", "NHK"),
	A("CNA", "CNA"),
	A("Bernama", "Bernama"),
	A("Antara", "Antara"),
	A("IRNA", "IRNA"),
	A("WAM", "WAM"),
	A("SPA", "SPA"),
	A("MENA", "MENA"),
	A("PAP", "PAP"),
	A("CTK", "CTK"),
	A("BelTA", "BelTA"),
	A("Ukrinform", "Ukrinform"),
	A("UNIAN", "UNIAN"),
	A("Itar-Tass", "TASS"),
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
	for (size_t i = 0; i < sizeof g_agencies / sizeof g_agencies[0]; i++) {
		const char *nm = g_agencies[i].name;
		if (g_agencies[i].len != n || strncasecmp(nm, s, n) != 0)
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
