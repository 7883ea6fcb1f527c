/*
 * store: opening, pragmas, schema migrations and statement cache (see
 * store.h).
 */
#include "store.h"
#include "core/lasterr.h"
#include "store/ckpt.h"
#include "store/fold.h"
#include "store/fts_tok.h"
#include "store/walbuf.h"
#include "pipeline/profile.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trigger bodies for event_entities (migration 7 -> 8): add doc's
 * mention counts to event ev, or take them away (rows that reach 0 go). */
#define EVENT_ENTITIES_ADD(ev, doc)                                        \
	"INSERT INTO event_entities (event, eid, n) SELECT " ev ", eid,"   \
	" count(*) FROM entity_mentions WHERE doc = " doc " GROUP BY eid"  \
	" ON CONFLICT (event, eid) DO UPDATE SET n = n + excluded.n;"
#define EVENT_ENTITIES_SUB(ev, doc)                                        \
	"UPDATE event_entities SET n = n - (SELECT count(*) FROM"          \
	" entity_mentions m WHERE m.doc = " doc " AND m.eid ="             \
	" event_entities.eid) WHERE event = " ev " AND eid IN (SELECT eid" \
	" FROM entity_mentions WHERE doc = " doc ");"                      \
	"DELETE FROM event_entities WHERE event = " ev " AND n <= 0;"

/* Migrations in order; migration i brings the schema from version i to
 * i + 1.  Never edit a released entry: add a new one. */
static const char *const migrations[] = {
	/* 0 -> 1: articles and full-text search */
	"CREATE TABLE articles ("
	"  rowid INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  hash INTEGER NOT NULL UNIQUE,"
	"  path TEXT, line INTEGER, url TEXT, source TEXT,"
	"  headline TEXT NOT NULL,"
	"  published TEXT, published_from TEXT,"
	"  dateline TEXT, outlet TEXT,"
	"  agencies TEXT NOT NULL DEFAULT '[]',"
	"  removed TEXT NOT NULL DEFAULT '[]',"
	"  notes TEXT NOT NULL DEFAULT '[]',"
	"  raw TEXT NOT NULL, text TEXT NOT NULL,"
	"  ingested_at INTEGER NOT NULL);"
	"CREATE INDEX articles_published ON articles(published);"
	"CREATE VIRTUAL TABLE articles_fts USING fts5("
	"  headline, text, content='articles', content_rowid='rowid',"
	"  tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO articles_fts(articles_fts, rank) VALUES('pgsz', 4050);"
	"INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 8);",
	/* 1 -> 2: dedup (src/dedup/dbidx.c): per-article signature and
	 * shingle set, syndication groups, LSH/anchor keys, paragraph hashes */
	"CREATE TABLE dedup_docs ("
	"  doc INTEGER PRIMARY KEY," /* articles.rowid */
	"  grp INTEGER NOT NULL, tier INTEGER NOT NULL, published TEXT,"
	"  nwords INTEGER NOT NULL, sig BLOB NOT NULL, shingles BLOB NOT NULL);"
	"CREATE INDEX dedup_docs_grp ON dedup_docs(grp);"
	"CREATE TABLE dedup_groups (id INTEGER PRIMARY KEY,"
	"  original INTEGER NOT NULL, size INTEGER NOT NULL);"
	"CREATE TABLE dedup_lsh (key INTEGER NOT NULL, doc INTEGER NOT NULL,"
	"  PRIMARY KEY (key, doc)) WITHOUT ROWID;"
	"CREATE TABLE dedup_paras (hash INTEGER NOT NULL, doc INTEGER NOT NULL,"
	"  PRIMARY KEY (hash, doc)) WITHOUT ROWID;",
	/* 2 -> 3: entities (src/store/entities.c): canonical entities, the surface
	 * forms seen for each, and every mention with its role */
	"CREATE TABLE entities ("
	"  eid INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
	"  skey TEXT, fkey TEXT, name TEXT NOT NULL, score INTEGER NOT NULL,"
	"  type TEXT NOT NULL, mentions INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX entities_skey ON entities(skey, type);"
	"CREATE INDEX entities_mentions ON entities(mentions);"
	"CREATE TABLE entity_aliases (eid INTEGER NOT NULL, alias TEXT NOT NULL,"
	"  n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (eid, alias)) WITHOUT ROWID;"
	"CREATE INDEX entity_aliases_alias ON entity_aliases(alias COLLATE NOCASE);"
	"CREATE TABLE entity_mentions (doc INTEGER NOT NULL, start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL, eid INTEGER NOT NULL, flags INTEGER NOT NULL,"
	"  role TEXT, PRIMARY KEY (doc, start)) WITHOUT ROWID;"
	"CREATE INDEX entity_mentions_eid ON entity_mentions(eid, doc);",
	/* 3 -> 4: time expressions per article (src/store/timexes.c) */
	"CREATE TABLE timexes (doc INTEGER NOT NULL, start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,"
	"  mod TEXT, PRIMARY KEY (doc, start)) WITHOUT ROWID;"
	"CREATE INDEX timexes_value ON timexes(value);",
	/* 4 -> 5: facts (src/facts/store.c): the facts found in each article
	 * (participants as entity ids, the clause window their date is read
	 * from, so a date learned later re-dates them) and counted numbers */
	"CREATE TABLE facts_found (doc INTEGER NOT NULL, n INTEGER NOT NULL,"
	"  type INTEGER NOT NULL, status INTEGER NOT NULL, who INTEGER,"
	"  who_from INTEGER NOT NULL, with_ids TEXT NOT NULL, grp TEXT,"
	"  with_titles TEXT, place TEXT, place_from INTEGER NOT NULL,"
	"  sent_start INTEGER NOT NULL, sent_end INTEGER NOT NULL,"
	"  trig_start INTEGER NOT NULL, trig_end INTEGER NOT NULL,"
	"  win_lo INTEGER NOT NULL, win_hi INTEGER NOT NULL,"
	"  xwin_lo INTEGER NOT NULL, xwin_hi INTEGER NOT NULL, duration TEXT,"
	"  PRIMARY KEY (doc, n)) WITHOUT ROWID;"
	"CREATE INDEX facts_found_who ON facts_found(who);"
	"CREATE TABLE facts_counts (doc INTEGER NOT NULL, start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL, what TEXT NOT NULL, value INTEGER NOT NULL,"
	"  sent_start INTEGER NOT NULL, sent_end INTEGER NOT NULL,"
	"  PRIMARY KEY (doc, start)) WITHOUT ROWID;",
	/* 5 -> 6: events (src/events/ev_ingest.c, src/store/events_store.c):
	 * each stored article's event (ids stable, arrival order), the
	 * event's span and place, and storylines linking events */
	"CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
	"  date TEXT, date_end TEXT, place TEXT, n INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX events_date ON events(date);"
	"CREATE TABLE event_articles (doc INTEGER PRIMARY KEY,"
	"  event INTEGER NOT NULL);"
	"CREATE INDEX event_articles_event ON event_articles(event, doc);"
	"CREATE TABLE storylines (id INTEGER PRIMARY KEY, title TEXT NOT NULL);"
	"CREATE TABLE storyline_events (event INTEGER PRIMARY KEY,"
	"  story INTEGER NOT NULL);"
	"CREATE INDEX storyline_events_story ON storyline_events(story, event);",
	/* 6 -> 7: dedup's band and anchor keys filed by doc, not by key, so
	 * an insert appends (src/dedup/recent.c keeps the key -> docs lists
	 * of recent docs in memory); the rows are carried over */
	"CREATE TABLE dedup_keys (doc INTEGER NOT NULL, key INTEGER NOT NULL,"
	"  PRIMARY KEY (doc, key)) WITHOUT ROWID;"
	"INSERT INTO dedup_keys (doc, key) SELECT doc, key FROM dedup_lsh"
	"  ORDER BY doc, key;"
	"DROP TABLE dedup_lsh;",
	/* 7 -> 8: how often each entity is mentioned in each event, kept by
	 * triggers on event_articles (an article joining, moving on a merge,
	 * leaving), so listing events reads an event's top entities from its
	 * own rows instead of joining every mention of every article (a big
	 * event has thousands).  Mentions are stored before an article is
	 * placed (src/pipeline/ingest.c), and INSERT OR REPLACE's implicit
	 * delete fires no trigger, so the BEFORE INSERT one takes the old
	 * row's counts away first. */
	"CREATE TABLE event_entities (event INTEGER NOT NULL,"
	"  eid INTEGER NOT NULL, n INTEGER NOT NULL,"
	"  PRIMARY KEY (event, eid)) WITHOUT ROWID;"
	"INSERT INTO event_entities (event, eid, n) SELECT ea.event, m.eid,"
	"  count(*) FROM event_articles ea JOIN entity_mentions m"
	"  ON m.doc = ea.doc GROUP BY ea.event, m.eid;"
	"CREATE TRIGGER event_entities_replace BEFORE INSERT ON event_articles"
	"  WHEN EXISTS (SELECT 1 FROM event_articles WHERE doc = NEW.doc)"
	"  BEGIN " EVENT_ENTITIES_SUB(
		"(SELECT event FROM event_articles WHERE doc = NEW.doc)",
		"NEW.doc") " END;"
	"CREATE TRIGGER event_entities_add AFTER INSERT ON event_articles"
	"  BEGIN " EVENT_ENTITIES_ADD("NEW.event", "NEW.doc") " END;"
	"CREATE TRIGGER event_entities_move AFTER UPDATE OF event, doc"
	"  ON event_articles BEGIN "
	EVENT_ENTITIES_SUB("OLD.event", "OLD.doc")
	EVENT_ENTITIES_ADD("NEW.event", "NEW.doc") " END;"
	"CREATE TRIGGER event_entities_del AFTER DELETE ON event_articles"
	"  BEGIN " EVENT_ENTITIES_SUB("OLD.event", "OLD.doc") " END;",
	/* 8 -> 9: a doc's band and anchor keys in one row (16 hex digits a
	 * key, src/dedup/recent.c), not one row a key: the ~35 inserts per
	 * article were two thirds of dedup's store-thread time, and nothing
	 * reads the keys but the in-memory lists' rebuild, by doc */
	"CREATE TABLE dedup_keyset (doc INTEGER PRIMARY KEY, keys TEXT NOT NULL);"
	"INSERT INTO dedup_keyset (doc, keys) SELECT doc,"
	"  group_concat(printf('%016x', key), '') FROM"
	"  (SELECT doc, key FROM dedup_keys ORDER BY doc, key) GROUP BY doc;"
	"DROP TABLE dedup_keys;",
	/* 9 -> 10: the surname index covers the first-name key, so the
	 * transliteration match (src/store/entities.c) reads only index
	 * entries, and only those of people with the same surname and
	 * initial: with (skey, type) alone it read up to 50 table rows at
	 * random per new person, and a common surname has that many once
	 * the store holds a million articles */
	("DROP INDEX entities_skey;"
	 "CREATE INDEX entities_skey ON entities(skey, type, fkey);"),
	/* 10 -> 11: two indexes no statement reads (time expressions are
	 * read by doc, facts in (doc, n) order), each a random-key insert
	 * per row on the store thread: timexes by value, facts by who */
	("DROP INDEX IF EXISTS timexes_value;"
	 "DROP INDEX IF EXISTS facts_found_who;"),
	/* 11 -> 12: the surname index holds people only: both statements
	 * that read it ask for type 'PER' (ST_EN_BY_SKEY, ST_EN_BY_SURNAME),
	 * and five entities in six are not people, an insert each for
	 * nothing.  Same order within a surname (first-name key, rowid), so
	 * the same rows under the LIMITs. */
	("DROP INDEX IF EXISTS entities_skey;"
	 "CREATE INDEX entities_skey ON entities(skey, fkey)"
	 " WHERE type = 'PER';"),
	/* 12 -> 13: an article joining an event adds its mention counts to
	 * event_entities from C (src/events/ev_ingest.c sums a batch's
	 * (event, entity) pairs and writes each once, store_ev_ents_add),
	 * not by the insert triggers, which read the article's mention rows
	 * back with a GROUP BY and made an upsert per entity per article
	 * (126 M of the store thread's instructions on 2,000 stories).  A
	 * merge moves the merged event's rows over (one upsert a row, not
	 * the move trigger's read-back per article), and a doc that already
	 * had an event row has its counts taken from the old event by the
	 * stage.  The delete trigger stays.  A plain INSERT or UPDATE of
	 * event_articles no longer counts: its writer must. */
	("DROP TRIGGER IF EXISTS event_entities_replace;"
	 "DROP TRIGGER IF EXISTS event_entities_add;"
	 "DROP TRIGGER IF EXISTS event_entities_move;"),
	/* 13 -> 14: FTS5 keeps up to 16 MB of pending terms, not 1 MB,
	 * before it writes them out as a segment: a batch's articles are
	 * indexed in one statement (fts_catch_up), and with 1 MB a Reuters
	 * batch of 1,024 became two or three level-0 segments, each
	 * writing its own copy of the common terms and then merged
	 * (automerge) with the rest.  One segment a batch: indexing all
	 * 18,880 Reuters articles 2,880 M -> 2,713 M instructions.  Which
	 * segment holds a posting changes nothing FTS5 answers (rowid
	 * order, bm25's counts), so search results are the same. */
	"INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 16777216);",
	/* 14 -> 15: no statement reads events by date (the listing and the
	 * event page go by id, the stage writes by id), and the index was a
	 * random-key write whenever the stage wrote an event whose first
	 * day it had moved */
	"DROP INDEX IF EXISTS events_date;",
	/* 15 -> 16: a doc's dedup keys as one blob of 8 bytes a key (most
	 * significant first: the bytes of its 16 hex digits, so in the same
	 * order), not hex text (src/dedup/recent.c): half the bytes to
	 * write, and no digits to parse when the lists are built.  A row
	 * that is not hex (a damaged one) stays as it is, to be reported as
	 * before when read (chr_unhex below).  The column keeps its declared
	 * type: TEXT affinity stores a blob as a blob, and a new table and
	 * a rename cost every new store 4.7 M instructions at creation. */
	"UPDATE dedup_keyset SET keys = chr_unhex(keys);",
	/* 16 -> 17: the two random-key indexes a commit rewrote most of
	 * once the store is big (paragraph hash -> doc, entity -> doc) take
	 * new rows in small side tables, folded into the main ones in key
	 * order every STORE_FOLD_ROWS rows (src/store/fold.c).  An entity's
	 * docs move from the mention table's index to a table of their own,
	 * one row a (entity, doc), not one a mention.  (Written to run
	 * again on a store that has the tables: it leaves every row in the
	 * main tables.) */
	"CREATE TABLE IF NOT EXISTS dedup_paras_new (hash INTEGER NOT NULL,"
	"  doc INTEGER NOT NULL, PRIMARY KEY (hash, doc)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS entity_docs (eid INTEGER NOT NULL,"
	"  doc INTEGER NOT NULL, PRIMARY KEY (eid, doc)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS entity_docs_new (eid INTEGER NOT NULL,"
	"  doc INTEGER NOT NULL, PRIMARY KEY (eid, doc)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO entity_docs (eid, doc) SELECT DISTINCT eid, doc"
	"  FROM entity_mentions ORDER BY eid, doc;"
	"DELETE FROM entity_docs_new;"
	"INSERT OR IGNORE INTO dedup_paras SELECT hash, doc FROM dedup_paras_new;"
	"DELETE FROM dedup_paras_new;"
	"DROP INDEX IF EXISTS entity_mentions_eid;",
	/* 17 -> 18: the alias index (alias COLLATE NOCASE), read only by
	 * the queries that find an entity by a name, was then the index a
	 * commit rewrote most (a page a new alias: ~4,300 of ~29,000 pages a
	 * commit at 1M).  Its entries move to a table of (alias, entity)
	 * pairs, written through a side table folded as the others
	 * (src/store/fold.c): the commit's flush of alias counts
	 * (entcache.c) puts each pair it writes there too.  (An insert
	 * trigger on entity_aliases did the same for new pairs only, at
	 * ~27,000 instructions a row: +5 % of all on 2,000 stories.) */
	"CREATE TABLE IF NOT EXISTS entity_alias_keys (alias TEXT NOT NULL"
	"  COLLATE NOCASE, eid INTEGER NOT NULL, PRIMARY KEY (alias, eid))"
	"  WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS entity_alias_keys_new (alias TEXT NOT NULL"
	"  COLLATE NOCASE, eid INTEGER NOT NULL, PRIMARY KEY (alias, eid))"
	"  WITHOUT ROWID;"
	"INSERT OR IGNORE INTO entity_alias_keys (alias, eid) SELECT alias, eid"
	"  FROM entity_aliases ORDER BY alias COLLATE NOCASE, eid;"
	"DELETE FROM entity_alias_keys_new;"
	"DROP INDEX IF EXISTS entity_aliases_alias;",
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

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
	[ST_SEARCH] =
		"SELECT a.id, a.headline, a.published,"
		" snippet(articles_fts, 1, char(2), char(3), '…', 16),"
		" bm25(articles_fts, 4.0, 1.0) AS score"
		" FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
		" WHERE articles_fts MATCH ?1 ORDER BY score LIMIT ?2 OFFSET ?3",
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

int chr_db_schema_version(void)
{
	return N_MIGRATIONS;
}

chr_status store_fail(chr_db *db, const char *what)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what,
		 db->h ? sqlite3_errmsg(db->h) : "no database");
	db->mirror_ok = 0;
	return CHR_EDB;
}

const char *chr_db_errmsg(const chr_db *db)
{
	return db ? db->err : "no database";
}

chr_status chr_db_data_version(chr_db *db, int64_t *out)
{
	if (!db || !out)
		return CHR_EINVAL;
	sqlite3_stmt *s = store_stmt(db, ST_DATA_VERSION);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CHR_OK : store_fail(db, "data_version");
}

sqlite3_stmt *store_stmt_bound(chr_db *db, enum store_stmt k)
{
	sqlite3_stmt *s = db->st[k];
	if (!s) {
		if (sqlite3_prepare_v3(db->h, sql[k], -1, SQLITE_PREPARE_PERSISTENT,
				       &db->st[k], NULL) != SQLITE_OK) {
			store_fail(db, "prepare");
			return NULL;
		}
		return db->st[k];
	}
	sqlite3_reset(s);
	return s;
}

sqlite3_stmt *store_stmt(chr_db *db, enum store_stmt k)
{
	sqlite3_stmt *s = store_stmt_bound(db, k);
	if (s)
		sqlite3_clear_bindings(s); /* (none yet when just prepared) */
	return s;
}

static chr_status exec1(chr_db *db, enum store_stmt k)
{
	sqlite3_stmt *s = store_stmt(db, k);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, sql[k]);
}

/* 512 MB of page cache at most for a handle that writes (pages are
 * allocated as read): at a million articles the entity, dedup and
 * mention indexes are ~1 GB of random-key B-trees, and with 64 MB a 1M
 * store's ingest read 58 pages an article through the OS (16 with 256
 * MB, 5 with 512 MB; RESULTS.md).  Peak RSS at a million articles was
 * 1.3 GB with 256 MB and is 1.65 GB with 512 MB (and 8,192 articles a
 * transaction), inside the 2 GB budget.  A
 * handle that only reads keeps 8 MB:
 * a search at a million articles reads the rows of all its ~50,000
 * matches once, and a page cache still growing allocates a buffer for
 * each page read (`search minister`, 984k articles: 1.8 s with 256 MB,
 * RESULTS.md "1M (session 12"). */
#define STORE_WRITE_CACHE "PRAGMA cache_size=-524288"

static chr_status exec_sql(chr_db *db, const char *s);

chr_status store_begin(chr_db *db)
{
	if (db->in_tx)
		return CHR_OK;
	if (!db->write_cache) {
		chr_status cst = exec_sql(db, STORE_WRITE_CACHE);
		if (cst)
			return cst;
		db->write_cache = 1;
	}
	chr_status st = exec1(db, ST_BEGIN);
	if (!st)
		db->in_tx = 1;
	db->ee_top = 0; /* (another writer may have added rows since) */
	if (!st && (st = store_ents_begin(db)))
		store_rollback(db);
	return st;
}

/* Index the articles stored in this transaction, in one statement.
 * FTS5 flushes its pending terms to a new segment at every statement
 * savepoint, and other stages' writes (INSERT OR REPLACE, multi-index
 * rows) open one per article: indexing row by row made one tiny segment
 * per article and merge work to match (a quarter of all instructions).
 * One INSERT ... SELECT per batch makes one segment per batch.  Rowids
 * grow under the write lock, so rowid >= fts_from is exactly this
 * transaction's articles. */
static chr_status fts_catch_up(chr_db *db)
{
	if (!db->fts_from)
		return CHR_OK;
	sqlite3_stmt *s = store_stmt(db, ST_FTS_BATCH);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, db->fts_from);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(db, "index articles");
	db->fts_from = 0;
	return CHR_OK;
}

chr_status store_commit_prep(chr_db *db)
{
	if (!db->in_tx)
		return CHR_OK;
	/* with --profile, the commit's parts as stages of their own (the
	 * "commit" stage, timed by the caller, includes them) */
	uint64_t t = prof_on() ? prof_now() : 0;
	chr_status st = store_ents_flush(db);
	prof_lap("commit-entities", &t);
	if (!st)
		st = fts_catch_up(db);
	prof_lap("commit-fts", &t);
	if (!st)
		st = store_fold_due(db);
	prof_lap("commit-fold", &t);
	return st;
}

chr_status store_commit(chr_db *db)
{
	if (!db->in_tx)
		return CHR_OK;
	chr_status st = store_commit_prep(db);
	uint64_t t = prof_on() ? prof_now() : 0;
	if (!st)
		st = exec1(db, ST_COMMIT);
	prof_lap("commit-sql", &t);
	if (!st)
		db->in_tx = 0;
	if (!st)
		db->mirror_ok = 1;
	return st;
}

/* Keeps db->err: the error that caused the rollback is the one to report,
 * and after an I/O or memory error SQLite may already have rolled back. */
void store_drop_cache(chr_db *db)
{
	if (db->cache && db->cache_free)
		db->cache_free(db->cache);
	db->cache = NULL;
	db->cache_free = NULL;
}

/* The mirrors go only when they may hold rows the file does not: a
 * transaction to undo, or an error since the last commit (a transaction
 * SQLite rolled back by itself, a write outside one that failed half
 * way).  Otherwise they hold committed rows (another connection's
 * commits are caught up with as before: data_version at store_begin,
 * newer docs per article), and the next run on this handle (each of
 * the server's POST /ingest requests is one) need not rebuild them. */
void store_rollback(chr_db *db)
{
	if (db->in_tx || !db->mirror_ok) {
		store_drop_cache(db);
		store_ents_drop(db);
	}
	db->fts_from = 0;
	if (!db->in_tx)
		return;
	db->in_tx = 0;
	if (sqlite3_get_autocommit(db->h))
		return;
	char keep[sizeof db->err];
	memcpy(keep, db->err, sizeof keep);
	exec1(db, ST_ROLLBACK);
	memcpy(db->err, keep, sizeof keep);
}

static chr_status exec_sql(chr_db *db, const char *s)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, s, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return CHR_EDB;
	}
	return CHR_OK;
}

/* The file's schema version into *v. */
static chr_status read_version(chr_db *db, int *v)
{
	sqlite3_stmt *s;
	*v = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &s, NULL))
		return store_fail(db, "schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return *v < 0 ? store_fail(db, "schema version") : CHR_OK;
}

/* Refuse a file from a newer chronicle.  Runs before anything is written
 * (not even the journal mode), so a refused file is left as it was. */
static chr_status check_version(chr_db *db, int *v)
{
	chr_status st = read_version(db, v);
	if (!st && *v > N_MIGRATIONS) {
		snprintf(db->err, sizeof db->err,
			 "schema version %d is newer than this build's %d", *v,
			 N_MIGRATIONS);
		st = CHR_ESCHEMA;
	}
	return st;
}

/* Apply the missing migrations, each in its own write transaction; the
 * version is read again under the lock, so two processes opening an old
 * file at once do not both migrate it. */
static chr_status migrate(chr_db *db)
{
	for (;;) {
		int v = -1;
		chr_status st = exec_sql(db, "BEGIN IMMEDIATE");
		if (!st)
			st = check_version(db, &v);
		if (!st && v == N_MIGRATIONS)
			return exec_sql(db, "COMMIT");
		if (!st)
			st = exec_sql(db, migrations[v]);
		if (!st) {
			char ver[64];
			snprintf(ver, sizeof ver, "PRAGMA user_version = %d", v + 1);
			st = exec_sql(db, ver);
		}
		if (!st)
			st = exec_sql(db, "COMMIT");
		if (st) {
			char keep[512];
			snprintf(keep, sizeof keep, "migration %d: %.400s", v + 1, db->err);
			if (!sqlite3_get_autocommit(db->h))
				exec_sql(db, "ROLLBACK");
			snprintf(db->err, sizeof db->err, "%s", keep);
			return st;
		}
	}
}

static int hex_digit(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* chr_unhex(x), for migration 16: the bytes a text of hex digit pairs
 * spells, as a blob; anything else (not text, an odd length, a character
 * that is not a digit) unchanged.  (SQLite's own unhex() came in 3.41.) */
static void sql_unhex(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_value *v = argv[0];
	int text = sqlite3_value_type(v) == SQLITE_TEXT; /* (before any
							    * conversion) */
	const unsigned char *t = text ? sqlite3_value_text(v) : NULL;
	size_t n = t ? (size_t)sqlite3_value_bytes(v) : 0;
	if (!t || n % 2) {
		sqlite3_result_value(cx, v);
		return;
	}
	if (!n) {
		sqlite3_result_zeroblob(cx, 0);
		return;
	}
	unsigned char *b = sqlite3_malloc64(n / 2);
	if (!b) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(t[2 * i]), lo = hex_digit(t[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			sqlite3_free(b);
			sqlite3_result_value(cx, v);
			return;
		}
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	sqlite3_result_blob64(cx, b, n / 2, sqlite3_free);
}

/* SQLite keeps allocation statistics by default, which takes a global
 * mutex around every one of its mallocs (~350 an article); nothing here
 * reads them.  Turned off once, before the first connection; when the
 * program has already started SQLite the call just fails and changes
 * nothing.  2,000 Reuters stories: 6.46 G -> 6.30 G instructions.
 * The same once: the VFS that gathers WAL writes (walbuf.h), which every
 * connection chr_db_open makes then uses; if it cannot be registered,
 * connections use the default VFS as before. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static const char *sqlite_vfs; /* walbuf.h's, when it could be had */

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (store_walbuf_register() == SQLITE_OK)
		sqlite_vfs = STORE_WALBUF_VFS;
}

chr_status chr_db_open(const char *path, chr_db **out)
{
	*out = NULL;
	if (!path || !*path)
		return CHR_EINVAL;
	chr_db *db = calloc(1, sizeof *db);
	if (!db)
		return CHR_ENOMEM;
	pthread_once(&sqlite_once, sqlite_setup);
	int rc = sqlite3_open_v2(path, &db->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 sqlite_vfs);
	chr_status st = CHR_OK;
	int v = -1;
	if (rc != SQLITE_OK) {
		st = rc == SQLITE_NOMEM ? CHR_ENOMEM : CHR_EDB;
		store_fail(db, path);
	}
	if (!st) {
		sqlite3_busy_timeout(db->h, 10000);
		sqlite3_extended_result_codes(db->h, 1);
		/* before any FTS5 table is opened on this connection, so
		 * articles_fts tokenizes with it (fts_tok.h) */
		if (fts_tok_register(db->h) != SQLITE_OK)
			st = store_fail(db, "fts5 tokenizer");
		else if (sqlite3_create_function(db->h, "chr_unhex", 1,
						 SQLITE_UTF8 | SQLITE_DETERMINISTIC,
						 NULL, sql_unhex, NULL,
						 NULL) != SQLITE_OK)
			st = store_fail(db, "chr_unhex");
	}
	if (!st)
		st = check_version(db, &v);
	if (!st) {
		st = exec_sql(db, "PRAGMA journal_mode=WAL;"
				  /* Debian builds SQLite with SECURE_DELETE,
				   * which zeroes every deleted cell and freed
				   * page (REPLACE and count updates delete
				   * often); deleted news text is not a secret */
				  "PRAGMA secure_delete=OFF;"
				  "PRAGMA synchronous=NORMAL;"
				  "PRAGMA foreign_keys=ON;"
				  "PRAGMA temp_store=MEMORY;"
				  /* 8 MB of page cache for queries; the
				   * first write transaction raises it
				   * (store_begin, STORE_WRITE_CACHE) */
				  "PRAGMA cache_size=-8192;"
				  /* checkpoint every 64 MB of WAL, not 4 MB: a
				   * batch commit writes thousands of pages, so
				   * the default checkpointed (and fsynced) after
				   * every commit; Reuters ingest: a third of the
				   * fsyncs, half the reads, 17% fewer writes;
				   * ckpt.c then moves them to a thread of their
				   * own (same threshold, STORE_CKPT_FRAMES) */
				  "PRAGMA wal_autocheckpoint=16384;");
		if (st) {
			char keep[512];
			snprintf(keep, sizeof keep, "%.100s: %.400s", path, db->err);
			snprintf(db->err, sizeof db->err, "%s", keep);
		}
	}
	if (!st) /* the autocheckpoint above stays if this cannot be had */
		store_ckpt_attach(db);
	if (!st && v < N_MIGRATIONS) /* no write lock when up to date */
		st = migrate(db);
	if (st) {
		chr_set_last_error("%s", db->err);
		chr_db_close(db);
		return st;
	}
	*out = db;
	return CHR_OK;
}

void chr_db_close(chr_db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		store_rollback(db);
	store_drop_cache(db);
	store_ents_drop(db);
	/* the thread first: the close below makes the final checkpoint */
	store_ckpt_detach(db);
	for (int i = 0; i < ST_COUNT_; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close_v2(db->h);
	free(db);
}
