/*
 * groups.h: the groups of printer --by, a hash table from a key's bytes
 * to a fixed-size value (its summary).  Open addressing with linear
 * probing over slots of (hash, index); keys and values live in arrays
 * of their own in the order they came, so memory grows with the
 * distinct keys only, and a group is its index.
 */
#ifndef RUNNEL_GROUPS_H
#define RUNNEL_GROUPS_H

#include <stddef.h>
#include <stdint.h>

struct gslot {
	uint32_t	hash;
	uint32_t	idx;		/* group + 1; 0: empty */
};

struct gkey {
	size_t		off, len;	/* in keys */
};

struct groups {
	struct gslot	*slot;
	size_t		 mask;		/* slots - 1 */
	size_t		 n;		/* groups */
	struct gkey	*key;
	char		*keys;
	size_t		 keyslen, keyscap;
	char		*val;
	size_t		 valsize, cap;	/* key[] and val[] hold cap */
	uint64_t	 seed;
};

/* Empty, for values of valsize bytes; -1 when out of memory. */
int	groups_init(struct groups *, size_t valsize);
void	groups_free(struct groups *);
/* Forget every group, keeping the memory for the next ones. */
void	groups_clear(struct groups *);
/*
 * The group of key[0, len): its index, a new one (value zeroed, *added
 * set) when the key is new.  -1 when out of memory.
 */
ptrdiff_t groups_get(struct groups *, const char *key, size_t len,
	    int *added);

static inline void *
groups_val(const struct groups *g, size_t i)
{
	return g->val + i * g->valsize;
}

static inline const char *
groups_key(const struct groups *g, size_t i, size_t *len)
{
	*len = g->key[i].len;
	return g->keys + g->key[i].off;
}

#endif
