/*
 * sql: the text of every statement the store prepares (see sql.h).
 *
 * Design note: all statement text sits in one table indexed by enum
 * store_stmt, apart from the code that uses it, so every query the store
 * can run reads in one place and none is put together at run time: each
 * entry is a fixed string with bound parameters, built by the compiler
 * (the multi-row forms by the macros below).  store.c prepares an entry
 * the first time it is asked for and keeps it; callers name a statement
 * by its enum value, never by its text.
 */
#include "store/sql.h"

/* One event as a JSON object (the "e" row of events): its articles in
 * arrival order and its ten most mentioned entities. */
#define EV_JSON \
	"json_object('id', e.id, 'title', e.title, 'date', e.date,"          \
	" 'date_end', e.date_end, 'place', e.place, 'storyline',"            \
	" (SELECT story FROM storyline_events WHERE event = e.id),"          \
	" 'articles', json((SELECT json_group_array(x.id) FROM (SELECT a.id" \
	" FROM event_articles ea JOIN articles a ON a.rowid = ea.doc"        \
	" WHERE ea.event = e.id ORDER BY a.rowid) x)),"                     \
	" 'entities', json((SELECT json_group_array(y.name) FROM"            \
	" (SELECT en.name FROM event_entities ee JOIN entities en"           \
	" ON en.eid = ee.eid WHERE ee.event = e.id ORDER BY ee.n DESC,"      \
	" ee.eid LIMIT 10) y)))"

/* JOURNAL: a statement that may write more than one row (a multi-row
 * VALUES, an INSERT ... SELECT, a REPLACE that deletes an index entry)
 * and may abort part way (a NOT NULL or UNIQUE constraint with ABORT, as
 * under INSERT OR REPLACE or an upsert's DO UPDATE) makes SQLite open a
 * statement journal, and each page it changes is first copied there (4
 * kB, a malloc'd chunk; ~1,000 instructions a page, ~55,000 pages on
 * 2,000 stories), to undo the statement alone.  Ingest never needs that:
 * any failed statement fails the batch, whose transaction is rolled
 * back.  So its writes take a form that needs no journal where that
 * form stores the same rows: rows known not to conflict (a new
 * article's rows at distinct starts, aliases of entities with no alias
 * row yet) go in with INSERT OR FAIL, and the REPLACE and upsert forms
 * stay for the rest; a conflict the caller ruled out would be an error,
 * not a silently different row. */

/* Multi-row statements: ROW_STMTS8(k, head, row, tail) fills entries
 * k .. k + 7 with head, 1 .. 8 copies of row and tail (ROW_STMTS16: 16);
 * the rows of one statement are written in order. */
#define ROW6 "(?, ?, ?, ?, ?, ?)"
#define ROWS2(r) r ", " r
#define ROWS3(r) ROWS2(r) ", " r
#define ROWS4(r) ROWS2(r) ", " ROWS2(r)
#define ROWS8(r) ROWS4(r) ", " ROWS4(r)
#define ROW_STMTS8(k, h, r, t)                                            \
	[k] = h r t, [k + 1] = h ROWS2(r) t, [k + 2] = h ROWS3(r) t,      \
	[k + 3] = h ROWS4(r) t, [k + 4] = h ROWS4(r) ", " r t,            \
	[k + 5] = h ROWS4(r) ", " ROWS2(r) t,                             \
	[k + 6] = h ROWS4(r) ", " ROWS3(r) t, [k + 7] = h ROWS8(r) t
/* The docs with paragraph hash h, newest first: the side table's and the
 * main table's (src/store/fold.c), merged by doc. */
#define PARA_DOCS(h)                                                      \
	"SELECT doc FROM dedup_paras_new WHERE hash = " h " UNION ALL"     \
	" SELECT doc FROM dedup_paras WHERE hash = " h " ORDER BY 1 DESC"
/* The docs that mention entity e (the same, unordered). */
#define ENTITY_DOCS(e)                                                    \
	"SELECT doc FROM entity_docs WHERE eid = " e " UNION ALL"          \
	" SELECT doc FROM entity_docs_new WHERE eid = " e
/* The entities with alias a (any case; each once). */
#define ALIAS_EIDS(a)                                                     \
	"SELECT eid FROM entity_alias_keys WHERE alias = " a " UNION"      \
	" SELECT eid FROM entity_alias_keys_new WHERE alias = " a
#define ENTITY_NDOCS(e)                                                   \
	"(SELECT count(*) FROM entity_docs x WHERE x.eid = " e ") +"      \
	" (SELECT count(*) FROM entity_docs_new y WHERE y.eid = " e ")"
/* Paragraph i's newest docs (hash ?h, at most ?1), tagged i: the parts
 * of ST_DD_PARA_GETN + k - 1, each a bounded range as ST_DD_PARA_GET. */
#define PARA_Q(i, h)                                                      \
	"SELECT " #i ", doc FROM (" PARA_DOCS("?" #h) " LIMIT ?1)"
#define UA " UNION ALL "
#define PARA_Q2 PARA_Q(0, 2) UA PARA_Q(1, 3)
#define PARA_Q4 PARA_Q2 UA PARA_Q(2, 4) UA PARA_Q(3, 5)
#define ROW_STMTS16(k, h, r, t)                                           \
	ROW_STMTS8(k, h, r, t), ROW_STMTS8(k + 8, h ROWS8(r) ", ", r, t)

static const char *const sql[ST_COUNT_] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_ART_BY_HASH] = "SELECT id FROM articles WHERE hash = ?1",
	[ST_ART_ID_EXISTS] = "SELECT 1 FROM articles WHERE id = ?1",
	[ST_ART_INSERT] =
		"INSERT INTO articles (id, hash, path, line, url, source, headline,"
		" published, published_from, dateline, outlet, agencies, removed,"
		" notes, raw, text, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		" ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[ST_FTS_INSERT] =
		"INSERT INTO articles_fts (rowid, headline, text) VALUES (?1, ?2, ?3)",
	[ST_FTS_BATCH] =
		"INSERT INTO articles_fts (rowid, headline, text)"
		" SELECT rowid, headline, text FROM articles WHERE rowid >= ?1"
		" ORDER BY rowid",
	[ST_ART_GET] =
		"SELECT id, path, line, url, source, headline, published,"
		" published_from, dateline, outlet, agencies, removed, notes, raw,"
		" text FROM articles WHERE id = ?1",
	[ST_ART_LIST] =
		"SELECT id, path, line, url, source, headline, published,"
		" published_from, dateline, outlet, agencies, removed, notes, raw,"
		" text FROM articles ORDER BY id LIMIT ?1 OFFSET ?2",
	[ST_ART_COUNT] = "SELECT count(*) FROM articles",
	/* Ranked in the index alone (t), then the article row and the
	 * snippet for the page's rows only: as one join, SQLite made both
	 * for every match before sorting, so `export*` at 984k articles
	 * read ~185,000 articles' text (28.5 s from a cold cache, 0.9 s
	 * warm; now 0.9 and 0.5 s: RESULTS.md "1M (session 17").  snippet()
	 * needs a MATCH cursor on the row, hence the second, rowid-bound
	 * MATCH; CROSS JOIN keeps t outermost and in its order. */
	[ST_SEARCH] =
		"SELECT a.id, a.headline, a.published,"
		" snippet(articles_fts, 1, char(2), char(3), '…', 16), t.score"
		" FROM (SELECT rowid AS r, bm25(articles_fts, 4.0, 1.0) AS score"
		"  FROM articles_fts WHERE articles_fts MATCH ?1"
		"  ORDER BY score LIMIT ?2 OFFSET ?3) t"
		" CROSS JOIN articles_fts CROSS JOIN articles a"
		" WHERE articles_fts MATCH ?1 AND articles_fts.rowid = t.r"
		" AND a.rowid = t.r ORDER BY t.score",
	/* time expressions (src/store/timexes.c) */
	ROW_STMTS8(ST_TX_PUT,
		   "INSERT OR REPLACE INTO timexes (doc, start, end, type, value,"
		   " mod) VALUES ", ROW6, ""),
	ROW_STMTS8(ST_TX_NEW, /* (JOURNAL above) */
		   "INSERT OR FAIL INTO timexes (doc, start, end, type, value,"
		   " mod) VALUES ", ROW6, ""),
	/* entities (src/store/entities.c) */
	[ST_EN_BY_KEY] = "SELECT eid, score FROM entities WHERE key = ?1",
	[ST_EN_BY_SKEY] = /* people; first names from ?3 up to ?4 (one initial) */
		"SELECT eid, fkey FROM entities WHERE skey = ?1 AND type = 'PER'"
		" AND fkey >= ?3 AND fkey < ?4 LIMIT 50",
	[ST_EN_BY_SURNAME] =
		"SELECT eid FROM entities WHERE skey = ?1 AND type = 'PER' LIMIT 2",
	[ST_EN_INSERT] =
		"INSERT INTO entities (key, skey, fkey, name, score, type, mentions)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_EN_RENAME] = "UPDATE entities SET name = ?2, score = ?3 WHERE eid = ?1",
	[ST_EN_COUNT_UP] = "UPDATE entities SET mentions = mentions + ?2 WHERE eid = ?1",
	/* k distinct (eid, alias) pairs (STORE_ALIAS_ROWS), in order */
	ROW_STMTS8(ST_EN_ALIAS_PUT,
		   "INSERT INTO entity_aliases (eid, alias, n) VALUES ",
		   "(?, ?, ?)",
		   " ON CONFLICT (eid, alias) DO UPDATE SET n = n + excluded.n"),
	/* k pairs of entities past ST_EN_ALIAS_MAXEID: no row to add to,
	 * and no statement journal (JOURNAL above) */
	ROW_STMTS8(ST_EN_ALIAS_NEW,
		   "INSERT OR FAIL INTO entity_aliases (eid, alias, n) VALUES ",
		   "(?, ?, ?)", ""),
	[ST_EN_ALIAS_MAXEID] = "SELECT coalesce(max(eid), 0) FROM entity_aliases",
	/* the same k pairs as (alias, entity) keys, into the side table
	 * (src/store/fold.c); a pair there or folded already is kept once
	 * by each table's key */
	ROW_STMTS8(ST_EN_AKEYS_PUT,
		   "INSERT OR IGNORE INTO entity_alias_keys_new (alias, eid) VALUES ",
		   "(?, ?)", ""),
	ROW_STMTS16(ST_EN_MENTION_PUT,
		    "INSERT OR REPLACE INTO entity_mentions (doc, start, end, eid,"
		    " flags, role) VALUES ", ROW6, ""),
	/* an (entity, doc) pair a distinct entity of a new doc's mentions,
	 * into the side table (src/store/fold.c) */
	ROW_STMTS16(ST_EN_DOCS_PUT,
		    "INSERT OR IGNORE INTO entity_docs_new (eid, doc) VALUES ",
		    "(?, ?)", ""),
	ROW_STMTS16(ST_EN_MENTION_NEW, /* (JOURNAL below) */
		    "INSERT OR FAIL INTO entity_mentions (doc, start, end, eid,"
		    " flags, role) VALUES ", ROW6, ""),
	[ST_EN_CACHE_LOAD] = "SELECT eid, key, score FROM entities LIMIT ?1",
	[ST_EN_LIST] =
		"SELECT e.eid, e.name, e.type, e.mentions, " ENTITY_NDOCS("e.eid")
		" FROM entities e ORDER BY e.mentions DESC, e.name LIMIT ?1 OFFSET ?2",
	[ST_EN_LIST_TYPE] =
		"SELECT e.eid, e.name, e.type, e.mentions, " ENTITY_NDOCS("e.eid")
		" FROM entities e WHERE e.type = ?3"
		" ORDER BY e.mentions DESC, e.name LIMIT ?1 OFFSET ?2",
	[ST_EN_FIND_ALIAS] =
		"SELECT a.eid FROM (" ALIAS_EIDS("?1") ") k JOIN entity_aliases a"
		" ON a.eid = k.eid AND a.alias = ?1 COLLATE NOCASE"
		" JOIN entities e ON e.eid = a.eid"
		" ORDER BY e.name = ?1 COLLATE NOCASE DESC, a.n DESC, e.mentions DESC,"
		" a.eid LIMIT 1",
	[ST_EN_GET] =
		"SELECT eid, name, type, mentions FROM entities WHERE eid = ?1",
	[ST_EN_ALIASES] =
		"SELECT alias FROM entity_aliases WHERE eid = ?1 ORDER BY n DESC, alias",
	[ST_EN_ROLES] =
		"SELECT m.role, min(a.published), max(a.published) FROM ("
		ENTITY_DOCS("?1") ") d JOIN entity_mentions m ON m.doc = d.doc"
		" JOIN articles a ON a.rowid = d.doc WHERE m.eid = ?1"
		" AND m.role IS NOT NULL GROUP BY m.role ORDER BY min(coalesce(a.published, '9999')), m.role",
	[ST_EN_ARTICLES] =
		"SELECT DISTINCT a.id FROM (" ENTITY_DOCS("?1") ") d JOIN articles a"
		" ON a.rowid = d.doc ORDER BY a.id",
	/* facts (src/facts/store.c) */
	[ST_FA_PUT] =
		"INSERT OR REPLACE INTO facts_found (doc, n, type, status, who, who_from,"
		" with_ids, grp, with_titles, place, place_from, sent_start, sent_end,"
		" trig_start, trig_end, win_lo, win_hi, xwin_lo, xwin_hi, duration)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16, ?17, ?18, ?19, ?20)",
	[ST_FA_COUNT_PUT] =
		"INSERT OR REPLACE INTO facts_counts (doc, start, end, what, value,"
		" sent_start, sent_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_FA_EID] = "SELECT eid FROM entity_mentions WHERE doc = ?1 AND start = ?2",
	[ST_FA_ROWS] =
		"SELECT doc, n, type, status, who, who_from, with_ids, grp, with_titles,"
		" place, place_from, sent_start, sent_end, trig_start, trig_end, win_lo,"
		" win_hi, xwin_lo, xwin_hi, duration FROM facts_found ORDER BY doc, n",
	[ST_FA_DOC] =
		"SELECT a.id, a.published, a.published_from, a.text, a.headline,"
		" d.grp FROM articles a LEFT JOIN dedup_docs d ON d.doc = a.rowid"
		" WHERE a.rowid = ?1",
	[ST_FA_COUNTS] =
		"SELECT doc, start, end, what, value, sent_start, sent_end"
		" FROM facts_counts ORDER BY doc, start",
	[ST_FA_ROLES] =
		"SELECT doc, eid, role, start, end FROM entity_mentions"
		" WHERE role IS NOT NULL AND start >= 0 ORDER BY doc, start",
	[ST_FA_DOC_EIDS] = "SELECT DISTINCT eid FROM entity_mentions WHERE doc = ?1",
	[ST_FA_EN_NAME] = "SELECT name FROM entities WHERE eid = ?1",
	[ST_FA_DOCS] = "SELECT rowid FROM articles ORDER BY rowid",
	[ST_FA_FIND] =
		"SELECT e.eid FROM entities e WHERE e.name = ?1 COLLATE NOCASE"
		" UNION ALL SELECT * FROM (" ALIAS_EIDS("?1") " ORDER BY 1 LIMIT 1)"
		" LIMIT 1",
	/* dedup (src/dedup/) */
	[ST_DD_ROWID] = "SELECT rowid FROM articles WHERE id = ?1",
	[ST_DD_KEYS_SINCE] =
		"SELECT doc, keys FROM dedup_keyset WHERE doc > ?1 ORDER BY doc",
	[ST_DD_KEYS_MAX] = "SELECT coalesce(max(doc), 0) FROM dedup_keyset",
	[ST_DD_PARA_GET] = PARA_DOCS("?1") " LIMIT ?2",
	/* every paragraph hash, for dedup's filter (recent.c) */
	[ST_DD_PARA_ALL] = "SELECT hash FROM dedup_paras UNION ALL"
			   " SELECT hash FROM dedup_paras_new",
	[ST_DD_PARA_COUNT] = "SELECT (SELECT count(*) FROM dedup_paras)"
			     " + (SELECT count(*) FROM dedup_paras_new)",
	/* k paragraphs' newest docs at once, each row tagged with its
	 * paragraph (0 .. k - 1): ?1 the limit, ?2 .. ?(k + 1) the hashes */
	[ST_DD_PARA_GETN] = PARA_Q(0, 2),
	[ST_DD_PARA_GETN + 1] = PARA_Q2,
	[ST_DD_PARA_GETN + 2] = PARA_Q2 UA PARA_Q(2, 4),
	[ST_DD_PARA_GETN + 3] = PARA_Q4,
	[ST_DD_PARA_GETN + 4] = PARA_Q4 UA PARA_Q(4, 6),
	[ST_DD_PARA_GETN + 5] = PARA_Q4 UA PARA_Q(4, 6) UA PARA_Q(5, 7),
	[ST_DD_PARA_GETN + 6] =
		PARA_Q4 UA PARA_Q(4, 6) UA PARA_Q(5, 7) UA PARA_Q(6, 8),
	[ST_DD_PARA_GETN + 7] = PARA_Q4 UA PARA_Q(4, 6) UA PARA_Q(5, 7)
		UA PARA_Q(6, 8) UA PARA_Q(7, 9),
	[ST_DD_KEY_PUT] =
		"INSERT OR REPLACE INTO dedup_keyset (doc, keys) VALUES (?1, ?2)",
	/* k rows, in order (OR IGNORE keeps the first of equal rows) */
	ROW_STMTS8(ST_DD_PARA_PUT,
		   "INSERT OR IGNORE INTO dedup_paras_new (hash, doc) VALUES ",
		   "(?, ?)", ""),
	[ST_DD_DOC_GET] =
		"SELECT grp, tier, published, nwords, shingles FROM dedup_docs"
		" WHERE doc = ?1",
	/* an upsert of every column, not INSERT OR REPLACE: the same row,
	 * and no statement journal (JOURNAL above: REPLACE may delete the
	 * old row's dedup_docs_grp entry, and its NOT NULL columns abort) */
	[ST_DD_DOC_PUT] =
		"INSERT INTO dedup_docs (doc, grp, tier, published, nwords, sig,"
		" shingles) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (doc)"
		" DO UPDATE SET grp = excluded.grp, tier = excluded.tier,"
		" published = excluded.published, nwords = excluded.nwords,"
		" sig = excluded.sig, shingles = excluded.shingles",
	[ST_DD_GRP_GET] = "SELECT original, size FROM dedup_groups WHERE id = ?1",
	[ST_DD_GRP_SET] =
		"INSERT OR REPLACE INTO dedup_groups (id, original, size)"
		" VALUES (?1, ?2, ?3)",
	[ST_DD_GRP_MOVE] = "UPDATE dedup_docs SET grp = ?2 WHERE grp = ?1",
	[ST_DD_GRP_DEL] = "DELETE FROM dedup_groups WHERE id = ?1",
	[ST_DD_GROUPS] =
		"SELECT g.id, a.id FROM dedup_groups g JOIN articles a"
		" ON a.rowid = g.original WHERE g.size >= ?1 ORDER BY g.id",
	[ST_DD_MEMBERS] =
		"SELECT a.id FROM dedup_docs d JOIN articles a ON a.rowid = d.doc"
		" WHERE d.grp = ?1 ORDER BY d.doc",
	[ST_DD_OF_ARTICLE] =
		"SELECT d.doc, d.grp, a.text, g.size, o.id FROM articles a"
		" JOIN dedup_docs d ON d.doc = a.rowid"
		" JOIN dedup_groups g ON g.id = d.grp"
		" JOIN articles o ON o.rowid = g.original WHERE a.id = ?1",
	[ST_DD_PARA_OTHERS] =
		"SELECT a.id FROM (" PARA_DOCS("?1") ") p JOIN dedup_docs d"
		" ON d.doc = p.doc JOIN articles a ON a.rowid = p.doc"
		" WHERE d.grp != ?2 ORDER BY p.doc LIMIT ?3",
	/* events (src/events/ev_ingest.c, src/store/events_store.c) */
	/* min(), not ORDER BY ... LIMIT 1: the same event (NULL, read as
	 * 0, when none) without a temp b-tree per article */
	[ST_EV_GROUP_EVENT] =
		"SELECT min(ea.event) FROM dedup_docs d JOIN event_articles ea"
		" ON ea.doc = d.doc WHERE d.grp = (SELECT grp FROM dedup_docs"
		" WHERE doc = ?1) AND d.doc <> ?1",
	[ST_EV_ART_PUT] =
		"INSERT INTO event_articles (doc, event) VALUES (?1, ?2)"
		" ON CONFLICT (doc) DO NOTHING",
	[ST_EV_ART_EVENT] = "SELECT event FROM event_articles WHERE doc = ?1",
	[ST_EV_ART_MOVE] = "UPDATE event_articles SET event = ?2 WHERE doc = ?1",
	[ST_EV_ENT_ADD] =
		"INSERT INTO event_entities (event, eid, n) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (event, eid) DO UPDATE SET n = n + excluded.n",
	[ST_EV_ENT_ADDN] = /* STORE_EE_ROWS (8) distinct pairs */
		"INSERT INTO event_entities (event, eid, n) VALUES (?, ?, ?),"
		" (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?),"
		" (?, ?, ?) ON CONFLICT (event, eid) DO UPDATE SET n = n + excluded.n",
	[ST_EV_ENT_NEWN] = /* the same, of events with no row: no upsert,
			    * and no statement journal (JOURNAL above) */
		"INSERT OR FAIL INTO event_entities (event, eid, n) VALUES"
		" (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?),"
		" (?, ?, ?), (?, ?, ?)",
	[ST_EV_ENT_MAXEV] = "SELECT coalesce(max(event), 0) FROM event_entities",
	[ST_EV_ENT_SUB] = /* a doc's counts taken away; rows at 0 go */
		"UPDATE event_entities SET n = n + ?3 WHERE event = ?1 AND eid = ?2"
		" RETURNING n",
	[ST_EV_ENT_DEL] = "DELETE FROM event_entities WHERE event = ?1 AND eid = ?2",
	[ST_EV_ENT_MERGE] =
		"INSERT INTO event_entities (event, eid, n) SELECT ?2, eid, n"
		" FROM event_entities WHERE event = ?1"
		" ON CONFLICT (event, eid) DO UPDATE SET n = n + excluded.n",
	[ST_EV_ENT_DROP] = "DELETE FROM event_entities WHERE event = ?1",
	[ST_EV_DOC_COUNTS] =
		"SELECT eid, count(*) FROM entity_mentions WHERE doc = ?1"
		" GROUP BY eid ORDER BY eid",
	/* An event's place is the dateline most of its latest EV_PLACE_N (64)
	 * articles carry (ties: the earliest article): bounded, since the
	 * statement runs whenever an article joins, and reading every
	 * member's row made a long-running event cost more with each
	 * article (the events stage's time per article grew 2.4x over a
	 * 1M-article ingest; RESULTS.md, "Scale") */
	[ST_EV_PUT] =
		"INSERT INTO events (id, title, date, date_end, place, n)"
		" VALUES (?1, ?2, ?3, ?4, (SELECT dateline FROM (SELECT a.dateline,"
		" a.rowid AS r FROM event_articles ea JOIN articles a"
		" ON a.rowid = ea.doc WHERE ea.event = ?1 ORDER BY ea.doc DESC"
		" LIMIT 64) WHERE dateline <> '' GROUP BY dateline"
		" ORDER BY count(*) DESC, min(r) LIMIT 1),"
		" (SELECT count(*) FROM event_articles"
		" WHERE event = ?1)) ON CONFLICT(id) DO UPDATE SET"
		" title = excluded.title, date = excluded.date,"
		" date_end = excluded.date_end, place = excluded.place, n = excluded.n",
	[ST_EV_COUNT_UP] =
		"UPDATE events SET n = (SELECT count(*) FROM event_articles"
		" WHERE event = ?1) WHERE id = ?1",
	[ST_EV_MAXID] = "SELECT coalesce(max(id), 0) FROM events",
	[ST_EV_RECENT_DOCS] =
		"SELECT doc FROM event_articles WHERE event > ?1"
		" ORDER BY doc DESC LIMIT ?2",
	[ST_EV_DOC_GET] =
		"SELECT ea.event, a.id, a.headline, a.text, a.published, a.dateline,"
		" coalesce(d.grp, -1) FROM event_articles ea"
		" JOIN articles a ON a.rowid = ea.doc"
		" LEFT JOIN dedup_docs d ON d.doc = ea.doc WHERE ea.doc = ?1",
	[ST_EV_DOC_ENTS] =
		"SELECT e.key FROM entity_mentions m JOIN entities e ON e.eid = m.eid"
		" WHERE m.doc = ?1 ORDER BY m.start",
	[ST_EV_DOC_TIMEX] =
		"SELECT value FROM timexes WHERE doc = ?1 AND type = 'DATE'"
		" ORDER BY start",
	[ST_EV_DATE_ART] =
		"UPDATE articles SET published = ?2, published_from = 'event'"
		" WHERE rowid = ?1 AND (published IS NULL OR published = '')",
	[ST_EV_STORY_OF] = "SELECT story FROM storyline_events WHERE event = ?1",
	[ST_EV_STORY_MAX] = "SELECT coalesce(max(id), 0) FROM storylines",
	/* an upsert, not INSERT OR REPLACE: the same row (event is the
	 * rowid; no trigger), but REPLACE, which may delete the old row's
	 * index entry, made SQLite journal each page it touched (JOURNAL) */
	[ST_EV_STORY_LINK] =
		"INSERT INTO storyline_events (event, story) VALUES (?1, ?2)"
		" ON CONFLICT (event) DO UPDATE SET story = excluded.story",
	[ST_EV_STORY_PUT] =
		"INSERT INTO storylines (id, title) VALUES (?1, ?2)"
		" ON CONFLICT(id) DO UPDATE SET title = excluded.title",
	[ST_EV_STORY_GC] =
		"DELETE FROM storylines WHERE id NOT IN"
		" (SELECT story FROM storyline_events)",
	[ST_EV_LIST] =
		"SELECT " EV_JSON " FROM events e ORDER BY e.id LIMIT ?1 OFFSET ?2",
	[ST_EV_GET] = "SELECT " EV_JSON " FROM events e WHERE e.id = ?1",
	[ST_EV_STORIES] =
		"SELECT json_object('id', s.id, 'title', s.title, 'events',"
		" json((SELECT json_group_array(event) FROM (SELECT event FROM"
		" storyline_events WHERE story = s.id ORDER BY event))))"
		" FROM storylines s ORDER BY s.id",
	/* ?1's events; the first row (event 0) says the storyline exists */
	[ST_EV_STORY_EVENTS] =
		"SELECT 0 FROM storylines WHERE id = ?1 UNION ALL"
		" SELECT event FROM storyline_events WHERE story = ?1 ORDER BY 1",
	/* side tables (src/store/fold.c) */
	[ST_FOLD_COUNT] = "SELECT (SELECT count(*) FROM dedup_paras_new),"
			  " (SELECT count(*) FROM entity_docs_new),"
			  " (SELECT count(*) FROM entity_alias_keys_new),"
			  " (SELECT coalesce(max(rowid), 0) FROM articles)",
	[ST_FOLD_PARAS] = "INSERT OR IGNORE INTO dedup_paras (hash, doc)"
			  " SELECT hash, doc FROM dedup_paras_new",
	[ST_FOLD_PARAS_CLEAR] = "DELETE FROM dedup_paras_new",
	[ST_FOLD_EDOCS] = "INSERT OR IGNORE INTO entity_docs (eid, doc)"
			  " SELECT eid, doc FROM entity_docs_new",
	[ST_FOLD_EDOCS_CLEAR] = "DELETE FROM entity_docs_new",
	[ST_FOLD_AKEYS] = "INSERT OR IGNORE INTO entity_alias_keys (alias, eid)"
			  " SELECT alias, eid FROM entity_alias_keys_new",
	[ST_FOLD_AKEYS_CLEAR] = "DELETE FROM entity_alias_keys_new",
};

const char *store_sql_text(enum store_stmt k)
{
	return sql[k];
}
