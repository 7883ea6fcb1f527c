/*
 * ev_prep.h: the prep record, which is all that the two halves of the
 * events text stage share.  ev_text.c fills it on any thread
 * (ev_prep_new); ev_prep.c reads it on the store thread
 * (ev_prep_apply) and frees it (ev_prep_free).  Not part of the
 * library's interface: events.h names the type only.
 *
 * Design note: the record is the text reduced to what the engine's
 * tables need.  Each op is one key, where its id goes and its weight,
 * listed in the order a single pass over the text would intern the
 * keys, so the store side hands out the same ids.  The key's hash goes
 * with it, made on the text side, so the store side never hashes and
 * can prefetch table slots ahead.  Keys repeated in one vector are
 * already summed into one op, so the store side interns each key of a
 * vector once.  The op-slot fields are the text side's alone: it uses
 * them while it builds the record and hands them back before the record
 * leaves it.
 */
#ifndef CHR_EV_PREP_H
#define CHR_EV_PREP_H

#include "events.h"

/* Where an op's id goes.  The three vectors come first, in this order:
 * ev_prep_apply indexes its vectors and tables by these values. */
enum {
	EV_PREP_BODY,
	EV_PREP_HEAD,
	EV_PREP_ENTS,
	EV_PREP_PERSON,
	EV_PREP_PLACE,
};

typedef struct ev_prep_op {
	uint64_t h;        /* hash_bytes of the key, for the store thread */
	uint32_t off, len; /* key bytes in keys */
	float tf;
	uint8_t dst;       /* EV_PREP_* */
} ev_prep_op;

/* Every pointer is owned by the record and freed by ev_prep_free (or,
 * for a record on the stack, by its builder: ev_doc_build). */
struct ev_prep {
	ev_doc d;          /* dates, years, anchor, title...; no vectors */
	char *keys;
	size_t nkeys, kcap;
	ev_prep_op *ops;
	size_t nops, opcap;
	/* vector ops by (destination, key): op index + 1, 0 = empty (open
	 * addressing, at most half full), so that a key repeated in the text
	 * is one op whose tf is the sum, and the store thread interns and
	 * adds each key of a vector once; only while the prep is built, and
	 * the thread's (ev_text.c: slots_take, slots_give) */
	uint32_t *slot;
	size_t slotcap, nvec;
};

#endif
