/*
 * arena: bump allocation for everything that lives as long as one article.
 *
 * Design note: the pipeline makes many small objects per article (tokens,
 * sentences, removed spans, metadata strings).  Allocating them from an
 * arena means no per-token malloc, no free on the error paths, and one
 * arena_reset() between articles that keeps the blocks for reuse.  The
 * arena has a ceiling like every other growable structure.
 * Internal prefix: arena_.
 */
#ifndef CHR_ARENA_H
#define CHR_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

/* A block: in the header only so that arena_alloc's common case (room
 * in the current block) is inlined at every call site. */
struct arena_block {
	arena_block *next;
	size_t size; /* usable bytes after the header */
	size_t off;
	_Alignas(16) unsigned char data[];
};

typedef struct arena {
	arena_block *head;  /* block being filled */
	arena_block *spare; /* blocks kept by arena_reset */
	size_t used;        /* bytes handed out since the last reset */
	size_t max;         /* ceiling on used (0 = 1 GiB) */
	size_t next;        /* size of the next new block (arena.c) */
} arena;

void arena_init(arena *a, size_t max);
/* Free every block. */
void arena_free(arena *a);
/* Forget every allocation but keep the blocks. */
void arena_reset(arena *a);
/* 16-byte aligned memory, or NULL when out of memory or over the ceiling. */
void *arena_alloc_slow(arena *a, size_t n);
static inline void *arena_alloc(arena *a, size_t n)
{
	size_t r = (n + 15) & ~(size_t)15; /* 0 for n == 0 or a wrap: slow */
	arena_block *b = a->head;
	if (r && b && r <= b->size - b->off && r <= a->max - a->used) {
		void *p = b->data + b->off;
		b->off += r;
		a->used += r;
		return p;
	}
	return arena_alloc_slow(a, n);
}
/* Like arena_alloc, zero-filled. */
void *arena_calloc(arena *a, size_t count, size_t size);
/* Copy n bytes and add a NUL. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

#endif
