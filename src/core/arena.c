/*
 * arena: bump allocator (see arena.h).  An arena's blocks double from
 * 4 KiB to 64 KiB; a request larger than the next block gets a block of
 * its size.  Reset moves the blocks to a spare list so steady-state
 * ingest allocates nothing.  The common case, room in the current
 * block, is inline in arena.h.
 *
 * Why the blocks start small: every article has an arena, and on
 * Reuters half of them use less than 12 KiB (a tenth more than 30 KiB).
 * With 64 KiB from the first byte, the ~1,300 articles in flight at once
 * in an ingest held 85 MB of blocks, and the kernel zeroes each fresh
 * page (with malloc's huge pages, all of a 2 MiB page at its first
 * touch), which is slow here (bench/RESULTS.md, "Session 18").
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK ((size_t)64 * 1024)
#define ARENA_FIRST ((size_t)4 * 1024)

void arena_init(arena *a, size_t max)
{
	a->head = a->spare = NULL;
	a->used = 0;
	a->max = max ? max : ((size_t)1 << 30);
	a->next = ARENA_FIRST;
}

static void free_list(arena_block *b)
{
	while (b) {
		arena_block *n = b->next;
		free(b);
		b = n;
	}
}

void arena_free(arena *a)
{
	free_list(a->head);
	free_list(a->spare);
	a->head = a->spare = NULL;
	a->used = 0;
}

void arena_reset(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *n = b->next;
		if (b->size <= ARENA_BLOCK) {
			b->off = 0;
			b->next = a->spare;
			a->spare = b;
		} else {
			free(b); /* oversized blocks are not kept */
		}
		b = n;
	}
	a->head = NULL;
	a->used = 0;
}

/* Every request that arena_alloc does not serve from the current block:
 * a new or spare block, n == 0, the ceiling, a size that wraps. */
void *arena_alloc_slow(arena *a, size_t n)
{
	if (n > SIZE_MAX - 15)
		return NULL; /* would round up past SIZE_MAX to 0 */
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (n > a->max - a->used)
		return NULL;
	arena_block *b = a->head;
	if (!b || b->size - b->off < n) {
		/* the first kept block that fits: reset leaves the smallest
		 * first, so this is the head unless a request outgrew it
		 * (none fits a request over ARENA_BLOCK) */
		arena_block **sp = &a->spare;
		while (n <= ARENA_BLOCK && *sp && (*sp)->size < n)
			sp = &(*sp)->next;
		if (n <= ARENA_BLOCK && *sp) {
			b = *sp;
			*sp = b->next;
		} else {
			size_t size = n > a->next ? n : a->next;
			b = malloc(sizeof *b + size);
			if (!b)
				return NULL;
			b->size = size;
			if (a->next < ARENA_BLOCK)
				a->next *= 2;
		}
		b->off = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->off;
	b->off += n;
	a->used += n;
	return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *p = arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
