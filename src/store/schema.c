/*
 * schema: the store's schema history, one SQL script per migration (see
 * schema.h).
 *
 * Design note: the migrations live apart from the code that runs them
 * (store.c) because they follow a rule of their own: a released entry is
 * the on-disk history of every store made since, so it is never edited,
 * only followed by a new entry.  In a file of their own they can be
 * reviewed as one list and are not touched by edits to the code around
 * them.  The array stays private; store.c reads its length and its
 * entries through two small functions, so the count is always the
 * array's own.
 */
#include "store/schema.h"

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

int store_schema_count(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *store_schema_migration(int i)
{
	return migrations[i];
}
