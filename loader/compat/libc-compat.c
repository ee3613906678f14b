// SPDX-License-Identifier: MIT
/*
 * What a static purgkit-load needs when its libraries come from a later
 * Debian than the cross toolchain's C library: the target row names the
 * suite (SYSROOT_SUITE, mk/targets.mk), and loader/loader.mk links this
 * archive last, after them.  Nothing here is in the host's build.
 *
 * Debian 13's archives (riscv64: Debian 12 has no port) against Debian
 * 12's cross glibc 2.36:
 *  - glibc 2.38 compiles strtol/strtoul as __isoc23_strtol/strtoul when a
 *    program asks for C2x (the C23 "0b" prefix).  Under 2.36 the plain
 *    functions are what there is; nothing the libraries parse is binary.
 *  - elfutils 0.192's libelf.a calls its internal search-tree helpers
 *    (lib/eu-search.c of elfutils, in libelf.so but not in libelf.a):
 *    eu_search_tree_init/fini (elf_begin, elf_end) and eu_tsearch/tdelete
 *    (elf_getdata_rawchunk).  Their tree is a struct whose first member is
 *    the tsearch root, then a lock that only those helpers touch; the
 *    loader is single-threaded, so these take no lock.
 */
#include <search.h>
#include <stdlib.h>

long __isoc23_strtol(const char *s, char **end, int base);
unsigned long __isoc23_strtoul(const char *s, char **end, int base);

long __isoc23_strtol(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

unsigned long __isoc23_strtoul(const char *s, char **end, int base)
{
	return strtoul(s, end, base);
}

/* elfutils' search_tree begins with its tsearch root. */
struct pk_eu_search_tree {
	void *root;
};

void eu_search_tree_init(struct pk_eu_search_tree *tree);
void eu_search_tree_fini(struct pk_eu_search_tree *tree, void (*free_node)(void *));

void eu_search_tree_init(struct pk_eu_search_tree *tree)
{
	tree->root = NULL;
}

void eu_search_tree_fini(struct pk_eu_search_tree *tree, void (*free_node)(void *))
{
	tdestroy(tree->root, free_node);
	tree->root = NULL;
}

void *eu_tsearch(const void *key, struct pk_eu_search_tree *tree,
		 int (*compare)(const void *, const void *));
void *eu_tdelete(const void *key, struct pk_eu_search_tree *tree,
		 int (*compare)(const void *, const void *));

void *eu_tsearch(const void *key, struct pk_eu_search_tree *tree,
		 int (*compare)(const void *, const void *))
{
	return tsearch(key, &tree->root, compare);
}

void *eu_tdelete(const void *key, struct pk_eu_search_tree *tree,
		 int (*compare)(const void *, const void *))
{
	return tdelete(key, &tree->root, compare);
}
