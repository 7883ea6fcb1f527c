/*
 * ner_model: the model file (load, validate, save).
 *
 * Design note: one little-endian file, used in place after mmap:
 *
 *   0  magic "CHRNER\r\n" (the CR LF catches text-mode mangling)
 *   8  u32 version          12 u32 header size (72)
 *  16  u32 scheme           20 u32 ntags
 *  24  u32 row_bits         28 u32 lex_bits (0 = no lexicon)
 *  32  u32 gaz_bits (0 = no gazetteer)    36 f32 weight scale
 *  40  u64 file size        48 u64 XXH3 checksum of bytes 72..end
 *  56  u32 byte-order mark 0x01020304     60 u32 stages (1 or 2)
 *  64  f32 stage-2 weight scale (0 with one stage)
 *  68  u32 decoding beam width (1 = greedy .. NER_BEAM_MAX)
 *  72  int16 weights [2^row_bits][ntags - 1] (tag O scores 0), padded
 *      to 8 bytes
 *      stage 2 only: its int16 weights, the same shape
 *      lexicon  [2^lex_bits] x 16 bytes (ner_lexent)
 *      gazetteer[2^gaz_bits] x 8 bytes (ner_gazent)
 *
 * The file is read once into memory (see ner_model_load).  Every field
 * is checked before use and the size must match exactly, so a
 * truncated, padded or bit-flipped file is refused with CHR_EMODEL and a
 * message that says which check failed.  Version 5 added the second
 * stage (and grew the header from 64 to 72 bytes); version 6 fills the
 * lexicon entry's second word with a right-context cluster id and adds
 * features, so a version-5 model would score wrong and is refused;
 * version 7 adds features (runs of capitalised words) and gazetteer
 * lists with the same layout, so a version-6 model is refused likewise;
 * version 8 turns the reserved word at 68 into the beam width the model
 * was trained and early-stopped with (ner_beam.c), so a version-7 file
 * (0 there) is refused.
 */
#include "entities/ner.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/hash.h"

#define HDR 72
#define WPAD (128 - HDR) /* image offset putting the weights on a line */
#define BOM 0x01020304u
#define CK_SEED 0x63686b6e65723031ull

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static chr_status fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static chr_status fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return CHR_EMODEL;
}

static size_t weights_bytes(uint32_t row_bits, uint32_t ntags)
{
	size_t b = ((size_t)1 << row_bits) * (ntags - 1) * sizeof(int16_t);
	return (b + 7) & ~(size_t)7;
}

static size_t table_bytes(uint32_t bits, size_t entry)
{
	return bits ? ((size_t)1 << bits) * entry : 0;
}

/* Check the image at p (len bytes) and point m's tables into it. */
static chr_status parse(ner_model *m, const unsigned char *p, size_t len,
			char *err, size_t errlen)
{
	if (len < HDR)
		return fail(err, errlen, "truncated (%zu bytes, header is %d)",
			    len, HDR);
	if (memcmp(p, NER_MAGIC, 8) != 0)
		return fail(err, errlen, "not a chronicle NER model (bad magic)");
	if (rd32(p + 56) != BOM)
		return fail(err, errlen, "wrong byte order");
	uint32_t ver = rd32(p + 8);
	if (ver != NER_VERSION)
		return fail(err, errlen, "model version %u, this build reads %u",
			    ver, NER_VERSION);
	if (rd32(p + 12) != HDR)
		return fail(err, errlen, "bad header size");
	uint32_t scheme = rd32(p + 16), ntags = rd32(p + 20);
	uint32_t row_bits = rd32(p + 24), lex_bits = rd32(p + 28);
	uint32_t gaz_bits = rd32(p + 32);
	float scale;
	memcpy(&scale, p + 36, 4);
	if (scheme > NER_SCHEME_BILOU ||
	    ntags != (scheme == NER_SCHEME_BILOU ? 17u : 9u))
		return fail(err, errlen, "bad tag scheme (%u, %u tags)", scheme,
			    ntags);
	if (row_bits < 8 || row_bits > 26 || lex_bits > 26 || gaz_bits > 26)
		return fail(err, errlen, "bad table sizes");
	if (!isfinite(scale) || !(scale > 0))
		return fail(err, errlen, "bad weight scale");
	uint32_t stages = rd32(p + 60);
	float scale2;
	memcpy(&scale2, p + 64, 4);
	if (stages != 1 && stages != 2)
		return fail(err, errlen, "bad stage count (%u)", stages);
	if (stages == 2 ? !isfinite(scale2) || !(scale2 > 0)
			: scale2 != 0)
		return fail(err, errlen, "bad stage-2 weight scale");
	uint32_t beam = rd32(p + 68);
	if (beam < 1 || beam > NER_BEAM_MAX)
		return fail(err, errlen, "bad beam width (%u)", beam);
	size_t want = HDR + stages * weights_bytes(row_bits, ntags) +
		      table_bytes(lex_bits, 16) + table_bytes(gaz_bits, 8);
	if (rd64(p + 40) != want)
		return fail(err, errlen, "bad size field");
	if (len != want)
		return fail(err, errlen, "%s (%zu bytes, expected %zu)",
			    len < want ? "truncated" : "trailing data", len,
			    want);
	if (hash_stable(p + HDR, len - HDR, CK_SEED) != rd64(p + 48))
		return fail(err, errlen, "checksum mismatch (file corrupt)");
	m->scheme = scheme;
	m->ntags = ntags;
	m->row_bits = row_bits;
	m->scale = scale;
	const unsigned char *q = p + HDR;
	m->w = (const int16_t *)(const void *)q;
	q += weights_bytes(row_bits, ntags);
	m->stages = stages;
	m->beam = beam;
	m->scale2 = stages == 2 ? scale2 : 0;
	m->w2 = stages == 2 ? (const int16_t *)(const void *)q : NULL;
	if (stages == 2)
		q += weights_bytes(row_bits, ntags);
	m->lex_bits = lex_bits;
	m->lex = lex_bits ? (const ner_lexent *)(const void *)q : NULL;
	q += table_bytes(lex_bits, 16);
	m->gaz_bits = gaz_bits;
	m->gaz = gaz_bits ? (const ner_gazent *)(const void *)q : NULL;
	/* a number no other model of this process has (ner_feat.c keeps
	 * each word's lexicon and gazetteer lookups by it) */
	static uint32_t serials;
	do
		m->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
	while (!m->serial);
	return CHR_OK;
}

chr_status ner_model_from_mem(const void *p, size_t n, ner_model **out,
			      char *err, size_t errlen)
{
	*out = NULL;
	ner_model *m = calloc(1, sizeof *m);
	void *copy = malloc(n ? n : 1);
	if (!m || !copy) {
		free(m);
		free(copy);
		return CHR_ENOMEM;
	}
	if (n)
		memcpy(copy, p, n);
	chr_status st = parse(m, copy, n, err, errlen);
	if (st) {
		free(m);
		free(copy);
		return st;
	}
	m->map = copy;
	m->map_len = n;
	*out = m;
	return CHR_OK;
}

chr_status ner_model_load(const char *path, ner_model **out, char *err,
			  size_t errlen)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "%s: %s", path,
			    errno == ENOENT ? "no such model file"
					    : strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return fail(err, errlen, "%s: not a regular file", path);
	}
	size_t len = (size_t)sb.st_size;
	if (len < HDR || len > ((size_t)1 << 32)) {
		close(fd);
		return fail(err, errlen, "%s: %s (%zu bytes)", path,
			    len < HDR ? "truncated" : "too large", len);
	}
	/* One read into anonymous memory aligned to 2 MiB and backed by huge
	 * pages where the kernel allows: the weights are read at random, so
	 * TLB misses would otherwise dominate tagging time.  The image starts
	 * WPAD bytes in, so the weights after the 72-byte header start on a
	 * cache line and no 32-byte row straddles two (nor misses half of
	 * its prefetch). */
	size_t huge = (size_t)2 << 20;
	size_t maplen = len + huge + WPAD;
	unsigned char *base = mmap(NULL, maplen, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		close(fd);
		return fail(err, errlen, "%s: mmap: %s", path, strerror(errno));
	}
	unsigned char *al = (unsigned char *)(((uintptr_t)base + huge - 1) &
					      ~(uintptr_t)(huge - 1));
	unsigned char *img = al + WPAD;
#ifdef MADV_HUGEPAGE
	madvise(al, len + WPAD, MADV_HUGEPAGE);
#endif
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, img + got, len - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	if (got != len) {
		munmap(base, maplen);
		return fail(err, errlen, "%s: read error", path);
	}
	ner_model *m = calloc(1, sizeof *m);
	if (!m) {
		munmap(base, maplen);
		return CHR_ENOMEM;
	}
	char why[160];
	chr_status st = parse(m, img, len, why, sizeof why);
	if (st) {
		munmap(base, maplen);
		free(m);
		return fail(err, errlen, "%s: %s", path, why);
	}
	m->map = base;
	m->map_len = maplen;
	m->mapped = 1;
	*out = m;
	return CHR_OK;
}

void ner_model_free(ner_model *m)
{
	if (!m)
		return;
	if (m->mapped)
		munmap(m->map, m->map_len);
	else
		free(m->map);
	for (int i = 0; i < 3; i++)
		free(m->owned[i]);
	free(m->wf);
	free(m->wf2);
	free(m);
}

static void wr32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void wr64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Quantise nw float weights to int16 at out; the scale. */
static float quantise(const float *avg, size_t nw, int16_t *out)
{
	float maxabs = 0;
	for (size_t i = 0; i < nw; i++)
		if (fabsf(avg[i]) > maxabs)
			maxabs = fabsf(avg[i]);
	float scale = maxabs > 0 ? maxabs / 32767.0f : 1.0f;
	for (size_t i = 0; i < nw; i++)
		out[i] = (int16_t)lrintf(avg[i] / scale);
	return scale;
}

chr_status ner_model_save(const ner_model *m, const char *path,
			  const float *avg, const float *avg2)
{
	size_t rows = (size_t)1 << m->row_bits, nw = rows * (m->ntags - 1);
	size_t wb = weights_bytes(m->row_bits, m->ntags);
	uint32_t stages = avg2 ? 2 : 1;
	size_t len = HDR + stages * wb + table_bytes(m->lex_bits, 16) +
		     table_bytes(m->gaz_bits, 8);
	unsigned char *img = calloc(1, len);
	if (!img)
		return CHR_ENOMEM;
	float scale = quantise(avg, nw, (int16_t *)(void *)(img + HDR));
	float scale2 = 0;
	if (avg2)
		scale2 = quantise(avg2, nw,
				  (int16_t *)(void *)(img + HDR + wb));
	unsigned char *q = img + HDR + stages * wb;
	if (m->lex_bits) {
		memcpy(q, m->lex, table_bytes(m->lex_bits, 16));
		q += table_bytes(m->lex_bits, 16);
	}
	if (m->gaz_bits)
		memcpy(q, m->gaz, table_bytes(m->gaz_bits, 8));
	memcpy(img, NER_MAGIC, 8);
	wr32(img + 8, NER_VERSION);
	wr32(img + 12, HDR);
	wr32(img + 16, m->scheme);
	wr32(img + 20, m->ntags);
	wr32(img + 24, m->row_bits);
	wr32(img + 28, m->lex_bits);
	wr32(img + 32, m->gaz_bits);
	memcpy(img + 36, &scale, 4);
	wr64(img + 40, len);
	wr64(img + 48, hash_stable(img + HDR, len - HDR, CK_SEED));
	wr32(img + 56, BOM);
	wr32(img + 60, stages);
	memcpy(img + 64, &scale2, 4);
	wr32(img + 68, m->beam ? m->beam : 1);
	chr_status st = CHR_OK;
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(img, 1, len, f) != len)
		st = CHR_EIO;
	if (f && fclose(f) != 0)
		st = CHR_EIO;
	free(img);
	return st;
}
