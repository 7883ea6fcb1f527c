/*
 * agency: a small table of wire agencies and their spellings (see agency.h).
 *
 * Design note: the table is data, not code; adding an agency is one line.
 * Lookups compare lengths first, so a scan of ~60 entries costs a few
 * dozen integer compares for the usual miss.
 */
#include "agency.h"

#include <string.h>
#include <strings.h>

typedef struct agency_name {
	const char *name;  /* as written */
	const char *canon; /* canonical */
} agency_name;

static const agency_name g_agencies[] = {
	{"Yonhap", "Yonhap"},
	{"Yonhap News", "Yonhap"},
	{"Yonhap News Agency", "Yonhap"},
	{"RT", "RT"},
	{"Russia Today", "RT"},
	{"TASS", "TASS"},
	{"ITAR-TASS", "TASS"},
	{"KCNA", "KCNA"},
	{"Korean Central News Agency", "KCNA"},
	{"AFP", "AFP"},
	{"Agence France-Presse", "AFP"},
	{"Agence France Presse", "AFP"},
	{"APP", "APP"},
	{"Associated Press of Pakistan", "APP"},
	{"Reuters", "Reuters"},
	{"Reuter", "Reuters"},
	{"Thomson Reuters", "Reuters"},
	{"AP", "AP"},
	{"Associated Press", "AP"},
	{"The Associated Press", "AP"},
	{"Sputnik", "Sputnik"},
	{"Sputnik News", "Sputnik"},
	{"Xinhua", "Xinhua"},
	{"Xinhua News Agency", "Xinhua"},
	{"RIA Novosti", "RIA Novosti"},
	{"RIA", "RIA Novosti"},
	{"Interfax", "Interfax"},
	{"Kyodo", "Kyodo"},
	{"Kyodo News", "Kyodo"},
	{"Bloomberg", "Bloomberg"},
	{"DPA", "dpa"},
	{"dpa", "dpa"},
	{"Deutsche Presse-Agentur", "dpa"},
	{"EFE", "EFE"},
	{"ANSA", "ANSA"},
	{"UPI", "UPI"},
	{"United Press International", "UPI"},
	{"PTI", "PTI"},
	{"Press Trust of India", "PTI"},
	{"ANI", "ANI"},
	{"IANS", "IANS"},
	{"Anadolu", "Anadolu"},
	{"Anadolu Agency", "Anadolu"},
	{"AA", "Anadolu"},
	{"EPA", "EPA"},
	{"Getty Images", "Getty Images"},
	{"Getty", "Getty Images"},
	{"News1", "News1"},
	{"Newsis", "Newsis"},
	{"KBS", "KBS"},
	{"NHK", "NHK"},
	{"CNA", "CNA"},
	{"Bernama", "Bernama"},
	{"Antara", "Antara"},
	{"IRNA", "IRNA"},
	{"WAM", "WAM"},
	{"SPA", "SPA"},
	{"MENA", "MENA"},
	{"PAP", "PAP"},
	{"CTK", "CTK"},
	{"BelTA", "BelTA"},
	{"Ukrinform", "Ukrinform"},
	{"UNIAN", "UNIAN"},
	{"Itar-Tass", "TASS"},
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
		size_t len = strlen(nm);
		if (len != n || strncasecmp(nm, s, n) != 0)
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
