/*
 * test_canon: entity resolution inside an article, on invented sentences.
 * Mentions are given as surface strings (found in order in the text) with
 * their types, as the tagger would produce them, so each resolution rule
 * is tested apart from the tagger.
 */
#include "harness.h"

#include "clean/wordlist.h"
#include "entities/canon.h"
#include "entities/entities.h"
#include "text/text.h"

typedef struct spec {
	const char *surface;
	uint8_t type;
} spec;

/* Build an article from text and resolve mentions found in order. */
static chr_article *resolve(const char *text, const spec *m, size_t n)
{
	chr_article *a = art_new();
	a->text = art_strdup(a, text);
	a->text_len = strlen(text);
	CHECK_INT(text_run(a), CHR_OK);
	uint32_t st[64], en[64];
	uint8_t ty[64];
	const char *from = a->text;
	for (size_t i = 0; i < n; i++) {
		const char *p = strstr(from, m[i].surface);
		CHECK(p != NULL);
		if (!p)
			p = a->text;
		st[i] = (uint32_t)(p - a->text);
		en[i] = st[i] + (uint32_t)strlen(m[i].surface);
		ty[i] = m[i].type;
		from = p + strlen(m[i].surface);
	}
	CHECK_INT(entities_from_spans(a, st, en, ty, n), CHR_OK);
	return a;
}

enum { PER = CHR_ENT_PER, LOC = CHR_ENT_LOC, ORG = CHR_ENT_ORG, MISC = CHR_ENT_MISC };

static void keys(void)
{
	char a[64], b[64], c[64];
	canon_key("Choe son-hui", 12, a, sizeof a);
	canon_key("Choe Son-hui", 12, b, sizeof b);
	canon_key("CHOE SON HUI", 12, c, sizeof c);
	CHECK_STR(a, "choesonhui");
	CHECK_STR(b, a);
	CHECK_STR(c, a);
	canon_key("the United Nations", 18, a, sizeof a);
	CHECK_STR(a, "unitednations");
	canon_key("U.S.", 4, a, sizeof a);
	CHECK_STR(a, "us");
	CHECK(canon_name_score("Choe Son-hui") > canon_name_score("Choe son-hui"));
	CHECK(canon_name_score("Choe Son-hui") > canon_name_score("CHOE SON-HUI"));
	CHECK(canon_name_score("Mara Velloso") > canon_name_score("Velloso"));
	CHECK_INT(canon_edit_distance("sergei", "sergey", 2), 1);
	CHECK_INT(canon_edit_distance("sergei", "sergei", 2), 0);
	CHECK(canon_edit_distance("sergei", "vladimir", 2) > 2);
}

static void alias_tables(void)
{
	int type, flags, ctx;
	CHECK_STR(canon_alias("DPRK", 4, &type, &flags, &ctx), "North Korea");
	CHECK_INT(type, LOC);
	CHECK_STR(canon_alias("N. Korea", 8, NULL, NULL, NULL), "North Korea");
	const char *dprk = "Democratic People's Republic of Korea";
	CHECK_STR(canon_alias(dprk, strlen(dprk), NULL, NULL, NULL), "North Korea");
	/* iso-codes names join the curated entry */
	CHECK_STR(canon_alias("Russian Federation", 18, NULL, NULL, NULL), "Russia");
	CHECK_STR(canon_alias("Viet Nam", 8, NULL, NULL, NULL), "Vietnam");
	CHECK_STR(canon_alias("Germany", 7, NULL, NULL, NULL), "Germany");
	CHECK_STR(canon_alias("KCNA", 4, &type, NULL, NULL), "Korean Central News Agency");
	CHECK_INT(type, ORG);
	CHECK_STR(canon_alias("Pyongyang", 9, NULL, &flags, &ctx), "North Korea");
	CHECK_INT(flags, MEN_METONYM);
	CHECK_STR(canon_alias("the North", 9, NULL, NULL, &ctx), "North Korea");
	CHECK_INT(ctx, 1);
	CHECK(canon_alias("Portsalt", 8, NULL, NULL, NULL) == NULL);
	int head;
	CHECK(canon_title_word("Minister", 8, &head) && head);
	CHECK(canon_title_word("foreign", 7, &head) && !head);
	CHECK(!canon_title_word("Russian", 7, NULL));
}

static void short_names_link(void)
{
	const spec m[] = { { "Mara Velloso", PER }, { "Tomas Brandt", PER },
			   { "Velloso", PER }, { "Brandt", PER } };
	chr_article *a = resolve(
		"Mara Velloso met Tomas Brandt in Quillan on Monday. Velloso "
		"said the talks went well. Brandt did not comment.", m, 4);
	CHECK_STR(a->mentions.v[2].name, "Mara Velloso");
	CHECK_INT(a->mentions.v[2].head, 0);
	CHECK(a->mentions.v[2].flags & MEN_LINKED);
	CHECK_STR(a->mentions.v[3].name, "Tomas Brandt");
	CHECK_STR(a->mentions.v[3].key, "tomasbrandt");
	chr_article_free(a);
}

static void surname_first_names(void)
{
	/* family name first, as in Korean names; the short form may also come
	 * before the full one */
	const spec m[] = { { "Han", PER }, { "Han Ji-won", PER }, { "Han", PER } };
	chr_article *a = resolve("Han arrived first. Later Han Ji-won spoke, and "
				 "Han left.", m, 3);
	CHECK_STR(a->mentions.v[0].name, "Han Ji-won");
	CHECK_STR(a->mentions.v[2].name, "Han Ji-won");
	chr_article_free(a);
}

/* A name written family name first is a person, whatever the tagger
 * called it, when its other words are not English words. */
static void family_name_first_is_person(void)
{
	if (!clean_dict()) {
		printf("  skip: no system word list\n");
		return;
	}
	const spec m[] = { { "Zhou Mingyuan", ORG }, { "Pak Hyon-ju", LOC },
			   { "Tran Minh Quoc", MISC }, { "Kim Corporation", ORG },
			   { "Vardo Kestrel", ORG } };
	chr_article *a = resolve("Zhou Mingyuan met Pak Hyon-ju and Tran Minh "
				 "Quoc, then visited Kim Corporation and Vardo "
				 "Kestrel.", m, 5);
	CHECK_INT(a->mentions.n, 5);
	static const uint8_t want[] = { PER, PER, PER, ORG, ORG };
	for (size_t i = 0; i < a->mentions.n && i < 5; i++)
		CHECK_INT(a->mentions.v[i].type, want[i]);
	CHECK(canon_family_name("XI", 2) && canon_family_name("choe", 4));
	CHECK(!canon_family_name("Vardo", 5));
	chr_article_free(a);
}

static void nearest_full_name_wins(void)
{
	const spec m[] = { { "Lena Ortiz", PER }, { "Paulo Ortiz", PER }, { "Ortiz", PER } };
	chr_article *a = resolve("Lena Ortiz and her brother Paulo Ortiz came. "
				 "Ortiz spoke first.", m, 3);
	CHECK_STR(a->mentions.v[2].name, "Paulo Ortiz");
	chr_article_free(a);
}

static void best_variant(void)
{
	const spec m[] = { { "Ari son-mi", PER }, { "Ari Son-mi", PER } };
	chr_article *a = resolve("Ari son-mi met officials. Ari Son-mi later said "
				 "nothing.", m, 2);
	CHECK_STR(a->mentions.v[0].name, "Ari Son-mi");
	CHECK_STR(a->mentions.v[1].name, "Ari Son-mi");
	CHECK_STR(a->mentions.v[0].key, a->mentions.v[1].key);
	chr_article_free(a);
}

static void aliases_in_text(void)
{
	const spec m[] = { { "DPRK", ORG }, { "N. Korea", LOC }, { "North", LOC } };
	chr_article *a = resolve("DPRK officials said N. Korea would attend. "
				 "Later the North refused.", m, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_STR(a->mentions.v[i].name, "North Korea");
		CHECK_INT(a->mentions.v[i].type, LOC);
	}
	chr_article_free(a);
}

static void contextual_alias_needs_target(void)
{
	const spec m[] = { { "North", LOC } };
	chr_article *a = resolve("The North won the derby on Sunday.", m, 1);
	CHECK_STR(a->mentions.v[0].name, "North");
	CHECK(!(a->mentions.v[0].flags & MEN_ALIAS));
	chr_article_free(a);
}

static void capital_for_state(void)
{
	const spec m[] = { { "Pyongyang", LOC }, { "Pyongyang", LOC }, { "Moscow", LOC } };
	chr_article *a = resolve("Pyongyang said it would respond. The team flew "
				 "to Pyongyang on Friday, and Moscow's envoy "
				 "followed.", m, 3);
	CHECK_STR(a->mentions.v[0].name, "North Korea");
	CHECK(a->mentions.v[0].flags & MEN_METONYM);
	CHECK_STR(a->mentions.v[1].name, "Pyongyang");
	CHECK(!(a->mentions.v[1].flags & MEN_METONYM));
	CHECK_STR(a->mentions.v[2].name, "Russia");
	chr_article_free(a);
}

static void roles_before(void)
{
	const spec m[] = { { "Ivan Petrenko", PER }, { "Dmitri Orlov", PER },
			   { "Mara Velloso", PER }, { "Tomas Brandt", PER } };
	chr_article *a = resolve(
		"Russian First Deputy Foreign Minister Ivan Petrenko met Kremlin "
		"spokesman Dmitri Orlov and Valdorian Foreign Minister Mara "
		"Velloso. Tomas Brandt was there.", m, 4);
	CHECK_STR(a->mentions.v[0].role, "First Deputy Foreign Minister");
	CHECK_STR(a->mentions.v[1].role, "Spokesman");
	CHECK_STR(a->mentions.v[2].role, "Foreign Minister");
	CHECK(a->mentions.v[3].role == NULL);
	chr_article_free(a);
}

static void roles_possessive_and_apposition(void)
{
	const spec m[] = { { "Valdoria", LOC }, { "Mara Velloso", PER },
			   { "Tomas Brandt", PER }, { "Quillan", LOC } };
	chr_article *a = resolve(
		"Valdoria's Prime Minister Mara Velloso hosted Tomas Brandt, "
		"Quillan's trade minister, on Monday.", m, 4);
	CHECK_STR(a->mentions.v[1].role, "Prime Minister");
	CHECK_STR(a->mentions.v[2].role, "Trade Minister");
	chr_article_free(a);
}

static void no_role_without_head(void)
{
	const spec m[] = { { "Ella Marsh", PER } };
	chr_article *a = resolve("Senior Foreign Ella Marsh said so.", m, 1);
	CHECK(a->mentions.v[0].role == NULL);
	chr_article_free(a);
}

/* Mentions of src's tokens as entities_run found them at first: each
 * token copied to a C string and tagged through the public API. */
static void ref_tag(chr_article *a, const chr_ner *m, const char *src,
		    const art_token *t, size_t n, uint8_t flags)
{
	const char **tok = calloc(n ? n : 1, sizeof *tok);
	unsigned char *ss = calloc(n ? n : 1, 1);
	uint8_t *tags = malloc(n);
	CHECK(tok && ss && tags);
	if (!tok || !ss || !tags)
		goto out;
	for (size_t i = 0; i < n; i++) {
		tok[i] = art_strndup(a, src + t[i].start, t[i].end - t[i].start);
		ss[i] = (t[i].flags & TOK_SENT_START) != 0 || i == 0;
	}
	CHECK_INT(chr_ner_tag_tokens(m, tok, ss, n, tags), CHR_OK);
	for (size_t i = 0; i < n;) {
		if (!tags[i]) {
			i++;
			continue;
		}
		uint8_t type = (uint8_t)((tags[i] + 1) / 2);
		size_t j = i + 1;
		while (j < n && tags[j] == 2 * type && !ss[j])
			j++;
		art_mention x;
		memset(&x, 0, sizeof x);
		x.start = t[i].start;
		x.end = t[j - 1].end;
		x.type = type;
		x.flags = flags;
		CHECK_INT(art_vec_push(&a->mem, a->mentions, x), 0);
		i = j;
	}
out:
	free(tok);
	free(ss);
	free(tags);
}

/* entities_run (tokens read in place, a short headline tokenized once)
 * finds the mentions of the stage as first written, on a body and on
 * headlines under and over the 64 tokens it tokenizes on the stack. */
static void run_matches_copies(void)
{
	chr_ner *m = NULL;
	if (chr_ner_load(NULL, &m) != CHR_OK)
		SKIP("models/ner.bin not found");
	const char *body = "German Chancellor Angela Merkel met officials of "
			   "the European Union in Paris on Monday. The Bank "
			   "of England said Reuters reported it. Merkel left "
			   "for Berlin.";
	char longhl[2048];
	size_t o = 0;
	for (int k = 0; k < 30; k++)
		o += (size_t)snprintf(longhl + o, sizeof longhl - o,
				      "Merkel meets Putin in %s ; ",
				      k % 2 ? "Moscow" : "Berlin");
	const char *heads[] = {"Merkel meets Putin in Moscow", longhl};
	for (int h = 0; h < 2; h++) {
		chr_article *a = art_new(), *b = art_new();
		a->text = art_strdup(a, body);
		a->text_len = strlen(body);
		a->headline = art_strdup(a, heads[h]);
		b->text = art_strdup(b, body);
		b->text_len = strlen(body);
		b->headline = art_strdup(b, heads[h]);
		CHECK_INT(text_run(a), CHR_OK);
		CHECK_INT(text_run(b), CHR_OK);
		CHECK_INT(entities_run(a), CHR_OK);
		ref_tag(b, m, b->text, b->toks.v, b->toks.n, 0);
		size_t hl = strlen(b->headline);
		size_t nt = text_tokenize(b->headline, hl, NULL, 0);
		CHECK(h ? nt > 64 : nt <= 64);
		art_token *htok = malloc(nt * sizeof *htok);
		CHECK(htok != NULL);
		if (htok) {
			text_tokenize(b->headline, hl, htok, nt);
			ref_tag(b, m, b->headline, htok, nt, MEN_HEADLINE);
		}
		free(htok);
		CHECK_INT(canon_resolve(b), CHR_OK);
		CHECK(a->mentions.n > 2);
		CHECK_INT(a->mentions.n, b->mentions.n);
		for (size_t i = 0; i < a->mentions.n && i < b->mentions.n; i++) {
			const art_mention *x = &a->mentions.v[i], *y = &b->mentions.v[i];
			CHECK(x->start == y->start && x->end == y->end &&
			      x->type == y->type && x->flags == y->flags &&
			      x->head == y->head);
		}
		chr_article_free(a);
		chr_article_free(b);
	}
	chr_ner_free(m);
}

static const th_test tests[] = {
	TEST(keys), TEST(alias_tables), TEST(short_names_link),
	TEST(surname_first_names), TEST(family_name_first_is_person),
	TEST(nearest_full_name_wins),
	TEST(best_variant), TEST(aliases_in_text),
	TEST(contextual_alias_needs_target), TEST(capital_for_state),
	TEST(roles_before), TEST(roles_possessive_and_apposition),
	TEST(no_role_without_head), TEST(run_matches_copies),
};
TH_MAIN("canon", tests)
